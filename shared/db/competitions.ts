/**
 * Competitions in the `procurement` table (public record, panel, declarations, exclusions, opportunity
 * entries) and their inside information in the `sealed` table (confidential section, connected
 * organisations). Writes are returned as transaction items so each commits together with its audit event.
 */
import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  type DynamoDBDocumentClient,
  GetCommand,
  paginateQuery,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Competition, ConfidentialSection, Exclusion, Panel } from '../domain/competitions';
import { opportunityClosesAt } from '../domain/competitions';
import {
  currentExclusions,
  type DeclarationRecord,
  type EffectiveDeclaration,
  type ExclusionRecord,
  effectiveDeclarations,
} from '../domain/declarations';
import { nextDeadline } from '../domain/notifications/next-deadline';
import { ANY, directoryPartitions } from '../domain/providers';
import { type Coverage, NATIONAL, type Service } from '../domain/reference-data';
import type { TransactItem } from './audit';
import { IncompleteReadError } from './errors';
import { procurementKeys, sealedKeys } from './keys';

import { decodeCursor, mergePage, type Page } from './pagination';

/** How many times connection markers are asked for before the read fails (closed). */
const CONNECTION_READ_ATTEMPTS = 5;

/** Everything the wall needs from the procurement table, read in one Query. */
export interface CompetitionState {
  competition: Competition;
  panel: Panel | undefined;
  /** Each person's effective declaration, derived from the history. */
  declarations: Record<string, EffectiveDeclaration>;
  /** The exclusions in force, derived from the history. */
  exclusions: Exclusion[];
  /** Every declaration and clearance, in the order recorded. */
  declarationHistory: DeclarationRecord[];
  /** Every exclusion and lift, in the order recorded. */
  exclusionHistory: ExclusionRecord[];
}

/**
 * A stored declaration record. Items written before histories existed (sk `DECL#<sub>`, no version) read
 * as version 0: the person's first declaration.
 */
function declarationRecord(item: Record<string, unknown>): DeclarationRecord {
  const legacy = item.version === undefined;
  return {
    sub: String(item.sub),
    version: legacy ? 0 : Number(item.version),
    kind: item.kind === 'clearance' ? 'clearance' : 'declaration',
    conflicts: Array.isArray(item.conflicts) ? (item.conflicts as DeclarationRecord['conflicts']) : [],
    at: String(legacy ? item.declaredAt : item.at),
    by: String(legacy ? item.sub : item.by),
    ...(typeof item.reason === 'string' ? { reason: item.reason } : {}),
  };
}

/** A stored exclusion record; items from before histories existed read as version 0. */
function exclusionRecord(item: Record<string, unknown>): ExclusionRecord {
  const legacy = item.version === undefined;
  return {
    sub: String(item.sub),
    version: legacy ? 0 : Number(item.version),
    kind: item.kind === 'lift' ? 'lift' : 'exclusion',
    reason: String(item.reason),
    at: String(legacy ? item.excludedAt : item.at),
    by: String(legacy ? item.excludedBy : item.by),
  };
}

/** An open opportunity, as listed. */
export interface OpportunityListing {
  id: string;
  title: string;
  regions: Coverage[];
  services: Service[];
  estimatedValuePence: number;
  termMonths: number;
  prequalificationTier: Competition['prequalificationTier'];
  closesAt: string;
  /** Who the commissioner says it suits (issue 17); absent when not said, and in entries written before. */
  suitableFor?: Competition['suitableFor'];
}

/** A seat's roles: the lead, and the panel's evaluators and moderator. */
export type SeatRole = 'lead' | 'evaluator' | 'moderator';

/** A user's seat on a competition, as listed (the competition's id and when it was created). */
export interface Seat {
  competitionId: string;
  createdAt: string;
  /** Who holds it. */
  sub: string;
  roles: SeatRole[];
}

/** A competition's record and panel, read together for a list. */
export interface CompetitionSummary {
  competition: Competition;
  panel: Panel | undefined;
}

/** What a panel change needs besides the new panel, to keep the seats in step (`panelItems`). */
export interface PanelChange {
  competition: Pick<Competition, 'id' | 'createdAt' | 'leadSub'>;
  /** The panel as read before the change (undefined: none yet); the write is refused if it changed since. */
  previous: Panel | undefined;
}

/** A page request of a list. */
export interface ListRequest {
  limit: number;
  cursor?: string | undefined;
}

/**
 * Every seat of a competition: the roles each person holds, in a fixed order (lead, evaluator, moderator).
 * A person may hold several (the lead may also evaluate).
 */
