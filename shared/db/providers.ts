/**
 * The provider registry in the `registry` table: profiles, unique registration numbers, owner membership,
 * the directory entries of verified providers and the directory's counts — all kept in step by single
 * transactions.
 *
 * Directory counts: one item per region (and one for "any region" and one for national), each holding a
 * number per service (or any) × sector (or any) × size (or any). Verification and every edit that moves a
 * provider between lists add and subtract in the same transaction as the entries, so "how many providers
 * match" is one or two GetItems whatever the size of the registry.
 */
import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  paginateQuery,
  QueryCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { ConflictError, DuplicateRegistrationError, ValidationError } from '../domain/errors';
import { waitingSince } from '../domain/provider-verification';
import {
  ANY,
  type DirectoryListing,
  type DirectoryPartition,
  directoryPartitions,
  directorySortKey,
  type Provider,
  toDirectoryListing,
} from '../domain/providers';
import {
  type Coverage,
  NATIONAL,
  REGIONS,
  type Sector,
  type Service,
  type Size,
} from '../domain/reference-data';
import { cancellationCodes } from './errors';
import { registryKeys } from './keys';
import { decodeCursor, encodeCursor, mergePage, type Page } from './pagination';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/**
 * A notification to a provider. `title` and `message` are ready-made words for API clients; the structured
 * fields say what happened (`type`), to which competition and by when, so a page can word it, date it in
 * its own style and link to its own pages. `link` is the API path (kept for existing clients).
 */
export interface NotificationDraft {
  id: string;
  providerId: string;
  /** What happened: `verified`, `rejected`, `opportunity`, `shortlisted`, `not-shortlisted`, `award-successful`, `award-unsuccessful`. */
  type: string;
  title: string;
  message: string;
  createdAt: string;
  link?: string | undefined;
  /** The competition it is about, if any. */
  competitionId?: string | undefined;
  /** The competition's title, if any. */
  competitionTitle?: string | undefined;
  /** Which deadline matters next (`prequalification` or `tender`), and when it is. */
  closes?: 'prequalification' | 'tender' | undefined;
  closesAt?: string | undefined;
  /** The competition's pre-qualification tier, for a new opportunity. */
  prequalificationTier?: 'none' | 'core' | 'full' | undefined;
  /** When the standstill period ends, for an award decision. */
  standstillEndsAt?: string | undefined;
}

/** Directory query. */
export interface DirectoryQuery {
  region?: Coverage | undefined;
  service?: Service | undefined;
  sector?: Sector | undefined;
  size?: Size | undefined;
  limit: number;
  /** The page after this position (a `nextCursor`). */
  cursor?: string | undefined;
  /** The page before this position (a `previousCursor`); not with `cursor`. */
  before?: string | undefined;
}

/** A directory page: it can be paged both ways. */
export interface DirectoryPage extends Page<DirectoryListing> {
  /** The page before this one, or null on the first page. */
  previousCursor: string | null;
}

/** The most items DynamoDB takes in one transaction. */
const TRANSACTION_LIMIT = 100;

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
  /**
   * The transaction items that mark a pending provider verified (the profile, conditioned on the version
   * read and on still being pending) and list it in the directory, with its counts: for the caller to write
   * with the notification and the audit event of the decision, in one transaction.
   */
  verifyItems(before: Provider, after: Provider): TransactItem[];
  /**
   * The transaction item that marks a pending provider rejected (the profile, conditioned on the version read
   * and on still being pending); nothing else changes, as a pending provider is listed nowhere.
   */
  rejectItems(before: Provider, after: Provider): TransactItem[];
  /** The verification queue: pending providers, longest waiting first (`waitingSince`). */
  pendingQueue(query: { limit: number; cursor?: string | undefined }): Promise<Page<Provider>>;
  /** One page of the public directory. */
  directory(query: DirectoryQuery): Promise<DirectoryPage>;
  /** How many verified providers the query's filters match (from the counts kept on write). */
  directoryCount(query: Omit<DirectoryQuery, 'limit' | 'cursor' | 'before'>): Promise<number>;
  /** Every verified provider listed in any of the partitions (for notification fan-out). */
  listedIn(partitions: DirectoryPartition[]): Promise<string[]>;
  /**
   * Recounts the directory from its entries and replaces every count item: for data written before counts
   * were kept (a one-off migration at start-up, before requests are served; never on a request path).
   * Returns how many verified providers were counted.
   */
  rebuildDirectoryCounts(): Promise<number>;
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
  'rejection',
  'resubmittedAt',
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

/** The counter a directory query reads in a region's count item: `service|sector|size`, `*` for any. */
export function directoryCountName(filters: {
  service?: Service | undefined;
  sector?: Sector | undefined;
  size?: Size | undefined;
}): string {
  return `${filters.service ?? ANY}|${filters.sector ?? ANY}|${filters.size ?? ANY}`;
}

type Listed = Pick<Provider, 'regions' | 'services' | 'sector' | 'size'>;

