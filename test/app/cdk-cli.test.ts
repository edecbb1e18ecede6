/**
 * The deployable app through the real CDK CLI (node_modules/aws-cdk), as the README's Deploy section runs
 * it: the project's cdk.json (feature flags, `app`) in a project directory of the test's own, with the
 * deployer's values in its `context` or on the command line, on a machine without AWS credentials or
 * configuration. Every command gets past the app to the point where AWS credentials are needed; every
 * mistake fails with its message alone. Only CDK's part of the repository's cdk.json is copied, so the tests
 * pass whatever values a deployer keeps there (Deploy step 1). Whether the handler is bundled is told in a
 * fresh copy of the app's sources, which starts without assets/.
 */
import { execFile, execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { type CdkJson, readCdkJson, withoutDeployerValues } from '../support/cdk-json.ts';
import { FLOW_ID, INSTANCE_ARN, INSTANCE_ID, temporaryOutdir } from '../support/construct.ts';
import { freshCopy, REPOSITORY_ROOT as ROOT } from '../support/fresh-copy.ts';

const CDK_CLI = join(ROOT, 'node_modules', 'aws-cdk', 'bin', 'cdk');
const PROJECT_BIN = join(ROOT, 'node_modules', '.bin');
/** What the app needs of a clone: its sources, and package.json, which marks the package's root. */
const APP_SOURCES = ['package.json', 'bin', 'lib', 'lambda', 'client', 'scripts'];
const VALUES = { instanceId: INSTANCE_ID, contactFlowId: FLOW_ID, allowedOrigins: 'https://www.example.com' };
/** What a machine without AWS prints once a command needs an account or credentials. */
const NEEDS_CREDENTIALS = /Unable to resolve AWS account to use|no credentials have been configured/;
/** Node's uncaught-exception dump: a stack frame, or its closing version line. */
const STACK_DUMP = /^\s+at |^Node\.js v\d+/m;

interface CliRun {
  readonly code: number;
  readonly output: string;
  readonly outdir: string;
}

interface CliOptions {
  /** The `context` of the project's cdk.json, beside the flags. */
  readonly context?: Record<string, unknown>;
  readonly env?: Record<string, string>;
  /** The Node that runs the CLI, and PATH's first directories. @default the project's Node, node_modules/.bin first */
  readonly node?: string;
  readonly path?: string;
  /** The cdk.json the project's is made from. @default the repository's, as it is */
  readonly cdkJson?: CdkJson;
  /** Where the app's sources are (its bin/ runs, its assets/ holds the bundle). @default the repository */
  readonly appRoot?: string;
}

/** A project directory with CDK's part of `cdkJson` and these values, its app given by absolute path. */
function project(context: Record<string, unknown>, cdkJson: CdkJson, appRoot: string): string {
  const directory = temporaryOutdir();
  const own = withoutDeployerValues(cdkJson);
  const app = own.app.replace('bin/', `${join(appRoot, 'bin')}/`);
  writeFileSync(join(directory, 'cdk.json'), JSON.stringify({ ...own, app, context: { ...own.context, ...context } }));
  return directory;
}

async function cdk(args: string[], options: CliOptions = {}): Promise<CliRun> {
  const cwd = project(options.context ?? {}, options.cdkJson ?? readCdkJson(), options.appRoot ?? ROOT);
  const outdir = join(cwd, 'cdk.out');
  const home = temporaryOutdir();
  return new Promise((resolve) => {
    execFile(
      options.node ?? process.execPath,
      [CDK_CLI, ...args, '--no-notices', '--output', outdir],
      {
        cwd,
        env: {
          PATH: options.path ?? [PROJECT_BIN, process.env.PATH].join(delimiter),
          HOME: home,
          AWS_EC2_METADATA_DISABLED: 'true',
          CDK_DISABLE_VERSION_CHECK: '1',
          CDK_DISABLE_CLI_TELEMETRY: 'true',
          ...options.env,
        },
        timeout: 120_000,
        maxBuffer: 16 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        resolve({ code, output: `${stdout}\n${stderr}`, outdir });
      },
    );
  });
}

function template(run: CliRun): Record<string, any> {
  return JSON.parse(readFileSync(join(run.outdir, 'StartChatContactApi.template.json'), 'utf8'));
}

function resourcesOf(run: CliRun, type: string): Array<Record<string, any>> {
  return Object.values(template(run).Resources as Record<string, any>).filter((resource) => resource.Type === type);
}

describe('the README’s commands, with the values in cdk.json', () => {
  test('cdk synth: the stack with the construct, cdk-nag clean, every feature flag configured', async () => {
    // Act
    const run = await cdk(['synth', '--quiet'], { context: VALUES, env: { AWS_REGION: 'eu-west-2' } });

    // Assert
    expect(run.code).toBe(0);
    const [fn] = resourcesOf(run, 'AWS::Lambda::Function');
    expect(fn?.Properties.Environment.Variables).toMatchObject({
      CONNECT_INSTANCE_ID: INSTANCE_ID,
      CONNECT_CONTACT_FLOW_ID: FLOW_ID,
      ALLOWED_ORIGINS: 'https://www.example.com',
    });
    expect(template(run).Outputs.ChatUrl.Value['Fn::Join'][1].at(-1)).toBe('/chat');
    const report = JSON.parse(readFileSync(join(run.outdir, 'validation-report.json'), 'utf8'));
    expect(report.pluginReports.flatMap((plugin: { violations?: unknown[] }) => plugin.violations ?? [])).toEqual([]);
    expect(run.output).not.toMatch(/feature flags are not configured/);
    expect(run.output).not.toMatch(/synthesized for us-east-1 only because/);
    // The account's API Gateway CloudWatch role is left alone by default.
    expect(resourcesOf(run, 'AWS::ApiGateway::Account')).toEqual([]);
  });

  test('with the monitoring keys: the alarms, notifying alarmTopicArn, and the dashboard', async () => {
    const topic = 'arn:aws:sns:eu-west-2:123456789012:chat-alarms';
    const run = await cdk(['synth', '--quiet'], {
      context: { ...VALUES, alarmTopicArn: topic, createDashboard: true },
      env: { AWS_REGION: 'eu-west-2' },
    });
    expect(run.code).toBe(0);
    const alarms = resourcesOf(run, 'AWS::CloudWatch::Alarm');
    expect(alarms).toHaveLength(9);
    for (const alarm of alarms) expect(alarm.Properties.AlarmActions).toEqual([topic]);
    expect(resourcesOf(run, 'AWS::CloudWatch::Dashboard')).toHaveLength(1);
  });

  test('with verified identity (the hosted widget’s shared secret): its variables and permission, cdk-nag clean', async () => {
    const secretArn = 'arn:aws:secretsmanager:eu-west-2:123456789012:secret:chat/widget-key-AbCdEf';
    const run = await cdk(['synth', '--quiet'], {
      context: { ...VALUES, identitySource: 'shared-secret', identitySecretArn: secretArn, identityWidgetId: 'w-1' },
      env: { AWS_REGION: 'eu-west-2' },
    });
    expect(run.code).toBe(0);
    const [fn] = resourcesOf(run, 'AWS::Lambda::Function');
    expect(fn?.Properties.Environment.Variables).toMatchObject({
      IDENTITY_SOURCE: 'shared-secret',
      IDENTITY_SECRET_ID: secretArn,
      IDENTITY_WIDGET_ID: 'w-1',
    });
    expect(JSON.stringify(resourcesOf(run, 'AWS::IAM::Role'))).toContain(
      `{"Action":"secretsmanager:GetSecretValue","Effect":"Allow","Resource":"${secretArn}"}`,
    );
    const report = JSON.parse(readFileSync(join(run.outdir, 'validation-report.json'), 'utf8'));
    expect(report.pluginReports.flatMap((plugin: { violations?: unknown[] }) => plugin.violations ?? [])).toEqual([]);
  });

  test.each([
    ['diff', ['diff']],
    ['deploy', ['deploy', '--require-approval', 'never']],
    ['destroy', ['destroy', '--force']],
  ])('cdk %s runs up to the point where AWS credentials are needed', async (_name, args) => {
    const run = await cdk(args, { context: VALUES });
    expect(run.output).toMatch(NEEDS_CREDENTIALS);
    expect(run.output).not.toMatch(/Missing context|Subprocess exited/);
  });

  test('cdk ls lists the stack and leaves the bundle as it is; cdk synth bundles the current sources', async () => {
    // Arrange: a clone whose bundle is not what its sources make.
    const appRoot = freshCopy(APP_SOURCES);
    const bundle = join(appRoot, 'assets', 'start-chat-contact', 'index.mjs');
    const stale = '// a bundle of older sources\n';
    mkdirSync(dirname(bundle), { recursive: true });
    writeFileSync(bundle, stale);

    // Act
    const ls = await cdk(['ls'], { context: VALUES, appRoot });
    const bundleAfterLs = readFileSync(bundle, 'utf8');
    const synth = await cdk(['synth', '--quiet'], { context: VALUES, appRoot, env: { AWS_REGION: 'eu-west-2' } });

    // Assert
    expect(ls.code).toBe(0);
    expect(ls.output.trim().split('\n')).toEqual(['StartChatContactApi']);
    expect(bundleAfterLs.slice(0, 200)).toBe(stale);
    expect(synth.code).toBe(0);
    expect(readFileSync(bundle, 'utf8')).toMatch(/export\s*\{[^}]*as handler\s*\}/);
  });
});

