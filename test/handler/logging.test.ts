/**
 * One JSON log line per request with what an operator needs, and never a secret or personal datum:
 * sentinel values are planted in every personal field, in headers, in the participant token that Connect
 * returns and in the claims of identity tokens, and the captured output (log lines and EMF metrics) is
 * searched for them (and for the tokens) at every log level.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import { type ConnectStandIn, startConnectStandIn } from '../../local/connect-stand-in/connect-stand-in.ts';
import { DEV_AUDIENCE, type DevIdentityProvider, startDevIdentityProvider } from '../../local/dev-identity-provider.ts';
import { captureOutput } from '../support/captured-output.ts';
import { emfDocuments } from '../support/emf.ts';
import { baseEnv, chatEvent, type Handler, invoke, loadHandler } from '../support/handler.ts';
import { bearer, now } from '../support/tokens.ts';

const SENTINEL = {
  token: 'SENTINEL-PARTICIPANT-TOKEN-7f3a',
  displayName: 'SENTINEL-DISPLAY-NAME-91c2',
  attribute: 'SENTINEL-ATTRIBUTE-VALUE-44d0',
  message: 'SENTINEL-MESSAGE-CONTENT-0b8e',
  customerId: 'SENTINEL-CUSTOMER-ID-5e61',
  clientToken: 'SENTINEL-CLIENT-TOKEN-c7d9',
  header: 'SENTINEL-HEADER-VALUE-2a4f',
  segment: 'SENTINEL-SEGMENT-VALUE-8d13',
  related: 'SENTINEL-RELATED-CONTACT-6b70',
} as const;

/** Claim values of identity tokens: never logged, whether the token is accepted or refused. */
const CLAIM_SENTINEL = {
  customerId: 'SENTINEL-CLAIM-SUB-3e9a',
  name: 'SENTINEL-CLAIM-NAME-b71c',
  tier: 'SENTINEL-CLAIM-TIER-0d52',
  attribute: 'SENTINEL-CLAIM-ATTRIBUTE-a8f4',
} as const;

let standIn: ConnectStandIn;
let idp: DevIdentityProvider;

beforeAll(async () => {
  standIn = await startConnectStandIn({ ratePerSecond: false, participantToken: () => SENTINEL.token });
  idp = await startDevIdentityProvider({ kind: 'oidc' });
});
afterAll(async () => {
  await idp.close();
  await standIn.close();
});
beforeEach(() => {
  standIn.reset();
});

const personalBody = {
  ParticipantDetails: { DisplayName: SENTINEL.displayName },
  Attributes: { topic: SENTINEL.attribute },
  InitialMessage: { ContentType: 'text/plain', Content: SENTINEL.message },
  CustomerId: SENTINEL.customerId,
  ClientToken: SENTINEL.clientToken,
  SegmentAttributes: { tier: { ValueString: SENTINEL.segment } },
  RelatedContactId: SENTINEL.related,
};

const headers = { Authorization: `Bearer ${SENTINEL.header}`, Cookie: `session=${SENTINEL.header}` };

function expectNoSentinel(text: string) {
  for (const value of [...Object.values(SENTINEL), ...Object.values(CLAIM_SENTINEL)]) expect(text).not.toContain(value);
  // Nor any part long enough to identify it.
  expect(text).not.toMatch(/SENTINEL/);
}

