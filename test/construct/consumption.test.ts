/**
 * The package as someone else's CDK app gets it, by the route the README gives: `npm pack` (whose prepack
 * builds the bundle and the library), then `npm install` of the tarball with aws-cdk-lib and constructs
 * into a fresh app. One tarball and one install serve every check:
 *
 * - the tarball's contents: the library, CommonJS declarations without `.ts` specifiers, the handler (index.mjs
 *   and every chunk it loads, each with its source map), the LICENSE, and a README whose every relative link
 *   resolves inside the tarball;
 * - the module matrix: each entry point's snippet (for the root, the README's own; for the browser client,
 *   a widget's start against a stand-in endpoint) type-checked by tsc and
 *   then run, under `module` = commonjs (the classic `cdk init` tsconfig), node16, nodenext (today's
 *   `cdk init`) and bundler, compiled to `require()` and to `import` wherever the setting allows both;
 * - cdk-nag: the app checked with cdk-nag 3 (a validation plugin) and cdk-nag 2 (an aspect), installed
 *   beside the app, whose own install has no cdk-nag at all.
 *
 * The package is packed from a copy of its sources, so building it cannot disturb the bundle that other
 * tests of this run are reading. A second entry point joins the matrix by adding to ENTRY_POINTS.
 */
import { execFile } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { bundleGraph } from '../../scripts/bundle-graph.ts';
import { filesUnder } from '../../scripts/bundle-handler.ts';
import { FLOW_ID, INSTANCE_ID } from '../support/construct.ts';

const execFileAsync = promisify(execFile);
const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const PACKAGE_NAME = 'start-chat-contact-api';
/** The sources `npm pack` needs to build the package (see package.json "files" and "build"). */
const PACKAGE_SOURCES = [
  'package.json',
  'README.md',
  'LICENSE',
  'docs',
  'tsconfig.json',
  'tsconfig.build.json',
  'tsconfig.client.json',
  'lib',
  'lambda',
  'client',
  'scripts',
];
/** Exactly the versions this repository pins, so the install comes from npm's cache. */
const devVersion = (name: string): string =>
  (JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> })
    .devDependencies[name]!;
/** Packing and installing take 30-120 s on a busy machine; each type check or synth up to a minute. */
const SETUP_TIMEOUT_MS = 400_000;
const TEST_TIMEOUT_MS = 240_000;

let workDir: string;
let appDir: string;
let installed: string;

