/**
 * Brings a local data directory written by an older version up to the current key layout, so `npm start`
 * keeps working on the data a developer already has. Local data only, once per data directory, at
 * start-up: it scans, which no request path may do. The layout a directory holds is recorded in
 * `<dataDir>/layout-version`; a directory without the file predates it (layout 1).
 *
 * Layout 2 moved pre-qualification responses out of the competition's partition in the sealed table
 * (`COMP#<id>` / `RESPONSE#<provider>`) into one of the applicant's own (`RESPONSE#<id>#<provider>` /
 * `RESPONSE`, listed through gsi1 `RESPONSES#<id>`), so an applicant's credentials can put its response
 * without reaching evaluation data or other applicants' responses.
 *
 * Layout 3 added the directory's count items (registry `DIRCOUNT#…`), kept on write since; a directory
 * from before has none, so they are counted once from the directory entries.
 *
 * Layout 4 added seats (procurement `SEATS#<sub>` / `COMP#<created at>#<id>`: the competitions a user leads
 * or sits on the panel of, the lead's also listing the competition among every competition on gsi2),
 * written since with the competition and with each panel; they are written once from the competitions'
 * records and panels. The records themselves are not touched: the audit log keeps their digests.
 *
 * Layout 5 added the sub-contracting dashboard's region listings (subcontracting `REGIONFIG#<region>` /
 * `CONTRACT#<id>`), written since with a contract's first return; every contract that has filed one (it has
 * a `FIG#ALL` item) is listed once under each region it counts in, from its record in procurement.
 */

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  ScanCommand,
  type ScanCommandOutput,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { config } from '../shared/config';
import { createDocumentClient } from '../shared/db/client';
import { seatItem, seatsOf } from '../shared/db/competitions';
import { contractKeys, sealedKeys, subcontractingKeys } from '../shared/db/keys';
import { regionContractPuts } from '../shared/db/subcontracting';
import type { Competition, Panel } from '../shared/domain/competitions';
import type { Contract } from '../shared/domain/contracts';
import { figureRegions } from '../shared/domain/subcontracting/rollups';
import { indexSavedSearches } from './migrate-saved-search-index';
import { indexPendingProviders } from './migrate-verification-queue';

/** The key layout this version writes. */
export const LAYOUT_VERSION = 7;

const FILE = 'layout-version';

/** The layout recorded in `dataDir` (1 when none is). */
export function recordedLayout(dataDir: string): number {
  const path = join(dataDir, FILE);
  if (!existsSync(path)) return 1;
  const value = Number(readFileSync(path, 'utf8').trim());
  return Number.isInteger(value) && value > 0 ? value : 1;
}

/**
 * Layout 4: writes every competition's seats from its record (the lead) and panel, one scan of the
 * procurement table's competition partitions. Returns how many seats it wrote.
 */
