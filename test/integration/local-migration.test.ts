/**
 * `local/migrate.ts` against DynamoDB Local: a data directory from before key layout 2 gets its
 * pre-qualification responses moved to their own partitions, once; fresh directories are only marked.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAYOUT_VERSION, migrateLocalData, recordedLayout } from '../../local/migrate';
import { config } from '../../shared/config';
import { createDocumentClient, createDynamoDbClient } from '../../shared/db/client';
import { sealedKeys } from '../../shared/db/keys';
import { useTestTables } from '../support/tables';

// A client of its own: the migration scans (start-up only, never a request path), and the shared client's
// recorder fails any test that scans through it.
const raw = createDynamoDbClient({ region: config().region, endpoint: config().dynamodbEndpoint });
const client = createDocumentClient(raw);
const dirs: string[] = [];
const newDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'layout-'));
  dirs.push(dir);
  return dir;
};

beforeAll(async () => {
  await useTestTables();
});
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const table = () => config().tables.sealed;
const get = async (key: Record<string, string>) =>
  (await client.send(new GetCommand({ TableName: table(), Key: key, ConsistentRead: true }))).Item;

describe('migrateLocalData', () => {
  it('moves layout-1 responses to their own partition, keeps the rest, and records layout 2', async () => {
    const dir = newDir();
    const old = { pk: 'COMP#MIG1', sk: 'RESPONSE#PROV1' };
    const mark = { pk: 'COMP#MIG1', sk: 'MARK#PROV1#e1' };
    await client.send(
      new PutCommand({
        TableName: table(),
        Item: { ...old, entity: 'prequalification-response', competitionId: 'MIG1', providerId: 'PROV1' },
      }),
    );
    await client.send(new PutCommand({ TableName: table(), Item: { ...mark, entity: 'response-mark' } }));
    const log: string[] = [];
    let recounts = 0;

    const moved = await migrateLocalData({
      dataDir: dir,
      client: raw,
      sealedTable: table(),
      fresh: false,
      rebuildDirectoryCounts: async () => {
        recounts += 1;
        return 7;
      },
      log: (line) => log.push(line),
    });

    expect(moved).toBeGreaterThanOrEqual(1);
    expect(await get(old)).toBeUndefined();
    expect(await get(sealedKeys.response('MIG1', 'PROV1'))).toMatchObject({
      ...sealedKeys.responseIndex('MIG1', 'PROV1'),
      entity: 'prequalification-response',
      competitionId: 'MIG1',
      providerId: 'PROV1',
    });
    expect(await get(mark)).toMatchObject({ entity: 'response-mark' });
    expect(recordedLayout(dir)).toBe(LAYOUT_VERSION);
    expect(log.join('\n')).toMatch(/key layout 2: \d+ pre-qualification response/);
    expect(log.join('\n')).toMatch(/key layout 3: directory counts rebuilt from 7 verified provider/);
    expect(recounts).toBe(1);

    // Once recorded, nothing runs again.
    expect(
      await migrateLocalData({
        dataDir: dir,
        client: raw,
        sealedTable: table(),
        fresh: false,
        rebuildDirectoryCounts: async () => {
          recounts += 1;
          return 0;
        },
        log: () => {},
      }),
    ).toBe(0);
    expect(recounts).toBe(1);
  });

  it('marks a fresh data directory without scanning', async () => {
    const dir = newDir();
    expect(recordedLayout(dir)).toBe(1);
    const moved = await migrateLocalData({
      dataDir: dir,
      client: raw,
      sealedTable: 'no-such-table',
      fresh: true,
      rebuildDirectoryCounts: () => Promise.reject(new Error('a fresh directory has nothing to count')),
      log: () => {},
    });
    expect(moved).toBe(0);
    expect(readFileSync(join(dir, 'layout-version'), 'utf8').trim()).toBe(String(LAYOUT_VERSION));
  });

  it('treats an unreadable marker as layout 1', () => {
    const dir = newDir();
    writeFileSync(join(dir, 'layout-version'), 'garbage');
    expect(recordedLayout(dir)).toBe(1);
  });
});
