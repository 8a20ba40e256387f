/**
 * Provider notifications in the registry table: one partition per provider, newest first.
 */
import {
  BatchWriteCommand,
  type BatchWriteCommandOutput,
  type DynamoDBDocumentClient,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import type { TransactItem } from './audit';
import { registryKeys } from './keys';
import { decodeCursor, mergePage, type Page } from './pagination';
import type { NotificationDraft } from './providers';

/** A stored notification. */
export type Notification = NotificationDraft;

/** Reads and writes notifications. */
export interface NotificationRepository {
  /** Writes notifications (any number; batched). */
  addMany(notifications: NotificationDraft[]): Promise<void>;
  /**
   * The transaction items that write notifications together with the change that causes them (at most
   * what one transaction holds besides that change).
   */
  addItems(notifications: NotificationDraft[]): TransactItem[];
  /** Newest-first page across the given providers' inboxes. */
  listForProviders(
    providerIds: string[],
    limit: number,
    cursor: string | undefined,
  ): Promise<Page<Notification>>;
}

/** A DynamoDB notification repository. */
export function createNotificationRepository(deps: {
  client: DynamoDBDocumentClient;
  tableName: string;
}): NotificationRepository {
  const { client, tableName } = deps;
  return {
    addItems(notifications) {
      return notifications.map((n) => ({
        Put: {
          TableName: tableName,
          Item: { ...registryKeys.notification(n.providerId, n.id), entity: 'notification', ...n },
        },
      }));
    },

    async addMany(notifications) {
      for (let i = 0; i < notifications.length; i += 25) {
        let requests:
          | NonNullable<ConstructorParameters<typeof BatchWriteCommand>[0]['RequestItems']>[string]
          | undefined = notifications.slice(i, i + 25).map((n) => ({
          PutRequest: {
            Item: { ...registryKeys.notification(n.providerId, n.id), entity: 'notification', ...n },
          },
        }));
        // Unprocessed items are retried with a short back-off rather than lost.
        for (let attempt = 0; requests && requests.length > 0; attempt += 1) {
          if (attempt > 0) await new Promise((r) => setTimeout(r, 2 ** attempt * 25));
          if (attempt > 8)
            throw new Error('Notifications could not be written: DynamoDB kept them unprocessed.');
          const result: BatchWriteCommandOutput = await client.send(
            new BatchWriteCommand({ RequestItems: { [tableName]: requests } }),
          );
          requests = result.UnprocessedItems?.[tableName];
        }
      }
    },

    async listForProviders(providerIds, limit, cursor) {
      // Bound to the set of inboxes read: a cursor of another set (another caller's) is refused.
      const inboxes = [...new Set(providerIds)].sort();
      const scope = ['notifications', ...inboxes];
      const before = decodeCursor(cursor, scope);
      const pages = await Promise.all(
        inboxes.map(async (providerId) => {
          const result = await client.send(
            new QueryCommand({
              TableName: tableName,
              KeyConditionExpression: before ? 'pk = :pk AND sk < :before' : 'pk = :pk',
              ExpressionAttributeValues: {
                ':pk': registryKeys.notifications(providerId).pk,
                ...(before ? { ':before': before } : {}),
              },
              ScanIndexForward: false,
              Limit: limit + 1,
            }),
          );
          return (result.Items ?? []).map((item) => {
            const { pk: _pk, sk: _sk, entity: _entity, ...notification } = item;
            return notification as Notification;
          });
        }),
      );
      return mergePage(pages, (n) => n.id, limit, scope, 'desc');
    },
  };
}
