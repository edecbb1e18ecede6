/**
 * Builds the library the npm package ships, into dist/lib/:
 *
 * - `index.js`: lib/ bundled by esbuild as one CommonJS module (aws-cdk-lib, constructs and Node's
 *   built-ins stay external), as CDK construct libraries ship. `require()` and `import` both load it on
 *   every Node that aws-cdk-lib supports, in CommonJS apps (the classic `cdk init`), ES-module apps,
 *   ts-node, tsx and Jest without configuration; one copy of the classes, never two.
 * - `*.d.ts`: tsc's declarations of lib/, with the sources' relative `./name.ts` specifiers rewritten to
 *   `./name.js`, so that no declaration file imports a `.ts` specifier (consumers without
 *   `allowImportingTsExtensions` could not resolve them).
 * - `package.json` `{"type": "commonjs"}`: the folder is CommonJS (the repository itself is ES modules), so
 *   TypeScript reads the declarations as CommonJS under every `module` setting, `node16` included.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import ts from 'typescript';
import { PROJECT_ROOT } from './bundle-handler.ts';

export const LIBRARY_DIR = join(PROJECT_ROOT, 'dist', 'lib');
const TSCONFIG = join(PROJECT_ROOT, 'tsconfig.build.json');

/** Relative module specifiers ending in `.ts` (or `.mts`, `.cts`), as the sources write them. */
const RELATIVE_TS = /^(\.{1,2}\/.*)\.([mc]?)ts$/;

function toJs(specifier: ts.StringLiteral, factory: ts.NodeFactory): ts.StringLiteral {
  const match = RELATIVE_TS.exec(specifier.text);
  return match ? factory.createStringLiteral(`${match[1]}.${match[2]}js`, true) : specifier;
}

/** A declaration transformer: `import`/`export ... from './x.ts'` and `import('./x.ts')` types name `./x.js`. */
export function relativeTsToJs(context: ts.TransformationContext): (node: ts.SourceFile | ts.Bundle) => ts.SourceFile {
  const { factory } = context;
  const visit = (node: ts.Node): ts.Node => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      return factory.updateImportDeclaration(
        node,
        node.modifiers,
        node.importClause,
        toJs(node.moduleSpecifier, factory),
        node.attributes,
      );
    }
    if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      return factory.updateExportDeclaration(
        node,
        node.modifiers,
        node.isTypeOnly,
        node.exportClause,
        toJs(node.moduleSpecifier, factory),
        node.attributes,
      );
    }
    if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      return factory.updateImportTypeNode(
        node,
        factory.updateLiteralTypeNode(node.argument, toJs(node.argument.literal, factory)),
        node.attributes,
        node.qualifier,
        node.typeArguments?.map((argument) => ts.visitNode(argument, visit, ts.isTypeNode)!),
        node.isTypeOf,
      );
    }
    return ts.visitEachChild(node, visit, context);
  };
  return (node) => {
    if (!ts.isSourceFile(node)) throw new Error('relativeTsToJs transforms source files only');
    return ts.visitEachChild(node, visit, context);
  };
}

/**
 * Writes the declarations of lib/ (tsconfig.build.json; or another project's, such as the browser client's)
 * into `outDir`; throws with tsc's diagnostics.
 */
export function emitDeclarations(outDir: string = LIBRARY_DIR, tsconfig: string = TSCONFIG): void {
  const parsed = ts.getParsedCommandLineOfConfigFile(
    tsconfig,
    { outDir },
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
        throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
      },
    },
  );
  if (!parsed) throw new Error(`cannot read ${tsconfig}`);
  const program = ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options });
  const result = program.emit(undefined, undefined, undefined, true, { afterDeclarations: [relativeTsToJs] });
  const diagnostics = [...ts.getPreEmitDiagnostics(program), ...result.diagnostics];
  if (diagnostics.length > 0) {
    throw new Error(
      ts.formatDiagnostics(diagnostics, {
        getCanonicalFileName: (name) => name,
        getCurrentDirectory: () => PROJECT_ROOT,
        getNewLine: () => '\n',
      }),
    );
  }
}

/** Bundles lib/index.ts into `outDir/index.js` as CommonJS. */
export async function bundleLibrary(outDir: string = LIBRARY_DIR): Promise<void> {
  await build({
    entryPoints: [join(PROJECT_ROOT, 'lib', 'index.ts')],
    outfile: join(outDir, 'index.js'),
    bundle: true,
    platform: 'node',
    // aws-cdk-lib's own minimum (its `engines`).
    target: 'node20',
    format: 'cjs',
    packages: 'external',
    logLevel: 'warning',
    // CommonJS has no import.meta: this module's own URL stands in for it.
    define: { 'import.meta.url': '__moduleUrl' },
    banner: { js: 'const __moduleUrl = require("node:url").pathToFileURL(__filename).href;' },
  });
  writeFileSync(join(outDir, 'package.json'), `${JSON.stringify({ type: 'commonjs' }, null, 2)}\n`);
}

export async function buildLibrary(outDir: string = LIBRARY_DIR): Promise<void> {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  emitDeclarations(outDir);
  await bundleLibrary(outDir);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await buildLibrary();
  console.log(`built ${LIBRARY_DIR}`);
}
