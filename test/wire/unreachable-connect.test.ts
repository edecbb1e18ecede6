/**
 * When Amazon Connect cannot be reached at all (a region that does not exist, a typo in the endpoint, no
 * DNS), the request log names the cause, such as `ENOTFOUND`, instead of the bare "Error" a Node system
 * error is named. The deployed bundle runs in a process of its own, as in Lambda and `npm start`: inside
 * jest's module sandbox the SDK re-wraps Node's errors (they come from another realm) and loses their code.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { HANDLER_ENV } from '../../lib/handler-contract.ts';
import { toApiGatewayProxyEvent } from '../../local/api-gateway-event.ts';
import { HANDLER_ASSET_DIR } from '../../scripts/bundle-handler.ts';
import { FLOW_ID, INSTANCE_ID, ORIGIN } from '../support/handler.ts';

const run = promisify(execFile);
const RUNNER = fileURLToPath(new URL('../support/run-bundled-handler.ts', import.meta.url));
const SENTINEL_NAME = 'SENTINEL-DISPLAY-NAME-3b9d';

let workDir: string;

beforeAll(() => {
  workDir = mkdtempSync(join(tmpdir(), 'chat-unreachable-'));
});
afterAll(() => {
  rmSync(workDir, { recursive: true, force: true });
});

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
  const eventsFile = join(workDir, 'events.json');
  const resultsFile = join(workDir, 'results.json');
  writeFileSync(eventsFile, JSON.stringify([event]));

  // Act
  const { stdout, stderr } = await run(
    process.execPath,
    [RUNNER, HANDLER_ASSET_DIR, eventsFile, resultsFile, '29000'],
    {
      env: {
        PATH: process.env.PATH,
        [HANDLER_ENV.instanceId]: INSTANCE_ID,
        [HANDLER_ENV.contactFlowId]: FLOW_ID,
        [HANDLER_ENV.allowedOrigins]: ORIGIN,
        [HANDLER_ENV.retryBudgetMs]: '1000',
        [HANDLER_ENV.retryBaseDelayMs]: '10',
        AWS_ENDPOINT_URL_CONNECT: 'http://connect.no-such-region.invalid',
        AWS_REGION: 'eu-west-9',
        AWS_ACCESS_KEY_ID: 'AKIDLOCALTESTING',
        AWS_SECRET_ACCESS_KEY: 'local-testing-secret',
        AWS_EC2_METADATA_DISABLED: 'true',
        POWERTOOLS_LOG_LEVEL: 'INFO',
      },
      timeout: 60_000,
    },
  );

  // Assert: the logger writes WARN and ERROR lines to stderr, the others to stdout.
  const output = `${stdout}\n${stderr}`;
  const lines = output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  const requestLine = lines.find((line) => line.outcome !== undefined);
  expect(requestLine).toMatchObject({ outcome: 'upstream_failed', statusCode: 502, errorCode: 'UPSTREAM_UNAVAILABLE' });
  // ENOTFOUND where a resolver answers; EAI_AGAIN on a machine that cannot reach one.
  expect(requestLine?.connectError).toMatch(/^(ENOTFOUND|EAI_AGAIN)$/);
  expect(output).not.toContain(SENTINEL_NAME);
});
