/**
 * What the scheduled reminders read and write (issue 17), and nothing else: a system job's own access, kept
 * in one module so its IAM grants (`REMINDER_GRANTS` in `infra/table-access.ts`) can be read off it.
 *
 * - Competitions closing soon: the records listed under their next deadline (procurement gsi1 pk
 *   `DEADLINES`, put with every write of the record: `procurementKeys.deadlineIndex`), one key condition
 *   for a window of time, never a Scan.
 * - The organisations connected to a competition (sealed `CONNECTED#<id>`: each draft, application and
 *   agreement to be named puts one, in its own transaction), and, for those, where their bid stands: the
 *   `bid` of each one's participation item (sealed `TAKING#<providerId>`, sk `COMP#<id>`), read in batches,
 *   projected to that one attribute. No bid, response, score or price is read.
 * - Contracts come from the contract repository's list; whether a period's return was filed is whether its
 *   head (subcontracting `CONTRACT#<id>`, sk `FIG#<period>`) exists, read in batches projected to the key.
 * - Each reminder is recorded with a sweep mark (outbox `SWEEP#<what>`) put under `attribute_not_exists` in
 *   the same transaction as its outbox event, so a reminder is recorded once however often the sweep runs,
 *   and two sweeps running at once cannot both record it.
 */
import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  type DynamoDBDocumentClient,
  paginateQuery,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Competition } from '../domain/competitions';
import type { BidStanding } from '../domain/notifications/reminders';
import type { TransactItem } from './audit';
import { cancellationCodes, IncompleteReadError } from './errors';
import { outboxKeys, procurementKeys, sealedKeys, subcontractingKeys } from './keys';

/** How many times a batch read asks again for unprocessed keys before it fails. */
const BATCH_READ_ATTEMPTS = 5;

/** How long a sweep mark is kept after the moment it is about (`keepUntil`): long past any rerun. */
const MARK_KEEP_SECONDS = 90 * 24 * 3600;

/** The reads and the one write of the reminder sweeps. */
export interface ReminderStore {
  /**
   * The competitions whose next deadline is in `[from, to]` (ISO instants), soonest first, as the index
   * holds them (eventually consistent: the sweep runs again within the hour).
   */
  competitionsClosing(from: string, to: string): Promise<Competition[]>;
  /** Every organisation connected to a competition (drafted or submitted a bid, applied, or named in one). */
  connectedProviders(competitionId: string): Promise<string[]>;
  /** Where each of these organisations' own bid in the competition stands (absent: no bid). */
  bidStandings(competitionId: string, providerIds: readonly string[]): Promise<Map<string, BidStanding>>;
  /** Which of these (contract, period) returns have been filed, as `<contractId>#<period>`. */
  filedReturns(returns: readonly { contractId: string; period: string }[]): Promise<Set<string>>;
  /**
   * Records a reminder: the sweep mark `what` (kept until `keepUntil` and a margin) and the outbox event's
   * items, in one transaction.
   * @returns false when the mark exists already (the reminder was recorded before), true when recorded.
   */
  record(what: string, keepUntil: string, eventItems: readonly TransactItem[], at: string): Promise<boolean>;
}

/** A DynamoDB reminder store. */
export function createReminderStore(deps: {
  client: DynamoDBDocumentClient;
  procurementTable: string;
  sealedTable: string;
  subcontractingTable: string;
  outboxTable: string;
}): ReminderStore {
  const { client } = deps;

  /** BatchGetItem in chunks of 100, asking again for unprocessed keys with a back-off; fails rather than guess. */
  async function batchGet(
    table: string,
    keys: Record<string, string>[],
    projection: string,
    names?: Record<string, string>,
  ): Promise<Record<string, unknown>[]> {
    const found: Record<string, unknown>[] = [];
    for (let i = 0; i < keys.length; i += 100) {
      let pending: Record<string, unknown>[] | undefined = keys.slice(i, i + 100);
      for (let attempt = 0; pending && pending.length > 0 && attempt < BATCH_READ_ATTEMPTS; attempt += 1) {
        if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 25 * 2 ** (attempt - 1)));
        const result: BatchGetCommandOutput = await client.send(
          new BatchGetCommand({
            RequestItems: {
              [table]: {
                Keys: pending,
                ProjectionExpression: projection,
                ...(names ? { ExpressionAttributeNames: names } : {}),
              },
            },
          }),
        );
        found.push(...(result.Responses?.[table] ?? []));
        pending = result.UnprocessedKeys?.[table]?.Keys;
      }
      if (pending && pending.length > 0)
        throw new IncompleteReadError(`${pending.length} items could not be read; the sweep runs again.`);
    }
    return found;
  }

  return {
    async competitionsClosing(from, to) {
      const competitions: Competition[] = [];
      for await (const page of paginateQuery(
        { client },
        {
          TableName: deps.procurementTable,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk BETWEEN :from AND :to',
          ExpressionAttributeValues: {
            ':pk': procurementKeys.deadlinesPartition,
            ':from': from,
            // `~` sorts after `#` and every character of an id: the whole of the last instant is in.
            ':to': `${to}~`,
          },
        },
      )) {
        for (const item of page.Items ?? []) {
          const { pk: _pk, sk: _sk, entity: _entity, gsi1pk: _g, gsi1sk: _gs, ...competition } = item;
          competitions.push(competition as Competition);
        }
      }
      return competitions;
    },

    async connectedProviders(competitionId) {
      const ids: string[] = [];
      for await (const page of paginateQuery(
        { client },
        {
          TableName: deps.sealedTable,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': sealedKeys.connected(competitionId, '').pk },
          ProjectionExpression: 'sk',
        },
      )) {
        for (const item of page.Items ?? []) ids.push(String(item.sk));
      }
      return ids;
    },

    async bidStandings(competitionId, providerIds) {
      const items = await batchGet(
        deps.sealedTable,
        [...new Set(providerIds)].map((providerId) => sealedKeys.participation(providerId, competitionId)),
        'providerId, #bid',
        { '#bid': 'bid' },
      );
      const standings = new Map<string, BidStanding>();
      for (const item of items) {
        const status = (item.bid as { status?: unknown } | undefined)?.status;
        standings.set(
          String(item.providerId),
          status === 'draft' || status === 'submitted' || status === 'withdrawn' ? status : undefined,
        );
      }
      return standings;
    },

    async filedReturns(returns) {
      const keys = returns.map((r) => subcontractingKeys.periodHead(r.contractId, r.period));
      const unique = [...new Map(keys.map((k) => [`${k.pk}|${k.sk}`, k])).values()];
      const items = await batchGet(deps.subcontractingTable, unique, 'pk, sk');
      const prefix = subcontractingKeys.partition('');
      return new Set(
        items.map(
          (item) =>
            `${String(item.pk).slice(prefix.length)}#${String(item.sk).slice(subcontractingKeys.figuresPrefix.length)}`,
        ),
      );
    },

    async record(what, keepUntil, eventItems, at) {
      const mark: TransactItem = {
        Put: {
          TableName: deps.outboxTable,
          Item: {
            ...outboxKeys.sweep(what),
            entity: 'sweep-mark',
            at,
            ttl: Math.floor(Date.parse(keepUntil) / 1000) + MARK_KEEP_SECONDS,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      };
      try {
        await client.send(new TransactWriteCommand({ TransactItems: [mark, ...eventItems] }));
        return true;
      } catch (error) {
        // The mark first: its refusal alone means "recorded before"; anything else is a failure to retry.
        if (cancellationCodes(error)?.[0] === 'ConditionalCheckFailed') return false;
        throw error;
      }
    },
  };
}
