/**
 * A local stand-in for AWS Secrets Manager's `GetSecretValue`, speaking the real awsJson1.1 wire protocol
 * (`POST /` with `X-Amz-Target: secretsmanager.GetSecretValue`), so the real SDK, through Powertools
 * Parameters, reads the shared identity secret from it via `AWS_ENDPOINT_URL_SECRETS_MANAGER`. It serves
 * `npm start` with the shared-secret identity source, and the tests.
 *
 * A secret is found by its name, its full ARN, or its ARN without the random suffix, as Secrets Manager
 * finds it. Errors carry `__type` and `message` in the body, as the service sends them. Tests can change a
 * secret (a rotation), make the service fail or hang, and count the calls.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { closeServer, listen } from './listen.ts';
import { readText } from './read-body.ts';

export const STAND_IN_ACCOUNT = '123456789012';

export interface SecretsManagerStandInOptions {
  /** Port on 127.0.0.1; 0 picks a free one. @default 0 */
  readonly port?: number;
  /** @default 'us-east-1' */
  readonly region?: string;
  /** Secrets to hold from the start: name → SecretString. */
  readonly secrets?: Readonly<Record<string, string>>;
}

/** What the next GetSecretValue calls do instead of answering normally, one per call. */
export type SecretsOutcome = { readonly error: string; readonly status?: number } | { readonly hang: true };

export interface SecretsManagerStandIn {
  /** Base URL for `AWS_ENDPOINT_URL_SECRETS_MANAGER`. */
  readonly url: string;
  /** Creates or replaces a secret's value (a new version); returns its full ARN. */
  putSecret(name: string, value: string): string;
  /** The full ARN of a secret it holds. */
  arnOf(name: string): string;
  /** GetSecretValue calls received. */
  calls(): number;
  /** Queues outcomes for the next calls. */
  script(...outcomes: SecretsOutcome[]): void;
  close(): Promise<void>;
}

interface StoredSecret {
  readonly name: string;
  readonly arn: string;
  value: string;
  versionId: string;
}

export async function startSecretsManagerStandIn(
  options: SecretsManagerStandInOptions = {},
): Promise<SecretsManagerStandIn> {
  const region = options.region ?? 'us-east-1';
  const secrets = new Map<string, StoredSecret>();
  const scripted: SecretsOutcome[] = [];
  const hanging = new Set<ServerResponse>();
  let calls = 0;

  const putSecret = (name: string, value: string): string => {
    const existing = secrets.get(name);
    if (existing) {
      existing.value = value;
      existing.versionId = randomUUID();
      return existing.arn;
    }
    // Secrets Manager appends six random characters to a secret's ARN.
    const suffix = randomBytes(6).toString('base64url').slice(0, 6);
    const arn = `arn:aws:secretsmanager:${region}:${STAND_IN_ACCOUNT}:secret:${name}-${suffix}`;
    secrets.set(name, { name, arn, value, versionId: randomUUID() });
    return arn;
  };
  for (const [name, value] of Object.entries(options.secrets ?? {})) putSecret(name, value);

  const find = (id: string): StoredSecret | undefined => {
    for (const secret of secrets.values()) {
      if (id === secret.name || id === secret.arn || id === secret.arn.slice(0, -7)) return secret;
    }
    return undefined;
  };

  const send = (response: ServerResponse, status: number, body: unknown) => {
    const payload = JSON.stringify(body);
    response.writeHead(status, {
      'Content-Type': 'application/x-amz-json-1.1',
      'Content-Length': Buffer.byteLength(payload),
      'x-amzn-RequestId': randomUUID(),
    });
    response.end(payload);
  };
  const sendError = (response: ServerResponse, type: string, message: string, status = 400) =>
    send(response, status, { __type: type, message });

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const text = await readText(request);
    const target = String(request.headers['x-amz-target'] ?? '');
    if (request.method !== 'POST' || target !== 'secretsmanager.GetSecretValue') {
      return sendError(response, 'UnknownOperationException', 'Only GetSecretValue is served here');
    }
    calls++;
    const outcome = scripted.shift();
    if (outcome && 'hang' in outcome) {
      hanging.add(response);
      response.on('close', () => hanging.delete(response));
      return;
    }
    if (outcome) return sendError(response, outcome.error, `Scripted ${outcome.error}`, outcome.status ?? 500);
    if (!String(request.headers.authorization ?? '').startsWith('AWS4-HMAC-SHA256 ')) {
      return sendError(response, 'MissingAuthenticationTokenException', 'Missing Authentication Token', 403);
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return sendError(response, 'SerializationException', 'The body is not JSON');
    }
    const id = (body as { SecretId?: unknown } | null)?.SecretId;
    const secret = typeof id === 'string' ? find(id) : undefined;
    if (secret === undefined) {
      return sendError(response, 'ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
    }
    send(response, 200, {
      ARN: secret.arn,
      Name: secret.name,
      VersionId: secret.versionId,
      SecretString: secret.value,
      VersionStages: ['AWSCURRENT'],
      CreatedDate: Math.floor(Date.now() / 1000),
    });
  };

  const server = createServer((request, response) => {
    handle(request, response).catch(() => {
      if (!response.headersSent) response.writeHead(500).end();
    });
  });
  const port = await listen(server, options.port ?? 0, '127.0.0.1', 'the Secrets Manager stand-in');

  return {
    url: `http://127.0.0.1:${port}`,
    putSecret,
    arnOf: (name) => {
      const secret = secrets.get(name);
      if (secret === undefined) throw new Error(`no secret named ${name}`);
      return secret.arn;
    },
    calls: () => calls,
    script: (...outcomes) => {
      scripted.push(...outcomes);
    },
    close: async () => {
      for (const response of hanging) response.destroy();
      await closeServer(server);
    },
  };
}