describe('with a deployer’s own values in the repository’s cdk.json (Deploy step 1)', () => {
  // The repository's cdk.json as a deployer edits it: their values, their region and an optional key.
  const repository = readCdkJson();
  const deployers: CdkJson = {
    ...repository,
    context: { ...repository.context, ...VALUES, region: 'eu-west-2', perIpRateLimit: 100 },
  };

  test('the tests take CDK’s part of it only: cdk ls notes the values missing, as on a fresh clone', async () => {
    const run = await cdk(['ls'], { cdkJson: deployers });
    expect(run.code).toBe(0);
    expect(run.output).toContain('Missing context: instanceId, contactFlowId, allowedOrigins');
  });

  test('an offline synth with the test’s values only still says the region is the CLI’s fallback', async () => {
    const run = await cdk(['synth', '--quiet'], { cdkJson: deployers, context: VALUES });
    expect(run.code).toBe(0);
    expect(run.output.replace(/\s+/g, ' ')).toContain('The stack is synthesized for us-east-1 only because');
    expect(run.output).not.toContain('perIpRateLimit');
  });
});

describe('the README’s commands before any value is set (a fresh clone)', () => {
  test.each([
    ['bootstrap', ['bootstrap']],
    ['bootstrap aws://ACCOUNT/REGION', ['bootstrap', 'aws://123456789012/eu-west-2']],
    ['destroy', ['destroy', '--force']],
  ])('cdk %s gets past the app to the point where AWS credentials are needed', async (_name, args) => {
    const run = await cdk(args);
    expect(run.output).toMatch(NEEDS_CREDENTIALS);
    expect(run.output).not.toMatch(/Subprocess exited/);
  });

  test('cdk ls lists the stack, and notes what synth, diff and deploy will need', async () => {
    const run = await cdk(['ls']);
    expect(run.code).toBe(0);
    expect(run.output).toMatch(/^StartChatContactApi$/m);
    expect(run.output).toContain('Missing context: instanceId, contactFlowId, allowedOrigins');
  });

  test('cdk synth says which values are missing and where they go: the message alone, exit code 1', async () => {
    const run = await cdk(['synth', '--quiet'], { context: { contactFlowId: FLOW_ID } });
    expect(run.code).not.toBe(0);
    expect(run.output).toContain(
      'Missing context: instanceId, allowedOrigins. Keep the values in the "context" of cdk.json',
    );
    expect(run.output).not.toMatch(STACK_DUMP);
  });
});