describe.each(['DEBUG', 'INFO', 'WARN', 'ERROR'])('at log level %s', (level) => {
  test('no personal field, header or participant token is logged, whatever the outcome', async () => {
    // Arrange
    const handler = await loadHandler({
      ...baseEnv(standIn.url),
      POWERTOOLS_LOG_LEVEL: level,
      POWERTOOLS_METRICS_DISABLED: 'false',
      ALLOWED_ATTRIBUTE_KEYS: 'topic',
      ALLOW_CUSTOMER_ID: 'true',
      ALLOW_SEGMENT_ATTRIBUTES: 'true',
      ALLOW_RELATED_CONTACT: 'true',
      CONNECT_RETRY_BASE_DELAY_MS: '10',
      CONNECT_ATTEMPT_TIMEOUT_MS: '200',
      CONNECT_RETRY_BUDGET_MS: '1000',
    });
    const output = captureOutput();
    // Act
    const statuses: number[] = [];
    const send = async (...args: Parameters<typeof chatEvent>) => {
      statuses.push((await invoke(handler, chatEvent(...args))).statusCode);
    };
    try {
      standIn.script({ error: 'TooManyRequestsException' }, { hang: true }, { reset: true });
      await send({ body: personalBody, headers });
      await send({ body: { ...personalBody, ClientToken: `${SENTINEL.clientToken}-2` } });
      await send({ body: `{"ParticipantDetails":{"DisplayName":"${SENTINEL.displayName}"` });
      await send({ body: { ...personalBody, Unknown: SENTINEL.attribute, ChatDurationInMinutes: 1 } });
      standIn.script({ error: 'InvalidRequestException', message: `Bad attribute ${SENTINEL.attribute}` });
      await send({ body: { ...personalBody, ClientToken: `${SENTINEL.clientToken}-3` } });
      standIn.script(
        ...Array.from({ length: 20 }, () => ({ error: 'InternalServiceException', message: SENTINEL.customerId })),
      );
      await send({ body: { ...personalBody, ClientToken: `${SENTINEL.clientToken}-4` } });
      await send({ body: personalBody, origin: `https://${SENTINEL.header}.example` });
    } finally {
      output.restore();
    }
    // Assert
    expectNoSentinel(output.text());
    // One metrics document per request, holding nothing but the EMF block, the dimension and numbers.
    const metrics = emfDocuments(output);
    expect(metrics).toHaveLength(statuses.length);
    for (const document of metrics) {
      const numbers = Object.keys(document.values);
      expect(Object.keys(document.raw).sort()).toEqual(['FunctionName', '_aws', ...numbers].sort());
    }
    // One summary line per request, written at INFO, or WARN for 429/503, or ERROR for other 5xx.
    const lineLevel = (status: number) => (status === 429 || status === 503 ? 1 : status >= 500 ? 2 : 0);
    const threshold = { DEBUG: 0, INFO: 0, WARN: 1, ERROR: 2 }[level] ?? 0;
    const summaries = output.records().filter((record) => typeof record.outcome === 'string');
    expect(statuses).toHaveLength(7);
    expect(summaries).toHaveLength(statuses.filter((status) => lineLevel(status) >= threshold).length);
    expect(summaries.map((record) => record.statusCode)).toEqual(
      statuses.filter((status) => lineLevel(status) >= threshold),
    );
  });
});

/** Invokes the handler with a minimal chat request, capturing its output; returns the answer and its request line. */
async function requestLogLine(handler: Handler) {
  const output = captureOutput();
  try {
    const answer = await invoke(handler, chatEvent({ body: { ParticipantDetails: { DisplayName: 'Ada' } } }));
    return { answer, line: output.records().find((record) => record.outcome !== undefined) };
  } finally {
    output.restore();
  }
}

test('the success line carries outcome, status, attempts, latency, Connect request id and ContactId', async () => {
  const handler = await loadHandler({
    ...baseEnv(standIn.url),
    CONNECT_RETRY_BASE_DELAY_MS: '10',
    POWERTOOLS_LOG_LEVEL: 'INFO',
  });
  standIn.script({ error: 'TooManyRequestsException' });
  const { answer, line } = await requestLogLine(handler);
  const lastCall = standIn.startChatCalls().at(-1)!;
  expect(line).toMatchObject({
    level: 'INFO',
    outcome: 'started',
    statusCode: 200,
    attempts: 2,
    connectRequestId: lastCall.requestId,
    contactId: answer.json.data.startChatResult.ContactId,
    latencyMs: expect.any(Number),
    apiRequestId: expect.any(String),
  });
});

test('a failed call is logged with its error code, Connect error name, attempts and request id', async () => {
  const handler = await loadHandler({ ...baseEnv(standIn.url), POWERTOOLS_LOG_LEVEL: 'INFO' });
  standIn.script({ error: 'LimitExceededException' });
  const { line } = await requestLogLine(handler);
  expect(line).toMatchObject({
    level: 'WARN',
    outcome: 'capacity_exceeded',
    statusCode: 503,
    errorCode: 'CAPACITY_EXCEEDED',
    connectError: 'LimitExceededException',
    attempts: 1,
    connectRequestId: standIn.startChatCalls()[0]!.requestId,
  });
});