async function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env) {
  try {
    return await execFileAsync(command, args, {
      cwd,
      env: { ...env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' },
      timeout: SETUP_TIMEOUT_MS,
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(' ')} failed in ${cwd}\n${stdout ?? ''}\n${stderr ?? ''}`);
  }
}

/** Runs a script of the app with Node, as `cdk synth` would: no Docker on PATH, no AWS credentials. */
function runNode(script: string, cwd: string) {
  return run(process.execPath, [script], cwd, { PATH: '/nonexistent', AWS_EC2_METADATA_DISABLED: 'true' });
}

/** Runs at most `limit` of the tasks at once (the machine has two cores). */
async function inBatches<T>(tasks: ReadonlyArray<() => Promise<T>>, limit = 2): Promise<T[]> {
  const results: T[] = [];
  for (let start = 0; start < tasks.length; start += limit) {
    results.push(...(await Promise.all(tasks.slice(start, start + limit).map((task) => task()))));
  }
  return results;
}

/** Packs a copy of the package's sources; returns the tarball's path. */
async function packPackage(): Promise<string> {
  const packageDir = join(workDir, 'package');
  mkdirSync(packageDir);
  for (const source of PACKAGE_SOURCES)
    cpSync(join(PROJECT_ROOT, source), join(packageDir, source), { recursive: true });
  symlinkSync(join(PROJECT_ROOT, 'node_modules'), join(packageDir, 'node_modules'), 'dir');
  const { stdout } = await run('npm', ['pack', '--pack-destination', workDir], packageDir);
  return join(workDir, stdout.trim().split('\n').at(-1)!.trim());
}

// ---- The matrix ----

/** A file's format under node16 and nodenext: `.cts` compiles to require(), `.mts` to import. */
type Format = 'require' | 'import';

interface ModuleSetting {
  readonly name: string;
  readonly compilerOptions: Record<string, unknown>;
  /** The app's package.json `type`. */
  readonly packageType: 'commonjs' | 'module';
  /** The file extensions, and what they compile to under this setting. */
  readonly files: ReadonlyArray<{ readonly extension: '.ts' | '.cts' | '.mts'; readonly format: Format }>;
}

/** The tsconfig `cdk init` writes today (aws-cdk's app template), without its test types. */
const CDK_INIT_TSCONFIG = {
  target: 'ES2022',
  lib: ['es2022'],
  declaration: true,
  strict: true,
  noImplicitAny: true,
  strictNullChecks: true,
  noImplicitThis: true,
  alwaysStrict: true,
  noImplicitReturns: true,
  experimentalDecorators: true,
  strictPropertyInitialization: false,
  skipLibCheck: true,
  isolatedModules: true,
  types: [],
};

const MODULE_SETTINGS: readonly ModuleSetting[] = [
  {
    name: 'commonjs (the classic cdk init tsconfig)',
    // The classic template, which checks every declaration file (no skipLibCheck), ours included; with
    // esnext.disposable, which aws-cdk-lib's own declarations need since it uses `Disposable`.
    compilerOptions: {
      target: 'ES2020',
      module: 'commonjs',
      lib: ['es2020', 'esnext.disposable'],
      declaration: true,
      strict: true,
      noImplicitAny: true,
      strictNullChecks: true,
      noImplicitThis: true,
      alwaysStrict: true,
      noImplicitReturns: true,
      inlineSourceMap: true,
      inlineSources: true,
      experimentalDecorators: true,
      strictPropertyInitialization: false,
      types: [],
    },
    packageType: 'commonjs',
    files: [{ extension: '.ts', format: 'require' }],
  },
  {
    name: 'node16',
    compilerOptions: { ...CDK_INIT_TSCONFIG, module: 'node16', moduleResolution: 'node16' },
    packageType: 'commonjs',
    files: [
      { extension: '.cts', format: 'require' },
      { extension: '.mts', format: 'import' },
    ],
  },
  {
    name: 'nodenext (today’s cdk init)',
    compilerOptions: { ...CDK_INIT_TSCONFIG, module: 'nodenext', moduleResolution: 'nodenext' },
    packageType: 'commonjs',
    files: [
      { extension: '.cts', format: 'require' },
      { extension: '.mts', format: 'import' },
    ],
  },
  {
    name: 'bundler',
    compilerOptions: { ...CDK_INIT_TSCONFIG, module: 'esnext', moduleResolution: 'bundler' },
    packageType: 'module',
    files: [{ extension: '.ts', format: 'import' }],
  },
];

/** What runs one compiled file of an entry point and checks what it did. */
interface EntryPoint {
  readonly specifier: string;
  /** Whether the entry point is meant to load this way. @default every setting and format */
  readonly supports?: (setting: ModuleSetting, format: Format) => boolean;
  /** The TypeScript source of the file, given the directory it writes into (as a path relative to it). */
  readonly source: (outdir: string) => string;
  /** Checks what running the compiled file did, given that directory. */
  readonly check: (outdir: string) => void;
}

/** The README's snippet: its imports, and the rest, which runs inside a stack (it uses `this`). */
function readmeSnippet(): { imports: string; body: string } {
  const readme = readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('### In your own stack'));
  const code = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
  if (code === undefined) throw new Error('no ts snippet in the README section "In your own stack"');
  const lines = code.split('\n');
  return {
    imports: lines.filter((line) => line.startsWith('import ')).join('\n'),
    body: lines.filter((line) => !line.startsWith('import ')).join('\n'),
  };
}

/** The root entry point: the README's snippet in a stack, synthesized; and checks that its types are real. */
const CONSTRUCT_ENTRY: EntryPoint = {
  specifier: PACKAGE_NAME,
  source: (outdir) => {
    const { imports, body } = readmeSnippet();
    return `import { App, Stack } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
${imports}
import type { StartChatContactApiProps } from '${PACKAGE_NAME}';

class ChatStack extends Stack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
${body}
    const url: string = chat.url;
    // @ts-expect-error instanceId is a string: the package's types reach the app, not any.
    const wrong: StartChatContactApiProps = { instanceId: 42, contactFlowId: '${FLOW_ID}', allowedOrigins: [] };
    void [url, wrong];
  }
}

const app = new App({ outdir: '${outdir}' });
new ChatStack(app, 'Consumer');
app.synth();
`;
  },
  check: (outdir) => {
    const template = JSON.parse(readFileSync(join(outdir, 'Consumer.template.json'), 'utf8'));
    const functions = Object.values(template.Resources as Record<string, any>).filter(
      (resource) => resource.Type === 'AWS::Lambda::Function',
    );
    expect(functions).toHaveLength(1);
    expect(functions[0].Properties).toMatchObject({ Runtime: 'nodejs24.x', Handler: 'index.handler' });
    const hash = String(functions[0].Properties.Code.S3Key).replace(/\.zip$/, '');
    const assets = JSON.parse(readFileSync(join(outdir, 'Consumer.assets.json'), 'utf8'));
    // The function's asset: index.mjs and every chunk, without the source maps (enableSourceMaps is off).
    expect(filesUnder(join(outdir, assets.files[hash].source.path))).toEqual(installedHandlerCode());
  },
};

/** The installed package's handler: index.mjs and every chunk it can load, relative to its asset directory. */
function installedHandlerCode(): string[] {
  const asset = join(installed, 'assets', 'start-chat-contact');
  return bundleGraph(join(asset, 'index.mjs'))
    .all.map((file) => relative(asset, file))
    .sort();
}

/** The browser client's answers for the snippet below: a 429 first, then the chat; 400 for a blank name. */
const CLIENT_STAND_IN = `const answers = {
  throttled: [429, { success: false, error: { code: 'THROTTLED', message: 'Too many', requestId: 'r-1' } }],
  started: [200, { success: true, data: { startChatResult: { ContactId: 'c-1', ParticipantId: 'p-1', ParticipantToken: 't-1' }, featurePermissions: { MESSAGING_MARKDOWN: true, ATTACHMENTS: false } } }],
  invalid: [400, { success: false, error: { code: 'VALIDATION_ERROR', message: 'Invalid request parameters', details: [{ field: 'ParticipantDetails.DisplayName', message: 'blank' }], requestId: 'r-2' } }],
} as const;`;

/**
 * The browser client's entry point: a widget's use of it, type-checked (its types are real, and need no DOM
 * library), then run with Node's fetch against a stand-in endpoint that the file starts itself (through
 * `process.getBuiltinModule`, so the app needs no @types/node): a 429 then the chat, and a 400.
 */
const CLIENT_ENTRY: EntryPoint = {
  specifier: `${PACKAGE_NAME}/client`,
  // The client is an ES module: node16 has no require() of one (nodenext and Node 20.19 and later do).
  supports: (setting, format) => !(setting.name === 'node16' && format === 'require'),
  source: (
    outdir,
  ) => `import { StartChatError, type StartChatData, type StartChatRequest, startChat } from '${PACKAGE_NAME}/client';

const request: StartChatRequest = { ParticipantDetails: { DisplayName: 'Ada' } };
// @ts-expect-error ChatDurationInMinutes is a number: the client's types reach the app, not any.
const wrong: StartChatRequest = { ChatDurationInMinutes: '60' };
${CLIENT_STAND_IN}
const node = (globalThis as any).process;
const keys: string[] = [];
const server = node.getBuiltinModule('node:http').createServer((incoming: any, outgoing: any) => {
  const chunks: string[] = [];
  incoming.on('data', (chunk: any) => chunks.push(String(chunk)));
  incoming.on('end', () => {
    keys.push(incoming.headers['idempotency-key']);
    const blank = JSON.parse(chunks.join('')).ParticipantDetails.DisplayName === '';
    const [status, body] = blank ? answers.invalid : keys.length === 1 ? answers.throttled : answers.started;
    outgoing.writeHead(status, { 'Content-Type': 'application/json', ...(status === 429 ? { 'Retry-After': '1' } : {}) });
    outgoing.end(JSON.stringify(body));
  });
});
server.listen(0, '127.0.0.1', async () => {
  const url = 'http://127.0.0.1:' + server.address().port + '/prod/chat';
  const data: StartChatData = await startChat(url, request);
  let refused: StartChatError | undefined;
  try {
    await startChat(url, { ParticipantDetails: { DisplayName: '' } });
  } catch (error) {
    if (error instanceof StartChatError) refused = error;
  }
  server.close();
  const fs = node.getBuiltinModule('node:fs');
  fs.mkdirSync('${outdir}', { recursive: true });
  const result = { contactId: data.startChatResult.ContactId, keys, refused: refused && [refused.status, refused.code, refused.details.length], wrong: typeof wrong };
  fs.writeFileSync('${outdir}/result.json', JSON.stringify(result));
});
`,
  check: (outdir) => {
    const result = JSON.parse(readFileSync(join(outdir, 'result.json'), 'utf8'));
    // The 429 was retried with the same key, the 400 was not retried, and the error is the client's class.
    expect(result.contactId).toBe('c-1');
    expect(result.keys).toHaveLength(3);
    expect(result.keys[1]).toBe(result.keys[0]);
    expect(result.keys[2]).not.toBe(result.keys[0]);
    expect(result.keys[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(result.refused).toEqual([400, 'VALIDATION_ERROR', 1]);
  },
};

const ENTRY_POINTS: readonly EntryPoint[] = [CONSTRUCT_ENTRY, CLIENT_ENTRY];

/** One compiled file of the matrix: a setting, an entry point, a format. */
interface Case {
  readonly setting: ModuleSetting;
  readonly entry: EntryPoint;
  readonly format: Format;
  /** The TypeScript file, and the JavaScript tsc writes beside it. */
  readonly source: string;
  readonly output: string;
  /** Where the file writes (its cloud assembly). */
  readonly outdir: string;
}

function settingDir(setting: ModuleSetting): string {
  return join(appDir, setting.name.replace(/[^a-z0-9]+/gi, '-').replace(/-+$/, ''));
}

/** Writes every setting's folder: its package.json, tsconfig and one file per entry point and format. */
function writeMatrix(): Case[] {
  return MODULE_SETTINGS.flatMap((setting) => {
    const dir = settingDir(setting);
    mkdirSync(dir);
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'app', private: true, type: setting.packageType }));
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: setting.compilerOptions }, null, 2));
    return ENTRY_POINTS.flatMap((entry, index) =>
      setting.files
        .filter(({ format }) => entry.supports?.(setting, format) ?? true)
        .map(({ extension, format }) => {
          const base = `entry${index}-${format}`;
          const outdir = `cdk.out.${base}`;
          writeFileSync(join(dir, `${base}${extension}`), entry.source(outdir));
          const jsExtension = extension === '.cts' ? '.cjs' : extension === '.mts' ? '.mjs' : '.js';
          return {
            setting,
            entry,
            format,
            source: join(dir, `${base}${extension}`),
            output: join(dir, `${base}${jsExtension}`),
            outdir: join(dir, outdir),
          };
        }),
    );
  });
}

const TSC = join(PROJECT_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
let cases: Case[];
/** tsc's outcome per setting ('ok' or its output), run once for all of its files. */
let typeChecks: Map<ModuleSetting, Promise<string>>;

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'chat-consumer-'));
  const tarball = await packPackage();
  appDir = join(workDir, 'app');
  mkdirSync(appDir);
  writeFileSync(join(appDir, 'package.json'), JSON.stringify({ name: 'app', private: true }));
  await run(
    'npm',
    [
      'install',
      tarball,
      `aws-cdk-lib@${devVersion('aws-cdk-lib')}`,
      `constructs@${devVersion('constructs')}`,
      '--prefer-offline',
      '--no-audit',
      '--no-fund',
    ],
    appDir,
  );
  installed = join(appDir, 'node_modules', PACKAGE_NAME);
  cases = writeMatrix();
  // Type checks start now, two at a time; each test awaits its own: 'ok', or tsc's output.
  const settings = [...MODULE_SETTINGS];
  const results = inBatches(
    settings.map(
      (setting) => () =>
        run(process.execPath, [TSC, '-p', settingDir(setting)], appDir).then(
          () => 'ok',
          (error: Error) => error.message,
        ),
    ),
  );
  typeChecks = new Map(settings.map((setting, index) => [setting, results.then((all) => all[index]!)]));
}, SETUP_TIMEOUT_MS);

afterAll(() => {
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

describe('the tarball', () => {
  test('holds the library, its declarations, the handler and the LICENSE, and nothing of the sources', () => {
    for (const file of [
      'dist/lib/index.js',
      'dist/lib/index.d.ts',
      'dist/lib/package.json',
      'dist/client/index.js',
      'dist/client/index.d.ts',
      'assets/start-chat-contact/index.mjs',
      'README.md',
      'LICENSE',
    ]) {
      expect(existsSync(join(installed, file))).toBe(true);
    }
    // The handler is code-split: every file index.mjs loads, statically or through import(), is there, each
    // with its source map, and nothing else.
    const code = installedHandlerCode();
    expect(code).toContain('index.mjs');
    expect(code.length).toBeGreaterThan(1);
    expect(filesUnder(join(installed, 'assets', 'start-chat-contact'))).toEqual(
      code.flatMap((file) => [file, `${file}.map`]).sort(),
    );
    for (const absent of ['lib', 'lambda', 'scripts', 'test', 'local', 'bench']) {
      expect(existsSync(join(installed, absent))).toBe(false);
    }
    expect(readFileSync(join(installed, 'LICENSE'), 'utf8')).toContain(
      'Apache License\n                           Version 2.0',
    );
    const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8'));
    expect(manifest.license).toBe('Apache-2.0');
    expect(manifest.peerDependencies).toEqual({ 'aws-cdk-lib': '^2.257.0', constructs: '^10.5.1' });
    expect(manifest.dependencies).toBeUndefined();
    expect(manifest.peerDependenciesMeta).toBeUndefined();
  });

  test('its library is CommonJS, and its declarations are CommonJS and import no .ts specifier', () => {
    const declarations = readdirSync(join(installed, 'dist', 'lib')).filter((file) => file.endsWith('.d.ts'));
    expect(declarations.length).toBeGreaterThan(1);
    const specifiers = declarations.flatMap((file) =>
      [
        ...readFileSync(join(installed, 'dist', 'lib', file), 'utf8').matchAll(/(?:from|import\()\s*['"]([^'"]+)['"]/g),
      ].map((match) => match[1]!),
    );
    expect(specifiers).toContain('./start-chat-contact-api.js');
    expect(specifiers.filter((specifier) => /\.[mc]?ts$/.test(specifier))).toEqual([]);
    expect(JSON.parse(readFileSync(join(installed, 'dist', 'lib', 'package.json'), 'utf8'))).toEqual({
      type: 'commonjs',
    });
    const library = readFileSync(join(installed, 'dist', 'lib', 'index.js'), 'utf8');
    expect(library).toContain('module.exports = __toCommonJS(');
    expect(library).not.toMatch(/require\(["']cdk-nag/);
  });

  test('its browser client is one ES module that imports nothing, with declarations that import no .ts specifier', () => {
    const client = join(installed, 'dist', 'client');
    const module = readFileSync(join(client, 'index.js'), 'utf8');
    expect(module).not.toMatch(/\bimport\s*[\s{*"'(]|\brequire\s*\(/);
    expect(module).toMatch(/export\{[^}]*\bas startChat\b/);
    const specifiers = readdirSync(client)
      .filter((file) => file.endsWith('.d.ts'))
      .flatMap((file) =>
        [...readFileSync(join(client, file), 'utf8').matchAll(/(?:from|import\()\s*['"]([^'"]+)['"]/g)].map(
          (match) => match[1]!,
        ),
      );
    expect(specifiers).toContain('./start-chat.js');
    expect(specifiers.filter((specifier) => !specifier.startsWith('./') || /\.[mc]?ts$/.test(specifier))).toEqual([]);
  });

  test('every relative link in its README resolves inside the tarball, and every anchor to a heading', () => {
    const readme = readFileSync(join(installed, 'README.md'), 'utf8');
    const targets = [...readme.matchAll(/!?\[[^\]]*\]\(([^)\s]+)\)/g)].map((match) => match[1]!);
    const relativeTargets = targets.filter((target) => !/^[a-z]+:/i.test(target) && !target.startsWith('#'));
    const anchors = targets.filter((target) => target.startsWith('#')).map((target) => target.slice(1));
    const headings = new Set(
      [...readme.matchAll(/^#{1,6} (.+)$/gm)].map((match) =>
        match[1]!
          .toLowerCase()
          .replace(/[^\p{L}\p{N} _-]/gu, '')
          .replaceAll(' ', '-'),
      ),
    );

    expect(relativeTargets.length).toBeGreaterThan(0);
    expect(relativeTargets.filter((target) => !existsSync(join(installed, target.split('#')[0]!)))).toEqual([]);
    expect(anchors.filter((anchor) => !headings.has(anchor))).toEqual([]);
  });
});

describe.each(MODULE_SETTINGS)('an app with module $name', (setting) => {
  test(
    'type-checks, and runs each entry point as compiled: the README’s snippet synthesizes without Docker; the widget starts a chat',
    async () => {
      // Arrange
      const mine = cases.filter((c) => c.setting === setting);

      // Act
      const typeCheck = await typeChecks.get(setting);
      expect(typeCheck).toBe('ok');
      await inBatches(mine.map((c) => () => runNode(relative(dirname(c.output), c.output), dirname(c.output))));

      // Assert
      for (const c of mine) {
        const compiled = readFileSync(c.output, 'utf8');
        if (c.format === 'require') expect(compiled).toMatch(new RegExp(`require\\("${c.entry.specifier}"\\)`));
        else expect(compiled).toMatch(new RegExp(`from ['"]${c.entry.specifier}['"]`));
        c.entry.check(c.outdir);
      }
    },
    TEST_TIMEOUT_MS,
  );
});