/**
 * What a change does to the directory counts, by region (or `*`) and counter: −1 for every counter the
 * provider counted in before, +1 for every one it counts in after (either may be undefined: not listed).
 * Counters that do not move are left out, and so are regions with none that move.
 */
export function directoryCountChanges(
  before: Listed | undefined,
  after: Listed | undefined,
): Map<string, Map<string, number>> {
  const changes = new Map<string, Map<string, number>>();
  const add = (provider: Listed | undefined, delta: number) => {
    if (!provider) return;
    for (const { region, service } of directoryPartitions(provider)) {
      const counters = changes.get(region) ?? new Map<string, number>();
      changes.set(region, counters);
      for (const sector of [undefined, provider.sector]) {
        for (const size of [undefined, provider.size]) {
          const name = directoryCountName({
            service: service === ANY ? undefined : service,
            sector,
            size,
          });
          counters.set(name, (counters.get(name) ?? 0) + delta);
        }
      }
    }
  };
  add(before, -1);
  add(after, 1);
  for (const [region, counters] of changes) {
    for (const [name, delta] of counters) if (delta === 0) counters.delete(name);
    if (counters.size === 0) changes.delete(region);
  }
  return changes;
}

/** The directory partitions' regions a query reads: a region's page includes national providers. */
function directoryRegions(region: Coverage | undefined): DirectoryPartition['region'][] {
  if (region === undefined) return [ANY];
  return region === NATIONAL ? [NATIONAL] : [region, NATIONAL];
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
      Item: {
        ...registryKeys.provider(provider.id),
        // In the verification queue while pending: a put of any other status drops these keys.
        ...(provider.status === 'pending'
          ? registryKeys.pendingIndex(waitingSince(provider), provider.id)
          : {}),
        entity: 'provider',
        ...provider,
      },
      ...condition,
    },
  });

  /** The profile as a decision writes it: only from the version read, and only while still pending. */
  const decidedPut = (before: Provider, after: Provider): TransactItem =>
    profilePut(after, {
      ConditionExpression: 'version = :version AND #status = :pending',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':version': before.version, ':pending': 'pending' },
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

  /** One ADD per region count item that moves (ADD creates the item and its counters from 0). */
  const countUpdates = (before: Listed | undefined, after: Listed | undefined): TransactItem[] =>
    [...directoryCountChanges(before, after)].map(([region, counters]) => {
      const names: Record<string, string> = {};
      const values: Record<string, number> = {};
      const terms = [...counters].map(([name, delta], i) => {
        names[`#c${i}`] = name;
        values[`:d${i}`] = delta;
        return `#c${i} :d${i}`;
      });
      return {
        Update: {
          TableName: tableName,
          Key: registryKeys.directoryCounts(region as DirectoryPartition['region']),
          UpdateExpression: `ADD ${terms.join(', ')}`,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        },
      };
    });

  /** A refused transaction as a domain error: taken registration numbers, or a clash with another change. */
  const refused = (codes: string[], error: unknown, claimLabels: Map<number, string>): never => {
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
        { cause: error },
      );
    }
    throw error;
  };

  /**
   * Runs a transaction, turning refused number claims into duplicates and version clashes into conflicts.
   * A clash with another transaction alone (two verifications moving the same count item) is retried: the
   * conditions are checked again each time, so a real conflict still surfaces as one.
   */
  const transact = async (items: TransactItem[], claimLabels: Map<number, string>) => {
    if (items.length > TRANSACTION_LIMIT) {
      // Only an edit that swaps almost every region and service at once gets here; nothing is written.
      throw new ValidationError('The change moves the organisation in too many directory lists at once.', [
        {
          path: 'regions',
          message:
            'Change your regions and your services in two steps: this change moves your organisation in too many directory lists at once',
        },
      ]);
    }
    for (let attempt = 1; ; attempt += 1) {
      try {
        await client.send(new TransactWriteCommand({ TransactItems: items }));
        return;
      } catch (error) {
        const codes = cancellationCodes(error);
        if (!codes) throw error;
        const contended =
          codes.includes('TransactionConflict') &&
          codes.every((code) => code === 'TransactionConflict' || code === 'None');
        if (!contended || attempt >= 4) refused(codes, error, claimLabels);
        await new Promise((resolve) => setTimeout(resolve, 20 * attempt + Math.random() * 30));
      }
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
        items.push(...countUpdates(before.status === 'verified' ? before : undefined, after));
      }
      await transact(items, labels);
    },

    verifyItems(before, after) {
      return [
        decidedPut(before, after),
        ...directoryPartitions(after).map((partition) => entryPut(after, partition)),
        ...countUpdates(undefined, after),
      ];
    },

    rejectItems(before, after) {
      return [decidedPut(before, after)];
    },

    async pendingQueue(query) {
      const scope = ['pending-queue'];
      const after = decodeCursor(query.cursor, scope);
      const result = await client.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: 'gsi1',
          KeyConditionExpression: after ? 'gsi1pk = :pk AND gsi1sk > :after' : 'gsi1pk = :pk',
          ExpressionAttributeValues: {
            ':pk': registryKeys.pendingQueue,
            ...(after ? { ':after': after } : {}),
          },
          Limit: query.limit + 1,
        }),
      );
      const entries = (result.Items ?? []).map((item) => ({
        sortKey: String(item.gsi1sk),
        provider: toProvider(item),
      }));
      const page = mergePage([entries], (entry) => entry.sortKey, query.limit, scope);
      return { items: page.items.map((entry) => entry.provider), nextCursor: page.nextCursor };
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

    async rebuildDirectoryCounts() {
      const totals = new Map<string, Map<string, number>>();
      let counted = 0;
      // Every verified provider has exactly one entry under "any region, any service".
      for await (const page of paginateQuery(
        { client },
        {
          TableName: tableName,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :pk',
          ExpressionAttributeValues: {
            ':pk': registryKeys.directoryQuery({ region: ANY, service: ANY }, {}).pk,
          },
          ProjectionExpression: 'listing',
        },
      )) {
        for (const item of page.Items ?? []) {
          counted += 1;
          for (const [region, counters] of directoryCountChanges(undefined, item.listing as Listed)) {
            const sums = totals.get(region) ?? new Map<string, number>();
            totals.set(region, sums);
            for (const [name, delta] of counters) sums.set(name, (sums.get(name) ?? 0) + delta);
          }
        }
      }
      const regions: DirectoryPartition['region'][] = [ANY, NATIONAL, ...REGIONS];
      for (const region of regions) {
        await client.send(
          new PutCommand({
            TableName: tableName,
            Item: {
              ...registryKeys.directoryCounts(region),
              entity: 'directory-counts',
              ...Object.fromEntries(totals.get(region) ?? []),
            },
          }),
        );
      }
      return counted;
    },

    async directory(query) {
      if (query.cursor !== undefined && query.before !== undefined) {
        throw new ValidationError('Give cursor or before, not both.', [
          { path: 'query.before', message: 'Give cursor or before, not both' },
        ]);
      }
      // Both directions share one scope: a page's previousCursor and nextCursor belong to the same list.
      const scope = ['directory', query.region, query.service, query.sector, query.size];
      const after = decodeCursor(query.cursor, scope);
      const before = decodeCursor(query.before, scope, 'before');
      const service = query.service ?? ANY;
      // Backwards from `before`: read each partition downwards, then turn the page the right way round.
      const backwards = before !== undefined;
      const pages = await Promise.all(
        directoryRegions(query.region).map(async (region) => {
          const target = registryKeys.directoryQuery({ region, service }, query);
          const position = after ?? before;
          const result = await client.send(
            new QueryCommand({
              TableName: tableName,
              IndexName: target.index,
              KeyConditionExpression: position
                ? `#pk = :pk AND #sk ${backwards ? '<' : '>'} :position`
                : '#pk = :pk',
              ExpressionAttributeNames: {
                '#pk': target.pkName,
                ...(position ? { '#sk': target.skName } : {}),
              },
              ExpressionAttributeValues: { ':pk': target.pk, ...(position ? { ':position': position } : {}) },
              ScanIndexForward: !backwards,
              Limit: query.limit + 1,
            }),
          );
          return (result.Items ?? []).map((item) => ({
            sortKey: String(item[target.skName]),
            listing: toListing(item.listing as DirectoryListing),
          }));
        }),
      );
      const sortKey = (entry: { sortKey: string }) => entry.sortKey;
      if (!backwards) {
        const page = mergePage(pages, sortKey, query.limit, scope);
        const first = page.items[0];
        return {
          items: page.items.map((entry) => entry.listing),
          nextCursor: page.nextCursor,
          // Anything after a cursor has something before it: the page that led here.
          previousCursor: after === undefined ? null : encodeCursor(first ? first.sortKey : after, scope),
        };
      }
      const page = mergePage(pages, sortKey, query.limit, scope, 'desc');
      const items = page.items.reverse();
      const last = items[items.length - 1];
      return {
        items: items.map((entry) => entry.listing),
        // `before` itself follows this page.
        nextCursor: encodeCursor(last ? last.sortKey : before, scope),
        previousCursor: page.nextCursor === null || !items[0] ? null : encodeCursor(items[0].sortKey, scope),
      };
    },

    async directoryCount(query) {
      const name = directoryCountName(query);
      const counts = await Promise.all(
        directoryRegions(query.region).map(async (region) => {
          const result = await client.send(
            new GetCommand({
              TableName: tableName,
              Key: registryKeys.directoryCounts(region),
              ProjectionExpression: '#c',
              ExpressionAttributeNames: { '#c': name },
            }),
          );
          const value = Number(result.Item?.[name] ?? 0);
          return Number.isFinite(value) && value > 0 ? value : 0;
        }),
      );
      return counts.reduce((sum, n) => sum + n, 0);
    },
  };
}