test('a request Connect keeps throttling past the retry budget is logged as throttled', async () => {
  const handler = await loadHandler({
    ...baseEnv(standIn.url),
    CONNECT_RETRY_BUDGET_MS: '1000',
    CONNECT_RETRY_BASE_DELAY_MS: '10',
    POWERTOOLS_LOG_LEVEL: 'INFO',
  });
  standIn.script(...Array.from({ length: 20 }, () => ({ error: 'TooManyRequestsException' as const })));
  const { line } = await requestLogLine(handler);
  expect(line).toMatchObject({
    level: 'WARN',
    message: 'chat start throttled',
    outcome: 'throttled',
    statusCode: 429,
    connectError: 'TooManyRequestsException',
  });
});

describe.each(['DEBUG', 'INFO', 'WARN', 'ERROR'])('with verified identity, at log level %s', (level) => {
  test('no token and no claim value is logged, whether the token is accepted, refused or unverifiable', async () => {
    // Arrange
    const handler = await loadHandler({
      ...baseEnv(standIn.url),
      ...idp.handlerEnvironment(),
      IDENTITY_CLAIMS: JSON.stringify({
        customerId: 'sub',
        displayName: 'name',
        attributes: { tier: 'tier' },
        attributesClaim: 'attributes',
      }),
      POWERTOOLS_LOG_LEVEL: level,
      POWERTOOLS_METRICS_DISABLED: 'false',
    });
    const claims = (extra: Record<string, unknown> = {}) => ({
      iss: idp.url,
      aud: DEV_AUDIENCE,
      iat: now(),
      exp: now() + 300,
      sub: CLAIM_SENTINEL.customerId,
      name: CLAIM_SENTINEL.name,
      tier: CLAIM_SENTINEL.tier,
      attributes: { note: CLAIM_SENTINEL.attribute },
      ...extra,
    });
    const tokens = [
      await idp.sign(claims()),
      await idp.sign(claims({ exp: now() - 600 })),
      await idp.sign(claims({ name: `${CLAIM_SENTINEL.name}\u0000` })),
      await idp.sign(claims({ attributes: { note: { nested: CLAIM_SENTINEL.attribute } } })),
      await idp.sign(claims({ aud: CLAIM_SENTINEL.attribute })),
      `${(await idp.sign(claims())).slice(0, -4)}AAAA`,
    ];
    const output = captureOutput();
    // Act
    const statuses: number[] = [];
    try {
      for (const token of tokens)
        statuses.push((await invoke(handler, chatEvent({ body: {}, headers: bearer(token) }))).statusCode);
      statuses.push(
        (await invoke(handler, chatEvent({ body: { CustomerId: SENTINEL.customerId }, headers: bearer(tokens[0]!) })))
          .statusCode,
      );
      idp.setKeysAvailable(false);
      const unverifiable = await loadHandler({
        ...baseEnv(standIn.url),
        ...idp.handlerEnvironment(),
        POWERTOOLS_LOG_LEVEL: level,
        POWERTOOLS_METRICS_DISABLED: 'false',
      });
      statuses.push((await invoke(unverifiable, chatEvent({ body: {}, headers: bearer(tokens[0]!) }))).statusCode);
    } finally {
      idp.setKeysAvailable(true);
      output.restore();
    }
    // Assert
    expect(statuses).toEqual([200, 401, 401, 401, 401, 401, 400, 503]);
    const text = output.text();
    expectNoSentinel(text);
    for (const token of tokens) for (const part of token.split('.')) expect(text).not.toContain(part);
    // The metrics documents are in the searched output: one per request, numbers only.
    const metrics = emfDocuments(output);
    expect(metrics).toHaveLength(statuses.length);
    for (const document of metrics) {
      expect(Object.keys(document.raw).sort()).toEqual(
        ['FunctionName', '_aws', ...Object.keys(document.values)].sort(),
      );
    }
    if (level === 'INFO') {
      const problems = output
        .records()
        .map((record) => record.tokenProblem)
        .filter(Boolean);
      expect(problems).toEqual(['expired', 'bad_claim', 'bad_claim', 'wrong_audience', 'bad_signature']);
    }
  });
});
