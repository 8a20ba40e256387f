/**
 * Snapshots of this test file's tables, to show that a refused request wrote nothing.
 *
 * It scans: a test is not a request path, and reading whole (small, per-file) tables is the only way to
 * see a write to a partition nobody thought of. It uses a DynamoDB client of its own, so the no-scan guard
 * (`test/setup/no-scan.ts`, which watches the process-wide client every request path uses) keeps watching
 * the handlers and does not see these scans.
 */
import { DynamoDBClient, paginateScan } from '@aws-sdk/client-dynamodb';
import { expect } from 'vitest';
import { config } from '../../shared/config';
import { TABLE_NAMES, type TableName } from '../../shared/db/table-names';

/** Every item of the watched tables, by `table pk sk` (or `table id`), as canonical JSON. */
export type Snapshot = Map<string, string>;

/** What changed between two snapshots. */
export interface SnapshotDiff {
  added: string[];
  removed: string[];
  changed: string[];
}

/** Sorts object keys so equal items give equal JSON whatever order DynamoDB returned attributes in. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object' && !(value instanceof Uint8Array)) {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, canonical((value as Record<string, unknown>)[key])]),
    );
  }
  return value instanceof Uint8Array ? Buffer.from(value).toString('base64') : value;
}

/** Reads whole tables; make one per test file. */
export function tableSnapshots() {
  const { region, dynamodbEndpoint, tables: names } = config();
  const client = new DynamoDBClient({
    region,
    endpoint: dynamodbEndpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const scanTable = async (table: TableName): Promise<[string, string][]> => {
    const entries: [string, string][] = [];
    try {
      for await (const page of paginateScan({ client }, { TableName: names[table], ConsistentRead: true })) {
        for (const item of page.Items ?? []) {
          const key = item.pk?.S !== undefined ? `${item.pk.S} ${item.sk?.S ?? ''}` : String(item.id?.S);
          entries.push([`${table} ${key}`, JSON.stringify(canonical(item))]);
        }
      }
    } catch (error) {
      // A table the test file never created holds nothing.
      if ((error as { name?: string }).name !== 'ResourceNotFoundException') throw error;
    }
    return entries;
  };
  return {
    /** Every item of the given tables. */
    async take(tables: readonly TableName[]): Promise<Snapshot> {
      const all = await Promise.all(tables.map(scanTable));
      return new Map(all.flat());
    },
    diff(before: Snapshot, after: Snapshot): SnapshotDiff {
      const added = [...after.keys()].filter((key) => !before.has(key));
      const removed = [...before.keys()].filter((key) => !after.has(key));
      const changed = [...after.keys()].filter(
        (key) => before.has(key) && before.get(key) !== after.get(key),
      );
      return { added, removed, changed };
    },
    close(): void {
      client.destroy();
    },
  };
}

/** Every item of the given tables, in one call with a client of its own. */
async function snapshotOf(tables: readonly TableName[]): Promise<Snapshot> {
  const snapshots = tableSnapshots();
  try {
    return await snapshots.take(tables);
  } finally {
    snapshots.close();
  }
}

/** Every item of every table of this test file, in one call (for a before/after `toEqual`). */
export async function tableSnapshot(): Promise<Snapshot> {
  return snapshotOf(TABLE_NAMES);
}

/** Every item of every table but the sessions table (which any signed-in request may touch): what a page may change. */
export async function dataSnapshot(): Promise<Snapshot> {
  return snapshotOf(['registry', 'procurement', 'sealed', 'audit']);
}

/** Runs `request` and shows it wrote nothing outside the sessions table (`dataSnapshot`); returns its result. */
export async function writesNothing<T>(request: () => Promise<T>): Promise<T> {
  const before = await dataSnapshot();
  const result = await request();
  expect(await dataSnapshot()).toEqual(before);
  return result;
}
