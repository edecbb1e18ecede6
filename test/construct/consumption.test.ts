/**
 * A project that installs this package synths a stack that uses the construct, with no Docker and nothing
 * beyond what the README says: `npm pack` (whose prepack builds the bundle and the library), then a fresh
 * project installs the tarball with aws-cdk-lib and constructs and synthesizes, as an ES module and as
 * CommonJS (`require()` of an ES module, Node >= 20.19), and type-checks its TypeScript against the
 * package's declarations.
 *
 * The package is packed from a copy of its sources, so building it cannot disturb the bundle that other
 * tests of this run are reading.
 */
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { FLOW_ID, INSTANCE_ID } from '../support/construct.ts';

const execFileAsync = promisify(execFile);
const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** The sources `npm pack` needs to build the package (see package.json "files" and "build"). */
const PACKAGE_SOURCES = [
  'package.json',
  'README.md',
  'tsconfig.json',
  'tsconfig.build.json',
  'lib',
  'lambda',
  'scripts',
];
/** Packing and installing take 20-90 s; each synth or type check a few seconds, more on a busy machine. */
const SETUP_TIMEOUT_MS = 300_000;
const TEST_TIMEOUT_MS = 120_000;

let workDir: string;
let consumerDir: string;

async function run(command: string, args: string[], cwd: string): Promise<string> {
  try {
    const { stdout } = await execFileAsync(command, args, {
      cwd,
      env: { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' },
      timeout: SETUP_TIMEOUT_MS,
      maxBuffer: 64 * 1024 * 1024,
    });
    return stdout;
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(' ')} failed in ${cwd}\n${stdout ?? ''}\n${stderr ?? ''}`);
  }
}

/** Packs a copy of the package's sources; returns the tarball's path. */
async function packPackage(): Promise<string> {
  const packageDir = join(workDir, 'package');
  mkdirSync(packageDir);
  for (const source of PACKAGE_SOURCES)
    cpSync(join(PROJECT_ROOT, source), join(packageDir, source), { recursive: true });
  symlinkSync(join(PROJECT_ROOT, 'node_modules'), join(packageDir, 'node_modules'), 'dir');
  const output = await run('npm', ['pack', '--pack-destination', workDir], packageDir);
  const tarball = output.trim().split('\n').at(-1)!.trim();
  return join(workDir, tarball);
}

const PROPS = `{
  instanceId: '${INSTANCE_ID}',
  contactFlowId: '${FLOW_ID}',
  allowedOrigins: ['https://www.example.com'],
}`;

const ESM_APP = `import { App, Stack } from 'aws-cdk-lib';
import { StartChatContactApi } from 'start-chat-contact-api';

const app = new App({ outdir: 'cdk.out.esm' });
const stack = new Stack(app, 'Consumer');
new StartChatContactApi(stack, 'Chat', ${PROPS});
app.synth();
`;

const CJS_APP = `const { App, Stack } = require('aws-cdk-lib');
const { StartChatContactApi } = require('start-chat-contact-api');

const app = new App({ outdir: 'cdk.out.cjs' });
const stack = new Stack(app, 'Consumer');
new StartChatContactApi(stack, 'Chat', ${PROPS});
app.synth();
`;

const TS_APP = `import { App, Stack } from 'aws-cdk-lib';
import { StartChatContactApi, type StartChatContactApiProps } from 'start-chat-contact-api';

const props: StartChatContactApiProps = ${PROPS};
const chat = new StartChatContactApi(new Stack(new App(), 'Consumer'), 'Chat', props);
export const url: string = chat.url;
export const functionName: string = chat.handler.functionName;
// @ts-expect-error instanceId is a string: the package's types must reach the consumer, not any.
export const wrong: StartChatContactApiProps = { ...props, instanceId: 42 };
`;

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'chat-consumer-'));
  const tarball = await packPackage();
  consumerDir = join(workDir, 'consumer');
  mkdirSync(consumerDir);
  writeFileSync(join(consumerDir, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  await run(
    'npm',
    ['install', tarball, 'aws-cdk-lib@2.276.0', 'constructs@10.8.1', '--prefer-offline', '--no-audit', '--no-fund'],
    consumerDir,
  );
  writeFileSync(join(consumerDir, 'app.mjs'), ESM_APP);
  writeFileSync(join(consumerDir, 'app.cjs'), CJS_APP);
  writeFileSync(join(consumerDir, 'app.ts'), TS_APP);
}, SETUP_TIMEOUT_MS);

afterAll(() => {
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

test('the tarball holds the library, its types and the bundled handler, and nothing of the sources', () => {
  const installed = join(consumerDir, 'node_modules', 'start-chat-contact-api');
  for (const file of ['dist/index.js', 'dist/index.d.ts', 'assets/start-chat-contact/index.mjs', 'README.md']) {
    expect(existsSync(join(installed, file))).toBe(true);
  }
  for (const absent of ['lib', 'lambda', 'scripts', 'test']) expect(existsSync(join(installed, absent))).toBe(false);
  const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8'));
  expect(manifest.peerDependencies).toEqual({ 'aws-cdk-lib': '^2.257.0', constructs: '^10.5.1' });
  expect(manifest.dependencies).toBeUndefined();
});

describe('a project that installed the package synthesizes, without Docker', () => {
  test.each([
    ['as an ES module', 'app.mjs', 'cdk.out.esm'],
    ['as CommonJS', 'app.cjs', 'cdk.out.cjs'],
  ])(
    '%s',
    async (_name, script, outdir) => {
      // Act: no Docker on PATH, no AWS credentials.
      await execFileAsync(process.execPath, [script], {
        cwd: consumerDir,
        env: { PATH: '/nonexistent', AWS_EC2_METADATA_DISABLED: 'true' },
        timeout: 120_000,
      });

      // Assert
      const template = JSON.parse(readFileSync(join(consumerDir, outdir, 'Consumer.template.json'), 'utf8'));
      const functions = Object.values(template.Resources as Record<string, any>).filter(
        (resource) => resource.Type === 'AWS::Lambda::Function',
      );
      expect(functions).toHaveLength(1);
      expect(functions[0].Properties).toMatchObject({
        Runtime: 'nodejs24.x',
        Handler: 'index.handler',
        Architectures: ['arm64'],
        Environment: { Variables: expect.objectContaining({ CONNECT_INSTANCE_ID: INSTANCE_ID }) },
      });
      const hash = String(functions[0].Properties.Code.S3Key).replace(/\.zip$/, '');
      const assets = JSON.parse(readFileSync(join(consumerDir, outdir, 'Consumer.assets.json'), 'utf8'));
      expect(existsSync(join(consumerDir, outdir, assets.files[hash].source.path, 'index.mjs'))).toBe(true);
    },
    TEST_TIMEOUT_MS,
  );

  test(
    'and its TypeScript type-checks against the package’s declarations',
    async () => {
      writeFileSync(
        join(consumerDir, 'tsconfig.json'),
        JSON.stringify({
          compilerOptions: {
            module: 'nodenext',
            moduleResolution: 'nodenext',
            target: 'es2022',
            strict: true,
            noEmit: true,
            skipLibCheck: true,
            types: [],
          },
          files: ['app.ts'],
        }),
      );
      const tsc = join(PROJECT_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
      await run(process.execPath, [tsc, '-p', 'tsconfig.json'], consumerDir);
    },
    TEST_TIMEOUT_MS,
  );
});
