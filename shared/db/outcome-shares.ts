/**
 * The shares of outcome payments a prime passes on to its registered sub-contractors (issue 18), in the
 * `subcontracting` table, in the contract's partition (keys: `outcomeKeys`):
 * - the current set (`PBR#SHARES`), with its version number – the condition of the next save;
 * - every version, append-only (`PBR#SHARESV#<version>`), for the history;
 * - one item per sub-contractor with a share (`PBR#SHARE#<providerId>`, indexed on gsi1 under
 *   `PBRSHARE#<providerId>` by contract id), so a sub-contractor's payments page reads its shares in every
 *   contract with one Query.
 *
 * A save is returned as transaction items, so the use case commits them with the audit event that records
 * them, in one transaction: the set (new, or from the version read), the new version, a Put of each
 * sub-contractor's item and a Delete of the items of those who no longer have a share.
 */
import { type DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { OutcomeShare } from '../domain/payment-by-results/shares';
import type { TransactItem } from './audit';
import { outcomeKeys as keys } from './keys';
import { decodeCursor, mergePage, type Page } from './pagination';

/** One share as stored: with the names shown beside it, as they were when it was recorded. */
export interface StoredOutcomeShare extends OutcomeShare {
  providerName: string;
  outcomeName: string;
}

/** A contract's shares of outcome payments: one version. */
export interface OutcomeShareSet {
  contractId: string;
  /** Numbered from 1, one per save. */
  version: number;
  shares: StoredOutcomeShare[];
  setAt: string;
  setBy: string;
}

/** What a sub-contractor's item holds: its shares in one contract, and what its page shows of the contract. */
export interface ProviderOutcomeShares {
  contractId: string;
  contractTitle: string;
  primeProviderId: string;
  primeName: string;
  providerId: string;
  version: number;
  shares: { outcome: string; outcomeName: string; percent: number }[];
  setAt: string;
}

/** Reads and writes the shares of outcome payments. */
export interface OutcomeShareRepository {
  /** The contract's current set, or undefined before the first save. */
  current(contractId: string): Promise<OutcomeShareSet | undefined>;
  /**
   * Saves a new version: the set (new when `before` is undefined, else only from the version read), the
   * version item, each sub-contractor's item (the contract as its page shows it), and Deletes of the items
   * of sub-contractors who had a share in `before` and have none now.
   */
  saveItems(
    set: OutcomeShareSet,
    before: OutcomeShareSet | undefined,
    contract: { title: string; primeProviderId: string; primeName: string },
  ): TransactItem[];
  /** A sub-contractor's shares, one item per contract, in contract-id order. */
  ofProvider(
    providerId: string,
    page: { limit: number; cursor?: string | undefined },
  ): Promise<Page<ProviderOutcomeShares>>;
}

function toShare(value: Record<string, unknown>): StoredOutcomeShare {
  return {
    providerId: String(value.providerId),
    providerName: String(value.providerName),
    outcome: String(value.outcome),
    outcomeName: String(value.outcomeName),
    percent: Number(value.percent),
  };
}

function toSet(item: Record<string, unknown>): OutcomeShareSet {
  return {
    contractId: String(item.contractId),
    version: Number(item.version),
    shares: ((item.shares as Record<string, unknown>[] | undefined) ?? []).map(toShare),
    setAt: String(item.setAt),
    setBy: String(item.setBy),
  };
}

function toProviderShares(item: Record<string, unknown>): ProviderOutcomeShares {
  return {
    contractId: String(item.contractId),
    contractTitle: String(item.contractTitle),
    primeProviderId: String(item.primeProviderId),
    primeName: String(item.primeName),
    providerId: String(item.providerId),
    version: Number(item.version),
    shares: ((item.shares as Record<string, unknown>[] | undefined) ?? []).map((s) => ({
      outcome: String(s.outcome),
      outcomeName: String(s.outcomeName),
      percent: Number(s.percent),
    })),
    setAt: String(item.setAt),
  };
}

/** A DynamoDB repository of the shares of outcome payments, over the subcontracting table. */
export function createOutcomeShareRepository(deps: {
  client: DynamoDBDocumentClient;
  tableName: string;
}): OutcomeShareRepository {
  const { client, tableName } = deps;
  return {
    async current(contractId) {
      const result = await client.send(
        new GetCommand({ TableName: tableName, Key: keys.shares(contractId), ConsistentRead: true }),
      );
      return result.Item ? toSet(result.Item) : undefined;
    },

    saveItems(set, before, contract) {
      const { contractId } = set;
      const body = {
        contractId,
        version: set.version,
        shares: set.shares,
        setAt: set.setAt,
        setBy: set.setBy,
      };
      const providers = new Map<string, StoredOutcomeShare[]>();
      for (const share of set.shares) {
        providers.set(share.providerId, [...(providers.get(share.providerId) ?? []), share]);
      }
      const gone = [...new Set((before?.shares ?? []).map((s) => s.providerId))].filter(
        (id) => !providers.has(id),
      );
      return [
        {
          Put: {
            TableName: tableName,
            Item: { ...keys.shares(contractId), ...body },
            ...(before
              ? {
                  ConditionExpression: '#version = :version',
                  ExpressionAttributeNames: { '#version': 'version' },
                  ExpressionAttributeValues: { ':version': before.version },
                }
              : { ConditionExpression: 'attribute_not_exists(pk)' }),
          },
        },
        {
          Put: {
            TableName: tableName,
            Item: { ...keys.sharesVersion(contractId, set.version), ...body },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        ...[...providers].map(
          ([providerId, shares]): TransactItem => ({
            Put: {
              TableName: tableName,
              Item: {
                ...keys.shareOfProvider(contractId, providerId),
                ...keys.shareIndex(contractId, providerId),
                contractId,
                contractTitle: contract.title,
                primeProviderId: contract.primeProviderId,
                primeName: contract.primeName,
                providerId,
                version: set.version,
                shares: shares.map((s) => ({
                  outcome: s.outcome,
                  outcomeName: s.outcomeName,
                  percent: s.percent,
                })),
                setAt: set.setAt,
              },
            },
          }),
        ),
        ...gone.map(
          (providerId): TransactItem => ({
            Delete: { TableName: tableName, Key: keys.shareOfProvider(contractId, providerId) },
          }),
        ),
      ];
    },

    async ofProvider(providerId, page) {
      const scope = ['outcome-shares', providerId];
      const after = decodeCursor(page.cursor, scope);
      const result = await client.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: 'gsi1',
          KeyConditionExpression: after ? 'gsi1pk = :pk AND gsi1sk > :after' : 'gsi1pk = :pk',
          ExpressionAttributeValues: {
            ':pk': keys.sharesOfProvider(providerId),
            ...(after ? { ':after': after } : {}),
          },
          Limit: page.limit + 1,
        }),
      );
      const items = (result.Items ?? []).map((item) => ({
        sk: String(item.gsi1sk),
        shares: toProviderShares(item),
      }));
      const merged = mergePage([items], (i) => i.sk, page.limit, scope);
      return { items: merged.items.map((i) => i.shares), nextCursor: merged.nextCursor };
    },
  };
}
