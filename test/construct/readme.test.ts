/**
 * The README's statements that follow from the code, checked against it: every error code API Gateway
 * answers with is in the error table, the Lambda concurrency bound under abuse is the defaults' own, and
 * the Logging section names every field the access log keeps.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from '@jest/globals';
import { DEFAULTS } from '../../lib/defaults.ts';
import { GATEWAY_ERROR_RESPONSES, PER_IP_RATE_LIMITED, WEB_ACL_BLOCKED } from '../../lib/gateway-error-responses.ts';
import { defaultEndpointThrottling } from '../../lib/route-throttling.ts';
import { onlyResource, synthChat } from '../support/construct.ts';

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

/** The text of a `## ` section, up to the next one. */
function section(title: string): string {
  const start = README.indexOf(`\n## ${title}`);
  expect(start).toBeGreaterThan(-1);
  const end = README.indexOf('\n## ', start + 1);
  return README.slice(start, end === -1 ? undefined : end);
}

describe('the HTTP contract’s error table', () => {
  const table = section('The HTTP contract')
    .split('\n')
    .filter((line) => line.startsWith('|'));
  const codes = [...Object.values(GATEWAY_ERROR_RESPONSES), PER_IP_RATE_LIMITED, WEB_ACL_BLOCKED].map(
    (response) => response.code,
  );

  test.each([...new Set(codes)])('lists %s, which API Gateway answers with', (code) => {
    expect(table.some((row) => row.includes(`\`${code}\``))).toBe(true);
  });
});

test('the abuse controls state the Lambda concurrency bound of the defaults, and the props that cap it', () => {
  const abuse = section('Abuse controls');
  const endpoint = defaultEndpointThrottling(2);
  const bound = endpoint.burstLimit + endpoint.rateLimit * DEFAULTS.retryBudget.toSeconds();
  expect(abuse).toContain(`**${bound}**`);
  for (const prop of ['reservedConcurrentExecutions', 'retryBudget', 'throttlingRateLimit', 'throttlingBurstLimit']) {
    expect(abuse).toContain(`\`${prop}\``);
  }
});

test('the Logging section names every field of the access log, and the prop that drops the caller’s', () => {
  const logging = section('Logging');
  const stage = onlyResource(synthChat(), 'AWS::ApiGateway::Stage');
  const fields = Object.keys(JSON.parse(stage.Properties.AccessLogSetting.Format));
  expect(fields).toEqual(expect.arrayContaining(['ip', 'userAgent']));
  for (const field of fields) expect(logging).toContain(`\`${field}\``);
  expect(logging).toContain('`accessLogCallerDetails: false`');
  expect(logging).toContain('WAF sampled requests');
});