export function seatsOf(leadSub: string, panel: Pick<Panel, 'evaluators' | 'moderator'> | undefined) {
  const seats = new Map<string, SeatRole[]>();
  const add = (sub: string, role: SeatRole) => {
    const roles = seats.get(sub) ?? [];
    if (!roles.includes(role)) roles.push(role);
    seats.set(sub, roles);
  };
  add(leadSub, 'lead');
  for (const sub of panel?.evaluators ?? []) add(sub, 'evaluator');
  if (panel) add(panel.moderator, 'moderator');
  return seats;
}

/** Reads competitions and builds their writes. */
export interface CompetitionRepository {
  get(id: string): Promise<Competition | undefined>;
  state(id: string): Promise<CompetitionState | undefined>;
  confidential(id: string): Promise<ConfidentialSection | undefined>;
  /** Which of the given organisations are connected to the competition (applied, bid, named in a bid). */
  /** Which of these providers are connected to the competition, with when each connected. */
  connectionsAmong(id: string, providerIds: string[]): Promise<Map<string, string>>;
  /** Open opportunities closing after `now`, soonest first. */
  opportunities(query: {
    region?: Coverage | undefined;
    service?: Service | undefined;
    now: Date;
    limit: number;
    cursor?: string | undefined;
  }): Promise<Page<OpportunityListing>>;

  /** A user's seats (competitions they lead or sit on the panel of), newest competition first. */
  seats(sub: string, request: ListRequest): Promise<Page<Seat>>;
  /** Every competition, newest first, as its lead's seat. */
  allCompetitions(request: ListRequest): Promise<Page<Seat>>;
  /** The records and panels of these competitions (those that exist), in BatchGetItem reads of 100 keys. */
  summaries(ids: readonly string[]): Promise<Map<string, CompetitionSummary>>;
  /** One person's declaration history in a competition, in the order recorded. */
  declarationHistoryOf(id: string, sub: string): Promise<DeclarationRecord[]>;

  /** The competition's record, its confidential section and its lead's seat. */
  createItems(competition: Competition, confidential: ConfidentialSection): TransactItem[];
  /** Replaces the record if its version is still `before.version`. */
  updateItems(before: Competition, after: Competition): TransactItem[];
  /** Lists a published competition as an opportunity. */
  openItems(competition: Competition): TransactItem[];
  /** Takes a competition off the opportunity lists. */
  closeItems(competition: Competition): TransactItem[];
  /**
   * The panel. With `change` (as `setPanel` always gives it) also the seats it gives and takes, and the
   * panel is written only if it is still the one read (`change.previous`): two leads' tabs setting the panel
   * at once cannot leave a seat behind that the panel no longer has.
   */
  panelItems(id: string, panel: Panel, change?: PanelChange): TransactItem[];
  /** Appends one record to a person's declaration history; refused if that version exists already. */
  declarationItems(id: string, record: DeclarationRecord): TransactItem[];
  /** Appends one record to a person's exclusion history; refused if that version exists already. */
  exclusionItems(id: string, record: ExclusionRecord): TransactItem[];
  /** Marks organisations as connected to the competition (they then stand outside its wall). */
  connectedItems(id: string, connections: { providerId: string; role: string }[], at: string): TransactItem[];
}

/** A stored listing with its fields in a stable order (DynamoDB maps keep none). */
function orderedListing(stored: OpportunityListing): OpportunityListing {
  return {
    id: stored.id,
    title: stored.title,
    regions: stored.regions,
    services: stored.services,
    estimatedValuePence: stored.estimatedValuePence,
    termMonths: stored.termMonths,
    prequalificationTier: stored.prequalificationTier,
    closesAt: stored.closesAt,
    ...(stored.suitableFor?.length ? { suitableFor: stored.suitableFor } : {}),
  };
}

function strip<T>(item: Record<string, unknown>): T {
  const { pk: _pk, sk: _sk, entity: _entity, gsi1pk: _g1, gsi1sk: _g1s, ...rest } = item;
  return rest as T;
}

/**
 * The item of a user's seat on a competition. The lead's seat also lists the competition among every
 * competition (gsi2), so that index has exactly one entry per competition.
 */
export function seatItem(
  procurementTable: string,
  competition: Pick<Competition, 'id' | 'createdAt' | 'leadSub'>,
  sub: string,
  roles: readonly SeatRole[],
): TransactItem {
  return {
    Put: {
      TableName: procurementTable,
      Item: {
        ...procurementKeys.seat(sub, competition),
        ...(sub === competition.leadSub ? procurementKeys.competitionListing(competition) : {}),
        entity: 'seat',
        sub,
        competitionId: competition.id,
        createdAt: competition.createdAt,
        roles: [...roles],
      },
    },
  };
}

