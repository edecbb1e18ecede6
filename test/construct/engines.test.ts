/**
 * The two Node declarations of package.json, each saying what its side needs, and the README naming the
 * same minimums:
 *
 * - `devEngines.runtime` (this repository): the Node that runs npm here. It runs npm and the install
 *   scripts of the lockfile's packages, nothing else: every script runs on the `node` devDependency.
 * - `engines.node` (the package): the Node a CDK app runs the construct on, within aws-cdk-lib's own.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@jest/globals';
import semver from 'semver';

const ROOT = join(import.meta.dirname, '..', '..');

interface Manifest {
  readonly engines?: { readonly node?: string };
  readonly devEngines?: { readonly runtime?: { readonly name: string; readonly version: string } };
  readonly devDependencies: Record<string, string>;
}

interface LockedPackage {
  readonly version?: string;
  readonly engines?: { readonly node?: string } | string[];
  readonly hasInstallScript?: boolean;
  /** Installed only where its os and cpu match. */
  readonly optional?: boolean;
}

const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Manifest;
const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, LockedPackage>;
};
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');

/** The lockfile's packages with a Node range, by install path. */
const withNodeRange = Object.entries(lock.packages).filter(
  (entry): entry is [string, LockedPackage & { engines: { node: string } }] =>
    entry[0] !== '' && typeof (entry[1].engines as { node?: unknown } | undefined)?.node === 'string',
);

function repositoryRange(): string {
  expect(manifest.devEngines?.runtime?.name).toBe('node');
  return manifest.devEngines!.runtime!.version;
}

test('the repository names the Node that runs npm here, and the README names its minimum', () => {
  // Arrange
  const range = repositoryRange();
  const minimum = semver.minVersion(range)!;

  // Assert: the first screen and the Node versions section say the same.
  expect(readme).toContain(`On a fresh machine (Node ${minimum.major}.${minimum.minor} or later with its npm`);
  expect(readme).toContain(
    `**This repository** (\`devEngines\` in package.json): Node ${minimum.major}.${minimum.minor} or later`,
  );
});

test('every package whose install script runs on that Node accepts every Node the repository allows', () => {
  // Arrange
  const range = repositoryRange();
  const installScripts = withNodeRange.filter(([, locked]) => locked.hasInstallScript === true);

  // Assert
  expect(installScripts.length).toBeGreaterThan(0);
  expect(installScripts.filter(([, locked]) => !semver.subset(range, locked.engines.node))).toEqual([]);
});

test('the README names every package npm warns about on that minimum, as EBADENGINE', () => {
  // Arrange: what npm installs here (optional packages are for other platforms) and checks on that Node.
  const minimum = semver.minVersion(repositoryRange())!.version;
  const warned = withNodeRange
    .filter(([, locked]) => locked.optional !== true && !semver.satisfies(minimum, locked.engines.node))
    .map(([path]) => path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length));
  const section = readme.slice(readme.indexOf('## Node versions'));

  // Assert
  expect(warned.length).toBeGreaterThan(0);
  for (const name of warned) expect(section).toContain(`\`${name}\``);
});

test('the scripts run on the node devDependency, which every package of the lockfile accepts', () => {
  // Arrange
  const node = lock.packages['node_modules/node']!.version!;

  // Assert
  expect(manifest.devDependencies.node).toBe(node);
  expect(withNodeRange.filter(([, locked]) => !semver.satisfies(node, locked.engines.node))).toEqual([]);
});

test('the package asks for no Node that aws-cdk-lib does not, and the README names its minimum', () => {
  // Arrange
  const range = manifest.engines!.node!;
  const cdk = lock.packages['node_modules/aws-cdk-lib']!.engines as { node: string };
  const minimum = semver.minVersion(range)!;

  // Assert
  expect(semver.subset(range, cdk.node)).toBe(true);
  expect(readme).toContain(`**The package** (\`engines\`): Node ${minimum.major} or later`);
});
