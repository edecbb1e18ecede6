/**
 * A local stand-in for the deployed API Gateway REST API: an HTTP server that routes like the stage the
 * construct deploys and hands each request to a Lambda proxy integration as API Gateway does.
 *
 * - Routes: `POST` and the CORS preflight `OPTIONS` on each resource of the stage (`/prod/chat` and the
 *   stage root `/prod/` by default; one trailing slash is ignored, as API Gateway does). Anything else
 *   is API Gateway's "Missing Authentication Token" response, which the construct makes a 404 NOT_FOUND.
 * - Events: built by api-gateway-event.ts from the request as received (header casing and repeats, query,
 *   body, base64 for binary media types), with the headers API Gateway adds (`X-Forwarded-For`,
 *   `X-Forwarded-Port`, `X-Forwarded-Proto`, `X-Amzn-Trace-Id`) and its receipt time and request id.
 * - Limits: stage throttling, a token bucket per method as API Gateway keeps them, with the construct's
 *   limits (5 requests/s with a burst of 50 by default) shared among the chat routes' POST methods as the
 *   construct shares them (lib/route-throttling.ts), so the endpoint admits the limits in total; the
 *   preflights have the stage's limits each. Over the limit gets 429; bodies over 10 MB get 413; the integration gets 29 seconds from receipt, then the caller gets
 *   504 while the function may still run on. A function error or a result that is not a proxy result
 *   gets 502. These answers are the construct's gateway responses (gateway-responses.ts).
 * - Answers: the function's status, headers (`multiValueHeaders` merged in) and body (base64 decoded
 *   when flagged), plus API Gateway's `x-amzn-RequestId` and `x-amz-apigw-id`.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import {
  createServer,
  type IncomingMessage,
  type ServerResponse,
  validateHeaderName,
  validateHeaderValue,
} from 'node:http';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import type { AllowedOrigins } from '../lambda/config.ts';
import { API_GATEWAY_TIMEOUT_MS } from '../lib/handler-contract.ts';
import { defaultEndpointThrottling, shareAmongRoutes, type ThrottlingLimits } from '../lib/route-throttling.ts';
import { toApiGatewayProxyEvent } from './api-gateway-event.ts';
import { TokenBucket } from './connect-stand-in/token-bucket.ts';
import {
  API_GATEWAY_MAX_REQUEST_BYTES,
  type GatewayAnswer,
  type GatewayResponseType,
  gatewayResponse,
  preflightResponse,
} from './gateway-responses.ts';
import { gracefulClose, listen } from './listen.ts';
import { reachableHosts, urlHost } from './network-addresses.ts';
import { readBody } from './read-body.ts';

/** The Lambda proxy integration: the event in, the function's result out. */
export type ProxyIntegration = (event: APIGatewayProxyEvent) => Promise<APIGatewayProxyResult>;

/** One answered request, for an access log. */
export interface AccessLogEntry {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly latencyMs: number;
  readonly origin: string | undefined;
  readonly requestId: string;
  /** Set when API Gateway answered by itself. */
  readonly gatewayResponse: GatewayResponseType | 'preflight' | undefined;
  /** The function's error, for a 502. */
  readonly error?: unknown;
}

export interface ApiGatewayServerOptions {
  readonly integration: ProxyIntegration;
  /** Origins whose requests get CORS headers on API Gateway's own answers and preflights. */
  readonly allowedOrigins: AllowedOrigins;
  /** 0 picks a free port. @default 3000 */
  readonly port?: number;
  /** Where to listen; `0.0.0.0` for every interface. @default '127.0.0.1' */
  readonly host?: string;
  /** @default 'prod' */
  readonly stage?: string;
  /** Resources that have the POST method and its preflight. @default ['/chat', '/'] */
  readonly resources?: readonly string[];
  /** @default 29_000 */
  readonly integrationTimeoutMs?: number;
  /** @default 10 MiB */
  readonly maxRequestBytes?: number;
  /** Content types passed to the function as base64. @default none */
  readonly binaryMediaTypes?: readonly string[];
  /**
   * Stage throttling: the endpoint's limits, shared among the resources' POST methods; `false` for none.
   * @default the construct's: 5 requests/s and a burst of 50 for each resource (lib/route-throttling.ts)
   */
  readonly throttling?: ThrottlingLimits | false;
  readonly onRequest?: (entry: AccessLogEntry) => void;
}

export interface ApiGatewayServer {
  /** The chat endpoint on this machine, e.g. `http://127.0.0.1:3000/prod/chat` (the first resource). */
  readonly url: string;
  /** The stage's base URL, e.g. `http://127.0.0.1:3000/prod/`. */
  readonly stageUrl: string;
  readonly port: number;
  /**
   * Stops accepting requests; lets those in flight be answered for up to `graceMs`, then drops the rest.
   * @param graceMs @default 0: drops the requests in flight at once
   */
  close(graceMs?: number): Promise<void>;
}

