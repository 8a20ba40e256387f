/**
 * Sequential sample requests made before the load: they warm the handler (its first request imports it)
 * and read what one request costs in storage from the gateway's meter headers.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { meterStorage } from '../local/meter';
import { median } from './stats';

/** What the sample requests of one scenario cost. */
export interface StorageCost {
  samples: number;
  /** Status of each sample, in order. */
  statuses: number[];
  /** DynamoDB calls per request (median of the samples); null when the meter headers are missing. */
  calls: number | null;
  /** Consumed capacity units per request (median of the samples); null when the headers are missing. */
  capacity: number | null;
  /** True when the samples disagree, so the medians hide something worth a look. */
  varies: boolean;
  /** The SDK commands one request issued (from the last sample), e.g. `QueryCommand`. */
  commands: string[];
  /**
   * Calls per table in the last sample, by logical table name; a call naming several tables (a transaction)
   * counts once under their names joined with `+`, so the counts add up to the request's calls.
   */
  tables: Record<string, number>;
  /**
   * Calls per request that reach only the web session's table (median of the samples): what opening a
   * page's session costs, the counterpart of the JWT authorizer, which costs a JSON route nothing. Null
   * when the recorded calls disagree with the meter headers, so the split cannot be trusted.
   */
  sessionCalls: number | null;
  /** Calls per request on the service's own tables, every call but the session's (median; null as above). */
  serviceCalls: number | null;
}

/** The logical table of web sessions (and, locally, of the developer sign-in's identities). */
export const SESSION_TABLE = 'sessions';

/** One storage call a request made: its SDK command and the logical tables it named. */
export interface RecordedCall {
  command: string;
  tables: string[];
}

/** A request as fetch sends it. */
export interface SampleRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: string;
}

let recording: RecordedCall[] | undefined;
/** When a handler last sent a command (inside a gateway request), as `performance.now()`. */
let lastRequestCallAt = 0;
let logicalTable: (physical: string) => string = (physical) => physical;

/**
 * The tables a DynamoDB command's input names: `TableName` for single-item commands, Query and Scan; the
 * keys of `RequestItems` for batches; each item's table for transactions. Sorted, without repeats.
 * @param input the command's input, as the SDK middleware sees it.
 */
export function tablesOf(input: unknown): string[] {
  if (typeof input !== 'object' || input === null) return [];
  const names = new Set<string>();
  const { TableName, RequestItems, TransactItems } = input as Record<string, unknown>;
  if (typeof TableName === 'string') names.add(TableName);
  if (typeof RequestItems === 'object' && RequestItems !== null) {
    for (const name of Object.keys(RequestItems)) names.add(name);
  }
  if (Array.isArray(TransactItems)) {
    for (const item of TransactItems as unknown[]) {
      // Each transaction item holds one operation (Get, Put, Update, Delete or ConditionCheck).
      for (const operation of Object.values((item ?? {}) as Record<string, unknown>)) {
        const table = (operation as { TableName?: unknown } | null)?.TableName;
        if (typeof table === 'string') names.add(table);
      }
    }
  }
  return [...names].sort();
}

/**
 * Records the commands the handlers send while a sample is in flight, and the tables they name. The
 * gateway's meter headers give only counts; the names tell a Query from a GetItem (which floor applies),
 * expose a Scan, and tell a page's session calls from its service calls. The handlers run in this process,
 * on the very client passed here, so a middleware sees their calls.
 * @param client the DynamoDB client the handlers use.
 * @param tables physical table names by logical name (`config().tables`), to record logical names.
 */
export function installCommandRecorder(client: DynamoDBClient, tables: Record<string, string> = {}): void {
  const logical = new Map(Object.entries(tables).map(([name, physical]) => [physical, name]));
  logicalTable = (physical) => logical.get(physical) ?? physical;
  const name = 'benchCommandRecorder';
  if (client.middlewareStack.identify().some((entry) => entry.startsWith(name))) return;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      // Only calls made inside a gateway request, never the benchmark's own set-up or floor calls.
      if (meterStorage.getStore()) lastRequestCallAt = performance.now();
      if (recording && meterStorage.getStore()) {
        recording.push({
          command: String(context.commandName),
          tables: tablesOf(args.input).map((table) => logicalTable(table)),
        });
      }
      return next(args);
    },
    { step: 'initialize', name },
  );
}

/**
 * Splits one request's calls into those reaching only the session table and all others, and counts the
 * calls per table (a call naming several tables under their joined names).
 */
export function splitCalls(calls: readonly RecordedCall[]): {
  session: number;
  service: number;
  tables: Record<string, number>;
} {
  const tables: Record<string, number> = {};
  let session = 0;
  for (const call of calls) {
    const key = call.tables.length > 0 ? call.tables.join('+') : 'unknown';
    tables[key] = (tables[key] ?? 0) + 1;
    if (call.tables.length > 0 && call.tables.every((table) => table === SESSION_TABLE)) session += 1;
  }
  return { session, service: calls.length - session, tables };
}

function numberHeader(response: Response, name: string): number | null {
  const raw = response.headers.get(name);
  if (raw === null || raw === '') return null;
  const value = Number(raw);
  return Number.isFinite(value) ? value : null;
}

/**
 * Waits until no gateway request has sent a command for `quietMs` (at most `maxMs`). When a load run ends,
 * the gateway is still serving the requests in flight; their calls would be recorded as the next sample's.
 */
async function gatewayQuiet(quietMs = 1000, maxMs = 15_000): Promise<void> {
  const until = performance.now() + maxMs;
  for (;;) {
    const quietFor = performance.now() - lastRequestCallAt;
    if (quietFor >= quietMs || performance.now() >= until) return;
    await new Promise((resolve) => setTimeout(resolve, quietMs - quietFor));
  }
}

/** Sends `count` sequential requests and reads their storage cost from the meter headers. */
export async function sampleStorageCost(request: SampleRequest, count: number): Promise<StorageCost> {
  await gatewayQuiet();
  const statuses: number[] = [];
  const calls: number[] = [];
  const capacity: number[] = [];
  let missing = false;
  let commands: string[] = [];
  let tables: Record<string, number> = {};
  const sessionCalls: number[] = [];
  const serviceCalls: number[] = [];
  // The recorder sees the calls of this process's client; the meter every call of the request. Only when
  // they agree on every sample is the session/service split a fact.
  let splitTrusted = true;
  for (let i = 0; i < count; i += 1) {
    recording = [];
    try {
      const response = await fetch(request.url, {
        method: request.method,
        headers: request.headers,
        ...(request.body !== undefined ? { body: request.body } : {}),
      });
      await response.arrayBuffer();
      statuses.push(response.status);
      const callCount = numberHeader(response, 'x-local-dynamodb-calls');
      const units = numberHeader(response, 'x-local-consumed-capacity');
      if (callCount === null || units === null) missing = true;
      else {
        calls.push(callCount);
        capacity.push(units);
      }
      if (callCount !== recording.length) splitTrusted = false;
      const split = splitCalls(recording);
      sessionCalls.push(split.session);
      serviceCalls.push(split.service);
      tables = split.tables;
      commands = recording.map((call) => call.command);
    } finally {
      recording = undefined;
    }
  }
  const varies = new Set(calls).size > 1 || new Set(capacity).size > 1;
  const trusted = splitTrusted && !missing;
  return {
    samples: count,
    statuses,
    calls: missing ? null : median(calls),
    capacity: missing ? null : median(capacity),
    varies,
    commands,
    tables,
    sessionCalls: trusted ? median(sessionCalls) : null,
    serviceCalls: trusted ? median(serviceCalls) : null,
  };
}