describe('mistakes fail at synth with their message alone, before the handler is bundled', () => {
  test.each([
    [
      'a misspelled optional key on the command line',
      ['-c', 'perIpRatelimit=100'],
      {},
      'did you mean "perIpRateLimit"?',
    ],
    ['a misspelled switch on the command line', ['-c', 'cloudwatchRole=false'], {}, 'did you mean "cloudWatchRole"?'],
    ['a misspelled key in cdk.json', [], { allowedOrigin: 'https://x.example.com' }, 'did you mean "allowedOrigins"?'],
    [
      'a flag that is not true or false',
      ['-c', 'allowPersistentChat=yes'],
      {},
      'Context allowPersistentChat must be true or false',
    ],
    [
      'memory out of Lambda’s range',
      ['-c', 'memorySize=64'],
      {},
      'StartChatContactApi: memorySize must be a whole number from 128 to 10240 (got 64)',
    ],
    [
      'a flow name for its ID',
      ['-c', 'contactFlowId=Sample inbound flow'],
      {},
      'StartChatContactApi: contactFlowId must be a contact flow ID (a UUID',
    ],
    [
      'a stack name CloudFormation refuses',
      ['-c', 'stackName=my stack'],
      {},
      'Context stackName must start with a letter and hold only letters, digits and hyphens, at most 128 characters (got "my stack")',
    ],
    [
      'a secret ARN without the suffix Secrets Manager adds',
      [],
      {
        identitySource: 'shared-secret',
        identitySecretArn: 'arn:aws:secretsmanager:eu-west-2:123456789012:secret:chat/widget-key',
        identityWidgetId: 'w-1',
      },
      'Context identitySecretArn must be the complete ARN of a Secrets Manager secret',
    ],
    [
      'an identity issuer that is not https',
      [],
      {
        identitySource: 'oidc',
        identityIssuer: 'http://login.example.com/',
        identityAudience: 'chat-api',
        identityJwksUri: 'https://login.example.com/jwks.json',
      },
      'StartChatContactApi: identity.issuer must be the https URL the tokens carry in "iss"',
    ],
    [
      'a window that is not a whole number of seconds',
      ['-c', 'perIpRateLimit=100', '-c', 'perIpRateLimitWindowMinutes=0.001'],
      {},
      'StartChatContactApi: perIpRateLimitWindow must be 1, 2, 5 or 10 minutes',
    ],
  ])('%s', async (_name, args, context, message) => {
    // Arrange: a clone with no bundle yet.
    const appRoot = freshCopy(APP_SOURCES);

    // Act
    const run = await cdk(['synth', '--quiet', ...args], { context: { ...VALUES, ...context }, appRoot });

    // Assert
    expect(run.code).not.toBe(0);
    expect(run.output).toContain(message);
    expect(run.output).not.toMatch(STACK_DUMP);
    expect(existsSync(join(appRoot, 'assets'))).toBe(false);
  });

  test('an instance in another account than the stack’s', async () => {
    const appRoot = freshCopy(APP_SOURCES);
    const run = await cdk(['synth', '--quiet'], {
      context: { ...VALUES, instanceId: INSTANCE_ARN, account: '210987654321', region: 'eu-west-2' },
      appRoot,
    });
    expect(run.code).not.toBe(0);
    expect(run.output).toContain(
      'StartChatContactApi: instanceId names an instance in account 123456789012, but the stack deploys to account 210987654321',
    );
    expect(run.output).not.toMatch(STACK_DUMP);
    expect(existsSync(join(appRoot, 'assets'))).toBe(false);
  });
});

