/**
 * Organisation memberships in the registry table.
 */
import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { registryKeys } from './keys';

/** A user's membership of a provider organisation. */
export interface Membership {
  providerId: string;
  providerName: string;
  sub: string;
  role: 'owner' | 'member';
}

/** Reads and writes memberships. */
export interface MembershipRepository {
  /** Every organisation the user belongs to (a user belongs to few, so this reads them all). */
  listForUser(sub: string): Promise<Membership[]>;
}

/** A DynamoDB membership repository over the registry table. */
export function createMembershipRepository(deps: {
  client: DynamoDBDocumentClient;
  tableName: string;
}): MembershipRepository {
  return {
    async listForUser(sub) {
      const key = registryKeys.membershipsOfUser(sub);
      const memberships: Membership[] = [];
      let startKey: Record<string, unknown> | undefined;
      do {
        const page = await deps.client.send(
          new QueryCommand({
            TableName: deps.tableName,
            IndexName: 'gsi1',
            KeyConditionExpression: 'gsi1pk = :pk AND begins_with(gsi1sk, :prefix)',
            ExpressionAttributeValues: { ':pk': key.gsi1pk, ':prefix': key.gsi1skPrefix },
            ExclusiveStartKey: startKey,
          }),
        );
        for (const item of page.Items ?? []) {
          memberships.push({
            providerId: String(item.providerId),
            providerName: String(item.providerName),
            sub: String(item.sub),
            role: item.role === 'owner' ? 'owner' : 'member',
          });
        }
        startKey = page.LastEvaluatedKey;
      } while (startKey);
      return memberships;
    },
  };
}
