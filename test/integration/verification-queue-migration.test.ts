/**
 * `local/migrate-verification-queue.ts` against DynamoDB Local: providers left pending by a version without
 * the verification queue get its index keys, in waiting order, once; verified and rejected ones, and those
 * indexed already, are left alone.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { LAYOUT_VERSION, migrateLocalData, recordedLayout } from '../../local/migrate';
import { indexPendingProviders } from '../../local/migrate-verification-queue';
import { config } from '../../shared/config';
import { createDocumentClient, createDynamoDbClient } from '../../shared/db/client';
import { registryKeys } from '../../shared/db/keys';
import { providerRepository } from '../../shared/db/repositories';
import type { Provider } from '../../shared/domain/providers';
import { useTestTables } from '../support/tables';

// A client of its own: the step scans (start-up only, never a request path), and the shared client's
// recorder fails any test that scans through it.
const raw = createDynamoDbClient({ region: config().region, endpoint: config().dynamodbEndpoint });
const client = createDocumentClient(raw);

beforeAll(async () => {
  await useTestTables();
});

/** A profile as a version without the queue wrote it: no index keys. */
async function legacyProfile(id: string, status: Provider['status'], createdAt: string): Promise<void> {
  const provider: Provider = {
    id,
    name: `Legacy ${id.slice(-4)}`,
    legalForm: 'unincorporated_association',
    sector: 'voluntary',
    size: 'micro',
    regions: ['wales'],
    services: ['health'],
    contact: { name: 'Alex', email: 'alex@example.org' },
    status,
    createdAt,
    updatedAt: createdAt,
    version: 1,
  };
  await client.send(
    new PutCommand({
      TableName: config().tables.registry,
      Item: { ...registryKeys.provider(id), entity: 'provider', ...provider },
    }),
  );
}

describe('indexPendingProviders', () => {
  it('puts pending profiles written before the queue into it, oldest first, and only once', async () => {
    await legacyProfile('01JLEGACY00000000000000002', 'pending', '2026-10-02T09:00:00.000Z');
    await legacyProfile('01JLEGACY00000000000000001', 'pending', '2026-10-01T09:00:00.000Z');
    await legacyProfile('01JLEGACY00000000000000003', 'verified', '2026-09-01T09:00:00.000Z');
    await legacyProfile('01JLEGACY00000000000000004', 'rejected', '2026-09-02T09:00:00.000Z');
    expect((await providerRepository().pendingQueue({ limit: 10 })).items).toEqual([]);

    expect(await indexPendingProviders(raw, config().tables.registry)).toBe(2);
    const queue = await providerRepository().pendingQueue({ limit: 10 });
    expect(queue.items.map((p) => p.id)).toEqual([
      '01JLEGACY00000000000000001',
      '01JLEGACY00000000000000002',
    ]);
    expect(await indexPendingProviders(raw, config().tables.registry)).toBe(0);
  });
});

describe('migrateLocalData, layout 6 (the verification queue)', () => {
  it('indexes the pending providers of a directory that recorded layout 5, and records the current layout', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'layout-6-'));
    try {
      writeFileSync(join(dir, 'layout-version'), '5\n');
      await legacyProfile('01JLEGACY00000000000000005', 'pending', '2026-08-01T09:00:00.000Z');
      const log: string[] = [];
      await migrateLocalData({
        dataDir: dir,
        client: raw,
        sealedTable: config().tables.sealed,
        registryTable: config().tables.registry,
        fresh: false,
        rebuildDirectoryCounts: () => Promise.reject(new Error('layout 3 is recorded already')),
        log: (line) => log.push(line),
      });
      expect(log.join('\n')).toMatch(/key layout 6: 1 pending provider/);
      expect(recordedLayout(dir)).toBe(LAYOUT_VERSION);
      const queue = await providerRepository().pendingQueue({ limit: 10 });
      expect(queue.items.map((p) => p.id)[0]).toBe('01JLEGACY00000000000000005');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
