/**
 * Organisation memberships in the registry table.
 */
import { type DynamoDBDocumentClient, GetCommand, PutCommand, paginateQuery } from '@aws-sdk/lib-dynamodb';
import { ConflictError } from '../domain/errors';
import { isConditionFailure } from './errors';
import { registryKeys } from './keys';

/** A role in an organisation. */
export type MemberRole = 'owner' | 'member';

/** A user's membership of a provider organisation. */
export interface Membership {
  providerId: string;
  sub: string;
  role: MemberRole;
  addedAt: string;
  addedBy: string;
}

/** Reads and writes memberships. */
export interface MembershipRepository {
  /** Every organisation the user belongs to (a user belongs to few, so this reads them all). */
  listForUser(sub: string): Promise<Membership[]>;
  /** Every member of a provider. */
  listForProvider(providerId: string): Promise<Membership[]>;
  /** The user's membership of one provider, if any. */
  get(providerId: string, sub: string): Promise<Membership | undefined>;
  /** Adds a member. @throws ConflictError when the user is already a member. */
  add(membership: Membership): Promise<void>;
}

function toMembership(item: Record<string, unknown>): Membership {
  return {
    providerId: String(item.providerId),
    sub: String(item.sub),
    role: item.role === 'owner' ? 'owner' : 'member',
    addedAt: String(item.addedAt),
    addedBy: String(item.addedBy),
  };
}

/** A DynamoDB membership repository over the registry table. */
export function createMembershipRepository(deps: {
  client: DynamoDBDocumentClient;
  tableName: string;
}): MembershipRepository {
  const { client, tableName } = deps;
  return {
    async listForUser(sub) {
      const key = registryKeys.membershipsOfUser(sub);
      const memberships: Membership[] = [];
      for await (const page of paginateQuery(
        { client },
        {
          TableName: tableName,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :pk AND begins_with(gsi1sk, :prefix)',
          ExpressionAttributeValues: { ':pk': key.gsi1pk, ':prefix': key.gsi1skPrefix },
        },
      )) {
        for (const item of page.Items ?? []) memberships.push(toMembership(item));
      }
      return memberships;
    },

    async listForProvider(providerId) {
      const memberships: Membership[] = [];
      for await (const page of paginateQuery(
        { client },
        {
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': registryKeys.provider(providerId).pk, ':prefix': 'MEMBER#' },
        },
      )) {
        for (const item of page.Items ?? []) memberships.push(toMembership(item));
      }
      return memberships;
    },

    async get(providerId, sub) {
      const result = await client.send(
        new GetCommand({
          TableName: tableName,
          Key: registryKeys.member(providerId, sub),
          ConsistentRead: true,
        }),
      );
      return result.Item ? toMembership(result.Item) : undefined;
    },

    async add(membership) {
      try {
        await client.send(
          new PutCommand({
            TableName: tableName,
            Item: {
              ...registryKeys.memberItem(membership.providerId, membership.sub),
              entity: 'member',
              ...membership,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
      } catch (error) {
        if (isConditionFailure(error))
          throw new ConflictError(`${membership.sub} is already a member of this organisation.`);
        throw error;
      }
    },
  };
}
