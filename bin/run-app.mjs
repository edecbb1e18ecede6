/**
 * What cdk.json runs: the CDK app (bin/app.ts) on a Node.js that runs TypeScript (22.18 or later). Plain
 * JavaScript, so that any Node.js can read it.
 *
 * `npx cdk ...` and `npm run cdk -- ...` run the CLI, and with it this file, on the project's Node 24 (the
 * `node` devDependency in node_modules/.bin). A global `cdk`, or a PATH without node_modules/.bin, runs it
 * on whatever `node` comes first, possibly an older one: then the app is run on the project's Node 24
 * instead, with the same arguments, environment and output. Without one (after `npm ci --ignore-scripts`,
 * which skips the script that installs it), it says what to do and exits 1.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const PROJECT_NODE = fileURLToPath(new URL('../node_modules/node/bin/node', import.meta.url));
const APP = fileURLToPath(new URL('./app.ts', import.meta.url));
/** Set on the re-run, so that a project Node that cannot run TypeScript either is not run again. */
const RERUN = 'START_CHAT_CONTACT_API_APP_RERUN';

if (process.features.typescript) {
  await import(APP);
} else if (process.env[RERUN] === undefined && existsSync(PROJECT_NODE)) {
  const result = spawnSync(PROJECT_NODE, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, [RERUN]: '1' },
  });
  if (result.error) throw result.error;
  process.exitCode = result.status ?? 1;
} else {
  process.stderr.write(
    [
      `The CDK app runs TypeScript directly, which needs Node.js 22.18 or later; it was started on Node.js ${process.version} (${process.execPath}),`,
      "as happens with a globally installed `cdk` or a PATH without the project's node_modules/.bin.",
      "Run the project's CLI instead: `npx cdk <command>` (or `npm run cdk -- <command>`), which uses the Node.js 24 that",
      '`npm ci` installs from the `node` devDependency. After `npm ci --ignore-scripts` that Node.js is missing:',
      'run `npm rebuild node` to install it. Or install Node.js 22.18 or later.',
      '',
    ].join('\n'),
  );
  process.exitCode = 1;
}
