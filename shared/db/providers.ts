/**
 * The provider registry in the `registry` table: profiles, unique registration numbers, owner membership
 * and the directory entries of verified providers — all kept in step by single transactions.
 */
import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  type DynamoDBDocumentClient,
  GetCommand,
  paginateQuery,
  QueryCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { ConflictError, DuplicateRegistrationError } from '../domain/errors';
import {
  type DirectoryListing,
  type DirectoryPartition,
  directoryPartitions,
  directorySortKey,
  type Provider,
  toDirectoryListing,
} from '../domain/providers';
import { type Coverage, NATIONAL, type Sector, type Service, type Size } from '../domain/reference-data';
import { cancellationCodes } from './errors';
import { registryKeys } from './keys';
import { decodeCursor, mergePage, type Page } from './pagination';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** A notification written in the same transaction as a registry change. */
export interface NotificationDraft {
  id: string;
  providerId: string;
  type: string;
  title: string;
  message: string;
  createdAt: string;
  link?: string | undefined;
}

/** Directory query. */
export interface DirectoryQuery {
  region?: Coverage | undefined;
  service?: Service | undefined;
  sector?: Sector | undefined;
  size?: Size | undefined;
  limit: number;
  cursor?: string | undefined;
}

/** Reads and writes providers. */
export interface ProviderRepository {
  /** Registers a provider with its owner; registration numbers must be free. */
  register(provider: Provider, ownerSub: string): Promise<void>;
  get(providerId: string): Promise<Provider | undefined>;
  /** Several profiles at once (missing ids are left out). */
  getMany(providerIds: string[]): Promise<Provider[]>;
  /**
   * Replaces a profile whose stored version is `before.version`, moving registration-number claims and,
   * for a verified provider, rewriting its directory entries, in one transaction.
   */
  update(before: Provider, after: Provider): Promise<void>;
  /** Marks a pending provider verified and lists it in the directory, with a notification to it. */
  verify(before: Provider, after: Provider, notification: NotificationDraft): Promise<void>;
  /** One page of the public directory. */
  directory(query: DirectoryQuery): Promise<Page<DirectoryListing>>;
  /** Every verified provider listed in any of the partitions (for notification fan-out). */
  listedIn(partitions: DirectoryPartition[]): Promise<string[]>;
}

const PROFILE_ATTRIBUTES = [
  'id',
  'name',
  'legalForm',
  'charityNumber',
  'companyNumber',
  'sector',
  'size',
  'regions',
  'services',
  'description',
  'contact',
  'website',
  'status',
  'createdAt',
  'updatedAt',
  'verifiedAt',
  'version',
] as const;

function toProvider(item: Record<string, unknown>): Provider {
  const provider: Record<string, unknown> = {};
  for (const name of PROFILE_ATTRIBUTES) if (item[name] !== undefined) provider[name] = item[name];
  return provider as unknown as Provider;
}

/** Rebuilds a stored listing with its fields in a stable order (DynamoDB maps keep none). */
function toListing(stored: DirectoryListing): DirectoryListing {
  return {
    id: stored.id,
    name: stored.name,
    sector: stored.sector,
    size: stored.size,
    regions: stored.regions,
    services: stored.services,
    description: stored.description ?? null,
    website: stored.website ?? null,
  };
}

function partitionKey(partition: DirectoryPartition): string {
  return `${partition.region}#${partition.service}`;
}

