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
 * Access patterns: GetItem by user (the preferences page, `GET /me/subscriptions`, and the delivery that
 * checks whether a user wants an e-mail); and the saved searches that name a region, one Query of that
 * region's `SEARCHES#` partition (`searchesIn`), for the delivery that finds who a new opportunity matches
 * (`SEARCHES#*` holds every user's searches once, for national opportunities, which every search matches on
 * region). The index items are written in the same transaction as the subscriptions item (a put for every
 * region the searches name and for `*`, a delete for every other), so they never disagree with it and no
 * Scan is needed: 13 items per save, whatever the change.
 */
import {
  type DynamoDBDocumentClient,
  GetCommand,
  paginateQuery,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { ConflictError } from '../domain/errors';
import {
  defaultKinds,
  defaultSubscriptions,
  EMAIL_KIND_NAMES,
  type EmailKind,
  type SavedSearch,
  type Subscriptions,
  type VersionedSubscriptions,
} from '../domain/notifications/subscriptions';
import { type Coverage, NATIONAL, REGIONS } from '../domain/reference-data';
import type { TransactItem } from './audit';
import { cancellationCodes } from './errors';
import { registryKeys } from './keys';

/** The index partition holding every user's searches, whatever regions they name: for national opportunities. */
export const EVERY_SEARCH = '*' as const;

/** One partition of the saved-search index: a region's, national's, or every search's. */
export type SearchPartition = Coverage | typeof EVERY_SEARCH;

/** Every partition of the saved-search index: each region, national, and every search. */
export const SEARCH_INDEX_PARTITIONS: readonly SearchPartition[] = [...REGIONS, NATIONAL, EVERY_SEARCH];

/** A saved search as the index holds it: with its place in the user's list (the first match wins). */
export interface IndexedSearch extends SavedSearch {
  position: number;
}

/** One user's saved searches that name one region, as the index holds them. */
export interface RegionSearches {
  sub: string;
  /** The subscriptions' version these were written with. */
  version: number;
  searches: IndexedSearch[];
}

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
  /**
   * Every user's saved searches that name `region`, or all of them for `EVERY_SEARCH` (a page at a time, in
   * user order).
   */
  searchesIn(region: SearchPartition): AsyncGenerator<RegionSearches[]>;
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
 * The saved-search index items of a user's subscriptions: for each region (and national) that some search
 * names, the item holding those searches, and in `EVERY_SEARCH` the item holding all of them, when there are
 * any (exported for the item-size test). Partitions left out have none.
 */
export function savedSearchIndexItems(
  sub: string,
  subscriptions: Pick<Subscriptions, 'savedSearches'>,
  version: number,
): Map<SearchPartition, Record<string, unknown>> {
  const items = new Map<SearchPartition, Record<string, unknown>>();
  for (const region of SEARCH_INDEX_PARTITIONS) {
    const searches: IndexedSearch[] = [];
    subscriptions.savedSearches.forEach((search, position) => {
      if (region === EVERY_SEARCH || search.regions.includes(region)) searches.push({ ...search, position });
    });
    if (searches.length === 0) continue;
    items.set(region, {
      ...registryKeys.savedSearchIndex(region, sub),
      entity: 'saved-search-index',
      sub,
      version,
      searches,
    });
  }
  return items;
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
      const index = savedSearchIndexItems(sub, subscriptions, version);
      // Every region's item is either put or deleted, whatever the previous searches were: the index needs
      // no read of them, and a region no longer named loses its item in the same transaction.
      const indexWrites: TransactItem[] = SEARCH_INDEX_PARTITIONS.map((region) => {
        const item = index.get(region);
        return item
          ? { Put: { TableName: tableName, Item: item } }
          : { Delete: { TableName: tableName, Key: registryKeys.savedSearchIndex(region, sub) } };
      });
      try {
        await client.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName: tableName,
                  Item: subscriptionItem(sub, subscriptions, version, updatedAt),
                  ...(expectedVersion === 0
                    ? { ConditionExpression: 'attribute_not_exists(pk)' }
                    : {
                        ConditionExpression: '#version = :expected',
                        ExpressionAttributeNames: { '#version': 'version' },
                        ExpressionAttributeValues: { ':expected': expectedVersion },
                      }),
                },
              },
              ...indexWrites,
            ],
          }),
        );
      } catch (error) {
        const codes = cancellationCodes(error);
        // A failed version condition, or another transaction on the same items at the same moment (a
        // concurrent change of these alerts): either way the caller must read them again.
        if (codes?.includes('ConditionalCheckFailed') || codes?.includes('TransactionConflict')) {
          throw new ConflictError(
            `These alerts have changed since version ${expectedVersion} was read: read them again and make the change to what they are now.`,
          );
        }
        throw error;
      }
      return { ...subscriptions, version, updatedAt };
    },

    async *searchesIn(region) {
      for await (const page of paginateQuery(
        { client },
        {
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': registryKeys.savedSearchPartition(region) },
          // A search saved the moment before an opportunity is published is found.
          ConsistentRead: true,
        },
      )) {
        yield (page.Items ?? []).map((item) => ({
          sub: String(item.sub),
          version: Number(item.version),
          searches: item.searches as IndexedSearch[],
        }));
      }
    },
  };
}
