/**
 * `npm run invoke -- "<METHOD /path>" events/<file>.json` runs one route's handler with a sample API
 * Gateway v2 event against the configured DynamoDB, like `sam local invoke`, and prints the response.
 * Without DYNAMODB_ENDPOINT it starts DynamoDB Local on the data directory for the duration of the call
 * (stop `npm start` first, or point DYNAMODB_ENDPOINT at the one it runs).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { FUNCTIONS, findRoute } from '../shared/http/routes';
import type { HttpEvent, HttpResult } from '../shared/http/types';
import { type DynamoDbLocal, startDynamoDbLocal } from './dynamodb-local';
import { exportHandlerEnvironment, localConfig } from './local-config';

const usage = 'Usage: npm run invoke -- "GET /me" events/get-me.json';

async function main(): Promise<number> {
  const [routeKey, eventFile] = process.argv.slice(2);
  if (!routeKey || !eventFile) throw new Error(usage);
  const route = findRoute(routeKey);
  if (!route) throw new Error(`No route "${routeKey}" in the route table. ${usage}`);
  const event = JSON.parse(readFileSync(resolve(eventFile), 'utf8')) as HttpEvent;
  if (event.routeKey !== routeKey) {
    console.error(`Note: the event's routeKey is "${event.routeKey}"; invoking it as "${routeKey}".`);
    event.routeKey = routeKey;
    event.requestContext.routeKey = routeKey;
  }
  // The sample's timestamp would make deadline checks judge a long-gone moment; use now.
  event.requestContext.timeEpoch = Date.now();

  const settings = localConfig();
  let dynamo: DynamoDbLocal | undefined;
  let endpoint = settings.dynamodbEndpoint;
  try {
    if (!endpoint) {
      console.error(
        `DYNAMODB_ENDPOINT is not set: starting DynamoDB Local on ${settings.dataDir} for this call.`,
      );
      dynamo = await startDynamoDbLocal({ dbPath: resolve(settings.dataDir, 'dynamodb') });
      endpoint = dynamo.endpoint;
    }
    exportHandlerEnvironment({ dynamodbEndpoint: endpoint, logLevel: settings.logLevel });
    const { config } = await import('../shared/config');
    const { dynamoDbClient } = await import('../shared/db/client');
    const { ensureTables } = await import('../shared/db/create-tables');
    await ensureTables(dynamoDbClient(), config().tables);

    const entry = resolve(import.meta.dirname, '..', FUNCTIONS[route.function].entry);
    const module = (await import(pathToFileURL(entry).href)) as {
      handler: (event: HttpEvent, context: unknown) => Promise<HttpResult>;
    };
    const started = performance.now();
    const result = await module.handler(event, {
      awsRequestId: 'invoke-local',
      functionName: route.function,
      functionVersion: '$LATEST',
      getRemainingTimeInMillis: () => 30_000,
      callbackWaitsForEmptyEventLoop: false,
    });
    const elapsed = performance.now() - started;
    let body: unknown = result.body;
    try {
      body = JSON.parse(result.body ?? '');
    } catch {
      // not JSON; print as is
    }
    console.log(JSON.stringify({ statusCode: result.statusCode, headers: result.headers, body }, null, 2));
    console.error(`${route.function}: ${routeKey} answered ${result.statusCode} in ${elapsed.toFixed(1)} ms`);
    return (result.statusCode ?? 200) >= 500 ? 1 : 0;
  } finally {
    await dynamo?.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error((error as Error).message);
    process.exit(2);
  },
);
