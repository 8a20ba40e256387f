/**
 * Per-request accounting of DynamoDB calls and consumed capacity on the local stack, for the benchmark and
 * for curious developers: the gateway runs each request in an AsyncLocalStorage scope and a middleware on
 * the shared DynamoDB client adds to it. Production code knows nothing of this.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/** What one request cost. */
export interface Meter {
  calls: number;
  capacity: number;
  commands: string[];
}

/** The scope in which a request runs. */
export const meterStorage = new AsyncLocalStorage<Meter>();

// Document-client commands reach the client stack under their own names (PutCommand, QueryCommand, …).
const CAPACITY_COMMANDS = new Set([
  'GetCommand',
  'PutCommand',
  'UpdateCommand',
  'DeleteCommand',
  'BatchGetCommand',
  'BatchWriteCommand',
  'TransactGetCommand',
  'TransactWriteCommand',
  'GetItemCommand',
  'PutItemCommand',
  'UpdateItemCommand',
  'DeleteItemCommand',
  'QueryCommand',
  'ScanCommand',
  'BatchGetItemCommand',
  'BatchWriteItemCommand',
  'TransactGetItemsCommand',
  'TransactWriteItemsCommand',
]);

type CapacityEntry = { CapacityUnits?: number };

function sumCapacity(consumed: unknown): number {
  if (!consumed) return 0;
  const list = Array.isArray(consumed) ? consumed : [consumed];
  return list.reduce((total: number, entry: CapacityEntry) => total + (entry?.CapacityUnits ?? 0), 0);
}

/** Installs the metering middleware on a client (idempotent per client). */
export function installMeter(client: DynamoDBClient): void {
  const name = 'localRequestMeter';
  if (client.middlewareStack.identify().some((entry) => entry.startsWith(name))) return;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const meter = meterStorage.getStore();
      const command = String(context.commandName);
      const input = args.input as Record<string, unknown>;
      if (meter && CAPACITY_COMMANDS.has(command) && input.ReturnConsumedCapacity === undefined) {
        input.ReturnConsumedCapacity = 'TOTAL';
      }
      const result = await next(args);
      if (meter) {
        meter.calls += 1;
        meter.commands.push(command);
        meter.capacity += sumCapacity((result.output as unknown as Record<string, unknown>).ConsumedCapacity);
      }
      return result;
    },
    { step: 'initialize', name },
  );
}
