/**
 * Runs a bundled handler as Lambda would, in a process of its own whose environment is the function's:
 * imports `index.mjs` from the asset directory once (one container), invokes `handler` with each API
 * Gateway event in turn, and writes the results as a JSON array.
 *
 * Its console is the Lambda Node runtime's: each `console.*` call becomes one stdout line prefixed with the
 * time, the request id and the level, as in Lambda's text log format. Only what the function writes to
 * stdout itself stays a bare line, which is what Embedded Metric Format needs (lambda/emf.ts).
 *
 *   node run-bundled-handler.ts <asset directory> <events.json> <results.json> <timeout ms>
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { format } from 'node:util';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { lambdaContext } from '../../local/lambda-context.ts';

type Handler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

const [assetDirectory, eventsFile, resultsFile, timeout] = process.argv.slice(2);
if (assetDirectory === undefined || eventsFile === undefined || resultsFile === undefined || timeout === undefined) {
  throw new Error('usage: run-bundled-handler.ts <asset directory> <events.json> <results.json> <timeout ms>');
}

/** The request in progress, as the prefix names it; Lambda's prefix says `undefined` during init. */
let requestId = 'undefined';
const LEVELS = { log: 'INFO', info: 'INFO', warn: 'WARN', error: 'ERROR', debug: 'DEBUG', trace: 'TRACE' } as const;
for (const [method, level] of Object.entries(LEVELS) as Array<[keyof typeof LEVELS, string]>) {
  console[method] = (...args: unknown[]) =>
    void process.stdout.write(`${new Date().toISOString()}\t${requestId}\t${level}\t${format(...args)}\n`);
}

const { handler } = (await import(pathToFileURL(join(assetDirectory, 'index.mjs')).href)) as { handler: Handler };
const events = JSON.parse(readFileSync(eventsFile, 'utf8')) as APIGatewayProxyEvent[];
const results: APIGatewayProxyResult[] = [];
for (const [index, event] of events.entries()) {
  requestId = `bundled-${index}`;
  results.push(
    await handler(
      event,
      lambdaContext({
        endsAt: Date.now() + Number(timeout),
        awsRequestId: requestId,
        logStreamName: 'bundled',
      }),
    ),
  );
}
writeFileSync(resultsFile, JSON.stringify(results));