const DEFAULTS = {
  port: 3000,
  host: '127.0.0.1',
  stage: 'prod',
  resources: ['/chat', '/'],
  integrationTimeoutMs: API_GATEWAY_TIMEOUT_MS,
  maxRequestBytes: API_GATEWAY_MAX_REQUEST_BYTES,
  binaryMediaTypes: [],
} as const;

/** A body this much over the limit is not read to its end: the connection is dropped instead. */
const MAX_DISCARDED_BYTES = 64 * 1024 * 1024;

class IntegrationTimeout {}

/** The resource a path names on this stage, or undefined. */
export function matchResource(pathname: string, stage: string, resources: readonly string[]): string | undefined {
  const prefix = `/${stage}`;
  if (pathname !== prefix && !pathname.startsWith(`${prefix}/`)) return undefined;
  let rest = pathname.slice(prefix.length) || '/';
  if (rest.length > 1 && rest.endsWith('/')) rest = rest.slice(0, -1);
  return resources.includes(rest) ? rest : undefined;
}

function traceId(now: number): string {
  return `Root=1-${Math.floor(now / 1000).toString(16)}-${randomBytes(12).toString('hex')}`;
}

/** The client's headers as received, with what API Gateway adds or replaces. */
function forwardedHeaders(rawHeaders: readonly string[], sourceIp: string, port: number, now: number): string[] {
  const headers: string[] = [];
  let forwardedFor: string | undefined;
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!;
    const value = rawHeaders[i + 1]!;
    const lower = name.toLowerCase();
    if (lower === 'x-forwarded-for') forwardedFor = forwardedFor === undefined ? value : `${forwardedFor}, ${value}`;
    else if (lower !== 'x-forwarded-port' && lower !== 'x-forwarded-proto' && lower !== 'x-amzn-trace-id')
      headers.push(name, value);
  }
  headers.push(
    'X-Amzn-Trace-Id',
    traceId(now),
    'X-Forwarded-For',
    forwardedFor === undefined ? sourceIp : `${forwardedFor}, ${sourceIp}`,
    'X-Forwarded-Port',
    String(port),
    'X-Forwarded-Proto',
    'http',
  );
  return headers;
}

/** An answer to write: API Gateway's own, or the function's with its body as bytes. */
type Answer =
  | GatewayAnswer
  | { readonly statusCode: number; readonly headers: Readonly<Record<string, string>>; readonly body: Buffer };

/** The function's result as an answer, or undefined when it is not a valid proxy result. */
function toAnswer(result: unknown): Answer | undefined {
  if (typeof result !== 'object' || result === null) return undefined;
  const { statusCode, headers, multiValueHeaders, body, isBase64Encoded } = result as Record<string, unknown>;
  if (typeof statusCode !== 'number' || !Number.isInteger(statusCode) || statusCode < 100 || statusCode > 599)
    return undefined;
  if (body !== undefined && body !== null && typeof body !== 'string') return undefined;
  const merged: Record<string, string> = {};
  const names = new Map<string, string>();
  for (const [name, value] of Object.entries((headers ?? {}) as Record<string, unknown>)) {
    if (value === undefined || value === null) continue;
    merged[name] = String(value);
    names.set(name.toLowerCase(), name);
  }
  // Where both forms name a header, API Gateway keeps the multi-value form's values.
  for (const [name, values] of Object.entries((multiValueHeaders ?? {}) as Record<string, unknown>)) {
    if (!Array.isArray(values)) continue;
    const existing = names.get(name.toLowerCase());
    if (existing !== undefined) delete merged[existing];
    merged[name] = values.map(String).join(', ');
  }
  try {
    for (const [name, value] of Object.entries(merged)) {
      validateHeaderName(name);
      validateHeaderValue(name, value);
    }
  } catch {
    return undefined;
  }
  const text = typeof body === 'string' ? body : '';
  return {
    statusCode,
    headers: merged,
    body: Buffer.from(text, isBase64Encoded === true ? 'base64' : 'utf8'),
  };
}

function headerValue(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[value.length - 1] : value;
}

