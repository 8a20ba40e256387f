/**
 * The audit log in the `audit` table: per-competition hash chains and the alerts feed.
 *
 * Writing never contends: an event is put, blind and under a key of its own (`AUDITPENDING#<competition>`,
 * a ULID), in the same transaction as the change it records, with a digest of every item the change wrote.
 * Nothing shared is read or moved, so forty bidders saving at once all succeed, and there is never an event
 * without its change nor a change without its event.
 *
 * A single sequencer, fed by the table's stream (`functions/audit/sequencer.ts`; locally `local/streams.ts`
 * reads DynamoDB Local's stream and calls the same handler), then chains pending events in stream order: in
 * one transaction it puts the chained event (`AUDIT#<competition>`, `SEQ#<n>`, which must not exist), moves
 * the head (which must still be where it was read), deletes the pending item (which must still exist, so a
 * redelivered record cannot chain twice) and records, per item changed, the digest of its last chained
 * change (`AUDITDATA#`). The chained events are append-only: no function may update or delete them.
 *
 * Verification pages through the chain from a checkpoint, compares its end with the head, and re-checks the
 * stored items against the digests their last changes recorded.
 */
import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { monotonicFactory, ulid } from 'ulid';
import {
  type AuditChange,
  type AuditEvent,
  type AuditEventDraft,
  type ChainPosition,
  type ChainVerification,
  chainEvent,
  chainVerifier,
  changeKey,
  GENESIS,
  itemDigest,
  type PendingAuditEvent,
} from '../domain/audit';
import { ValidationError } from '../domain/errors';
import { cancellationCodes } from './errors';
import { AUDIT_PENDING_PREFIX, auditKeys } from './keys';
import { decodeCursor, encodeCursor, mergePage, type Page } from './pagination';
import type { TableName } from './table-names';
import { TABLES } from './tables';

/** One item of a DynamoDB transaction. */
export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** A denied attempt from outside a wall, for admins and auditors. */
export interface Alert {
  id: string;
  at: string;
  competitionId: string;
  actor: string;
  action: string;
  resource: string;
  reason: string;
}

/** Options of an append. */
export interface AppendOptions {
  /** Domain writes that must happen together with the event (first in the transaction). */
  items?: TransactItem[];
  /** Raise an alert in the same transaction. */
  alert?: boolean;
  /**
   * Turns a cancelled transaction whose domain items were refused into a domain error; `codes` holds the
   * cancellation code of each domain item in order. Return undefined to rethrow the original error.
   */
  onRefused?: (codes: string[]) => Error | undefined;
  /**
   * How many times to try a write refused only because another transaction held one of its own domain items
   * at that instant (default `MAX_CONFLICT_ATTEMPTS`). A change that moves a counter many changes share (a
   * verification moves the directory's counts) asks for more.
   */
  conflictAttempts?: number;
}

/** An entry of `GET …/audit`: chained events first (oldest first), then events not chained yet. */
export type AuditLogEntry = (AuditEvent & { chained: true }) | (PendingAuditEvent & { chained: false });

/** The result of `verify`: the chain's verification so far, and where it stands. */
export interface AuditVerification extends ChainVerification {
  /** Events chained when the check started (the head's sequence number): `events` of `chained` is progress. */
  chained: number;
  /** Events written with their change and not chained yet (they are chained shortly; not an error). */
  pending: number;
  /** True when the check reached the head; otherwise resume from `checkpoint`. */
  complete: boolean;
  /** Where to resume (`?checkpoint=`), when the check stopped before the head. */
  checkpoint?: string;
}

/** Options of `verify`. */
export interface VerifyOptions {
  /** A `checkpoint` from an earlier incomplete check: resume after the event it names. */
  checkpoint?: string | undefined;
  /** At most this many events in this call (default and maximum `MAX_VERIFY_EVENTS`). */
  limit?: number | undefined;
}

/** What chaining one pending event did. */
export type ChainOutcome = 'chained' | 'already-chained';