const SEAT_ROLES: readonly SeatRole[] = ['lead', 'evaluator', 'moderator'];

function toSeat(item: Record<string, unknown>): Seat {
  const roles = Array.isArray(item.roles) ? item.roles : [];
  return {
    competitionId: String(item.competitionId),
    createdAt: String(item.createdAt),
    sub: String(item.sub),
    roles: SEAT_ROLES.filter((role) => roles.includes(role)),
  };
}

/** How many times a batch read is retried for unprocessed keys before it fails. */
const BATCH_READ_ATTEMPTS = 5;

/** A DynamoDB competition repository. */
export function createCompetitionRepository(deps: {
  client: DynamoDBDocumentClient;
  procurementTable: string;
  sealedTable: string;
}): CompetitionRepository {
  const { client, procurementTable, sealedTable } = deps;

  const listing = (c: Competition): OpportunityListing => ({
    id: c.id,
    title: c.title,
    regions: c.regions,
    services: c.services,
    estimatedValuePence: c.estimatedValuePence,
    termMonths: c.termMonths,
    prequalificationTier: c.prequalificationTier,
    closesAt: opportunityClosesAt(c),
    ...(c.suitableFor?.length ? { suitableFor: c.suitableFor } : {}),
  });

  /** When each of these providers connected to the competition (those that did). */
  async function connectionsAmong(id: string, providerIds: string[]): Promise<Map<string, string>> {
    const unique = [...new Set(providerIds)];
    const connected = new Map<string, string>();
    for (let i = 0; i < unique.length; i += 100) {
      let keys: Record<string, unknown>[] | undefined = unique
        .slice(i, i + 100)
        .map((p) => sealedKeys.connected(id, p));
      for (let attempt = 0; keys && keys.length > 0 && attempt < CONNECTION_READ_ATTEMPTS; attempt += 1) {
        // Unprocessed keys mean throttling: back off before asking again (25, 50, 100, 200 ms).
        if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 25 * 2 ** (attempt - 1)));
        const result: BatchGetCommandOutput = await client.send(
          new BatchGetCommand({ RequestItems: { [sealedTable]: { Keys: keys, ConsistentRead: true } } }),
        );
        for (const item of result.Responses?.[sealedTable] ?? [])
          connected.set(String(item.providerId), String(item.at));
        keys = result.UnprocessedKeys?.[sealedTable]?.Keys;
      }
      // Fail closed: a marker not read could be someone's connection, and the wall would let them in.
      if (keys && keys.length > 0)
        throw new IncompleteReadError(`${keys.length} connection markers could not be read; try again.`);
    }
    return connected;
  }

  /**
   * BatchGetItem of `keys` in chunks of 100 (in parallel), retrying unprocessed keys with a back-off; fails
   * rather than answer from part of the data.
   */
  async function batchGet(table: string, keys: Record<string, unknown>[]) {
    const chunks: Record<string, unknown>[][] = [];
    for (let i = 0; i < keys.length; i += 100) chunks.push(keys.slice(i, i + 100));
    const read = await Promise.all(
      chunks.map(async (chunk) => {
        const found: Record<string, unknown>[] = [];
        let pending: Record<string, unknown>[] | undefined = chunk;
        for (let attempt = 0; pending && pending.length > 0 && attempt < BATCH_READ_ATTEMPTS; attempt += 1) {
          if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 25 * 2 ** (attempt - 1)));
          const result: BatchGetCommandOutput = await client.send(
            new BatchGetCommand({ RequestItems: { [table]: { Keys: pending, ConsistentRead: true } } }),
          );
          found.push(...(result.Responses?.[table] ?? []));
          pending = result.UnprocessedKeys?.[table]?.Keys;
        }
        if (pending && pending.length > 0)
          throw new IncompleteReadError(`${pending.length} items could not be read; try again.`);
        return found;
      }),
    );
    return read.flat();
  }

  /** A page of seats from the table (a user's) or from gsi2 (every competition's lead seat), newest first. */
  async function seatPage(
    source: { index: 'gsi2' | undefined; partition: string; scope: readonly string[] },
    request: ListRequest,
  ): Promise<Page<Seat>> {
    const before = decodeCursor(request.cursor, source.scope);
    const pk = source.index ? `${source.index}pk` : 'pk';
    const sk = source.index ? `${source.index}sk` : 'sk';
    const result = await client.send(
      new QueryCommand({
        TableName: procurementTable,
        ...(source.index ? { IndexName: source.index } : { ConsistentRead: true }),
        KeyConditionExpression: before ? '#pk = :pk AND #sk < :before' : '#pk = :pk',
        ExpressionAttributeNames: before ? { '#pk': pk, '#sk': sk } : { '#pk': pk },
        ExpressionAttributeValues: { ':pk': source.partition, ...(before ? { ':before': before } : {}) },
        ScanIndexForward: false,
        Limit: request.limit + 1,
      }),
    );
    const entries = (result.Items ?? []).map((item) => ({ key: String(item[sk]), seat: toSeat(item) }));
    const page = mergePage([entries], (entry) => entry.key, request.limit, source.scope, 'desc');
    return { items: page.items.map((entry) => entry.seat), nextCursor: page.nextCursor };
  }

  return {
    seats: (sub, request) =>
      seatPage(
        { index: undefined, partition: procurementKeys.seatsOfUser(sub), scope: ['seats', sub] },
        request,
      ),

    allCompetitions: (request) =>
      seatPage(
        { index: 'gsi2', partition: procurementKeys.allCompetitions(), scope: ['competitions'] },
        request,
      ),

    async summaries(ids) {
      const unique = [...new Set(ids)];
      const items = await batchGet(
        procurementTable,
        unique.flatMap((id) => [procurementKeys.competition(id), procurementKeys.panel(id)]),
      );
      const competitions = new Map<string, Competition>();
      const panels = new Map<string, Panel>();
      for (const item of items) {
        const id = String(item.pk).slice('COMP#'.length);
        if (item.sk === 'META') competitions.set(id, strip<Competition>(item));
        else if (item.sk === 'PANEL') panels.set(id, strip<Panel>(item));
      }
      return new Map(
        [...competitions].map(([id, competition]) => [id, { competition, panel: panels.get(id) }]),
      );
    },

    async declarationHistoryOf(id, sub) {
      const records: DeclarationRecord[] = [];
      for await (const page of paginateQuery(
        { client },
        {
          TableName: procurementTable,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: {
            ':pk': procurementKeys.competitionPartition(id).pk,
            ':prefix': procurementKeys.declarationsOfPrefix(sub),
          },
          ConsistentRead: true,
        },
      )) {
        // The prefix also matches a longer sub that starts with this one followed by `#`.
        for (const item of page.Items ?? []) if (item.sub === sub) records.push(declarationRecord(item));
      }
      return records.sort((a, b) => a.version - b.version || a.at.localeCompare(b.at));
    },

    async get(id) {
      const result = await client.send(
        new GetCommand({
          TableName: procurementTable,
          Key: procurementKeys.competition(id),
          ConsistentRead: true,
        }),
      );
      return result.Item ? strip<Competition>(result.Item) : undefined;
    },

    async state(id) {
      let competition: Competition | undefined;
      let panel: Panel | undefined;
      const declarationHistory: DeclarationRecord[] = [];
      const exclusionHistory: ExclusionRecord[] = [];
      for await (const page of paginateQuery(
        { client },
        {
          TableName: procurementTable,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': procurementKeys.competitionPartition(id).pk },
          ConsistentRead: true,
        },
      )) {
        for (const item of page.Items ?? []) {
          const sk = String(item.sk);
          if (sk === 'META') competition = strip<Competition>(item);
          else if (sk === 'PANEL') panel = strip<Panel>(item);
          else if (sk.startsWith('DECL#')) declarationHistory.push(declarationRecord(item));
          else if (sk.startsWith('EXCL#')) exclusionHistory.push(exclusionRecord(item));
        }
      }
      const inOrder = <T extends { version: number; at: string }>(a: T, b: T) =>
        a.version - b.version || a.at.localeCompare(b.at);
      declarationHistory.sort(inOrder);
      exclusionHistory.sort(inOrder);
      return competition
        ? {
            competition,
            panel,
            declarations: effectiveDeclarations(declarationHistory),
            exclusions: currentExclusions(exclusionHistory),
            declarationHistory,
            exclusionHistory,
          }
        : undefined;
    },

    async confidential(id) {
      const result = await client.send(
        new GetCommand({ TableName: sealedTable, Key: sealedKeys.confidential(id), ConsistentRead: true }),
      );
      return result.Item ? strip<ConfidentialSection>(result.Item) : undefined;
    },

    connectionsAmong,

    async opportunities(query) {
      const scope = ['opportunities', query.region, query.service];
      const after = decodeCursor(query.cursor, scope);
      const floor = query.now.toISOString();
      const service = query.service ?? ANY;
      const regions: string[] =
        query.region === undefined
          ? [ANY]
          : query.region === NATIONAL
            ? [NATIONAL]
            : [query.region, NATIONAL];
      const pages = await Promise.all(
        regions.map(async (region) => {
          // Closed competitions sort before `now`, so the key condition skips them without filtering.
          const from = after && after > floor ? after : floor;
          const result = await client.send(
            new QueryCommand({
              TableName: procurementTable,
              IndexName: 'gsi1',
              KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk > :from',
              ExpressionAttributeValues: {
                ':pk': procurementKeys.opportunityPartition({ region, service }),
                ':from': from,
              },
              Limit: query.limit + 1,
            }),
          );
          return (result.Items ?? []).map((item) => ({
            sortKey: String(item.gsi1sk),
            listing: orderedListing(item.listing as OpportunityListing),
          }));
        }),
      );
      const page = mergePage(pages, (entry) => entry.sortKey, query.limit, scope);
      return { items: page.items.map((entry) => entry.listing), nextCursor: page.nextCursor };
    },

    createItems(competition, confidential) {
      return [
        {
          Put: {
            TableName: procurementTable,
            Item: { ...procurementKeys.competition(competition.id), entity: 'competition', ...competition },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        {
          Put: {
            TableName: sealedTable,
            Item: { ...sealedKeys.confidential(competition.id), entity: 'confidential', ...confidential },
          },
        },
        seatItem(procurementTable, competition, competition.leadSub, ['lead']),
      ];
    },

    updateItems(before, after) {
      return [
        {
          Put: {
            TableName: procurementTable,
            Item: {
              ...procurementKeys.competition(after.id),
              // Every write of the record lists it under the deadline its status waits for, or under none
              // (the put replaces the item): the reminders' index can never disagree with the record.
              ...procurementKeys.deadlineIndex(after, nextDeadline(after)?.at),
              entity: 'competition',
              ...after,
            },
            ConditionExpression: 'version = :version',
            ExpressionAttributeValues: { ':version': before.version },
          },
        },
      ];
    },

    openItems(competition) {
      const closesAt = opportunityClosesAt(competition);
      return directoryPartitions(competition).map((partition) => ({
        Put: {
          TableName: procurementTable,
          Item: {
            ...procurementKeys.opportunityEntry(competition.id, partition),
            ...procurementKeys.opportunityIndex(competition.id, partition, closesAt),
            entity: 'opportunity-entry',
            listing: listing(competition),
          },
        },
      }));
    },

    closeItems(competition) {
      return directoryPartitions(competition).map((partition) => ({
        Delete: {
          TableName: procurementTable,
          Key: procurementKeys.opportunityEntry(competition.id, partition),
        },
      }));
    },

    panelItems(id, panel, change) {
      const previous = change?.previous;
      const put: TransactItem = {
        Put: {
          TableName: procurementTable,
          Item: { ...procurementKeys.panel(id), entity: 'panel', ...panel },
          ...(change === undefined
            ? {}
            : previous === undefined
              ? { ConditionExpression: 'attribute_not_exists(pk)' }
              : {
                  ConditionExpression: 'setAt = :setAt',
                  ExpressionAttributeValues: { ':setAt': previous.setAt },
                }),
        },
      };
      if (!change) return [put];
      // Every seat of the new panel is put (a seat missing for any reason is mended), and the seats of those
      // who left it are deleted: at most 22 puts and 21 deletes, with the panel and the audit event 45 items.
      const before = seatsOf(change.competition.leadSub, previous);
      const after = seatsOf(change.competition.leadSub, panel);
      const seats = [...after].map(([sub, roles]) =>
        seatItem(procurementTable, change.competition, sub, roles),
      );
      const left = [...before.keys()]
        .filter((sub) => !after.has(sub))
        .map(
          (sub): TransactItem => ({
            Delete: { TableName: procurementTable, Key: procurementKeys.seat(sub, change.competition) },
          }),
        );
      return [put, ...seats, ...left];
    },

    declarationItems(id, record) {
      return [
        {
          Put: {
            TableName: procurementTable,
            Item: {
              ...procurementKeys.declaration(id, record.sub, record.version),
              entity: 'declaration',
              ...record,
            },
            // Append-only: a version is written once; a racing writer of the same version is refused.
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
      ];
    },

    exclusionItems(id, record) {
      return [
        {
          Put: {
            TableName: procurementTable,
            Item: {
              ...procurementKeys.exclusion(id, record.sub, record.version),
              entity: 'exclusion',
              ...record,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
      ];
    },

    connectedItems(id, connections, at) {
      return connections.map((c) => ({
        Put: {
          TableName: sealedTable,
          Item: {
            ...sealedKeys.connected(id, c.providerId),
            entity: 'connected',
            providerId: c.providerId,
            role: c.role,
            at,
          },
        },
      }));
    },
  };
}
