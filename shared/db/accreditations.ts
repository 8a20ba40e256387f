/**
 * Current accreditations in the registry table: one item per provider, replaced by each submission.
 */
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Accreditation } from '../domain/accreditation';
import { registryKeys } from './keys';

/** Reads and writes accreditations. */
export interface AccreditationRepository {
  get(providerId: string): Promise<Accreditation | undefined>;
  put(accreditation: Accreditation): Promise<void>;
}

/** A DynamoDB accreditation repository. */
export function createAccreditationRepository(deps: {
  client: DynamoDBDocumentClient;
  tableName: string;
}): AccreditationRepository {
  const { client, tableName } = deps;
  return {
    async get(providerId) {
      const result = await client.send(
        new GetCommand({
          TableName: tableName,
          Key: registryKeys.accreditation(providerId),
          ConsistentRead: true,
        }),
      );
      if (!result.Item) return undefined;
      const { pk: _pk, sk: _sk, entity: _entity, ...accreditation } = result.Item;
      return accreditation as Accreditation;
    },
    async put(accreditation) {
      await client.send(
        new PutCommand({
          TableName: tableName,
          Item: {
            ...registryKeys.accreditation(accreditation.providerId),
            entity: 'accreditation',
            ...accreditation,
          },
        }),
      );
    },
  };
}
