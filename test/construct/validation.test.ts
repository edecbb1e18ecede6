/**
 * Bad props fail before anything is built, each with a plain `Error` that names the prop, shows the value
 * and says what is allowed. One case per rule.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { App, CfnParameter, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { EndpointType, RestApi } from 'aws-cdk-lib/aws-apigateway';
import { handlerAssetDirectory } from '../../lib/handler-asset.ts';
import { StartChatContactApi, type StartChatContactApiProps } from '../../lib/index.ts';
import {
  FLOW_ID,
  INSTANCE_ARN,
  INSTANCE_ID,
  OTHER_FLOW_ID,
  REQUIRED_PROPS,
  temporaryOutdir,
  testApp,
} from '../support/construct.ts';

const OTHER_INSTANCE = '99999999-2222-4333-8444-555555555555';

type PropsChange = Partial<StartChatContactApiProps> | ((stack: Stack) => Partial<StartChatContactApiProps>);

function construct(change: PropsChange): () => void {
  return () => {
    const stack = new Stack(testApp(), 'S');
    const props = typeof change === 'function' ? change(stack) : change;
    new StartChatContactApi(stack, 'Chat', { ...REQUIRED_PROPS, ...props });
  };
}

function captureError(run: () => void): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the props to be refused');
}

const cases: Array<[string, PropsChange, RegExp]> = [
  [
    'instanceId that is neither an ID nor an instance ARN',
    { instanceId: 'my instance' },
    /instanceId must be an Amazon Connect instance ID .* or an instance ARN such as "arn:aws:connect:.*" \(got "my instance"\)/,
  ],
  [
    'contactFlowId that is neither an ID nor a contact flow ARN',
    { contactFlowId: `${INSTANCE_ARN}/queue/${FLOW_ID}` },
    /contactFlowId must be a contact flow ID .* or a contact flow ARN .*\(got ".*\/queue\/.*"\)/,
  ],
  [
    'allowedContactFlowIds with a malformed flow',
    { allowedContactFlowIds: [OTHER_FLOW_ID, 'not ok'] },
    /allowedContactFlowIds must be a contact flow ID .*\(got "not ok"\)/,
  ],
  [
    'an instance ID that is not a UUID, as Connect’s are',
    { instanceId: 'my-chat-instance' },
    /instanceId must be an Amazon Connect instance ID \(a UUID such as "11111111-2222-4333-8444-555555555555".*\(got "my-chat-instance"\)/,
  ],
  [
    'an instance ARN whose ID is not a UUID',
    { instanceId: 'arn:aws:connect:eu-west-2:123456789012:instance/my-chat-instance' },
    /instanceId must be an Amazon Connect instance ID \(a UUID/,
  ],
  [
    'a contact flow’s name pasted as its ID',
    { contactFlowId: 'Sample_inbound_flow' },
    /contactFlowId must be a contact flow ID \(a UUID such as .*\), not the flow's name, or a contact flow ARN .*\(got "Sample_inbound_flow"\)/,
  ],
  [
    'a contact flow ID cut short',
    { contactFlowId: FLOW_ID.slice(0, -1) },
    /contactFlowId must be a contact flow ID \(a UUID/,
  ],
  [
    'an allowed flow given by name',
    { allowedContactFlowIds: ['Sales'] },
    /allowedContactFlowIds must be a contact flow ID \(a UUID.*\(got "Sales"\)/,
  ],
  [
    'a contact flow ARN of another instance',
    { contactFlowId: `arn:aws:connect:eu-west-2:123456789012:instance/${OTHER_INSTANCE}/contact-flow/${FLOW_ID}` },
    new RegExp(`contactFlowId must be a contact flow of the instance "${INSTANCE_ID}" given in instanceId`),
  ],
  [
    'ARNs that place the instance in two regions',
    {
      instanceId: INSTANCE_ARN,
      allowedContactFlowIds: [`arn:aws:connect:us-east-1:123456789012:instance/${INSTANCE_ID}/contact-flow/${FLOW_ID}`],
    },
    /allowedContactFlowIds must name the same partition, region and account as instanceId/,
  ],
  [
    '"*" among origins',
    { allowedOrigins: ['*', 'https://www.example.com'] },
    /allowedOrigins must be \["\*"\] alone or a list of origins/,
  ],
  [
    'an origin with a path',
    { allowedOrigins: ['https://www.example.com/chat'] },
    /allowedOrigins must hold origins like "https:\/\/www.example.com" .*\(got "https:\/\/www.example.com\/chat"\)/,
  ],
  [
    'origins only known at deploy time',
    (stack) => ({ allowedOrigins: new CfnParameter(stack, 'Origins', { type: 'CommaDelimitedList' }).valueAsList }),
    /allowedOrigins must be a list known at synth time/,
  ],
  [
    'an attribute key clients may set with a space',
    { allowedAttributeKeys: ['topic', 'my key'] },
    /allowedAttributeKeys must hold keys of letters, digits, "-" and "_" only \(got "my key"\)/,
  ],
  [
    'a server attribute key with a dot',
    { serverAttributes: { 'web.channel': 'chat' } },
    /serverAttributes must have keys of letters, digits, "-" and "_" only \(got "web.channel"\)/,
  ],
  [
    'a server attribute that is not a string',
    { serverAttributes: { tier: 1 as unknown as string } },
    /serverAttributes.tier must be a string, as Connect attributes are \(got 1\)/,
  ],
  [
    'a chat duration cap under Connect’s minimum',
    { maxChatDurationMinutes: 59 },
    /maxChatDurationMinutes must be a whole number from 60 to 10080 \(got 59\)/,
  ],
  [
    'a default display name with a control character',
    { defaultDisplayName: 'Visitor\u0007' },
    /defaultDisplayName must be 1-256 characters after trimming, without control characters/,
  ],
  [
    'a body limit under 1 KiB',
    { maxBodyBytes: 512 },
    /maxBodyBytes must be a whole number from 1024 to 10485760 \(got 512\)/,
  ],
  [
    'a retry budget past API Gateway’s 29 seconds',
    { retryBudget: Duration.seconds(30) },
    /retryBudget must be from 1 to 29 seconds .*\(got 30 seconds\)/,
  ],
  [
    'a retry budget that is not a whole number of milliseconds',
    { retryBudget: Duration.millis(1500.5) },
    /retryBudget must be from 1 to 29 seconds in whole milliseconds .*\(got 1 second 500\.5 millis\)/,
  ],
  [
    'a path with a path parameter',
    { path: 'chat/{id}' },
    /path must be segments of letters, digits, ".", "_" and "-" separated by "\/".*\(got "chat\/\{id\}"\)/,
  ],
  [
    'stage props with an existing API',
    (stack) => {
      const restApi = new RestApi(stack, 'Existing', { cloudWatchRole: false });
      restApi.root.addMethod('GET');
      return {
        restApi,
        throttlingRateLimit: 10,
        webAclArn: 'arn:aws:wafv2:eu-west-2:123456789012:regional/webacl/a/b',
      };
    },
    /throttlingRateLimit, webAclArn configure the stage of an API this construct defines; with restApi, set them on that API's stage instead/,
  ],
  [
    'an empty REST API name',
    { restApiName: ' ' },
    /restApiName must not be empty: API Gateway needs a name \(got " "\)/,
  ],
  [
    'a REST API name with an existing API',
    (stack) => {
      const restApi = new RestApi(stack, 'Existing', { cloudWatchRole: false });
      restApi.root.addMethod('GET');
      return { restApi, restApiName: 'renamed' };
    },
    /restApiName configure the stage of an API this construct defines; .*\(restApiName: the API keeps its own name\)/,
  ],
  [
    'a private endpoint',
    { endpointType: EndpointType.PRIVATE },
    /endpointType must be REGIONAL or EDGE; for a private API define the RestApi yourself/,
  ],
  [
    'a throttling rate of 0',
    { throttlingRateLimit: 0 },
    /throttlingRateLimit must be a number of requests per second above 0 \(got 0\)/,
  ],
  [
    'a throttling burst of 0',
    { throttlingBurstLimit: 0 },
    /throttlingBurstLimit must be a whole number from 1 to 5000 \(got 0\)/,
  ],
  [
    'a per-IP limit and an existing web ACL together',
    { perIpRateLimit: 100, webAclArn: 'arn:aws:wafv2:eu-west-2:123456789012:regional/webacl/a/b' },
    /perIpRateLimit and webAclArn cannot both be set: a stage has one web ACL/,
  ],
  [
    'a per-IP window without a per-IP limit',
    { perIpRateLimitWindow: Duration.minutes(5) },
    /perIpRateLimitWindow needs perIpRateLimit, the limit it counts for \(got 5 minutes\)/,
  ],
  [
    'a web ACL ARN of CloudFront’s global scope',
    { webAclArn: 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/a/b' },
    /webAclArn must be the ARN of a regional AWS WAF web ACL/,
  ],
  [
    'a per-IP limit under AWS WAF’s minimum',
    { perIpRateLimit: 5 },
    /perIpRateLimit must be a whole number from 10 to 2000000000 \(got 5\)/,
  ],
  [
    'a per-IP window AWS WAF does not offer',
    { perIpRateLimit: 100, perIpRateLimitWindow: Duration.minutes(3) },
    /perIpRateLimitWindow must be 1, 2, 5 or 10 minutes, the windows AWS WAF offers \(got 3 minutes\)/,
  ],
  [
    'a per-IP window that is not a whole number of seconds',
    { perIpRateLimit: 100, perIpRateLimitWindow: Duration.minutes(0.001) },
    /perIpRateLimitWindow must be 1, 2, 5 or 10 minutes, the windows AWS WAF offers \(got 60 millis\)/,
  ],
  [
    'an unknown log level',
    { logLevel: 'verbose' },
    /logLevel must be one of TRACE, DEBUG, INFO, WARN, ERROR, CRITICAL, SILENT \(got "verbose"\)/,
  ],
  [
    'memory under Lambda’s 128 MB',
    { memorySize: 64 },
    /memorySize must be a whole number from 128 to 10240 \(got 64\)/,
  ],
  [
    'memory over Lambda’s 10,240 MB',
    { memorySize: 10_241 },
    /memorySize must be a whole number from 128 to 10240 \(got 10241\)/,
  ],
  [
    'memory that is not a whole number of MB',
    { memorySize: 512.5 },
    /memorySize must be a whole number from 128 to 10240 \(got 512.5\)/,
  ],
  [
    'a negative reserved concurrency',
    { reservedConcurrentExecutions: -1 },
    /reservedConcurrentExecutions must be a whole number of at least 1 .*\(got -1\)/,
  ],
  [
    'a reserved concurrency of 0, which stops the function',
    { reservedConcurrentExecutions: 0 },
    /reservedConcurrentExecutions must be a whole number of at least 1 .*0 would stop the function from running at all, and leaving it unset means no reservation \(got 0\)/,
  ],
  [
    'a reserved concurrency that is not a whole number',
    { reservedConcurrentExecutions: 2.5 },
    /reservedConcurrentExecutions must be a whole number of at least 1 .*\(got 2.5\)/,
  ],
  [
    'a burst too small to share among the chat routes',
    { throttlingBurstLimit: 1 },
    /throttlingBurstLimit must be at least 2: the burst is shared among the 2 chat routes \(\/chat, \/\), one request each at least; raise it, or set serveStageRoot: false \(got 1\)/,
  ],
  [
    'throttling known only at deploy time, with two chat routes to share it',
    (stack) => ({ throttlingRateLimit: new CfnParameter(stack, 'Rate', { type: 'Number' }).valueAsNumber }),
    /throttlingRateLimit and throttlingBurstLimit must be known at synth when the API serves several chat routes/,
  ],
  [
    'settings that overflow Lambda’s 4 KB of environment variables',
    { serverAttributes: { note: 'x'.repeat(4_000) } },
    /serverAttributes, allowedAttributeKeys, allowedContactFlowIds and allowedOrigins must fit in Lambda's 4096-byte limit/,
  ],
];

describe('refuses', () => {
  test.each(cases)('%s', (_name, change, message) => {
    // Act
    const error = captureError(construct(change));
    // Assert
    expect(error.constructor).toBe(Error);
    expect(error.message).toMatch(/^StartChatContactApi: /);
    expect(error.message).toMatch(message);
  });
});

test('the rules are checked before anything is built', () => {
  const stack = new Stack(new App({ outdir: temporaryOutdir() }));
  expect(() => new StartChatContactApi(stack, 'Chat', { ...REQUIRED_PROPS, instanceId: 'bad id' })).toThrow();
  const chat = stack.node.tryFindChild('Chat');
  expect(chat?.node.children ?? []).toHaveLength(0);
});

test('a package without the bundled handler says to build it', () => {
  const root = mkdtempSync(join(tmpdir(), 'no-bundle-'));
  try {
    expect(() => handlerAssetDirectory(root)).toThrow(/bundled handler .*index\.mjs is missing\. Run `npm run build`/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('the boundaries themselves are allowed', () => {
  expect(
    construct({
      maxChatDurationMinutes: 10_080,
      maxBodyBytes: 1_024,
      retryBudget: Duration.seconds(29),
      perIpRateLimit: 10,
      perIpRateLimitWindow: Duration.minutes(1),
      defaultDisplayName: 'é'.repeat(256),
      path: 'v1.0/chat_start-now',
      allowedOrigins: ['http://localhost:3000', 'https://[::1]:8443'],
      memorySize: 10_240,
      reservedConcurrentExecutions: 1,
    }),
  ).not.toThrow();
  expect(construct({ memorySize: 128, throttlingBurstLimit: 2 })).not.toThrow();
  expect(construct({ throttlingBurstLimit: 1, serveStageRoot: false })).not.toThrow();
  expect(construct({ instanceId: INSTANCE_ID.toUpperCase() })).not.toThrow();
});

describe('the instance against the stack’s account and region', () => {
  const OTHER_ACCOUNT = '210987654321';

  function inStack(env: { account?: string; region?: string }, props: Partial<StartChatContactApiProps>): Stack {
    const stack = new Stack(testApp(), 'S', { env });
    new StartChatContactApi(stack, 'Chat', { ...REQUIRED_PROPS, ...props });
    return stack;
  }

  /** The cross-region warnings (the alarms may warn about other things). */
  function warnings(stack: Stack): string[] {
    return Annotations.fromStack(stack)
      .findWarning('*', Match.stringLikeRegexp('names an instance in'))
      .map((warning) => String(warning.entry.data));
  }

  test('an instance in another account than the stack’s: refused at synth, naming both accounts and the fix', () => {
    const error = captureError(() =>
      inStack({ account: OTHER_ACCOUNT, region: 'eu-west-2' }, { instanceId: INSTANCE_ARN }),
    );
    expect(error.message).toMatch(
      /^StartChatContactApi: instanceId names an instance in account 123456789012, but the stack deploys to account 210987654321: the function cannot start chats in another account's instance .*Deploy the stack in account 123456789012/,
    );
  });

  test('a contact flow ARN in another account: refused, naming contactFlowId', () => {
    const flowArn = `arn:aws:connect:eu-west-2:${OTHER_ACCOUNT}:instance/${INSTANCE_ID}/contact-flow/${FLOW_ID}`;
    const error = captureError(() => inStack({ account: '123456789012' }, { contactFlowId: flowArn }));
    expect(error.message).toMatch(/^StartChatContactApi: contactFlowId names an instance in account 210987654321/);
  });

  test('an instance in another region: synthesized, with a warning naming both regions and where the data goes', () => {
    const stack = inStack({ account: '123456789012', region: 'us-east-1' }, { instanceId: INSTANCE_ARN });
    const messages = warnings(stack);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(
      /instanceId names an instance in eu-west-2, but the stack deploys to us-east-1: .*every chat request \(display names, first messages, attributes\) leaves us-east-1 for eu-west-2\. Where customers' data must stay in one region, deploy the stack in eu-west-2/,
    );
  });

  test('the same account and region, or a stack whose environment is decided at deploy time: no warning', () => {
    expect(warnings(inStack({ account: '123456789012', region: 'eu-west-2' }, { instanceId: INSTANCE_ARN }))).toEqual(
      [],
    );
    expect(warnings(inStack({}, { instanceId: INSTANCE_ARN }))).toEqual([]);
    expect(warnings(inStack({ account: OTHER_ACCOUNT, region: 'us-east-1' }, { instanceId: INSTANCE_ID }))).toEqual([]);
  });
});
