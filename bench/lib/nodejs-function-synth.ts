/**
 * Run as a child process: `node bench/lib/nodejs-function-synth.ts <outDir>`. Synthesizes scratch CDK apps
 * that each define one aws-cdk-lib `NodejsFunction` for lambda/start-chat-contact.ts with an explicit
 * nodejs24.x runtime on arm64 and otherwise NodejsFunction's default settings, so CDK itself runs the
 * project's local esbuild (never Docker) with the arguments it would use for a deployer who writes
 * `new NodejsFunction(this, 'Fn', { entry, runtime })`. Prints a JSON list of the produced bundles.
 *
 * Kept in its own process so aws-cdk-lib never loads into the process that hosts the Connect stand-in.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, type NodejsFunctionProps } from 'aws-cdk-lib/aws-lambda-nodejs';
import { HANDLER_ENTRY, PROJECT_ROOT } from '../../scripts/bundle-handler.ts';

export interface SynthesizedBundle {
  readonly name: string;
  readonly description: string;
  readonly file: string;
}

interface Variant {
  readonly name: string;
  readonly description: string;
  readonly context?: Record<string, unknown>;
  readonly bundling?: NodejsFunctionProps['bundling'];
}

const VARIANTS: readonly Variant[] = [
  {
    name: 'defaults',
    description:
      'NodejsFunction defaults: CommonJS, not minified, no source map, esbuild default main fields, @aws-sdk/* external (the runtime copy)',
  },
  {
    name: 'defaults-recommended-flags',
    description:
      'as above with the recommended feature flag @aws-cdk/aws-lambda-nodejs:sdkV3ExcludeSmithyPackages (cdk init sets it): @smithy/* external too',
    context: { '@aws-cdk/aws-lambda-nodejs:sdkV3ExcludeSmithyPackages': true },
  },
  {
    name: 'defaults-bundleAwsSDK',
    description:
      'NodejsFunction defaults + bundling.bundleAwsSDK: true (our SDK version shipped, as the design requires)',
    bundling: { bundleAwsSDK: true },
  },
];

function synthesize(outRoot: string, variant: Variant): SynthesizedBundle {
  const outdir = join(outRoot, variant.name);
  mkdirSync(outdir, { recursive: true });
  const app = new App({ outdir, context: variant.context ?? {} });
  const stack = new Stack(app, 'BenchNodejsFunction');
  new NodejsFunction(stack, 'Handler', {
    entry: HANDLER_ENTRY,
    runtime: Runtime.NODEJS_24_X,
    architecture: Architecture.ARM_64,
    projectRoot: PROJECT_ROOT,
    depsLockFilePath: join(PROJECT_ROOT, 'package-lock.json'),
    ...(variant.bundling && { bundling: variant.bundling }),
  });
  app.synth();
  const assetDir = readdirSync(outdir).find(
    (name) => name.startsWith('asset.') && existsSync(join(outdir, name, 'index.js')),
  );
  if (assetDir === undefined) throw new Error(`no bundled asset in ${outdir}`);
  return { name: variant.name, description: variant.description, file: join(outdir, assetDir, 'index.js') };
}

if (import.meta.main) {
  const outRoot = process.argv[2];
  if (outRoot === undefined) throw new Error('usage: nodejs-function-synth.ts <outDir>');
  const cdkVersion = (
    JSON.parse(readFileSync(join(PROJECT_ROOT, 'node_modules', 'aws-cdk-lib', 'package.json'), 'utf8')) as {
      version: string;
    }
  ).version;
  const bundles = VARIANTS.map((variant) => synthesize(outRoot, variant));
  process.stdout.write(`${JSON.stringify({ cdkVersion, bundles })}\n`);
}