async function writeSeats(client: DynamoDBClient, procurementTable: string): Promise<number> {
  const documents = createDocumentClient(client);
  const records = new Map<string, Pick<Competition, 'id' | 'createdAt' | 'leadSub'>>();
  const panels = new Map<string, Panel>();
  let startKey: Record<string, unknown> | undefined;
  do {
    const page: ScanCommandOutput = await documents.send(
      new ScanCommand({
        TableName: procurementTable,
        FilterExpression: 'begins_with(pk, :comp) AND (sk = :meta OR sk = :panel)',
        ExpressionAttributeValues: { ':comp': 'COMP#', ':meta': 'META', ':panel': 'PANEL' },
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of page.Items ?? []) {
      const id = String(item.pk).slice('COMP#'.length);
      if (item.sk === 'META') {
        records.set(id, { id, createdAt: String(item.createdAt), leadSub: String(item.leadSub) });
      } else {
        panels.set(id, item as unknown as Panel);
      }
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  let written = 0;
  for (const [id, competition] of records) {
    const seats = [...seatsOf(competition.leadSub, panels.get(id))].map(([sub, roles]) =>
      seatItem(procurementTable, competition, sub, roles),
    );
    // At most 22 seats (the lead, 20 evaluators, the moderator): one transaction per competition.
    await documents.send(new TransactWriteCommand({ TransactItems: seats }));
    written += seats.length;
  }
  return written;
}

/**
 * Layout 5: lists every contract that has filed a return under each region it counts in, one scan of the
 * sub-contracting table's cumulative figure items and the contracts' records read in batches. Returns how
 * many listings it wrote.
 */
async function writeRegionListings(
  client: DynamoDBClient,
  tables: { subcontracting: string; procurement: string },
): Promise<number> {
  const documents = createDocumentClient(client);
  const filed = new Map<string, string>();
  let startKey: Record<string, unknown> | undefined;
  do {
    const page: ScanCommandOutput = await documents.send(
      new ScanCommand({
        TableName: tables.subcontracting,
        FilterExpression: 'sk = :all AND begins_with(pk, :contract)',
        ExpressionAttributeValues: { ':all': subcontractingKeys.cumulativeSk, ':contract': 'CONTRACT#' },
        ExclusiveStartKey: startKey,
      }),
    );
    // When the first return was filed is not kept; the latest filing is the nearest date there is.
    for (const item of page.Items ?? []) filed.set(String(item.contractId), String(item.lastFiledAt ?? ''));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  const ids = [...filed.keys()];
  let written = 0;
  for (let i = 0; i < ids.length; i += 100) {
    let pending: Record<string, string>[] = ids.slice(i, i + 100).map((id) => contractKeys.contract(id));
    while (pending.length > 0) {
      const got: BatchGetCommandOutput = await documents.send(
        new BatchGetCommand({ RequestItems: { [tables.procurement]: { Keys: pending } } }),
      );
      for (const item of got.Responses?.[tables.procurement] ?? []) {
        const contract = item as unknown as Contract;
        const puts = regionContractPuts(
          tables.subcontracting,
          contract,
          figureRegions(contract),
          filed.get(contract.id) ?? '',
        );
        await documents.send(new TransactWriteCommand({ TransactItems: puts }));
        written += puts.length;
      }
      pending = (got.UnprocessedKeys?.[tables.procurement]?.Keys ?? []) as Record<string, string>[];
    }
  }
  return written;
}

/**
 * Migrates the tables to `LAYOUT_VERSION` if `dataDir` records an older layout, then records the current
 * one. `fresh` (the tables were just created) records it without looking. Returns how many items it moved
 * (layout 2) or wrote (layout 4).
 */
export async function migrateLocalData(options: {
  dataDir: string;
  client: DynamoDBClient;
  sealedTable: string;
  /** The procurement table (layouts 4 and 5); the configured one when not given. */
  procurementTable?: string;
  /** The sub-contracting table (layout 5); the configured one when not given. */
  subcontractingTable?: string;
  /** The registry table (layout 6); the configured one when not given. */
  registryTable?: string;
  fresh: boolean;
  /** Counts the directory's verified providers into the count items (layout 3). */
  rebuildDirectoryCounts: () => Promise<number>;
  log: (line: string) => void;
}): Promise<number> {
  let moved = 0;
  const from = recordedLayout(options.dataDir);
  if (!options.fresh && from < 2) {
    const client = createDocumentClient(options.client);
    let startKey: Record<string, unknown> | undefined;
    do {
      const page: ScanCommandOutput = await client.send(
        new ScanCommand({
          TableName: options.sealedTable,
          FilterExpression: 'begins_with(pk, :comp) AND begins_with(sk, :response)',
          ExpressionAttributeValues: { ':comp': 'COMP#', ':response': 'RESPONSE#' },
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) {
        const competitionId = String(item.pk).slice('COMP#'.length);
        const providerId = String(item.sk).slice('RESPONSE#'.length);
        await client.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName: options.sealedTable,
                  Item: {
                    ...item,
                    ...sealedKeys.response(competitionId, providerId),
                    ...sealedKeys.responseIndex(competitionId, providerId),
                  },
                },
              },
              { Delete: { TableName: options.sealedTable, Key: { pk: item.pk, sk: item.sk } } },
            ],
          }),
        );
        moved += 1;
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    options.log(`Local data brought to key layout 2: ${moved} pre-qualification response(s) moved`);
  }
  if (!options.fresh && from < 3) {
    const counted = await options.rebuildDirectoryCounts();
    options.log(
      `Local data brought to key layout 3: directory counts rebuilt from ${counted} verified provider(s)`,
    );
  }
  if (!options.fresh && from < 4) {
    const seats = await writeSeats(options.client, options.procurementTable ?? config().tables.procurement);
    moved += seats;
    options.log(`Local data brought to key layout 4: ${seats} seat(s) written for "Your competitions"`);
  }
  if (!options.fresh && from < 5) {
    const listings = await writeRegionListings(options.client, {
      subcontracting: options.subcontractingTable ?? config().tables.subcontracting,
      procurement: options.procurementTable ?? config().tables.procurement,
    });
    moved += listings;
    options.log(
      `Local data brought to key layout 5: ${listings} region listing(s) written for the sub-contracting dashboard`,
    );
  }
  if (!options.fresh && from < 6) {
    const queued = await indexPendingProviders(
      options.client,
      options.registryTable ?? config().tables.registry,
    );
    moved += queued;
    options.log(
      `Local data brought to key layout 6: ${queued} pending provider(s) put in the verification queue`,
    );
  }
  if (!options.fresh && from < 7) {
    const users = await indexSavedSearches(options.client, options.registryTable ?? config().tables.registry);
    moved += users;
    options.log(`Local data brought to key layout 7: saved searches of ${users} user(s) indexed by region`);
  }
  mkdirSync(options.dataDir, { recursive: true });
  writeFileSync(join(options.dataDir, FILE), `${LAYOUT_VERSION}\n`);
  return moved;
}