/** Reads and appends audit events. */
export interface AuditRepository {
  /** Writes the event with its change (`options.items`), pending until the sequencer chains it. */
  append(competitionId: string, draft: AuditEventDraft, options?: AppendOptions): Promise<PendingAuditEvent>;
  /** Chained events oldest first, then pending ones. */
  page(competitionId: string, limit: number, cursor: string | undefined): Promise<Page<AuditLogEntry>>;
  /** Verifies up to `limit` events of the chain, the head and the data their last changes recorded. */
  verify(competitionId: string, options?: VerifyOptions): Promise<AuditVerification>;
  /** Alerts newest first. */
  alerts(limit: number, cursor: string | undefined): Promise<Page<Alert>>;
  /** The sequencer's step: chains one pending event after the head; idempotent. */
  chain(pending: PendingAuditEvent): Promise<ChainOutcome>;
  /**
   * Chains pending events of one competition, in the order given, in as few transactions as they fit in;
   * idempotent. `outcomes` has every event chained (now or before); `error` says why the others are not.
   */
  chainAll(pendings: PendingAuditEvent[]): Promise<{ outcomes: Map<string, ChainOutcome>; error?: unknown }>;
}

/** Events verified per call at most: about 1,000 small items, a few Query pages and batch reads. */
export const MAX_VERIFY_EVENTS = 1000;

/** DynamoDB's limit of items in one transaction. */
const MAX_TRANSACTION_ITEMS = 100;

/** Retries of a write refused only because another transaction held one of its own domain items. */
const MAX_CONFLICT_ATTEMPTS = 3;

/** Retries of a chaining step that lost the head to another sequencer (one per shard normally). */
const MAX_CHAIN_ATTEMPTS = 8;

const nextId = monotonicFactory();

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function draftFields(item: Record<string, unknown>): AuditEventDraft {
  const draft: AuditEventDraft = {
    at: String(item.at),
    actor: String(item.actor),
    action: String(item.action),
    resource: String(item.resource),
    outcome: item.outcome === 'denied' ? 'denied' : 'allowed',
  };
  if (typeof item.reason === 'string') draft.reason = item.reason;
  if (Array.isArray(item.changes)) {
    draft.changes = (item.changes as Record<string, unknown>[]).map((change) => ({
      table: String(change.table),
      key: change.key as Record<string, string>,
      digest: typeof change.digest === 'string' ? change.digest : null,
    }));
  }
  return draft;
}

function toEvent(item: Record<string, unknown>): AuditEvent {
  return {
    competitionId: String(item.competitionId),
    seq: Number(item.seq),
    prevHash: String(item.prevHash),
    hash: String(item.hash),
    ...draftFields(item),
    ...(typeof item.id === 'string' ? { id: item.id } : {}),
  };
}

function toPending(item: Record<string, unknown>): PendingAuditEvent {
  return { competitionId: String(item.competitionId), id: String(item.id), ...draftFields(item) };
}

/**
 * A pending event from a stream record's new image (DynamoDB JSON), or undefined when the record is about
 * any other item of the audit table (chained events, heads, digests, alerts).
 */
export function pendingEventFromImage(
  image: Record<string, unknown> | undefined,
): PendingAuditEvent | undefined {
  if (!image) return undefined;
  const item = unmarshall(image as Parameters<typeof unmarshall>[0]);
  if (item.entity !== 'audit-pending' || !String(item.pk).startsWith(AUDIT_PENDING_PREFIX)) return undefined;
  return toPending(item);
}

/** The checkpoint of a position in a chain, opaque to clients. */
function encodeCheckpoint(position: ChainPosition): string {
  return Buffer.from(JSON.stringify({ v: 1, seq: position.seq, hash: position.hash })).toString('base64url');
}

