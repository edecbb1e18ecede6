/**
 * The synthesized function behaves as DESIGN.md says: the asset from the cloud assembly, run in a Node
 * process of its own with exactly the environment the template gives the function, against the Connect
 * stand-in. What it forwards to Connect comes from the props; what the props do not allow never reaches
 * Connect.
 */
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { HANDLER_FILE, handlerAssetDirectory } from '../../lib/handler-asset.ts';
import type { StartChatContactApiProps } from '../../lib/index.ts';
import { toApiGatewayProxyEvent } from '../../local/api-gateway-event.ts';
import { type ConnectStandIn, startConnectStandIn } from '../../local/connect-stand-in/connect-stand-in.ts';
import { bundleGraph } from '../../scripts/bundle-graph.ts';
import { filesUnder } from '../../scripts/bundle-handler.ts';
import {
  type BundledAnswer,
  type BundledRun,
  LOCAL_AWS_CREDENTIALS,
  runBundledHandler,
} from '../support/bundled-handler.ts';
import { buildChat, FLOW_ID, INSTANCE_ARN, INSTANCE_ID, ORIGIN, OTHER_FLOW_ID, REGION } from '../support/construct.ts';
import { emfDocuments } from '../support/emf.ts';
import { temporaryDirectory } from '../support/temporary-directory.ts';

interface SynthesizedFunction {
  readonly assetDirectory: string;
  readonly environment: Record<string, string>;
  readonly timeoutMs: number;
  /** The function's logical id, and the construct's metrics resolved in its stack. */
  readonly logicalId: string;
  readonly metrics: Array<{ namespace: string; metricName: string; dimensions: unknown }>;
}

let workDir: string;
let standIn: ConnectStandIn;
let fn: SynthesizedFunction;

const PROPS = {
  instanceId: INSTANCE_ARN,
  allowedContactFlowIds: [OTHER_FLOW_ID],
  allowedAttributeKeys: ['topic'],
  serverAttributes: { channel: 'web' },
  defaultDisplayName: 'Website visitor',
  maxBodyBytes: 2_048,
  metricsNamespace: 'Chat/Test',
};

/** Synthesizes the app as `cdk synth` does and reads the function from the cloud assembly. */
function synthesizeFunction(props: Partial<StartChatContactApiProps> = PROPS): SynthesizedFunction {
  const { app, stack, chat } = buildChat(props, { stageAssets: true });
  const assembly = app.synth();
  const template = assembly.getStackByName('ChatStack').template;
  const [[logicalId, resource]] = Object.entries(template.Resources as Record<string, any>).filter(
    ([, candidate]) => candidate.Type === 'AWS::Lambda::Function',
  ) as [[string, any]];
  const metrics = [
    chat.metricChatsStarted(),
    chat.metricRejected(),
    chat.metricThrottled(),
    chat.metricCapacityExceeded(),
    chat.metricUpstreamErrors(),
    chat.metricInternalErrors(),
    chat.metricConnectAttempts(),
    chat.metricTimeToChat(),
  ].map((metric) => ({
    namespace: metric.namespace,
    metricName: metric.metricName,
    dimensions: stack.resolve(metric.dimensions),
  }));
  // The asset manifest maps the code's S3 key (its hash) to the staged directory, as `cdk deploy` reads it.
  const hash = String(resource.Properties.Code.S3Key).replace(/\.zip$/, '');
  const assets = JSON.parse(readFileSync(join(assembly.directory, 'ChatStack.assets.json'), 'utf8'));
  return {
    assetDirectory: join(assembly.directory, assets.files[hash].source.path),
    environment: resource.Properties.Environment.Variables,
    timeoutMs: resource.Properties.Timeout * 1000,
    logicalId,
    metrics,
  };
}

function chatRequest(body: unknown, options: { origin?: string; url?: string } = {}): APIGatewayProxyEvent {
  const url = options.url ?? '/prod/chat';
  return toApiGatewayProxyEvent(
    {
      method: 'POST',
      url,
      headers: { 'Content-Type': 'text/plain;charset=UTF-8', Origin: options.origin ?? ORIGIN },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    },
    { resource: url === '/prod/' ? '/' : '/chat' },
  );
}

