/**
 * Loads the deployed handler, the bundle `npm run build` writes (assets/start-chat-contact/index.mjs), the
 * way Lambda starts a container: the function's environment is in place before the module loads, because
 * the handler reads its configuration once, at import. Every load is a fresh module instance (a new
 * container, with its own configuration, logger and Connect client). Loads run one at a time, so each
 * module sees the environment it was loaded with.
 *
 * The environment is the process's own (`process.env`): the AWS SDK inside the bundle reads it, at load
 * and later. One process therefore runs one function configuration.
 */
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { HANDLER_BUNDLE } from '../scripts/bundle-handler.ts';

export type LambdaHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

/** Variables to set, or to remove when `undefined`, before the function loads. */
export type FunctionEnvironment = Readonly<Record<string, string | undefined>>;

/** The bundle has not been built. */
export class MissingBundleError extends Error {
  constructor(bundle: string) {
    super(
      `The handler bundle ${bundle} does not exist: build it with \`npm run build\` (\`npm start\` builds it first)`,
    );
    this.name = 'MissingBundleError';
  }
}

let loads = 0;
let previousLoad: Promise<unknown> = Promise.resolve();

export function applyEnvironment(environment: FunctionEnvironment): void {
  for (const [name, value] of Object.entries(environment)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
}

/** Returns a loader that starts one new container of the bundled handler per call. */
export function bundledHandlerLoader(
  environment: FunctionEnvironment,
  bundle: string = HANDLER_BUNDLE,
): () => Promise<LambdaHandler> {
  return () => {
    const load = previousLoad.then(async () => {
      if (!existsSync(bundle)) throw new MissingBundleError(bundle);
      applyEnvironment(environment);
      loads += 1;
      // A distinct URL is a distinct module instance: a cold start with its own module-level state.
      const module = (await import(`${pathToFileURL(bundle).href}?container=${loads}`)) as { handler?: unknown };
      if (typeof module.handler !== 'function') throw new Error(`${bundle} does not export a handler function`);
      return module.handler as LambdaHandler;
    });
    previousLoad = load.catch(() => undefined);
    return load;
  };
}
