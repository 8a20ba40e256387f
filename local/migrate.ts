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
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ScanCommand, type ScanCommandOutput, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '../shared/db/client';
import { sealedKeys } from '../shared/db/keys';

/** The key layout this version writes. */
export const LAYOUT_VERSION = 3;

const FILE = 'layout-version';

/** The layout recorded in `dataDir` (1 when none is). */
export function recordedLayout(dataDir: string): number {
  const path = join(dataDir, FILE);
  if (!existsSync(path)) return 1;
  const value = Number(readFileSync(path, 'utf8').trim());
  return Number.isInteger(value) && value > 0 ? value : 1;
}

/**
 * Migrates the tables to `LAYOUT_VERSION` if `dataDir` records an older layout, then records the current
 * one. `fresh` (the tables were just created) records it without looking. Returns how many items moved.
 */
export async function migrateLocalData(options: {
  dataDir: string;
  client: DynamoDBClient;
  sealedTable: string;
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
  mkdirSync(options.dataDir, { recursive: true });
  writeFileSync(join(options.dataDir, FILE), `${LAYOUT_VERSION}\n`);
  return moved;
}
