/**
 * A user's e-mail preferences and saved searches (issue 17) in the registry table: one item per user
 * (`SUBSCRIPTIONS#<sub>`), bounded by the schema's limits (at most 20 saved searches; the worst case is
 * measured in test/unit/subscription-item-size.test.ts), replaced whole under a version.
 *
 * Optimistic concurrency: each write names the version it was made from and is conditioned on the stored
 * item still having it (or, for version 0, on there being none), and stores the next. Two changes made from
 * the same version cannot both be written: the second is refused (`ConflictError`, 409) rather than
 * silently undoing the first.
 *
 * Access pattern: GetItem by user (the preferences page, `GET /me/subscriptions`, and the delivery that
 * checks whether a user wants an e-mail). Finding the saved searches an opportunity matches is the
 * delivery's (an index projected from this item's stream records), not a read of every user's item.
 */
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { ConflictError } from '../domain/errors';
import {
  defaultKinds,
  defaultSubscriptions,
  EMAIL_KIND_NAMES,
  type EmailKind,
  type Subscriptions,
  type VersionedSubscriptions,
} from '../domain/notifications/subscriptions';
import { isConditionFailure } from './errors';
import { registryKeys } from './keys';

/** Reads and writes users' subscriptions. */
export interface SubscriptionRepository {
  /** A user's subscriptions; the defaults (version 0) when they never saved any. */
  get(sub: string): Promise<VersionedSubscriptions>;
  /**
   * Replaces a user's subscriptions, if they are still at `expectedVersion`; returns them at the next
   * version.
   * @throws ConflictError when they changed since `expectedVersion` (or were never saved and it is not 0).
   */
  put(
    sub: string,
    subscriptions: Subscriptions,
    expectedVersion: number,
    now: Date,
  ): Promise<VersionedSubscriptions>;
}

/** The stored item of a user's subscriptions (exported for the item-size test). */
export function subscriptionItem(
  sub: string,
  subscriptions: Subscriptions,
  version: number,
  updatedAt: string,
): Record<string, unknown> {
  return {
    ...registryKeys.subscriptions(sub),
    entity: 'subscriptions',
    sub,
    version,
    updatedAt,
    email: subscriptions.email,
    savedSearches: subscriptions.savedSearches,
  };
}

/**
 * The stored switches of the kinds the service knows: a kind added since the item was written is on, as for
 * everyone who never switched it off; a kind since retired is dropped.
 */
function knownKinds(stored: Partial<Record<string, boolean>>): Record<EmailKind, boolean> {
  const kinds = defaultKinds();
  for (const kind of EMAIL_KIND_NAMES) {
    const value = stored[kind];
    if (typeof value === 'boolean') kinds[kind] = value;
  }
  return kinds;
}

/** A DynamoDB subscription repository. */
export function createSubscriptionRepository(deps: {
  client: DynamoDBDocumentClient;
  tableName: string;
}): SubscriptionRepository {
  const { client, tableName } = deps;
  return {
    async get(sub) {
      const { Item } = await client.send(
        new GetCommand({ TableName: tableName, Key: registryKeys.subscriptions(sub), ConsistentRead: true }),
      );
      if (!Item) return defaultSubscriptions();
      const stored = Item as {
        version: number;
        updatedAt: string;
        email: VersionedSubscriptions['email'];
        savedSearches: VersionedSubscriptions['savedSearches'];
      };
      return {
        email: { enabled: stored.email.enabled, kinds: knownKinds(stored.email.kinds) },
        savedSearches: stored.savedSearches,
        version: stored.version,
        updatedAt: stored.updatedAt,
      };
    },

    async put(sub, subscriptions, expectedVersion, now) {
      const version = expectedVersion + 1;
      const updatedAt = now.toISOString();
      try {
        await client.send(
          new PutCommand({
            TableName: tableName,
            Item: subscriptionItem(sub, subscriptions, version, updatedAt),
            ...(expectedVersion === 0
              ? { ConditionExpression: 'attribute_not_exists(pk)' }
              : {
                  ConditionExpression: '#version = :expected',
                  ExpressionAttributeNames: { '#version': 'version' },
                  ExpressionAttributeValues: { ':expected': expectedVersion },
                }),
          }),
        );
      } catch (error) {
        if (isConditionFailure(error)) {
          throw new ConflictError(
            `These alerts have changed since version ${expectedVersion} was read: read them again and make the change to what they are now.`,
          );
        }
        throw error;
      }
      return { ...subscriptions, version, updatedAt };
    },
  };
}
