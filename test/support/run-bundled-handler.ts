/**
 * Runs a bundled handler as Lambda would, in a process of its own whose environment is the function's:
 * imports `index.mjs` from the asset directory once (one container), invokes `handler` with each API
 * Gateway event in turn, and writes the results as a JSON array.
 *
 *   node run-bundled-handler.ts <asset directory> <events.json> <results.json> <timeout ms>
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { lambdaContext } from '../../local/lambda-context.ts';

type Handler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

const [assetDirectory, eventsFile, resultsFile, timeout] = process.argv.slice(2);
if (assetDirectory === undefined || eventsFile === undefined || resultsFile === undefined || timeout === undefined) {
  throw new Error('usage: run-bundled-handler.ts <asset directory> <events.json> <results.json> <timeout ms>');
}

const { handler } = (await import(pathToFileURL(join(assetDirectory, 'index.mjs')).href)) as { handler: Handler };
const events = JSON.parse(readFileSync(eventsFile, 'utf8')) as APIGatewayProxyEvent[];
const results: APIGatewayProxyResult[] = [];
for (const [index, event] of events.entries()) {
  results.push(
    await handler(
      event,
      lambdaContext({
        endsAt: Date.now() + Number(timeout),
        awsRequestId: `bundled-${index}`,
        logStreamName: 'bundled',
      }),
    ),
  );
}
writeFileSync(resultsFile, JSON.stringify(results));
