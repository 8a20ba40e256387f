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
}

/** A request as fetch sends it. */
export interface SampleRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: string;
}

let recording: string[] | undefined;

/**
 * Records the names of the commands the handlers send while a sample is in flight. The gateway's meter
 * headers give only counts; the names tell a Query from a GetItem (which floor applies) and expose a Scan.
 * The handlers run in this process, on the very client passed here, so a middleware sees their calls.
 */
export function installCommandRecorder(client: DynamoDBClient): void {
  const name = 'benchCommandRecorder';
  if (client.middlewareStack.identify().some((entry) => entry.startsWith(name))) return;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      // Only calls made inside a gateway request, never the benchmark's own set-up or floor calls.
      if (recording && meterStorage.getStore()) recording.push(String(context.commandName));
      return next(args);
    },
    { step: 'initialize', name },
  );
}

function numberHeader(response: Response, name: string): number | null {
  const raw = response.headers.get(name);
  if (raw === null || raw === '') return null;
  const value = Number(raw);
  return Number.isFinite(value) ? value : null;
}

/** Sends `count` sequential requests and reads their storage cost from the meter headers. */
export async function sampleStorageCost(request: SampleRequest, count: number): Promise<StorageCost> {
  const statuses: number[] = [];
  const calls: number[] = [];
  const capacity: number[] = [];
  let missing = false;
  let commands: string[] = [];
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
      commands = recording;
    } finally {
      recording = undefined;
    }
  }
  const varies = new Set(calls).size > 1 || new Set(capacity).size > 1;
  return {
    samples: count,
    statuses,
    calls: missing ? null : median(calls),
    capacity: missing ? null : median(capacity),
    varies,
    commands,
  };
}
