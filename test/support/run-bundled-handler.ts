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

type Handler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

const [assetDirectory, eventsFile, resultsFile, timeout] = process.argv.slice(2);
if (assetDirectory === undefined || eventsFile === undefined || resultsFile === undefined || timeout === undefined) {
  throw new Error('usage: run-bundled-handler.ts <asset directory> <events.json> <results.json> <timeout ms>');
}

function lambdaContext(timeoutMs: number, invocation: number): Context {
  const endsAt = Date.now() + timeoutMs;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: 'start-chat-contact',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:start-chat-contact',
    memoryLimitInMB: '512',
    awsRequestId: `bundled-${invocation}`,
    logGroupName: '/aws/lambda/start-chat-contact',
    logStreamName: 'bundled',
    getRemainingTimeInMillis: () => Math.max(0, endsAt - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

const { handler } = (await import(pathToFileURL(join(assetDirectory, 'index.mjs')).href)) as { handler: Handler };
const events = JSON.parse(readFileSync(eventsFile, 'utf8')) as APIGatewayProxyEvent[];
const results: APIGatewayProxyResult[] = [];
for (const [index, event] of events.entries()) {
  results.push(await handler(event, lambdaContext(Number(timeout), index)));
}
writeFileSync(resultsFile, JSON.stringify(results));