export async function startApiGatewayServer(options: ApiGatewayServerOptions): Promise<ApiGatewayServer> {
  const settings = { ...DEFAULTS, ...options };
  let port = settings.port;
  const buckets = new Map<string, TokenBucket>();
  const throttling = options.throttling ?? defaultEndpointThrottling(settings.resources.length);
  const postShares = throttling === false ? [] : shareAmongRoutes(throttling, settings.resources.length);
  /** Whether the method's token bucket has a request left, as API Gateway's stage throttling checks. */
  const admit = (method: string, resource: string): boolean => {
    if (throttling === false) return true;
    const key = `${method} ${resource}`;
    let bucket = buckets.get(key);
    if (bucket === undefined) {
      const limits = method === 'POST' ? postShares[settings.resources.indexOf(resource)]! : throttling;
      bucket = new TokenBucket({ ratePerSecond: limits.rateLimit, burst: limits.burstLimit });
      buckets.set(key, bucket);
    }
    return bucket.tryTake();
  };

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const receivedAt = Date.now();
    const method = request.method ?? 'GET';
    const origin = headerValue(request, 'origin');
    const pathname = new URL(request.url ?? '/', 'http://localhost').pathname;
    const resource = matchResource(pathname, settings.stage, settings.resources);
    let requestId: string = randomUUID();
    let apiGatewayId: string = randomUUID();

    const send = (answer: Answer, kind: AccessLogEntry['gatewayResponse'], error?: unknown): void => {
      const bytes = typeof answer.body === 'string' ? Buffer.from(answer.body, 'utf8') : answer.body;
      response.writeHead(answer.statusCode, {
        ...answer.headers,
        // No Content-Length on 204 (RFC 9110 section 8.6).
        ...(answer.statusCode !== 204 && { 'Content-Length': String(bytes.length) }),
        'x-amzn-RequestId': requestId,
        'x-amz-apigw-id': apiGatewayId,
      });
      response.end(bytes);
      settings.onRequest?.({
        method,
        path: request.url ?? '/',
        status: answer.statusCode,
        latencyMs: Date.now() - receivedAt,
        origin,
        requestId,
        gatewayResponse: kind,
        ...(error !== undefined && { error }),
      });
    };
    const gateway = (type: GatewayResponseType, error?: unknown) =>
      send(gatewayResponse(type, origin, settings.allowedOrigins, requestId), type, error);

    const preflight = method === 'OPTIONS' ? preflightResponse(origin, settings.allowedOrigins) : undefined;
    if (resource === undefined || (method !== 'POST' && preflight === undefined)) {
      request.resume();
      return gateway('MISSING_AUTHENTICATION_TOKEN');
    }
    if (!admit(method, resource)) {
      request.resume();
      return gateway('THROTTLED');
    }
    if (preflight !== undefined) {
      request.resume();
      return send(preflight, 'preflight');
    }

    const { body, tooLarge } = await readBody(request, settings.maxRequestBytes, MAX_DISCARDED_BYTES);
    if (tooLarge) {
      response.shouldKeepAlive = false;
      return gateway('REQUEST_TOO_LARGE');
    }

    const sourceIp = (request.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, '');
    const event = toApiGatewayProxyEvent(
      {
        method,
        url: request.url ?? '/',
        headers: forwardedHeaders(request.rawHeaders, sourceIp, port, receivedAt),
        body,
        sourceIp,
      },
      { stage: settings.stage, resource, binaryMediaTypes: settings.binaryMediaTypes },
      receivedAt,
    );
    requestId = event.requestContext.requestId;
    apiGatewayId = event.requestContext.extendedRequestId ?? apiGatewayId;

    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<IntegrationTimeout>((resolve) => {
      timer = setTimeout(
        () => resolve(new IntegrationTimeout()),
        Math.max(0, receivedAt + settings.integrationTimeoutMs - Date.now()),
      );
    });
    try {
      const result = await Promise.race([settings.integration(event), timeout]);
      if (result instanceof IntegrationTimeout) return gateway('INTEGRATION_TIMEOUT');
      const answer = toAnswer(result);
      if (answer === undefined)
        return gateway('INTEGRATION_FAILURE', new Error('The function returned something that is not a proxy result'));
      return send(answer, undefined);
    } catch (error) {
      return gateway('INTEGRATION_FAILURE', error);
    } finally {
      clearTimeout(timer);
    }
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent)
        response.writeHead(500, { 'Content-Type': 'application/json' }).end('{"message":"Internal server error"}');
      else response.destroy(error as Error);
    });
  });
  const close = gracefulClose(server);
  port = await listen(server, settings.port, settings.host, 'the API');
  const stageUrl = `http://${urlHost(reachableHosts(settings.host, [])[0]!)}:${port}/${settings.stage}/`;
  const first = settings.resources[0] ?? '/';
  return {
    url: first === '/' ? stageUrl : `${stageUrl}${first.slice(1)}`,
    stageUrl,
    port,
    close: (graceMs = 0) => close(graceMs),
  };
}
