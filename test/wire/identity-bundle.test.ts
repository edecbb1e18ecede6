/**
 * The deployed bundle (assets/start-chat-contact/: index.mjs and its chunks), run in a process of its own as
 * Lambda runs it, with identity on: the verifier it loads on first use (jose, and for the shared secret
 * Powertools Parameters with the Secrets Manager client), from chunks that index.mjs imports only through
 * `import()`, works against the stand-ins over their real wire protocols. The StartChatContact request
 * carries exactly the mapped fields. With identity off a cold start loads none of that code.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, expect, test } from '@jest/globals';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { HANDLER_FILE, handlerAssetDirectory } from '../../lib/handler-asset.ts';
import { type ConnectStandIn, startConnectStandIn } from '../../local/connect-stand-in/connect-stand-in.ts';
import {
  DEV_SECRET_NAME,
  type DevIdentityProvider,
  startDevIdentityProvider,
  TEST_CUSTOMER,
} from '../../local/dev-identity-provider.ts';
import { type SecretsManagerStandIn, startSecretsManagerStandIn } from '../../local/secrets-manager-stand-in.ts';
import { bundleGraph } from '../../scripts/bundle-graph.ts';
import { type BundledAnswer, invokeBundledHandler, LOCAL_AWS_CREDENTIALS } from '../support/bundled-handler.ts';
import { verifiedStartRequest } from '../support/expectations.ts';
import { baseEnv, chatEvent, FLOW_ID, INSTANCE_ID } from '../support/handler.ts';
import { temporaryDirectory } from '../support/temporary-directory.ts';
import { bearer } from '../support/tokens.ts';

let workDir: string;
let standIn: ConnectStandIn;

/** Invokes the bundle once per event in one fresh process (one cold container) with this environment. */
function invokeBundle(env: Record<string, string>, events: APIGatewayProxyEvent[]): Promise<BundledAnswer[]> {
  return invokeBundledHandler({
    assetDirectory: handlerAssetDirectory(),
    env: {
      PATH: process.env.PATH,
      ...baseEnv(standIn.url),
      ...env,
      AWS_REGION: 'us-east-1',
      ...LOCAL_AWS_CREDENTIALS,
      POWERTOOLS_LOG_LEVEL: 'SILENT',
    },
    events,
    workDir,
    timeoutMs: 29_000,
  });
}

const request = (headers: Record<string, string> = {}) =>
  chatEvent({ body: { ParticipantDetails: { DisplayName: 'Ada' } }, headers });

/** The code of verified identity, by the source paths a bundle file's source map names. */
const IDENTITY_CODE = {
  jose: /node_modules\/jose\//,
  'the Secrets Manager client': /node_modules\/@aws-sdk\/client-secrets-manager\//,
  'Powertools Parameters': /node_modules\/@aws-lambda-powertools\/parameters\//,
  'the verifier (lambda/identity/verify-token.ts)': /(^|\/)lambda\/identity\/verify-token\.ts$/,
};

/** The source paths of one file of the bundle, from the source map beside it. */
function sourcesOf(file: string): string[] {
  return (JSON.parse(readFileSync(`${file}.map`, 'utf8')) as { sources: string[] }).sources;
}

beforeAll(async () => {
  workDir = temporaryDirectory('chat-identity-bundle-');
  standIn = await startConnectStandIn({ ratePerSecond: false });
});
afterAll(async () => {
  await standIn?.close();
});
beforeEach(() => {
  standIn.reset();
});

test('a cold start loads no identity code: jose, the Secrets Manager client and the verifier are only in chunks loaded through import()', () => {
  // Arrange
  const graph = bundleGraph(join(handlerAssetDirectory(), HANDLER_FILE));

  // Act: which files hold each part, and which of those index.mjs imports statically.
  const placed = Object.entries(IDENTITY_CODE).map(([name, pattern]) => {
    const files = graph.all.filter((file) => sourcesOf(file).some((source) => pattern.test(source)));
    return { name, shipped: files.length > 0, atStart: files.filter((file) => graph.atStart.includes(file)) };
  });

  // Assert
  expect(graph.atStart.length).toBeLessThan(graph.all.length);
  expect(placed).toEqual(Object.keys(IDENTITY_CODE).map((name) => ({ name, shipped: true, atStart: [] })));
});

test('OIDC: a verified chat carries exactly the mapped fields; a bad token and no token behave as documented', async () => {
  // Arrange
  const idp: DevIdentityProvider = await startDevIdentityProvider({ kind: 'oidc' });
  try {
    const token = await idp.issueToken();
    // Act
    const [verified, forged, anonymous] = await invokeBundle(idp.handlerEnvironment(), [
      request(bearer(token)),
      request(bearer(`${token.slice(0, -6)}AAAAAA`)),
      request(),
    ]);
    // Assert
    expect(verified!.statusCode).toBe(200);
    expect(forged!.statusCode).toBe(401);
    expect(forged!.headers?.['WWW-Authenticate']).toBe('Bearer error="invalid_token"');
    expect(anonymous!.statusCode).toBe(200);
    const [first, second] = standIn.startChatCalls();
    expect(first!.body).toEqual(
      verifiedStartRequest({ CustomerId: TEST_CUSTOMER.sub, Attributes: { customerTier: TEST_CUSTOMER.tier } }),
    );
    expect(second!.body).toEqual({
      InstanceId: INSTANCE_ID,
      ContactFlowId: FLOW_ID,
      ParticipantDetails: { DisplayName: 'Ada' },
      ClientToken: expect.any(String),
    });
  } finally {
    await idp.close();
  }
});

test('the shared secret: the key read from Secrets Manager once, through the real SDK, for every request', async () => {
  // Arrange
  const idp = await startDevIdentityProvider({ kind: 'shared-secret' });
  let secrets: SecretsManagerStandIn | undefined;
  try {
    secrets = await startSecretsManagerStandIn({ secrets: { [DEV_SECRET_NAME]: idp.sharedKey } });
    const tokens = [await idp.issueToken(), await idp.issueToken({ sub: 'crm-2' })];
    // Act
    const answers = await invokeBundle(
      { ...idp.handlerEnvironment(), AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.url },
      tokens.map((token) => request(bearer(token))),
    );
    // Assert
    expect(answers.map((answer) => answer.statusCode)).toEqual([200, 200]);
    expect(secrets.calls()).toBe(1);
    const exactly = (CustomerId: string) =>
      verifiedStartRequest({ CustomerId, Attributes: { customerTier: TEST_CUSTOMER.tier } });
    expect(standIn.startChatCalls().map((call) => call.body)).toEqual([exactly(TEST_CUSTOMER.sub), exactly('crm-2')]);
  } finally {
    await secrets?.close();
    await idp.close();
  }
});