function decodeCheckpoint(checkpoint: string): ChainPosition {
  const invalid = () =>
    new ValidationError('The checkpoint is not valid.', [
      { path: 'query.checkpoint', message: 'Use the checkpoint of an earlier verification' },
    ]);
  if (!/^[A-Za-z0-9_-]{1,512}$/.test(checkpoint)) throw invalid();
  let parsed: { v?: unknown; seq?: unknown; hash?: unknown } | null;
  try {
    parsed = JSON.parse(Buffer.from(checkpoint, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (
    parsed?.v !== 1 ||
    !Number.isSafeInteger(parsed.seq) ||
    (parsed.seq as number) < 1 ||
    typeof parsed.hash !== 'string' ||
    !/^[0-9a-f]{64}$/.test(parsed.hash)
  ) {
    throw invalid();
  }
  return { seq: parsed.seq as number, hash: parsed.hash };
}

/** The sort key of the n-th chained event, as the cursor of `page` spells it. */
const seqSortKey = (competitionId: string, seq: number) => auditKeys.event(competitionId, seq).sk;
const PENDING_CURSOR = 'PENDING#';

/** A DynamoDB audit repository. */
export function createAuditRepository(deps: {
  client: DynamoDBDocumentClient;
  tableName: string;
  /**
   * Physical names of the tables whose items events record digests of (and verification re-reads): the
   * competition's own tables. Without them, events carry no digests.
   */
  tables?: Partial<Record<TableName, string>>;
}): AuditRepository {
  const { client, tableName } = deps;
  const physical = deps.tables ?? {};
  const logical = new Map<string, TableName>(
    (Object.entries(physical) as [TableName, string][])
      .filter(([name]) => DIGESTED_TABLES.includes(name))
      .map(([name, table]) => [table, name]),
  );
  /** The sequencer's view of each chain's head: saves a read per event; a stale one fails its condition. */
  const heads = new Map<string, ChainPosition>();

  /**
   * What chaining one event writes besides the head and the digests: the chained event (which must not
   * exist) and the delete of its pending item (which must still exist: a second delivery of the same record
   * fails there).
   */
  function chainItems(competitionId: string, pendingId: string, event: AuditEvent): TransactItem[] {
    return [
      {
        Put: {
          TableName: tableName,
          Item: { ...auditKeys.event(competitionId, event.seq), entity: 'audit-event', ...event },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      {
        Delete: {
          TableName: tableName,
          Key: auditKeys.pending(competitionId, pendingId),
          ConditionExpression: 'attribute_exists(pk)',
        },
      },
    ];
  }

  /** Per item an event's change wrote, the record of its last chained digest, by change key. */
  function digestItems(competitionId: string, event: AuditEvent): Map<string, TransactItem> {
    return new Map(
      (event.changes ?? []).map((change) => [
        changeKey(change),
        {
          Put: {
            TableName: tableName,
            Item: {
              ...auditKeys.data(competitionId, changeKey(change)),
              entity: 'audit-data',
              table: change.table,
              key: change.key,
              seq: event.seq,
              digest: change.digest,
            },
          },
        },
      ]),
    );
  }

  /**
   * The digest of every item a change writes in the competition's own partitions. Items elsewhere
   * (notifications, contracts) change later without an audited change of the competition, so a digest of
   * them would soon be stale.
   */
  function changesOf(competitionId: string, items: TransactItem[]): AuditChange[] {
    const changes: AuditChange[] = [];
    for (const item of items) {
      const table = item.Put?.TableName ?? item.Delete?.TableName;
      const name = table === undefined ? undefined : logical.get(table);
      // Condition checks and updates record nothing: a check changes nothing, and no audited change
      // updates an item in place (an update's result is not known without reading it back).
      const written = item.Put?.Item as Record<string, unknown> | undefined;
      const source = written ?? (item.Delete?.Key as Record<string, unknown> | undefined);
      if (!name || !source) continue;
      const definition = TABLES[name];
      const key: Record<string, string> = {
        [definition.partitionKey]: String(source[definition.partitionKey]),
      };
      if (definition.sortKey) key[definition.sortKey] = String(source[definition.sortKey]);
      if (!ownedBy(competitionId, key[definition.partitionKey] ?? '')) continue;
      changes.push({ table: name, key, digest: written ? itemDigest(written) : null });
    }
    return changes;
  }

  async function readHead(competitionId: string): Promise<ChainPosition | undefined> {
    const head = await client.send(
      new GetCommand({ TableName: tableName, Key: auditKeys.head(competitionId), ConsistentRead: true }),
    );
    return head.Item ? { seq: Number(head.Item.seq), hash: String(head.Item.hash) } : undefined;
  }

  /** BatchGetItem in chunks of 100, retrying unprocessed keys; returns the items found. */
  async function batchGet(
    table: string,
    keys: Record<string, unknown>[],
  ): Promise<Record<string, unknown>[]> {
    const found: Record<string, unknown>[] = [];
    for (let i = 0; i < keys.length; i += 100) {
      let pending: Record<string, unknown>[] | undefined = keys.slice(i, i + 100);
      for (let attempt = 0; pending && pending.length > 0; attempt += 1) {
        if (attempt > 0) await sleep(Math.min(200, 10 * 2 ** attempt));
        const result: BatchGetCommandOutput = await client.send(
          new BatchGetCommand({ RequestItems: { [table]: { Keys: pending, ConsistentRead: true } } }),
        );
        found.push(...(result.Responses?.[table] ?? []));
        pending = result.UnprocessedKeys?.[table]?.Keys;
        if (attempt > 10 && pending && pending.length > 0)
          throw new Error(`BatchGetItem kept keys of ${table}`);
      }
    }
    return found;
  }

  /** Pending events of a competition, oldest first, after `after` (an id). */
  async function queryPending(
    competitionId: string,
    after: string | undefined,
    limit: number,
  ): Promise<PendingAuditEvent[]> {
    const result = await client.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: after ? 'pk = :pk AND sk > :after' : 'pk = :pk',
        ExpressionAttributeValues: {
          ':pk': auditKeys.pendingPartition(competitionId).pk,
          ...(after ? { ':after': after } : {}),
        },
        Limit: limit,
        ConsistentRead: true,
      }),
    );
    return (result.Items ?? []).map(toPending);
  }

  /** How many events wait to be chained (a Query that counts, page by page). */
  async function countPending(competitionId: string): Promise<number> {
    let count = 0;
    let start: Record<string, unknown> | undefined;
    do {
      const result = await client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': auditKeys.pendingPartition(competitionId).pk },
          Select: 'COUNT',
          ConsistentRead: true,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      count += result.Count ?? 0;
      start = result.LastEvaluatedKey;
    } while (start);
    return count;
  }

  /** Chained events `from`..`to` (inclusive), oldest first, a Query page at a time. */
  async function* chainedEvents(
    competitionId: string,
    from: number,
    to: number,
  ): AsyncGenerator<AuditEvent[]> {
    let start: Record<string, unknown> | undefined;
    do {
      const result = await client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
          ExpressionAttributeValues: {
            ':pk': auditKeys.events(competitionId).pk,
            ':from': seqSortKey(competitionId, from),
            ':to': seqSortKey(competitionId, to),
          },
          ConsistentRead: true,
          Limit: 250,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      const events = (result.Items ?? []).map(toEvent);
      if (events.length > 0) yield events;
      start = result.LastEvaluatedKey;
    } while (start);
  }

  /** The digest of a stored item now (`null`: it does not exist), by its recorded change. */
  async function storedDigests(changes: AuditChange[]): Promise<Map<string, string | null>> {
    const digests = new Map<string, string | null>();
    const byTable = new Map<TableName, AuditChange[]>();
    for (const change of changes) {
      const name = change.table as TableName;
      byTable.set(name, [...(byTable.get(name) ?? []), change]);
    }
    for (const [name, group] of byTable) {
      const table = physical[name];
      if (!table) continue;
      for (const change of group) digests.set(changeKey(change), null);
      const definition = TABLES[name];
      for (const item of await batchGet(
        table,
        group.map((change) => change.key),
      )) {
        const key: Record<string, string> = {
          [definition.partitionKey]: String(item[definition.partitionKey]),
        };
        if (definition.sortKey) key[definition.sortKey] = String(item[definition.sortKey]);
        digests.set(changeKey({ table: name, key }), itemDigest(item));
      }
    }
    return digests;
  }

  /** The last chained digest of each item (`AUDITDATA#`), by change key. */
  async function lastDigests(
    competitionId: string,
    keys: string[],
  ): Promise<Map<string, { seq: number; digest: string | null }>> {
    const items = await batchGet(
      tableName,
      keys.map((key) => auditKeys.data(competitionId, key)),
    );
    return new Map(
      items.map((item) => [
        String(item.sk),
        { seq: Number(item.seq), digest: typeof item.digest === 'string' ? item.digest : null },
      ]),
    );
  }

  /**
   * Re-checks the data the events of one page changed: for each item, the last chained change recorded in
   * `AUDITDATA#` must be at or after this page's last change of it and must be what that event recorded,
   * and the stored item must match it (or a change written since, still pending or chained meanwhile).
   * @returns the sequence number of the first event whose recorded data does not match, if any.
   */
  async function checkData(competitionId: string, events: AuditEvent[]): Promise<number | undefined> {
    const lastInPage = new Map<string, { seq: number; change: AuditChange }>();
    for (const event of events) {
      for (const change of event.changes ?? []) {
        if (!physical[change.table as TableName]) continue;
        lastInPage.set(changeKey(change), { seq: event.seq, change });
      }
    }
    if (lastInPage.size === 0) return undefined;
    const keys = [...lastInPage.keys()];
    const recorded = await lastDigests(competitionId, keys);
    const failures: number[] = [];
    // Items whose last change is a later event than this page's: that event must have recorded the digest.
    const later = new Map<number, string[]>();
    const expected = new Map<string, { seq: number; digest: string | null; change: AuditChange }>();
    for (const [key, { seq, change }] of lastInPage) {
      const last = recorded.get(key);
      if (!last || last.seq < seq || (last.seq === seq && last.digest !== change.digest)) {
        failures.push(seq);
        continue;
      }
      if (last.seq > seq) later.set(last.seq, [...(later.get(last.seq) ?? []), key]);
      expected.set(key, { seq: last.seq, digest: last.digest, change });
    }
    if (later.size > 0) {
      const laterEvents = await batchGet(
        tableName,
        [...later.keys()].map((seq) => auditKeys.event(competitionId, seq)),
      );
      const bySeq = new Map(laterEvents.map((item) => [Number(item.seq), toEvent(item)]));
      for (const [seq, laterKeys] of later) {
        const event = bySeq.get(seq);
        for (const key of laterKeys) {
          const change = event?.changes?.find((c) => changeKey(c) === key);
          if (!change || change.digest !== expected.get(key)?.digest) {
            failures.push(seq);
            expected.delete(key);
          }
        }
      }
    }
    const stored = await storedDigests([...expected.values()].map((e) => e.change));
    const suspects = [...expected].filter(([key, e]) => stored.get(key) !== e.digest);
    if (suspects.length > 0) {
      // Probably a change written since the reads above. Read the items again, then what explains them:
      // pending events, then digests chained meanwhile (in that order, so a change chained in between is
      // seen by the second read).
      const again = await storedDigests(suspects.map(([, e]) => e.change));
      const pending = new Map<string, Set<string | null>>();
      let after: string | undefined;
      for (let page = 0; page < 10; page += 1) {
        const batch = await queryPending(competitionId, after, 1000);
        for (const event of batch) {
          for (const change of event.changes ?? []) {
            const key = changeKey(change);
            pending.set(key, new Set([...(pending.get(key) ?? []), change.digest]));
          }
        }
        if (batch.length < 1000) break;
        after = batch[batch.length - 1]?.id;
      }
      const fresh = await lastDigests(
        competitionId,
        suspects.map(([key]) => key),
      );
      for (const [key, e] of suspects) {
        const now = again.get(key);
        const explained =
          (now !== undefined && pending.get(key)?.has(now)) ||
          (fresh.get(key)?.seq ?? 0) > e.seq ||
          now === e.digest;
        if (!explained) failures.push(e.seq);
      }
    }
    return failures.length > 0 ? Math.min(...failures) : undefined;
  }

  const repository: AuditRepository = {
    async append(competitionId, draft, options = {}) {
      const domainItems = options.items ?? [];
      const changes = changesOf(competitionId, domainItems);
      const pending: PendingAuditEvent = {
        competitionId,
        id: nextId(Date.parse(draft.at) || Date.now()),
        at: draft.at,
        actor: draft.actor,
        action: draft.action,
        resource: draft.resource,
        outcome: draft.outcome,
        ...(draft.reason !== undefined ? { reason: draft.reason } : {}),
        ...(changes.length > 0 ? { changes } : {}),
      };
      const items: TransactItem[] = [
        ...domainItems,
        {
          Put: {
            TableName: tableName,
            Item: { ...auditKeys.pending(competitionId, pending.id), entity: 'audit-pending', ...pending },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
      ];
      if (options.alert) {
        const id = ulid(Date.parse(pending.at));
        items.push({
          Put: {
            TableName: tableName,
            Item: {
              ...auditKeys.alert(pending.at, id),
              entity: 'alert',
              id,
              at: pending.at,
              competitionId,
              actor: pending.actor,
              action: pending.action,
              resource: pending.resource,
              reason: pending.reason ?? 'denied',
            },
          },
        });
      }
      for (let attempt = 1; ; attempt += 1) {
        try {
          await client.send(new TransactWriteCommand({ TransactItems: items }));
          return pending;
        } catch (error) {
          const codes = cancellationCodes(error);
          if (!codes) throw error;
          const domainCodes = codes.slice(0, domainItems.length);
          if (domainCodes.some((code) => code === 'ConditionalCheckFailed')) {
            throw options.onRefused?.(domainCodes) ?? error;
          }
          // Nothing of the audit log is shared, so the only conflict left is another transaction holding
          // one of the change's own items at that instant (DynamoDB asks callers to retry those).
          if (
            !codes.includes('TransactionConflict') ||
            attempt >= (options.conflictAttempts ?? MAX_CONFLICT_ATTEMPTS)
          )
            throw error;
          await sleep(5 + Math.random() * 20 * attempt);
        }
      }
    },

    async chain(pending) {
      const result = await repository.chainAll([pending]);
      const outcome = result.outcomes.get(pending.id);
      if (!outcome) throw result.error;
      return outcome;
    },

    async chainAll(pendings) {
      const outcomes = new Map<string, ChainOutcome>();
      const competitionId = pendings[0]?.competitionId;
      if (competitionId === undefined) return { outcomes };
      if (pendings.some((p) => p.competitionId !== competitionId)) {
        throw new Error('chainAll chains the events of one competition at a time');
      }
      let remaining = [...pendings];
      let attempt = 1;
      while (remaining.length > 0) {
        const head = heads.get(competitionId) ?? (await readHead(competitionId)) ?? GENESIS;
        // As many events as one transaction holds: per event its chained item, its pending item's delete
        // and its digests; one head move for them all.
        const events: AuditEvent[] = [];
        const core: TransactItem[] = [];
        const deleteIndex: number[] = [];
        // One put per item however many of these events changed it (a transaction may touch an item once):
        // the last event's digest.
        const digests = new Map<string, TransactItem>();
        let previous = head;
        for (const pending of remaining) {
          const event = chainEvent(competitionId, previous.seq === 0 ? undefined : previous, pending);
          const own = digestItems(competitionId, event);
          const added = [...own.keys()].filter((key) => !digests.has(key)).length;
          if (events.length > 0 && core.length + 2 + digests.size + added + 1 > MAX_TRANSACTION_ITEMS) break;
          if (events.length === 0 && own.size > MAX_TRANSACTION_ITEMS - 3) {
            // A single event whose digests do not all fit: those beyond go first, each naming this
            // sequence number; if chaining then fails, the retry writes them again under the number it gets.
            for (const [key, item] of [...own].slice(MAX_TRANSACTION_ITEMS - 3)) {
              if (item.Put) await client.send(new PutCommand(item.Put));
              own.delete(key);
            }
          }
          deleteIndex.push(core.length + 1);
          core.push(...chainItems(competitionId, pending.id, event));
          for (const [key, item] of own) digests.set(key, item);
          events.push(event);
          previous = { seq: event.seq, hash: event.hash };
        }
        const items = [...core, ...digests.values()];
        const headIndex = items.length;
        items.push({
          Put: {
            TableName: tableName,
            Item: {
              ...auditKeys.head(competitionId),
              entity: 'audit-head',
              seq: previous.seq,
              hash: previous.hash,
            },
            ...(head.seq > 0
              ? { ConditionExpression: 'seq = :seq', ExpressionAttributeValues: { ':seq': head.seq } }
              : { ConditionExpression: 'attribute_not_exists(pk)' }),
          },
        });
        try {
          await client.send(new TransactWriteCommand({ TransactItems: items }));
          heads.set(competitionId, previous);
          for (const event of events) outcomes.set(String(event.id), 'chained');
          remaining = remaining.slice(events.length);
          attempt = 1;
        } catch (error) {
          const codes = cancellationCodes(error);
          heads.delete(competitionId);
          if (!codes) return { outcomes, error };
          // Pending items already gone: earlier deliveries of these records chained them.
          const done = new Set(
            events
              .filter((_, i) => codes[deleteIndex[i] ?? -1] === 'ConditionalCheckFailed')
              .map((e) => e.id),
          );
          if (done.size > 0) {
            for (const id of done) outcomes.set(String(id), 'already-chained');
            remaining = remaining.filter((p) => !done.has(p.id));
            continue;
          }
          if (attempt >= MAX_CHAIN_ATTEMPTS) return { outcomes, error };
          attempt += 1;
          // A head moved by another sequencer is read again at once; anything else waits a little.
          if (codes[headIndex] !== 'ConditionalCheckFailed') await sleep(5 + Math.random() * 20 * attempt);
        }
      }
      return { outcomes };
    },

    async page(competitionId, limit, cursor) {
      const scope = ['audit', competitionId];
      const after = decodeCursor(cursor, scope);
      if (after !== undefined && !after.startsWith('SEQ#') && !after.startsWith(PENDING_CURSOR)) {
        throw new ValidationError('The cursor is not valid.', [
          { path: 'query.cursor', message: 'Use the nextCursor of a previous page' },
        ]);
      }
      if (after?.startsWith(PENDING_CURSOR)) {
        const pending = await queryPending(competitionId, after.slice(PENDING_CURSOR.length), limit + 1);
        const items = pending.slice(0, limit);
        const last = items[items.length - 1];
        return {
          items: items.map((p) => ({ ...p, chained: false as const })),
          nextCursor:
            pending.length > limit && last ? encodeCursor(`${PENDING_CURSOR}${last.id}`, scope) : null,
        };
      }
      // Pending first, then chained: an event chained between the two reads shows twice (and is dropped
      // once below) rather than not at all.
      const pending = await queryPending(competitionId, undefined, limit + 1);
      const result = await client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: after ? 'pk = :pk AND sk > :after' : 'pk = :pk',
          ExpressionAttributeValues: {
            ':pk': auditKeys.events(competitionId).pk,
            ...(after ? { ':after': after } : {}),
          },
          Limit: limit + 1,
          ConsistentRead: true,
        }),
      );
      const chained = (result.Items ?? []).map(toEvent);
      const entries: AuditLogEntry[] = chained.slice(0, limit).map((e) => ({ ...e, chained: true as const }));
      const lastChained = chained[Math.min(chained.length, limit) - 1];
      if (chained.length > limit && lastChained) {
        return {
          items: entries,
          nextCursor: encodeCursor(seqSortKey(competitionId, lastChained.seq), scope),
        };
      }
      const seen = new Set(chained.map((e) => e.id));
      const waiting = pending.filter((p) => !seen.has(p.id));
      const room = limit - entries.length;
      const shown = waiting.slice(0, room);
      entries.push(...shown.map((p) => ({ ...p, chained: false as const })));
      let nextCursor: string | null = null;
      if (waiting.length > shown.length) {
        const lastShown = shown[shown.length - 1];
        nextCursor = lastShown
          ? encodeCursor(`${PENDING_CURSOR}${lastShown.id}`, scope)
          : lastChained
            ? encodeCursor(seqSortKey(competitionId, lastChained.seq), scope)
            : null;
      }
      return { items: entries, nextCursor };
    },

    async verify(competitionId, options = {}) {
      const limit = Math.max(1, Math.min(options.limit ?? MAX_VERIFY_EVENTS, MAX_VERIFY_EVENTS));
      const from = options.checkpoint ? decodeCheckpoint(options.checkpoint) : GENESIS;
      // The head first: events chained after it are left for the next check, never mistaken for extras.
      const head = await readHead(competitionId);
      const verifier = chainVerifier(competitionId, from);
      if (from.seq > 0) {
        const at = await client.send(
          new GetCommand({
            TableName: tableName,
            Key: auditKeys.event(competitionId, from.seq),
            ConsistentRead: true,
          }),
        );
        if (at.Item?.hash !== from.hash) verifier.fail(from.seq, 'event');
      }
      const headSeq = head?.seq ?? 0;
      const to = Math.min(headSeq, from.seq + limit);
      if (to > from.seq) {
        for await (const events of chainedEvents(competitionId, from.seq + 1, to)) {
          for (const event of events) verifier.add(event);
          const mismatch = await checkData(competitionId, events);
          if (mismatch !== undefined) verifier.fail(mismatch, 'data');
        }
      }
      const complete = to >= headSeq;
      const pending = await countPending(competitionId);
      if (complete) {
        verifier.finish(head);
        // Every competition records its creation, so a log with nothing at all was removed. Read the head
        // again first: the sequencer may have chained the last pending event meanwhile.
        if (!head && pending === 0 && from.seq === 0 && !(await readHead(competitionId))) verifier.empty();
      }
      return {
        ...verifier.result(),
        chained: headSeq,
        pending,
        complete,
        ...(complete ? {} : { checkpoint: encodeCheckpoint(verifier.position()) }),
      };
    },

    async alerts(limit, cursor) {
      const before = decodeCursor(cursor, ['alerts']);
      const result = await client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: before ? 'pk = :pk AND sk < :before' : 'pk = :pk',
          ExpressionAttributeValues: {
            ':pk': auditKeys.alerts().pk,
            ...(before ? { ':before': before } : {}),
          },
          ScanIndexForward: false,
          Limit: limit + 1,
        }),
      );
      const items = (result.Items ?? []).map((item) => ({
        sk: String(item.sk),
        alert: {
          id: String(item.id),
          at: String(item.at),
          competitionId: String(item.competitionId),
          actor: String(item.actor),
          action: String(item.action),
          resource: String(item.resource),
          reason: String(item.reason),
        },
      }));
      const page = mergePage([items], (i) => i.sk, limit, ['alerts'], 'desc');
      return { items: page.items.map((i) => i.alert), nextCursor: page.nextCursor };
    },
  };
  return repository;
}

/** Tables whose items changes record digests of: the competition's records and its sealed data. */
const DIGESTED_TABLES: readonly TableName[] = ['procurement', 'sealed'];

/**
 * Whether an item belongs to the competition: its partition key names it right after the prefix
 * (`COMP#<id>`, `BID#<id>#<provider>`, `RESPONSE#<id>#<provider>`, `CONNECTED#<id>`).
 */
function ownedBy(competitionId: string, partitionKey: string): boolean {
  return partitionKey.split('#')[1] === competitionId;
}
