/**
 * `local/migrate-saved-search-index.ts` against DynamoDB Local: subscriptions saved by a version without the
 * saved-search index get its items, so a new opportunity finds their searches; a user who changed their
 * searches after the scan keeps the index their change wrote; the layout step runs it once.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { LAYOUT_VERSION, migrateLocalData, recordedLayout } from '../../local/migrate';
import { indexSavedSearches } from '../../local/migrate-saved-search-index';
import { config } from '../../shared/config';
import { createDocumentClient, createDynamoDbClient } from '../../shared/db/client';
import { subscriptionRepository } from '../../shared/db/repositories';
import { subscriptionItem } from '../../shared/db/subscriptions';
import { defaultKinds, type SavedSearch } from '../../shared/domain/notifications/subscriptions';
import { savedSearchRecipients } from '../../shared/use-cases/notifications/saved-search-recipients';
import { useTestTables } from '../support/tables';

// A client of its own: the step scans (start-up only, never a request path), and the shared client's
// recorder fails any test that scans through it.
const raw = createDynamoDbClient({ region: config().region, endpoint: config().dynamodbEndpoint });
const client = createDocumentClient(raw);
const run = Math.random().toString(36).slice(2, 8);

beforeAll(async () => {
  await useTestTables();
});

/** Subscriptions as a version without the index wrote them: the one item, no index items. */
async function legacySubscriptions(sub: string, savedSearches: SavedSearch[]): Promise<void> {
  await client.send(
    new PutCommand({
      TableName: config().tables.registry,
      Item: subscriptionItem(
        sub,
        { email: { enabled: true, kinds: defaultKinds() }, savedSearches },
        1,
        '2026-11-01T09:00:00.000Z',
      ),
    }),
  );
}

const search = (id: string, regions: SavedSearch['regions']): SavedSearch => ({
  id,
  regions,
  services: ['health'],
  frequency: 'immediate',
});
const inWales = { regions: ['wales' as const], services: ['health' as const], estimatedValuePence: 1 };
const recipients = async () =>
  (await savedSearchRecipients({ subscriptions: subscriptionRepository() }, inWales)).map((r) => r.sub);

describe('indexSavedSearches', () => {
  it('indexes subscriptions written before the index, so an opportunity finds them', async () => {
    const old = `legacy-${run}`;
    await legacySubscriptions(old, [search('01JLEGACY00000000000000001', ['wales', 'london'])]);
    expect(await recipients()).not.toContain(old);
    expect(await indexSavedSearches(raw, config().tables.registry)).toBeGreaterThanOrEqual(1);
    expect(await recipients()).toContain(old);
    // Again: the same items, nothing else.
    await indexSavedSearches(raw, config().tables.registry);
    expect((await recipients()).filter((sub) => sub === old)).toHaveLength(1);
  });
});

describe('migrateLocalData, layout 7 (the saved-search index)', () => {
  it('indexes the saved searches of a directory that recorded layout 6, and records the current layout', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'layout-7-'));
    const old = `legacy-layout-${run}`;
    try {
      writeFileSync(join(dir, 'layout-version'), '6\n');
      await legacySubscriptions(old, [search('01JLEGACY00000000000000002', ['wales'])]);
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
      expect(log.join('\n')).toMatch(/key layout 7: saved searches of \d+ user/);
      expect(recordedLayout(dir)).toBe(LAYOUT_VERSION);
      expect(await recipients()).toContain(old);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
