/**
 * The audit log in the `audit` table: per-competition hash chains, appended with conditional puts only
 * (the table's writers have no update or delete permission), and the alerts feed.
 *
 * An append reads the chain's head, then in one transaction puts the next event (which must not exist)
 * and moves the head (which must still be where it was read), together with any domain items the event
 * records. Two writers racing for the same sequence number cannot both succeed, so the chain never forks;
 * the loser reads the new head and tries again.
 */
import {
  type DynamoDBDocumentClient,
  GetCommand,
  paginateQuery,
  QueryCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import {
  type AuditEvent,
  type AuditEventDraft,
  type ChainVerification,
  chainEvent,
  chainVerifier,
} from '../domain/audit';
import { ConflictError } from '../domain/errors';
import { cancellationCodes } from './errors';
import { auditKeys } from './keys';
import { decodeCursor, mergePage, type Page } from './pagination';

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
}

/** Reads and appends audit events. */
export interface AuditRepository {
  append(competitionId: string, draft: AuditEventDraft, options?: AppendOptions): Promise<AuditEvent>;
  /** Events oldest first. */
  page(competitionId: string, limit: number, cursor: string | undefined): Promise<Page<AuditEvent>>;
  /** Recomputes the whole chain. */
  verify(competitionId: string): Promise<ChainVerification>;
  /** Alerts newest first. */
  alerts(limit: number, cursor: string | undefined): Promise<Page<Alert>>;
}

const MAX_ATTEMPTS = 10;

function toEvent(item: Record<string, unknown>): AuditEvent {
  const event: AuditEvent = {
    competitionId: String(item.competitionId),
    seq: Number(item.seq),
    at: String(item.at),
    actor: String(item.actor),
    action: String(item.action),
    resource: String(item.resource),
    outcome: item.outcome === 'denied' ? 'denied' : 'allowed',
    prevHash: String(item.prevHash),
    hash: String(item.hash),
  };
  if (typeof item.reason === 'string') event.reason = item.reason;
  return event;
}

/** A DynamoDB audit repository. */
export function createAuditRepository(deps: {
  client: DynamoDBDocumentClient;
  tableName: string;
}): AuditRepository {
  const { client, tableName } = deps;

  return {
    async append(competitionId, draft, options = {}) {
      const domainItems = options.items ?? [];
      for (let attempt = 0; ; attempt += 1) {
        const head = await client.send(
          new GetCommand({ TableName: tableName, Key: auditKeys.head(competitionId), ConsistentRead: true }),
        );
        const previous = head.Item ? { seq: Number(head.Item.seq), hash: String(head.Item.hash) } : undefined;
        const event = chainEvent(competitionId, previous, draft);
        const items: TransactItem[] = [
          ...domainItems,
          {
            Put: {
              TableName: tableName,
              Item: { ...auditKeys.event(competitionId, event.seq), entity: 'audit-event', ...event },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          {
            Put: {
              TableName: tableName,
              Item: {
                ...auditKeys.head(competitionId),
                entity: 'audit-head',
                seq: event.seq,
                hash: event.hash,
              },
              ...(previous
                ? { ConditionExpression: 'seq = :seq', ExpressionAttributeValues: { ':seq': previous.seq } }
                : { ConditionExpression: 'attribute_not_exists(pk)' }),
            },
          },
        ];
        if (options.alert) {
          const id = ulid(Date.parse(event.at));
          items.push({
            Put: {
              TableName: tableName,
              Item: {
                ...auditKeys.alert(event.at, id),
                entity: 'alert',
                id,
                at: event.at,
                competitionId,
                actor: event.actor,
                action: event.action,
                resource: event.resource,
                reason: event.reason ?? 'denied',
              },
            },
          });
        }
        try {
          await client.send(new TransactWriteCommand({ TransactItems: items }));
          return event;
        } catch (error) {
          const codes = cancellationCodes(error);
          if (!codes) throw error;
          const domainCodes = codes.slice(0, domainItems.length);
          if (domainCodes.some((code) => code === 'ConditionalCheckFailed')) {
            throw options.onRefused?.(domainCodes) ?? error;
          }
          // The chain moved (another writer appended) or the items were busy: read the head again.
          if (attempt + 1 >= MAX_ATTEMPTS) {
            throw new ConflictError('The audit log is busy; please try again.', { cause: error });
          }
          await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20 * (attempt + 1)));
        }
      }
    },

    async page(competitionId, limit, cursor) {
      const after = decodeCursor(cursor);
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
      const items = (result.Items ?? []).map((item) => ({ sk: String(item.sk), event: toEvent(item) }));
      const page = mergePage([items], (i) => i.sk, limit);
      return { items: page.items.map((i) => i.event), nextCursor: page.nextCursor };
    },

    async verify(competitionId) {
      const verifier = chainVerifier(competitionId);
      for await (const result of paginateQuery(
        { client },
        {
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': auditKeys.events(competitionId).pk },
          ConsistentRead: true,
        },
      )) {
        for (const item of result.Items ?? []) verifier.add(toEvent(item));
      }
      return verifier.result();
    },

    async alerts(limit, cursor) {
      const before = decodeCursor(cursor);
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
      const page = mergePage([items], (i) => i.sk, limit, 'desc');
      return { items: page.items.map((i) => i.alert), nextCursor: page.nextCursor };
    },
  };
}