/** Invokes the synthesized function once per event, in one fresh process (one cold container). */
async function invokeFunction(events: APIGatewayProxyEvent[]): Promise<BundledAnswer[]> {
  return (await invokeFunctionWithOutput(events)).answers;
}

/** The same, with what the function wrote to stdout. */
function invokeFunctionWithOutput(events: APIGatewayProxyEvent[]): Promise<BundledRun> {
  return runBundledHandler({
    assetDirectory: fn.assetDirectory,
    env: {
      ...fn.environment,
      AWS_ENDPOINT_URL_CONNECT: standIn.url,
      AWS_REGION: 'us-east-1',
      ...LOCAL_AWS_CREDENTIALS,
      POWERTOOLS_LOG_LEVEL: 'ERROR',
    },
    events,
    workDir,
    timeoutMs: fn.timeoutMs,
  });
}

beforeAll(async () => {
  workDir = temporaryDirectory('chat-asset-');
  fn = synthesizeFunction();
  standIn = await startConnectStandIn({ ratePerSecond: false });
});
afterAll(async () => {
  await standIn?.close();
});
beforeEach(() => {
  standIn.reset();
});

test('the cloud assembly holds the bundle npm run build wrote, every chunk and nothing else; the function has 29 seconds', () => {
  // The entry and every chunk it loads, statically or through import(), as paths relative to the asset.
  const source = handlerAssetDirectory();
  const code = bundleGraph(join(source, HANDLER_FILE)).all.map((file) => relative(source, file));
  expect(code).toContain(HANDLER_FILE);
  expect(code.length).toBeGreaterThan(1);
  // Source maps are off by default (no NODE_OPTIONS), so the maps would never be read: they are left out.
  expect(filesUnder(fn.assetDirectory)).toEqual([...code].sort());
  for (const file of code) {
    expect(readFileSync(join(fn.assetDirectory, file))).toEqual(readFileSync(join(source, file)));
  }
  expect(fn.environment).not.toHaveProperty('NODE_OPTIONS');
  expect(fn.timeoutMs).toBe(29_000);
});

test('with enableSourceMaps the asset holds each file’s source map too, which Node then reads', () => {
  // Act
  const withMaps = synthesizeFunction({ ...PROPS, enableSourceMaps: true });

  // Assert
  const source = handlerAssetDirectory();
  const code = bundleGraph(join(source, HANDLER_FILE)).all.map((file) => relative(source, file));
  expect(filesUnder(withMaps.assetDirectory)).toEqual(code.flatMap((file) => [file, `${file}.map`]).sort());
  for (const file of code) {
    expect(readFileSync(join(withMaps.assetDirectory, `${file}.map`))).toEqual(
      readFileSync(join(source, `${file}.map`)),
    );
  }
  expect(withMaps.environment.NODE_OPTIONS).toBe('--enable-source-maps');
  expect(withMaps.assetDirectory).not.toBe(fn.assetDirectory);
});

