/**
 * When Amazon Connect cannot be reached at all (a region that does not exist, a typo in the endpoint, no
 * DNS), the request log names the cause, such as `ENOTFOUND`, instead of the bare "Error" a Node system
 * error is named. The deployed bundle runs in a process of its own, as in Lambda and `npm start`: inside
 * jest's module sandbox the SDK re-wraps Node's errors (they come from another realm) and loses their code.
 */
import { expect, test } from '@jest/globals';
import { handlerAssetDirectory } from '../../lib/handler-asset.ts';
import { HANDLER_ENV } from '../../lib/handler-contract.ts';
import { toApiGatewayProxyEvent } from '../../local/api-gateway-event.ts';
import { LOCAL_AWS_CREDENTIALS, runBundledHandler } from '../support/bundled-handler.ts';
import { baseEnv, ORIGIN } from '../support/handler.ts';
import { temporaryDirectory } from '../support/temporary-directory.ts';

const SENTINEL_NAME = 'SENTINEL-DISPLAY-NAME-3b9d';

test('a Connect endpoint whose name does not resolve is logged by its cause, not as "Error", and answered 502', async () => {
  // Arrange: `.invalid` never resolves (RFC 2606), as connect.<a region that does not exist>.amazonaws.com.
  const event = toApiGatewayProxyEvent(
    {
      method: 'POST',
      url: '/prod/chat',
      headers: { 'Content-Type': 'application/json', Origin: ORIGIN },
      body: JSON.stringify({ ParticipantDetails: { DisplayName: SENTINEL_NAME } }),
    },
    { resource: '/chat' },
  );

  // Act
  const { answers, stdout, stderr } = await runBundledHandler({
    assetDirectory: handlerAssetDirectory(),
    env: {
      PATH: process.env.PATH,
      ...baseEnv('http://connect.no-such-region.invalid'),
      [HANDLER_ENV.retryBudgetMs]: '1000',
      [HANDLER_ENV.retryBaseDelayMs]: '10',
      AWS_REGION: 'eu-west-9',
      ...LOCAL_AWS_CREDENTIALS,
      POWERTOOLS_LOG_LEVEL: 'INFO',
    },
    events: [event],
    workDir: temporaryDirectory('chat-unreachable-'),
    timeoutMs: 29_000,
  });

  // Assert: the logger writes WARN and ERROR lines to stderr, the others to stdout.
  const output = `${stdout}\n${stderr}`;
  const lines = output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  const requestLine = lines.find((line) => line.outcome !== undefined);
  expect(answers.map((answer) => answer.statusCode)).toEqual([502]);
  expect(requestLine).toMatchObject({ outcome: 'upstream_failed', statusCode: 502, errorCode: 'UPSTREAM_UNAVAILABLE' });
  // ENOTFOUND where a resolver answers; EAI_AGAIN on a machine that cannot reach one.
  expect(requestLine?.connectError).toMatch(/^(ENOTFOUND|EAI_AGAIN)$/);
  expect(output).not.toContain(SENTINEL_NAME);
});
