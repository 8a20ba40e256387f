/**
 * Creates the tables from their definitions, idempotently: a table that exists is left alone except that
 * missing indexes and a missing stream are added, so a data directory from an older version keeps working. Used by the local
 * runner and the tests; in AWS the CDK stateful stack creates the same definitions.
 */
import {
  type AttributeDefinition,
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceNotFoundException,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import type { TableName } from './table-names';
import { TABLE_LIST, type TableDefinition } from './tables';

function attributeDefinitions(def: TableDefinition): AttributeDefinition[] {
  const names = new Set<string>([def.partitionKey]);
  if (def.sortKey) names.add(def.sortKey);
  for (const index of def.indexes) {
    names.add(index.partitionKey);
    names.add(index.sortKey);
  }
  return [...names].map((AttributeName) => ({ AttributeName, AttributeType: 'S' }));
}

async function describe(client: DynamoDBClient, tableName: string) {
  try {
    return (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  }
}

/**
 * Ensures every table exists with every index.
 * @returns the logical names of the tables that had to be created (empty when all existed).
 */
export async function ensureTables(
  client: DynamoDBClient,
  physicalNames: Record<TableName, string>,
): Promise<TableName[]> {
  const created: TableName[] = [];
  for (const def of TABLE_LIST) {
    const tableName = physicalNames[def.name];
    const existing = await describe(client, tableName);
    if (!existing) {
      await client.send(
        new CreateTableCommand({
          TableName: tableName,
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: attributeDefinitions(def),
          KeySchema: [
            { AttributeName: def.partitionKey, KeyType: 'HASH' },
            ...(def.sortKey ? [{ AttributeName: def.sortKey, KeyType: 'RANGE' as const }] : []),
          ],
          ...(def.indexes.length > 0
            ? {
                GlobalSecondaryIndexes: def.indexes.map((index) => ({
                  IndexName: index.name,
                  KeySchema: [
                    { AttributeName: index.partitionKey, KeyType: 'HASH' as const },
                    { AttributeName: index.sortKey, KeyType: 'RANGE' as const },
                  ],
                  Projection: { ProjectionType: 'ALL' as const },
                })),
              }
            : {}),
          ...(def.stream
            ? { StreamSpecification: { StreamEnabled: true, StreamViewType: def.stream.viewType } }
            : {}),
        }),
      );
      if (def.ttlAttribute) {
        await client.send(
          new UpdateTimeToLiveCommand({
            TableName: tableName,
            TimeToLiveSpecification: { AttributeName: def.ttlAttribute, Enabled: true },
          }),
        );
      }
      created.push(def.name);
      continue;
    }
    if (def.stream && !existing.StreamSpecification?.StreamEnabled) {
      // A data directory from before the table had a stream: turn it on (its consumer starts from now).
      await client.send(
        new UpdateTableCommand({
          TableName: tableName,
          StreamSpecification: { StreamEnabled: true, StreamViewType: def.stream.viewType },
        }),
      );
    }
    const have = new Set((existing.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName));
    for (const index of def.indexes.filter((i) => !have.has(i.name))) {
      await client.send(
        new UpdateTableCommand({
          TableName: tableName,
          AttributeDefinitions: attributeDefinitions(def),
          GlobalSecondaryIndexUpdates: [
            {
              Create: {
                IndexName: index.name,
                KeySchema: [
                  { AttributeName: index.partitionKey, KeyType: 'HASH' },
                  { AttributeName: index.sortKey, KeyType: 'RANGE' },
                ],
                Projection: { ProjectionType: 'ALL' },
              },
            },
          ],
        }),
      );
    }
  }
  return created;
}