describe('with the template’s environment', () => {
  test('starts chats in the configured instance and flows, with the server’s attributes and default name', async () => {
    // Act
    const [first, second, android] = await invokeFunction([
      chatRequest({ Attributes: { topic: 'billing' } }),
      chatRequest({ ContactFlowId: OTHER_FLOW_ID, ParticipantDetails: { DisplayName: 'Ada' } }),
      chatRequest({ ParticipantDetails: { DisplayName: 'Ada' } }, { url: '/prod/' }),
    ]);

    // Assert: what the client gets
    for (const answer of [first!, second!, android!]) {
      expect(answer.statusCode).toBe(200);
      expect(answer.json.data.startChatResult.ContactId).toEqual(expect.any(String));
      expect(answer.json.data.startChatResult.ParticipantToken).toEqual(expect.any(String));
      expect(answer.headers?.['Access-Control-Allow-Origin']).toBe(ORIGIN);
    }
    // Assert: what Connect receives
    const calls = standIn.startChatCalls();
    expect(calls.map((call) => call.body?.InstanceId)).toEqual([INSTANCE_ID, INSTANCE_ID, INSTANCE_ID]);
    expect(calls.map((call) => call.body?.ContactFlowId)).toEqual([FLOW_ID, OTHER_FLOW_ID, FLOW_ID]);
    expect(calls[0]!.body).toMatchObject({
      ParticipantDetails: { DisplayName: 'Website visitor' },
      Attributes: { topic: 'billing', channel: 'web' },
    });
    // The instance ARN's region is the one the function signs for.
    expect(String(calls[0]!.headers.authorization)).toContain(`/${REGION}/connect/aws4_request`);
  });

  test('refuses a flow, an origin, an attribute and a body size the props do not allow, without calling Connect', async () => {
    // Act
    const [flow, origin, attribute, tooLarge] = await invokeFunction([
      chatRequest({ ContactFlowId: 'ffffffff-ffff-4fff-8fff-ffffffffffff' }),
      chatRequest({ ParticipantDetails: { DisplayName: 'Ada' } }, { origin: 'https://evil.example' }),
      chatRequest({ Attributes: { vip: 'true' } }),
      chatRequest({ ParticipantDetails: { DisplayName: 'x'.repeat(3_000) } }),
    ]);

    // Assert
    expect([flow, origin, attribute, tooLarge].map((answer) => [answer!.statusCode, answer!.json.error.code])).toEqual([
      [400, 'VALIDATION_ERROR'],
      [403, 'ORIGIN_NOT_ALLOWED'],
      [400, 'VALIDATION_ERROR'],
      [413, 'PAYLOAD_TOO_LARGE'],
    ]);
    expect(flow!.json.error.details.map((detail: { field: string }) => detail.field)).toContain('ContactFlowId');
    expect(attribute!.json.error.details.map((detail: { field: string }) => detail.field)).toContain('Attributes.vip');
    expect(origin!.headers?.['Access-Control-Allow-Origin']).toBeUndefined();
    expect(standIn.startChatCalls()).toHaveLength(0);
  });
});

test('writes the metrics the construct’s metric methods read, as bare stdout lines (console.* would get Lambda’s prefix): namespace, names and the FunctionName dimension', async () => {
  // Act: a started chat (every metric but none of the failures' values) and a refused one.
  const { answers, stdout } = await invokeFunctionWithOutput([
    chatRequest({ ParticipantDetails: { DisplayName: 'Ada' } }),
    chatRequest({ Unknown: true }),
  ]);

  // Assert
  expect(answers.map((answer) => answer.statusCode)).toEqual([200, 400]);
  // Straight to stdout: the runner's console prefixes its lines as Lambda's does, which EMF would not survive.
  const emfLines = stdout.split('\n').filter((line) => line.includes('"_aws"'));
  expect(emfLines).toHaveLength(2);
  for (const line of emfLines) expect(line).toMatch(/^\{"_aws":/);
  const lines = stdout.split('\n').filter((line) => line.startsWith('{'));
  const documents = emfDocuments({ records: () => lines.map((line) => JSON.parse(line)) });
  expect(documents).toHaveLength(2);
  const written = new Set(documents.flatMap((document) => Object.keys(document.values)));
  for (const metric of fn.metrics) {
    expect(written).toContain(metric.metricName);
    expect(metric.namespace).toBe(documents[0]!.namespace);
    // The construct's dimension is the function's name (a Ref to it), which Lambda passes as context.functionName.
    expect(metric.dimensions).toEqual({ [documents[0]!.dimensionSets[0]![0]!]: { Ref: fn.logicalId } });
  }
  expect(documents[0]!.namespace).toBe('Chat/Test');
  expect(documents[0]!.dimensions.FunctionName).toBe('start-chat-contact');
});
