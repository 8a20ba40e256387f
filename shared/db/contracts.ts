/**
 * Contracts in the `procurement` table: let through a confirmed award (the tenders use case commits
 * `createItems` in the same transaction as its audit event) or registered directly by a commissioner.
 * Contracts are never changed once let; their sub-contracting lives in the `subcontracting` table.
 */
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Contract } from '../domain/contracts';
import { ConflictError } from '../domain/errors';
import type { TransactItem } from './audit';
import { cancellationCodes, isConditionFailure } from './errors';
import { contractKeys } from './keys';
import { decodeCursor, mergePage, type Page } from './pagination';

/** A page request. */
export interface PageRequest {
  limit: number;
  cursor?: string | undefined;
}

/** Reads contracts and builds their writes. */
export interface ContractRepository {
  get(id: string): Promise<Contract | undefined>;
  /** Contracts whose prime is the provider, newest first. */
  listForPrime(providerId: string, page: PageRequest): Promise<Page<Contract>>;
  /** Every contract, newest first (commissioners, admins, auditors). */
  list(page: PageRequest): Promise<Page<Contract>>;
  /** The items that create a contract (its id must be new), for a transaction of the caller's. */
  createItems(contract: Contract): TransactItem[];
  /**
   * Creates a contract, with `alongside` (its transparency listing: `PublicationRepository`) in the same
   * transaction when given. @throws ConflictError when the id is taken.
   */
  create(contract: Contract, alongside?: readonly TransactItem[]): Promise<void>;
}

const CONTRACT_ATTRIBUTES = [
  'id',
  'title',
  'competitionId',
  'primeProviderId',
  'valuePence',
  'startDate',
  'endDate',
  'regions',
  'services',
  'subcontracting',
  'createdAt',
  'createdBy',
] as const;

/** Rebuilds a stored contract with its fields in a stable order (DynamoDB maps keep none). */
function toContract(item: Record<string, unknown>): Contract {
  const contract: Record<string, unknown> = {};
  for (const name of CONTRACT_ATTRIBUTES) if (item[name] !== undefined) contract[name] = item[name];
  const targets = item.subcontracting as Contract['subcontracting'];
  contract.subcontracting = {
    targetPercent: targets.targetPercent,
    ...(targets.voluntarySectorTargetPercent !== undefined
      ? { voluntarySectorTargetPercent: targets.voluntarySectorTargetPercent }
      : {}),
  };
  return contract as unknown as Contract;
}

/** A DynamoDB contract repository over the procurement table. */
export function createContractRepository(deps: {
  client: DynamoDBDocumentClient;
  tableName: string;
}): ContractRepository {
  const { client, tableName } = deps;

  const page = async (
    index: 'gsi1' | 'gsi2',
    partition: string,
    request: PageRequest,
  ): Promise<Page<Contract>> => {
    const scope = ['contracts', index, partition];
    const before = decodeCursor(request.cursor, scope);
    const pk = `${index}pk`;
    const sk = `${index}sk`;
    const result = await client.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: index,
        KeyConditionExpression: before ? '#pk = :pk AND #sk < :before' : '#pk = :pk',
        ExpressionAttributeNames: before ? { '#pk': pk, '#sk': sk } : { '#pk': pk },
        ExpressionAttributeValues: { ':pk': partition, ...(before ? { ':before': before } : {}) },
        ScanIndexForward: false,
        Limit: request.limit + 1,
      }),
    );
    const items = (result.Items ?? []).map((item) => ({ key: String(item[sk]), contract: toContract(item) }));
    const merged = mergePage([items], (i) => i.key, request.limit, scope, 'desc');
    return { items: merged.items.map((i) => i.contract), nextCursor: merged.nextCursor };
  };

  const createItems = (contract: Contract): TransactItem[] => [
    {
      Put: {
        TableName: tableName,
        Item: {
          ...contractKeys.contract(contract.id),
          ...contractKeys.contractIndexes(contract),
          entity: 'contract',
          ...contract,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
  ];

  return {
    async get(id) {
      const result = await client.send(
        new GetCommand({ TableName: tableName, Key: contractKeys.contract(id), ConsistentRead: true }),
      );
      return result.Item && result.Item.entity === 'contract' ? toContract(result.Item) : undefined;
    },

    listForPrime: (providerId, request) => page('gsi2', contractKeys.contractsOfPrime(providerId), request),

    list: (request) => page('gsi1', contractKeys.allContracts(), request),

    createItems,

    async create(contract, alongside = []) {
      const items = createItems(contract);
      try {
        if (alongside.length === 0) {
          await client.send(new PutCommand(items[0]?.Put as NonNullable<TransactItem['Put']>));
        } else {
          await client.send(new TransactWriteCommand({ TransactItems: [...items, ...alongside] }));
        }
      } catch (error) {
        if (isConditionFailure(error) || cancellationCodes(error)?.includes('ConditionalCheckFailed')) {
          throw new ConflictError(`Contract ${contract.id} already exists.`);
        }
        throw error;
      }
    },
  };
}