describe('cdk-nag, installed beside the app (the app itself has none)', () => {
  /** The folder with the cdk-nag majors, each under its own name, sharing the app's aws-cdk-lib. */
  let nagDir: string;

  beforeAll(async () => {
    nagDir = join(appDir, 'nag');
    mkdirSync(nagDir);
    writeFileSync(join(nagDir, 'package.json'), JSON.stringify({ name: 'nag', private: true }));
    await run(
      'npm',
      [
        'install',
        `cdk-nag@${devVersion('cdk-nag')}`,
        `cdk-nag-2@${devVersion('cdk-nag-2')}`,
        // aws-cdk-lib and constructs are the app's: one copy, as in an app that installs cdk-nag itself.
        '--legacy-peer-deps',
        '--prefer-offline',
        '--no-audit',
        '--no-fund',
      ],
      nagDir,
    );
  }, SETUP_TIMEOUT_MS);

  const app = (checks: string) => `const { App, Stack, Aspects, Validations } = require('aws-cdk-lib');
const { Annotations, Match } = require('aws-cdk-lib/assertions');
const { StartChatContactApi } = require('${PACKAGE_NAME}');

const app = new App({ outdir: 'cdk.out.' + require('node:path').basename(__filename) });
const stack = new Stack(app, 'Consumer');
new StartChatContactApi(stack, 'Chat', {
  instanceId: '${INSTANCE_ID}',
  contactFlowId: '${FLOW_ID}',
  allowedOrigins: ['https://www.example.com'],
  allowPersistentChat: true,
});
${checks}
`;

  test(
    'the app resolves no cdk-nag of its own',
    async () => {
      const probe = join(appDir, 'probe.cjs');
      writeFileSync(probe, "try { require.resolve('cdk-nag'); console.log('found'); } catch { console.log('none'); }");
      expect((await runNode(probe, appDir)).stdout.trim()).toBe('none');
    },
    TEST_TIMEOUT_MS,
  );

  test(
    'cdk-nag 3, as a validation plugin of the synth: no finding',
    async () => {
      // Arrange
      const script = join(nagDir, 'nag-3.cjs');
      writeFileSync(
        script,
        app(`const { AwsSolutionsChecks } = require('cdk-nag');
const violations = new AwsSolutionsChecks().validateScope(app).violations;
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
app.synth();
console.log(JSON.stringify(violations.map((v) => v.ruleName)));`),
      );

      // Act
      const { stdout } = await runNode(script, nagDir);

      // Assert
      expect(JSON.parse(stdout)).toEqual([]);
    },
    TEST_TIMEOUT_MS,
  );

  test(
    'cdk-nag 2, as an aspect: no error and no warning',
    async () => {
      // Arrange
      const script = join(nagDir, 'nag-2.cjs');
      writeFileSync(
        script,
        app(`const { AwsSolutionsChecks } = require('cdk-nag-2');
Aspects.of(app).add(new AwsSolutionsChecks());
const annotations = Annotations.fromStack(stack);
const pattern = Match.stringLikeRegexp('^AwsSolutions-');
const found = [...annotations.findError('*', pattern), ...annotations.findWarning('*', pattern)];
console.log(JSON.stringify(found.map((m) => m.id + ' ' + String(m.entry.data).slice(0, 40))));`),
      );

      // Act
      const { stdout } = await runNode(script, nagDir);

      // Assert
      expect(JSON.parse(stdout)).toEqual([]);
    },
    TEST_TIMEOUT_MS,
  );
});
