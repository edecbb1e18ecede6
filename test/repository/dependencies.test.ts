/**
 * Every dependency in package.json is used: imported (or resolved) by the sources, the tests, the bench and
 * the scripts, named by path (`node_modules/<name>/...`), run by its command in an npm script, or named in
 * a config file (jest.config.js, biome.json, cdk.json, tsconfig*.json). A type package (`@types/x`) is used
 * when `x` is, and `@types/node` when Node's built-ins are. An unused package is only install time and
 * attack surface: take it out.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { REPOSITORY_ROOT as ROOT } from '../support/fresh-copy.ts';

const SOURCE_DIRECTORIES = ['lambda', 'lib', 'local', 'client', 'bin', 'scripts', 'bench', 'test', 'load'];
const SOURCE_FILE = /\.(ts|mts|cts|js|mjs|cjs|html)$/;
const CONFIG_FILES = [
  'jest.config.js',
  'biome.json',
  'cdk.json',
  'tsconfig.json',
  'tsconfig.build.json',
  'tsconfig.client.json',
];

interface Manifest {
  readonly dependencies?: Record<string, string>;
  readonly devDependencies?: Record<string, string>;
  readonly peerDependencies?: Record<string, string>;
  readonly scripts?: Record<string, string>;
}

interface Repository {
  readonly manifest: Manifest;
  /** The text of every source file, and of every config file. */
  readonly sources: readonly string[];
  readonly configs: readonly string[];
  /** The commands a package installs in node_modules/.bin. */
  readonly binsOf: (name: string) => readonly string[];
}

function filesUnder(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && SOURCE_FILE.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name));
}

function escaped(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** Path segments written as `join(..., 'node_modules', '@scope', 'name')` read as one path, `node_modules/@scope/name`. */
function joinedPaths(text: string): string {
  return text.replace(/(['"]),\s*\1/g, '/');
}

/** The dependencies of `repository.manifest` that nothing uses, in package.json's order. */
function unusedDependencies(repository: Repository): string[] {
  const { manifest, sources, configs, binsOf } = repository;
  const code = sources.map(joinedPaths).join('\n');
  const configText = configs.join('\n');
  const scriptWords = new Set(
    Object.values(manifest.scripts ?? {}).flatMap((script) => script.split(/[\s;&|()]+/).filter((word) => word !== '')),
  );
  const scripts = Object.values(manifest.scripts ?? {}).join('\n');

  const used = (name: string): boolean => {
    if (name.startsWith('@types/')) {
      const typed = name.slice('@types/'.length).replace(/^(.+)__(.+)$/, '@$1/$2');
      return typed === 'node' ? /['"]node:[a-z_/]+['"]/.test(code) : used(typed);
    }
    const specifier = `['"]${escaped(name)}(/[^'"]*)?['"]`;
    const imported = new RegExp(
      `(\\bfrom\\s*|\\bimport\\s*\\(\\s*|\\brequire\\s*\\(\\s*|\\.resolve\\s*\\(\\s*)${specifier}`,
    );
    const byPath = new RegExp(`node_modules/${escaped(name)}(/|['"])`);
    return (
      imported.test(code) ||
      byPath.test(code) ||
      byPath.test(scripts) ||
      byPath.test(configText) ||
      new RegExp(`['"]${escaped(name)}['"]`).test(configText) ||
      binsOf(name).some((bin) => scriptWords.has(bin))
    );
  };

  const declared = [...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.devDependencies ?? {})];
  return declared.filter((name) => !used(name));
}

function binsInstalledBy(name: string): string[] {
  const manifest = join(ROOT, 'node_modules', name, 'package.json');
  if (!existsSync(manifest)) return [];
  const { bin } = JSON.parse(readFileSync(manifest, 'utf8')) as {
    bin?: string | Record<string, string>;
  };
  if (bin === undefined) return [];
  return typeof bin === 'string' ? [name.replace(/^@[^/]+\//, '')] : Object.keys(bin);
}

/** The files scanned: all of those directories but this file, whose examples import packages no one uses. */
function sourceFiles(): string[] {
  return SOURCE_DIRECTORIES.flatMap((directory) => filesUnder(join(ROOT, directory))).filter(
    (file) => file !== import.meta.filename,
  );
}

function thisRepository(): Repository {
  const files = sourceFiles();
  return {
    manifest: JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Manifest,
    sources: files.map((file) => readFileSync(file, 'utf8')),
    configs: CONFIG_FILES.map((file) => readFileSync(join(ROOT, file), 'utf8')),
    binsOf: binsInstalledBy,
  };
}

describe('package.json’s dependencies', () => {
  test('every dependency and devDependency is used', () => {
    // Arrange
    const repository = thisRepository();

    // Act
    const unused = unusedDependencies(repository);

    // Assert
    expect(unused).toEqual([]);
    expect(Object.keys(repository.manifest.devDependencies ?? {}).length).toBeGreaterThan(20);
  });

  test('a package nothing uses is named, with its type package; one used only in a comment is unused too', () => {
    // Arrange: this repository's package.json with three more packages.
    const repository = thisRepository();
    const manifest: Manifest = {
      ...repository.manifest,
      dependencies: { 'left-pad': '1.3.0' },
      devDependencies: { ...repository.manifest.devDependencies, '@types/left-pad': '1.2.0', 'is-odd': '3.0.1' },
    };
    const sources = [...repository.sources, '// is-odd would do this, but a modulo is enough'];

    const binsOf = (name: string) => (name in (repository.manifest.devDependencies ?? {}) ? binsInstalledBy(name) : []);

    // Act
    const unused = unusedDependencies({ ...repository, manifest, sources, binsOf });

    // Assert
    expect(unused).toEqual(['left-pad', '@types/left-pad', 'is-odd']);
  });

  test.each([
    ['an import', "import { pad } from 'left-pad';"],
    ['a subpath import', "import pad from 'left-pad/index.js';"],
    ['a dynamic import', "const { pad } = await import('left-pad');"],
    ['a require', "const pad = require('left-pad');"],
    ['a resolved path', "createRequire(import.meta.url).resolve('left-pad');"],
    ['a path joined by segments', "join(ROOT, 'node_modules', 'left-pad', 'index.js');"],
  ])('a package used through %s is used', (_how, source) => {
    const manifest: Manifest = { dependencies: { 'left-pad': '1.3.0' } };
    expect(unusedDependencies({ manifest, sources: [source], configs: [], binsOf: () => [] })).toEqual([]);
  });

  test('a package used by its command in an npm script, or named in a config file, is used', () => {
    const manifest: Manifest = {
      devDependencies: { 'pad-cli': '1.0.0', 'pad-preset': '1.0.0' },
      scripts: { lint: 'pad --check . && tsc' },
    };
    const configs = ["export default { preset: 'pad-preset' };"];
    expect(
      unusedDependencies({ manifest, sources: [], configs, binsOf: (name) => (name === 'pad-cli' ? ['pad'] : []) }),
    ).toEqual([]);
  });
});

test('the scan reads the sources of every directory named, test/ included, but this file', () => {
  const scanned = sourceFiles().map((file) => relative(ROOT, file));
  expect(scanned).toContain('lambda/start-chat-contact.ts');
  expect(scanned).toContain('test/support/chromium.ts');
  expect(scanned).not.toContain(relative(ROOT, import.meta.filename));
});