describe('warnings at synth', () => {
  test('an instance in another region: synthesized, with a warning naming both regions and the data’s path', async () => {
    const run = await cdk(['synth', '--quiet'], {
      context: { ...VALUES, instanceId: INSTANCE_ARN, account: '123456789012', region: 'us-east-1' },
    });
    expect(run.code).toBe(0);
    expect(run.output.replace(/\s+/g, ' ')).toMatch(
      /instanceId names an instance in eu-west-2, but the stack deploys to us-east-1: .* leaves us-east-1 for eu-west-2/,
    );
  });

  test('an offline synth without a configured region says the region is the CLI’s fallback', async () => {
    const run = await cdk(['synth', '--quiet'], { context: VALUES });
    expect(run.code).toBe(0);
    expect(run.output.replace(/\s+/g, ' ')).toContain(
      'The stack is synthesized for us-east-1 only because no AWS region is configured here',
    );
  });
});

describe('on a Node that cannot run TypeScript (a global cdk, or PATH without node_modules/.bin)', () => {
  const systemNode = ['/usr/local/bin/node', '/usr/bin/node'].find((candidate) => existsSync(candidate));
  const systemPath = '/usr/local/bin:/usr/bin:/bin';
  // The case exists where the machine's Node cannot strip types (this one has Node 20); elsewhere, skipped.
  const oldNode =
    systemNode !== undefined &&
    execFileSync(systemNode, ['-p', 'Boolean(process.features.typescript)'], { encoding: 'utf8' }).trim() === 'false';
  const onOldNode = oldNode ? test : test.skip;

  onOldNode('cdk synth still works: the app runs on the project’s Node 24', async () => {
    const run = await cdk(['synth', '--quiet'], { context: VALUES, node: systemNode, path: systemPath });
    expect(run.code).toBe(0);
    expect(resourcesOf(run, 'AWS::Lambda::Function')).toHaveLength(1);
  });

  onOldNode('without the project’s Node (npm ci --ignore-scripts): says what to do, exit code 1', async () => {
    // Arrange: the launcher in a project whose node_modules has no Node, as after --ignore-scripts.
    const bare = temporaryOutdir();
    mkdirSync(join(bare, 'bin'));
    copyFileSync(join(ROOT, 'bin', 'run-app.mjs'), join(bare, 'bin', 'run-app.mjs'));

    // Act
    const result = await new Promise<{ code: number; stderr: string }>((resolve) =>
      execFile(systemNode!, [join(bare, 'bin', 'run-app.mjs')], { env: { PATH: systemPath } }, (error, _out, stderr) =>
        resolve({ code: error === null ? 0 : Number(error.code), stderr }),
      ),
    );

    // Assert
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('The CDK app runs TypeScript directly, which needs Node.js 22.18 or later');
    expect(result.stderr).toContain('`npx cdk <command>`');
    expect(result.stderr).toContain('run `npm rebuild node`');
  });
});
