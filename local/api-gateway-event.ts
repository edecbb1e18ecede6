/**
 * Builds API Gateway REST API proxy events (payload format 1.0) the way API Gateway does: headers with the
 * client's casing (last value wins in `headers`, every value in `multiValueHeaders`), query parameters in
 * both forms or null, a `requestContext` with stage, request id, receipt time and source IP, and the body
 * as text, or base64 when its Content-Type is one of the API's binary media types.
 */
import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEvent } from 'aws-lambda';

export interface HttpRequestInput {
  readonly method: string;
  /** The path as the client sent it, with the stage prefix and query string, e.g. `/prod/chat?x=1`. */
  readonly url: string;
  /** Header name/value pairs in the order received (Node's `rawHeaders` layout), or a record. */
  readonly headers: readonly string[] | Readonly<Record<string, string | readonly string[]>>;
  readonly body?: Buffer | string | undefined;
  readonly sourceIp?: string;
}

export interface ApiGatewayRoute {
  /** Stage name, the first segment of the path. @default 'prod' */
  readonly stage?: string;
  /** The API resource that matched, e.g. `/chat` or `/`. */
  readonly resource: string;
  /** Content types API Gateway passes as base64. @default none */
  readonly binaryMediaTypes?: readonly string[];
  readonly apiId?: string;
  readonly accountId?: string;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** API Gateway's `requestTime` format: `21/Nov/2026:23:55:28 +0000`. */
function requestTime(epochMs: number): string {
  const d = new Date(epochMs);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(
    d.getUTCMinutes(),
  )}:${pad(d.getUTCSeconds())} +0000`;
}

function headerPairs(headers: HttpRequestInput['headers']): Array<[string, string]> {
  if (Array.isArray(headers)) {
    const pairs: Array<[string, string]> = [];
    for (let i = 0; i + 1 < headers.length; i += 2) pairs.push([headers[i] as string, headers[i + 1] as string]);
    return pairs;
  }
  return Object.entries(headers as Record<string, string | readonly string[]>).flatMap(([name, value]) =>
    typeof value === 'string' ? [[name, value] as [string, string]] : value.map((v) => [name, v] as [string, string]),
  );
}

function isBinary(contentType: string | undefined, binaryMediaTypes: readonly string[]): boolean {
  if (contentType === undefined) return binaryMediaTypes.includes('*/*');
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  return binaryMediaTypes.some((pattern) => {
    const wanted = pattern.toLowerCase();
    if (wanted === '*/*' || wanted === type) return true;
    return wanted.endsWith('/*') && type.startsWith(wanted.slice(0, -1));
  });
}

export function toApiGatewayProxyEvent(
  request: HttpRequestInput,
  route: ApiGatewayRoute,
  now: number = Date.now(),
): APIGatewayProxyEvent {
  const stage = route.stage ?? 'prod';
  const url = new URL(request.url, 'http://localhost');
  const path = url.pathname.startsWith(`/${stage}`) ? url.pathname.slice(stage.length + 1) || '/' : url.pathname;

  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  for (const [name, value] of headerPairs(request.headers)) {
    headers[name] = value;
    (multiValueHeaders[name] ??= []).push(value);
  }

  const query: Record<string, string> = {};
  const multiValueQuery: Record<string, string[]> = {};
  for (const [name, value] of url.searchParams) {
    query[name] = value;
    (multiValueQuery[name] ??= []).push(value);
  }
  const hasQuery = Object.keys(query).length > 0;

  const raw = request.body === undefined ? Buffer.alloc(0) : Buffer.from(request.body);
  const contentType = Object.entries(headers).find(([name]) => name.toLowerCase() === 'content-type')?.[1];
  const binary = raw.length > 0 && isBinary(contentType, route.binaryMediaTypes ?? []);
  const body = raw.length === 0 ? null : binary ? raw.toString('base64') : raw.toString('utf8');
  const sourceIp = request.sourceIp ?? '127.0.0.1';
  const userAgent = Object.entries(headers).find(([name]) => name.toLowerCase() === 'user-agent')?.[1] ?? null;

  return {
    resource: route.resource,
    path,
    httpMethod: request.method.toUpperCase(),
    headers,
    multiValueHeaders,
    queryStringParameters: hasQuery ? query : null,
    multiValueQueryStringParameters: hasQuery ? multiValueQuery : null,
    pathParameters: null,
    stageVariables: null,
    requestContext: {
      accountId: route.accountId ?? '123456789012',
      apiId: route.apiId ?? 'local',
      authorizer: undefined,
      domainName: headers.Host ?? headers.host ?? 'localhost',
      domainPrefix: 'localhost',
      extendedRequestId: randomUUID(),
      httpMethod: request.method.toUpperCase(),
      identity: {
        accessKey: null,
        accountId: null,
        apiKey: null,
        apiKeyId: null,
        caller: null,
        clientCert: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp,
        user: null,
        userAgent,
        userArn: null,
      },
      path: url.pathname,
      protocol: 'HTTP/1.1',
      requestId: randomUUID(),
      requestTime: requestTime(now),
      requestTimeEpoch: now,
      resourceId: 'local',
      resourcePath: route.resource,
      stage,
    },
    body,
    isBase64Encoded: binary,
  };
}
