/**
 * The API Gateway emulation on its own, with a scripted Lambda proxy integration: routing, the events it
 * builds, the answers it passes back, and the answers API Gateway gives by itself as the construct
 * configures them (preflight; gateway responses for unknown routes, throttling, bodies over 10 MB, the
 * integration timeout and a failed function).
 */

import { createServer, request } from 'node:http';
import { afterAll, beforeAll, beforeEach, expect, test } from '@jest/globals';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { GATEWAY_ERROR_RESPONSES } from '../../lib/gateway-error-responses.ts';
import { type ApiGatewayServer, type ProxyIntegration, startApiGatewayServer } from '../../local/api-gateway-server.ts';
import { closeServer, listen, PortInUseError } from '../../local/listen.ts';

const ALLOWED = 'https://widget.example.com';
const OTHER = 'https://evil.example.net';
const TEN_MIB = 10 * 1024 * 1024;

let server: ApiGatewayServer;
let base: string;
const events: APIGatewayProxyEvent[] = [];
let respond: ProxyIntegration;

/** POSTs with headers sent exactly as listed (name, value, name, value...), repeats included. */
function rawPost(
  url: string,
  headers: string[],
  body: string,
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const framing = ['Host', new URL(url).host, 'Content-Length', String(Buffer.byteLength(body))];
    const outgoing = request(url, { method: 'POST', headers: [...framing, ...headers] }, (incoming) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('end', () =>
        resolve({
          status: incoming.statusCode ?? 0,
          headers: incoming.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
    });
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

/** The construct's gateway response envelope for `type`, with the request id the server reported. */
async function expectGatewayResponse(response: Response, type: keyof typeof GATEWAY_ERROR_RESPONSES, status?: number) {
  const configured: { statusCode?: number; code: string; message?: string } = GATEWAY_ERROR_RESPONSES[type];
  expect(response.status).toBe(status ?? configured.statusCode);
  expect(await response.json()).toEqual({
    success: false,
    error: { code: configured.code, message: configured.message, requestId: response.headers.get('x-amzn-requestid') },
  });
  expect(response.headers.get('cache-control')).toBe('no-store');
}

const okResult = async (): Promise<APIGatewayProxyResult> => ({
  statusCode: 200,
  headers: { 'Content-Type': 'application/json' },
  body: '{"ok":true}',
});

beforeAll(async () => {
  server = await startApiGatewayServer({
    port: 0,
    allowedOrigins: new Set([ALLOWED]),
    integration: (event) => {
      events.push(event);
      return respond(event);
    },
  });
  base = `http://127.0.0.1:${server.port}`;
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  events.length = 0;
  respond = okResult;
});

test('the server listens where it says: the chat endpoint on the prod stage', () => {
  expect(server.url).toBe(`${base}/prod/chat`);
  expect(server.stageUrl).toBe(`${base}/prod/`);
});

test('POST /prod/chat reaches the function with the event API Gateway builds', async () => {
  // Arrange
  const body = '{"ParticipantDetails":{"DisplayName":"Ada"}}';
  const startedAt = Date.now();

  // Act: a raw request, so that the repeated header arrives as two header lines.
  const response = await rawPost(
    `${base}/prod/chat?lang=en&lang=fr`,
    ['Content-Type', 'text/plain;charset=UTF-8', 'Origin', ALLOWED, 'X-Custom', 'one', 'X-Custom', 'two'],
    body,
  );

  // Assert
  expect(response.status).toBe(200);
  expect(JSON.parse(response.body)).toEqual({ ok: true });
  expect(events).toHaveLength(1);
  const event = events[0]!;
  expect(event).toMatchObject({
    resource: '/chat',
    path: '/chat',
    httpMethod: 'POST',
    body,
    isBase64Encoded: false,
    queryStringParameters: { lang: 'fr' },
    multiValueQueryStringParameters: { lang: ['en', 'fr'] },
    requestContext: { stage: 'prod', path: '/prod/chat', resourcePath: '/chat', httpMethod: 'POST' },
  });
  expect(event.requestContext.identity.sourceIp).toBe('127.0.0.1');
  expect(event.requestContext.requestTimeEpoch).toBeGreaterThanOrEqual(startedAt);
  const header = (name: string) => Object.entries(event.headers).find(([key]) => key.toLowerCase() === name)?.[1];
  expect(header('origin')).toBe(ALLOWED);
  expect(header('x-forwarded-for')).toBe('127.0.0.1');
  expect(header('x-forwarded-proto')).toBe('http');
  expect(header('x-amzn-trace-id')).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/);
  const multi = Object.entries(event.multiValueHeaders).find(([key]) => key.toLowerCase() === 'x-custom')?.[1];
  expect(multi).toEqual(['one', 'two']);
  // The request id the function sees is the one the caller gets back.
  expect(response.headers['x-amzn-requestid']).toBe(event.requestContext.requestId);
});

test('the stage root and a trailing slash route like API Gateway: POST /prod/ and /prod/chat/', async () => {
  // Act
  const root = await fetch(`${base}/prod/`, { method: 'POST', body: '{}' });
  const trailing = await fetch(`${base}/prod/chat/`, { method: 'POST', body: '{}' });

  // Assert
  expect([root.status, trailing.status]).toEqual([200, 200]);
  expect(events.map((event) => event.resource)).toEqual(['/', '/chat']);
});

test.each([
  ['an unknown path', 'POST', '/prod/chats'],
  ['another stage', 'POST', '/dev/chat'],
  ['a path outside any stage', 'GET', '/'],
  ['a method the route does not have', 'GET', '/prod/chat'],
  ['PUT on the route', 'PUT', '/prod/chat'],
])(
  '%s gets the construct\'s "no route" gateway response (404 NOT_FOUND), with CORS headers',
  async (_, method, path) => {
    // Act
    const response = await fetch(`${base}${path}`, { method, headers: { Origin: ALLOWED } });

    // Assert
    await expectGatewayResponse(response, 'MISSING_AUTHENTICATION_TOKEN');
    expect(response.status).toBe(404);
    expect(response.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(response.headers.get('access-control-expose-headers')).toBe('Retry-After, WWW-Authenticate');
    expect(response.headers.get('vary')).toBe('Origin');
    expect(events).toHaveLength(0);
  },
);

test('a gateway response to another origin names only the allowed origin, as the deployed one does', async () => {
  // Act
  const response = await fetch(`${base}/nowhere`, { method: 'POST', headers: { Origin: OTHER } });

  // Assert
  expect(response.status).toBe(404);
  expect(response.headers.get('access-control-allow-origin')).toBe(ALLOWED);
});

test('with no origin allowed there is no preflight route and no CORS header on gateway responses', async () => {
  // Arrange
  const closed = await startApiGatewayServer({ port: 0, allowedOrigins: new Set(), integration: okResult });

  try {
    // Act
    const response = await fetch(closed.url, {
      method: 'OPTIONS',
      headers: { Origin: ALLOWED, 'Access-Control-Request-Method': 'POST' },
    });

    // Assert
    await expectGatewayResponse(response, 'MISSING_AUTHENTICATION_TOKEN');
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  } finally {
    await closed.close();
  }
});

test('the preflight of an allowed origin allows POST with the widget headers, without calling the function', async () => {
  // Act
  const response = await fetch(`${base}/prod/chat`, {
    method: 'OPTIONS',
    headers: {
      Origin: ALLOWED,
      'Access-Control-Request-Method': 'POST',
      'Access-Control-Request-Headers': 'content-type',
    },
  });

  // Assert
  expect(response.status).toBe(204);
  expect(response.headers.get('access-control-allow-origin')).toBe(ALLOWED);
  expect(response.headers.get('access-control-allow-methods')).toBe('OPTIONS,POST');
  expect(response.headers.get('access-control-allow-headers')).toBe(
    'Content-Type,Idempotency-Key,X-Requested-With,Authorization',
  );
  expect(response.headers.get('access-control-max-age')).toBe('600');
  expect(response.headers.get('access-control-expose-headers')).toBe('Retry-After,WWW-Authenticate');
  expect(response.headers.get('vary')).toBe('Origin');
  expect(response.headers.get('content-length')).toBeNull();
  expect(events).toHaveLength(0);
});

test('the preflight of a disallowed origin does not allow it', async () => {
  // Act
  const response = await fetch(`${base}/prod/chat`, {
    method: 'OPTIONS',
    headers: { Origin: OTHER, 'Access-Control-Request-Method': 'POST' },
  });

  // Assert: the first allowed origin, as CDK's preflight answers; a browser on OTHER stops here.
  expect(response.status).toBe(204);
  expect(response.headers.get('access-control-allow-origin')).toBe(ALLOWED);
  expect(events).toHaveLength(0);
});

test('a body over 10 MB gets 413 PAYLOAD_TOO_LARGE and never reaches the function; 10 MB does', async () => {
  // Act
  const over = await fetch(`${base}/prod/chat`, {
    method: 'POST',
    headers: { Origin: ALLOWED },
    body: Buffer.alloc(TEN_MIB + 1, 0x20),
  });
  const limit = await fetch(`${base}/prod/chat`, { method: 'POST', body: Buffer.alloc(TEN_MIB, 0x20) });

  // Assert
  await expectGatewayResponse(over, 'REQUEST_TOO_LARGE');
  expect(over.status).toBe(413);
  expect(over.headers.get('access-control-allow-origin')).toBe(ALLOWED);
  expect(limit.status).toBe(200);
  expect(events).toHaveLength(1);
  expect(events[0]!.body).toHaveLength(TEN_MIB);
});

test("the function's headers, multi-value headers and base64 body come back as API Gateway sends them", async () => {
  // Arrange
  respond = async () => ({
    statusCode: 201,
    headers: { 'X-One': 'single', 'X-Both': 'from-headers' },
    multiValueHeaders: { 'X-Both': ['a', 'b'], 'X-Many': ['1', '2'] },
    body: Buffer.from('hello bytes').toString('base64'),
    isBase64Encoded: true,
  });

  // Act
  const response = await fetch(`${base}/prod/chat`, { method: 'POST', body: '{}' });

  // Assert
  expect(response.status).toBe(201);
  expect(await response.text()).toBe('hello bytes');
  expect(response.headers.get('x-one')).toBe('single');
  expect(response.headers.get('x-both')).toBe('a, b');
  expect(response.headers.get('x-many')).toBe('1, 2');
});

test.each([
  ['throws', async (): Promise<APIGatewayProxyResult> => Promise.reject(new Error('boom'))],
  ['returns no status code', async () => ({ body: 'x' }) as unknown as APIGatewayProxyResult],
  ['returns a non-string body', async () => ({ statusCode: 200, body: { a: 1 } }) as unknown as APIGatewayProxyResult],
  [
    'returns a header no HTTP response can carry',
    async () => ({ statusCode: 200, headers: { 'X-Bad': 'a\r\nb' }, body: '' }),
  ],
])('a function that %s gets 502 INTERNAL_ERROR, with CORS headers', async (_, integration) => {
  // Arrange
  respond = integration;

  // Act
  const response = await fetch(`${base}/prod/chat`, { method: 'POST', headers: { Origin: ALLOWED }, body: '{}' });

  // Assert
  await expectGatewayResponse(response, 'DEFAULT_5XX', 502);
  expect(response.headers.get('access-control-allow-origin')).toBe(ALLOWED);
});

test('a function slower than the integration timeout gets 504 UPSTREAM_TIMEOUT', async () => {
  // Arrange
  let finish: () => void = () => undefined;
  const slow = await startApiGatewayServer({
    port: 0,
    allowedOrigins: new Set([ALLOWED]),
    integrationTimeoutMs: 200,
    integration: () => new Promise((resolve) => (finish = () => resolve({ statusCode: 200, body: 'late' }))),
  });

  try {
    // Act
    const startedAt = Date.now();
    const response = await fetch(slow.url, { method: 'POST', headers: { Origin: ALLOWED }, body: '{}' });
    const elapsed = Date.now() - startedAt;

    // Assert
    await expectGatewayResponse(response, 'INTEGRATION_TIMEOUT');
    expect(response.status).toBe(504);
    expect(response.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(elapsed).toBeGreaterThanOrEqual(190);
    expect(elapsed).toBeLessThan(2_000);
  } finally {
    finish();
    await slow.close();
  }
});

test('stage throttling: the limits shared among the chat routes; past a route’s share, 429 THROTTLED with Retry-After', async () => {
  // Arrange: a burst of 4 over two routes, 2 each; the preflight has the stage's own bucket.
  const throttled = await startApiGatewayServer({
    port: 0,
    allowedOrigins: new Set([ALLOWED]),
    throttling: { rateLimit: 0.001, burstLimit: 4 },
    integration: okResult,
  });
  const post = (url = throttled.url) => fetch(url, { method: 'POST', headers: { Origin: ALLOWED }, body: '{}' });

  try {
    // Act
    const statuses = [(await post()).status, (await post()).status];
    const refused = await post();
    const onStageRoot = [(await post(throttled.stageUrl)).status, (await post(throttled.stageUrl)).status];
    const refusedOnStageRoot = await post(throttled.stageUrl);
    const preflight = await fetch(throttled.url, { method: 'OPTIONS', headers: { Origin: ALLOWED } });

    // Assert
    expect(statuses).toEqual([200, 200]);
    await expectGatewayResponse(refused, 'THROTTLED');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe(String(GATEWAY_ERROR_RESPONSES.THROTTLED.retryAfterSeconds));
    expect(refused.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(onStageRoot).toEqual([200, 200]);
    expect(refusedOnStageRoot.status).toBe(429);
    expect(preflight.status).toBe(204);
  } finally {
    await throttled.close();
  }
});

test('a port in use fails with PortInUseError naming the port', async () => {
  // Arrange
  const blocker = createServer();
  const port = await listen(blocker, 0, '127.0.0.1', 'a blocker');

  try {
    // Act
    const starting = startApiGatewayServer({ port, allowedOrigins: new Set(), integration: okResult });

    // Assert
    await expect(starting).rejects.toBeInstanceOf(PortInUseError);
    await expect(starting).rejects.toMatchObject({ port, host: '127.0.0.1', purpose: 'the API' });
  } finally {
    await closeServer(blocker);
  }
});
