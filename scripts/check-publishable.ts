/**
 * `npm publish`'s guard (package.json `prepublishOnly`): refuses to publish a package.json without
 * `repository`. The project has no public URL yet, so `repository`, `homepage` and `bugs` are unset; a
 * package published like that has no link back to its sources or its issues, and npmjs.com cannot show the
 * README's screenshot (it rewrites relative image links from `repository`). Run as
 * `node scripts/check-publishable.ts [package.json]`: exit code 0 when it may be published, 1 (with the
 * reason on stderr) when not. npm runs it with the package's own package.json (`npm_package_json`).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Why the package.json at `path` must not be published; undefined when it may be. */
export function publishProblem(path: string): string | undefined {
  const manifest = JSON.parse(readFileSync(path, 'utf8')) as { repository?: string | { url?: string } };
  const url = typeof manifest.repository === 'string' ? manifest.repository : manifest.repository?.url;
  if (typeof url === 'string' && url.trim() !== '') return undefined;
  return [
    `Not publishing: ${path} has no "repository".`,
    'Set "repository" (and "homepage" and "bugs") to the project\'s public URL first: without it the published package',
    "links to neither its sources nor its issues, and npmjs.com cannot show the README's screenshot.",
  ].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const path = process.argv[2] ?? process.env.npm_package_json ?? 'package.json';
  const problem = publishProblem(path);
  if (problem !== undefined) {
    process.stderr.write(`${problem}\n`);
    process.exitCode = 1;
  }
}
