/**
 * The transparency pages' reads of the `publication` table (issue 16; keys in `keys.ts`,
 * `publicationKeys`): the feed newest first for `/transparency`, a process's first release (its title), and
 * the contracts over £10,000 for `GET /transparency/contracts.csv`, in the order they were let. Every read is
 * a Query of one partition (or of one process's index partition), never a Scan. Apart from the publication
 * repository, which every function that publishes bundles, so those functions do not carry these reads.
 */
import { type DynamoDBDocumentClient, paginateQuery, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { ListedContract } from '../domain/publication/listed-contracts';
import type { Release } from '../domain/publication/ocds';
import { publicationKeys as keys } from './keys';
import type { FeedEntry } from './publication';

/** One listed contract, with its sort key (a cursor's position). */
export interface ListedContractEntry {
  key: string;
  contract: ListedContract;
}

/** Reads of the published releases and contracts list for the transparency pages. */
export interface TransparencyRepository {
  /** Releases of the feed newest first, before a position (exclusive), at most `limit`. */
  latest(range: { before?: string | undefined; limit: number }): Promise<FeedEntry[]>;
  /** The first release of one process (its tender, or a direct contract's first spend return), if any. */
  firstRelease(ocid: string): Promise<Release | undefined>;
  /** Listed contracts in the order they were let, after a position (exclusive), at most `limit`. */
  listedContracts(range: { after?: string | undefined; limit: number }): Promise<ListedContractEntry[]>;
}

/** A DynamoDB transparency repository over the publication table. */
export function createTransparencyRepository(deps: {
  client: DynamoDBDocumentClient;
  tableName: string;
}): TransparencyRepository {
  const { client, tableName } = deps;

  /** Up to `limit` items of one partition after (or before) a sort key, paging past 1 MB answers. */
  async function upTo<T>(
    partition: string,
    range: { from?: string | undefined; limit: number; newestFirst: boolean },
    map: (item: Record<string, unknown>) => T,
  ): Promise<T[]> {
    const found: T[] = [];
    const bound = range.newestFirst ? 'sk < :from' : 'sk > :from';
    for await (const page of paginateQuery(
      { client, pageSize: Math.min(range.limit, 1000) },
      {
        TableName: tableName,
        KeyConditionExpression: range.from !== undefined ? `pk = :pk AND ${bound}` : 'pk = :pk',
        ExpressionAttributeValues: {
          ':pk': partition,
          ...(range.from !== undefined ? { ':from': range.from } : {}),
        },
        ScanIndexForward: !range.newestFirst,
      },
    )) {
      for (const item of page.Items ?? []) {
        found.push(map(item));
        if (found.length >= range.limit) return found;
      }
    }
    return found;
  }

  return {
    latest: (range) =>
      upTo(keys.feedPartition, { from: range.before, limit: range.limit, newestFirst: true }, (item) => ({
        key: String(item.sk),
        seq: Number(item.seq),
        release: item.release as Release,
      })),

    async firstRelease(ocid) {
      const result = await client.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :pk',
          ExpressionAttributeValues: { ':pk': keys.recordPartition(ocid) },
          Limit: 1,
        }),
      );
      return result.Items?.[0]?.release as Release | undefined;
    },

    listedContracts: (range) =>
      upTo(
        keys.listedContractsPartition,
        { from: range.after, limit: range.limit, newestFirst: false },
        (item) => ({ key: String(item.sk), contract: item.contract as ListedContract }),
      ),
  };
}