/** A registry repository over DynamoDB. */
export function createProviderRepository(deps: {
  client: DynamoDBDocumentClient;
  tableName: string;
}): ProviderRepository {
  const { client, tableName } = deps;

  const profilePut = (
    provider: Provider,
    condition: {
      ConditionExpression: string;
      ExpressionAttributeNames?: Record<string, string>;
      ExpressionAttributeValues?: Record<string, unknown>;
    },
  ): TransactItem => ({
    Put: {
      TableName: tableName,
      Item: { ...registryKeys.provider(provider.id), entity: 'provider', ...provider },
      ...condition,
    },
  });

  const numberClaims = (provider: Provider): { key: Record<string, string>; label: string }[] => {
    const claims: { key: Record<string, string>; label: string }[] = [];
    if (provider.charityNumber) {
      claims.push({
        key: registryKeys.charityNumber(provider.charityNumber),
        label: `charity number ${provider.charityNumber}`,
      });
    }
    if (provider.companyNumber) {
      claims.push({
        key: registryKeys.companyNumber(provider.companyNumber),
        label: `company number ${provider.companyNumber}`,
      });
    }
    return claims;
  };

  const claimPut = (key: Record<string, string>, providerId: string): TransactItem => ({
    Put: {
      TableName: tableName,
      Item: { ...key, entity: 'unique', providerId },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  });

  const claimDelete = (key: Record<string, string>, providerId: string): TransactItem => ({
    Delete: {
      TableName: tableName,
      Key: key,
      ConditionExpression: 'providerId = :id',
      ExpressionAttributeValues: { ':id': providerId },
    },
  });

  const entryPut = (provider: Provider, partition: DirectoryPartition): TransactItem => ({
    Put: {
      TableName: tableName,
      Item: {
        ...registryKeys.directoryEntry(provider.id, partition),
        ...registryKeys.directoryIndexes(
          partition,
          provider.sector,
          provider.size,
          directorySortKey(provider.name, provider.id),
        ),
        entity: 'directory-entry',
        listing: toDirectoryListing(provider),
      },
    },
  });

  const entryDelete = (providerId: string, partition: DirectoryPartition): TransactItem => ({
    Delete: { TableName: tableName, Key: registryKeys.directoryEntry(providerId, partition) },
  });

  /** Runs a transaction, turning refused number claims into duplicates and version clashes into conflicts. */
  const transact = async (items: TransactItem[], claimLabels: Map<number, string>) => {
    try {
      await client.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (error) {
      const codes = cancellationCodes(error);
      if (!codes) throw error;
      const taken = codes
        .map((code, i) => (code === 'ConditionalCheckFailed' ? claimLabels.get(i) : undefined))
        .filter((label): label is string => label !== undefined);
      if (taken.length > 0) {
        throw new DuplicateRegistrationError(
          `An organisation with ${taken.join(' and ')} is already registered.`,
        );
      }
      if (codes.some((code) => code === 'ConditionalCheckFailed' || code === 'TransactionConflict')) {
        throw new ConflictError(
          'The organisation was changed by someone else at the same time; reload it and try again.',
          {
            cause: error,
          },
        );
      }
      throw error;
    }
  };

  return {
    async register(provider, ownerSub) {
      const items: TransactItem[] = [
        profilePut(provider, { ConditionExpression: 'attribute_not_exists(pk)' }),
      ];
      const labels = new Map<number, string>();
      for (const claim of numberClaims(provider)) {
        labels.set(items.length, claim.label);
        items.push(claimPut(claim.key, provider.id));
      }
      items.push({
        Put: {
          TableName: tableName,
          Item: {
            ...registryKeys.memberItem(provider.id, ownerSub),
            entity: 'member',
            providerId: provider.id,
            sub: ownerSub,
            role: 'owner',
            addedAt: provider.createdAt,
            addedBy: ownerSub,
          },
        },
      });
      await transact(items, labels);
    },

    async get(providerId) {
      const result = await client.send(
        new GetCommand({
          TableName: tableName,
          Key: registryKeys.provider(providerId),
          ConsistentRead: true,
        }),
      );
      return result.Item ? toProvider(result.Item) : undefined;
    },

    async getMany(providerIds) {
      const unique = [...new Set(providerIds)];
      const found: Provider[] = [];
      for (let i = 0; i < unique.length; i += 100) {
        let keys: Record<string, unknown>[] | undefined = unique
          .slice(i, i + 100)
          .map((id) => registryKeys.provider(id));
        // BatchGet may hand back unprocessed keys under load; ask again for those.
        for (let attempt = 0; keys && keys.length > 0 && attempt < 5; attempt += 1) {
          const result: BatchGetCommandOutput = await client.send(
            new BatchGetCommand({ RequestItems: { [tableName]: { Keys: keys } } }),
          );
          for (const item of result.Responses?.[tableName] ?? []) found.push(toProvider(item));
          keys = result.UnprocessedKeys?.[tableName]?.Keys;
        }
      }
      return found;
    },

    async update(before, after) {
      const items: TransactItem[] = [
        profilePut(after, {
          ConditionExpression: 'version = :version',
          ExpressionAttributeValues: { ':version': before.version },
        }),
      ];
      const labels = new Map<number, string>();
      const oldClaims = numberClaims(before);
      const newClaims = numberClaims(after);
      const same = (a: Record<string, string>, b: Record<string, string>) => a.pk === b.pk;
      for (const claim of oldClaims) {
        if (!newClaims.some((c) => same(c.key, claim.key))) items.push(claimDelete(claim.key, before.id));
      }
      for (const claim of newClaims) {
        if (!oldClaims.some((c) => same(c.key, claim.key))) {
          labels.set(items.length, claim.label);
          items.push(claimPut(claim.key, after.id));
        }
      }
      if (after.status === 'verified') {
        const listed = before.status === 'verified' ? directoryPartitions(before) : [];
        const listing = directoryPartitions(after);
        const unchanged =
          JSON.stringify(toDirectoryListing(before)) === JSON.stringify(toDirectoryListing(after)) &&
          before.sector === after.sector &&
          before.size === after.size;
        const wanted = new Set(listing.map(partitionKey));
        for (const partition of listed) {
          if (!wanted.has(partitionKey(partition))) items.push(entryDelete(before.id, partition));
        }
        const had = new Set(listed.map(partitionKey));
        for (const partition of listing) {
          if (!unchanged || !had.has(partitionKey(partition))) items.push(entryPut(after, partition));
        }
      }
      await transact(items, labels);
    },

    async verify(before, after, notification) {
      const items: TransactItem[] = [
        profilePut(after, {
          ConditionExpression: 'version = :version AND #status = :pending',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':version': before.version, ':pending': 'pending' },
        }),
        ...directoryPartitions(after).map((partition) => entryPut(after, partition)),
        {
          Put: {
            TableName: tableName,
            Item: {
              ...registryKeys.notification(notification.providerId, notification.id),
              entity: 'notification',
              ...notification,
            },
          },
        },
      ];
      await transact(items, new Map());
    },

    async listedIn(partitions) {
      const ids = new Set<string>();
      for (const partition of partitions) {
        for await (const page of paginateQuery(
          { client },
          {
            TableName: tableName,
            IndexName: 'gsi1',
            KeyConditionExpression: 'gsi1pk = :pk',
            ExpressionAttributeValues: { ':pk': registryKeys.directoryQuery(partition, {}).pk },
            ProjectionExpression: 'listing.id',
          },
        )) {
          for (const item of page.Items ?? []) ids.add(String((item.listing as { id: string }).id));
        }
      }
      return [...ids];
    },

    async directory(query) {
      const after = decodeCursor(query.cursor);
      const service = query.service ?? '*';
      // A region's page includes national providers, which are listed once under `national`.
      const regions: DirectoryPartition['region'][] =
        query.region === undefined
          ? ['*']
          : query.region === NATIONAL
            ? [NATIONAL]
            : [query.region, NATIONAL];
      const pages = await Promise.all(
        regions.map(async (region) => {
          const target = registryKeys.directoryQuery({ region, service }, query);
          const result = await client.send(
            new QueryCommand({
              TableName: tableName,
              IndexName: target.index,
              KeyConditionExpression: after ? '#pk = :pk AND #sk > :after' : '#pk = :pk',
              ExpressionAttributeNames: { '#pk': target.pkName, ...(after ? { '#sk': target.skName } : {}) },
              ExpressionAttributeValues: { ':pk': target.pk, ...(after ? { ':after': after } : {}) },
              Limit: query.limit + 1,
            }),
          );
          return (result.Items ?? []).map((item) => ({
            sortKey: String(item[target.skName]),
            listing: toListing(item.listing as DirectoryListing),
          }));
        }),
      );
      const page = mergePage(pages, (entry) => entry.sortKey, query.limit);
      return { items: page.items.map((entry) => entry.listing), nextCursor: page.nextCursor };
    },
  };
}
