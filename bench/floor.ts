/**
 * The floor: DynamoDB Local's own round trip, measured in the same run (same machine, same moment, same
 * client) as the routes, so each route's latency can be judged as a multiple of what storage alone costs.
 *
 * DynamoDB Local is a JVM: its first few thousand calls run several times slower than the rest while the
 * JIT compiles them (a GetItem p50 falls from ~4 ms to ~1 ms here). So the database is warmed up first, by
 * a number of calls rather than seconds (the JIT counts invocations, and a busy machine makes fewer per
 * second), and the floor is measured again after the routes to show any drift.
 */
import type { ConsumedCapacity } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { type Percentiles, summarise } from './stats';

/** One measured storage operation. */
export interface FloorOperation {
  latency: Percentiles;
  /** Capacity units one call consumed (the same every time for a fixed item). */
  capacity: number;
}

/** The raw GetItem and Query round trips at one moment of the run. */
export interface Floor {
  iterations: number;
  getItem: FloorOperation;
  query: FloorOperation;
  /** Items the query reads per call (its `Limit`). */
  queryLimit: number;
}

/** Where the floor items live. */
export interface FloorTarget {
  client: DynamoDBDocumentClient;
  tableName: string;
}

// A partition of its own, so the floor items can never show up in a route's results.
const FLOOR_PARTITION = 'BENCH#floor';
const ITEM_COUNT = 30;
const QUERY_LIMIT = 25;

// Calls ask for consumed capacity, as the metered handlers' calls do, so both sides do the same work.
function getItem(target: FloorTarget) {
  return target.client.send(
    new GetCommand({
      TableName: target.tableName,
      Key: { pk: FLOOR_PARTITION, sk: 'ITEM#000' },
      ReturnConsumedCapacity: 'TOTAL',
    }),
  );
}

function query(target: FloorTarget) {
  return target.client.send(
    new QueryCommand({
      TableName: target.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': FLOOR_PARTITION },
      Limit: QUERY_LIMIT,
      ReturnConsumedCapacity: 'TOTAL',
    }),
  );
}

/** Writes the items the floor reads: 30 items of about a directory entry's size in one partition. */
export async function putFloorItems(target: FloorTarget): Promise<void> {
  for (let i = 0; i < ITEM_COUNT; i += 1) {
    await target.client.send(
      new PutCommand({
        TableName: target.tableName,
        Item: {
          pk: FLOOR_PARTITION,
          sk: `ITEM#${String(i).padStart(3, '0')}`,
          name: `Floor provider ${i}`,
          description: 'x'.repeat(200),
          regions: ['north-west', 'yorkshire'],
        },
      }),
    );
  }
}

/**
 * Alternates GetItem and Query until `calls` calls are made, so the JVM has compiled both paths.
 * @returns the seconds it took.
 */
export async function warmUpDatabase(target: FloorTarget, calls: number): Promise<number> {
  const started = performance.now();
  for (let made = 0; made < calls; made += 2) {
    await getItem(target);
    await query(target);
  }
  return (performance.now() - started) / 1000;
}

interface RawSamples {
  getItem: number[];
  query: number[];
  getItemCapacity: number;
  queryCapacity: number;
}

async function time(
  iterations: number,
  call: () => Promise<{ ConsumedCapacity?: ConsumedCapacity }>,
): Promise<{ samples: number[]; capacity: number }> {
  const samples: number[] = [];
  let capacity = 0;
  for (let i = 0; i < iterations; i += 1) {
    const started = performance.now();
    const result = await call();
    samples.push(performance.now() - started);
    capacity = result.ConsumedCapacity?.CapacityUnits ?? 0;
  }
  return { samples, capacity };
}

async function sample(target: FloorTarget, iterations: number): Promise<RawSamples> {
  const get = await time(iterations, () => getItem(target));
  const q = await time(iterations, () => query(target));
  return { getItem: get.samples, query: q.samples, getItemCapacity: get.capacity, queryCapacity: q.capacity };
}

function floorOf(raw: RawSamples): Floor {
  return {
    iterations: raw.getItem.length,
    getItem: { latency: summarise(raw.getItem), capacity: raw.getItemCapacity },
    query: { latency: summarise(raw.query), capacity: raw.queryCapacity },
    queryLimit: QUERY_LIMIT,
  };
}

/** Times `iterations` sequential GetItem calls, then as many Query (Limit 25) calls, on the floor items. */
export async function measureFloor(target: FloorTarget, iterations: number): Promise<Floor> {
  return floorOf(await sample(target, iterations));
}

/**
 * Measures the floor just before and just after `during`, pooling both halves: on a shared machine the
 * load from other work drifts, and a floor that brackets a measurement in time drifts with it.
 */
export async function measureFloorAround<T>(
  target: FloorTarget,
  iterationsEachSide: number,
  during: () => Promise<T>,
): Promise<{ floor: Floor; result: T }> {
  const before = await sample(target, iterationsEachSide);
  const result = await during();
  const after = await sample(target, iterationsEachSide);
  const floor = floorOf({
    getItem: [...before.getItem, ...after.getItem],
    query: [...before.query, ...after.query],
    getItemCapacity: after.getItemCapacity,
    queryCapacity: after.queryCapacity,
  });
  return { floor, result };
}
