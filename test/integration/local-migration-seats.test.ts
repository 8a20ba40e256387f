/**
 * `local/migrate.ts`, layout 4, against DynamoDB Local: competitions created before seats existed get
 * their lead's and panel's seats (and the lead's listing among every competition) written once, from their
 * records and panels, which stay exactly as they were (the audit log keeps their digests).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAYOUT_VERSION, migrateLocalData, recordedLayout } from '../../local/migrate';
import { config } from '../../shared/config';
import { createDocumentClient, createDynamoDbClient } from '../../shared/db/client';
import { procurementKeys } from '../../shared/db/keys';
import { competitionRepository } from '../../shared/db/repositories';
import { useTestTables } from '../support/tables';

// A client of its own: the migration scans (start-up only), which the shared client's recorder refuses.
const raw = createDynamoDbClient({ region: config().region, endpoint: config().dynamodbEndpoint });
const client = createDocumentClient(raw);
const dirs: string[] = [];

beforeAll(async () => {
  await useTestTables();
});
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const table = () => config().tables.procurement;
const get = async (key: Record<string, string>) =>
  (await client.send(new GetCommand({ TableName: table(), Key: key, ConsistentRead: true }))).Item;

/** A competition record and panel as an older version wrote them: no seats anywhere. */
async function legacyCompetition(options: { lead: string; evaluators?: string[]; moderator?: string }) {
  const id = ulid();
  const createdAt = new Date(Date.now() - 86_400_000).toISOString();
  const record = {
    ...procurementKeys.competition(id),
    entity: 'competition',
    id,
    title: `Legacy ${id}`,
    status: 'draft',
    leadSub: options.lead,
    createdAt,
    updatedAt: createdAt,
    tenderDeadline: new Date(Date.now() + 30 * 86_400_000).toISOString(),
    version: 1,
  };
  await client.send(new PutCommand({ TableName: table(), Item: record }));
  if (options.evaluators && options.moderator) {
    await client.send(
      new PutCommand({
        TableName: table(),
        Item: {
          ...procurementKeys.panel(id),
          entity: 'panel',
          evaluators: options.evaluators,
          moderator: options.moderator,
          setAt: createdAt,
          setBy: options.lead,
        },
      }),
    );
  }
  return { id, createdAt, record };
}

const migrate = (dataDir: string, fresh = false) =>
  migrateLocalData({
    dataDir,
    client: raw,
    sealedTable: config().tables.sealed,
    procurementTable: table(),
    fresh,
    rebuildDirectoryCounts: () => Promise.reject(new Error('layout 3 is recorded already')),
    log: () => {},
  });

describe('migrateLocalData, layout 4 (seats)', () => {
  it('writes the seats of competitions from before layout 4, once, leaving their records alone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'layout-4-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'layout-version'), '3\n');
    const lead = `lead-${ulid()}`;
    const [e1, e2, moderator] = [`e1-${ulid()}`, `e2-${ulid()}`, `mod-${ulid()}`];
    const paneled = await legacyCompetition({ lead, evaluators: [e1, e2, lead], moderator });
    const bare = await legacyCompetition({ lead });

    const written = await migrate(dir);

    expect(written).toBeGreaterThanOrEqual(5);
    expect(recordedLayout(dir)).toBe(LAYOUT_VERSION);
    expect(LAYOUT_VERSION).toBeGreaterThanOrEqual(4);
    // The records are byte for byte what they were.
    expect(await get(procurementKeys.competition(paneled.id))).toEqual(paneled.record);
    expect(await get(procurementKeys.competition(bare.id))).toEqual(bare.record);
    // Every seat, with every role its holder has; only the lead's lists the competition on gsi2.
    expect(await get(procurementKeys.seat(lead, paneled))).toMatchObject({
      roles: ['lead', 'evaluator'],
      competitionId: paneled.id,
      gsi2pk: 'COMPETITIONS',
      gsi2sk: `${paneled.createdAt}#${paneled.id}`,
    });
    const evaluatorSeat = await get(procurementKeys.seat(e1, paneled));
    expect(evaluatorSeat).toMatchObject({ roles: ['evaluator'], competitionId: paneled.id });
    expect(evaluatorSeat?.gsi2pk).toBeUndefined();
    expect(await get(procurementKeys.seat(e2, paneled))).toMatchObject({ roles: ['evaluator'] });
    expect(await get(procurementKeys.seat(moderator, paneled))).toMatchObject({ roles: ['moderator'] });
    expect(await get(procurementKeys.seat(lead, bare))).toMatchObject({ roles: ['lead'] });

    // The repository lists them: the lead's newest first, the moderator's one.
    const leads = await competitionRepository().seats(lead, { limit: 10 });
    expect(leads.items.map((s) => s.competitionId).sort()).toEqual([bare.id, paneled.id].sort());
    const moderated = await competitionRepository().seats(moderator, { limit: 10 });
    expect(moderated.items).toEqual([
      { competitionId: paneled.id, createdAt: paneled.createdAt, sub: moderator, roles: ['moderator'] },
    ]);
    const listed = await client.send(
      new QueryCommand({
        TableName: table(),
        IndexName: 'gsi2',
        KeyConditionExpression: 'gsi2pk = :pk',
        ExpressionAttributeValues: { ':pk': 'COMPETITIONS' },
      }),
    );
    const ids = (listed.Items ?? []).map((item) => item.competitionId);
    expect(ids.filter((id) => id === paneled.id)).toHaveLength(1);
    expect(ids.filter((id) => id === bare.id)).toHaveLength(1);

    // Recorded: a second start writes nothing.
    expect(await migrate(dir)).toBe(0);
  });

  it('writes no seats into a data directory whose tables were just created', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'layout-4-fresh-'));
    dirs.push(dir);
    const lead = `lead-${ulid()}`;
    const unseen = await legacyCompetition({ lead });
    expect(await migrate(dir, true)).toBe(0);
    expect(await get(procurementKeys.seat(lead, unseen))).toBeUndefined();
    expect(recordedLayout(dir)).toBe(LAYOUT_VERSION);
  });
});
