import { DeleteTableCommand, DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { config } from '../../shared/config';
import { documentClient, dynamoDbClient } from '../../shared/db/client';
import { ensureTables } from '../../shared/db/create-tables';
import { registryKeys } from '../../shared/db/keys';
import { createMembershipRepository } from '../../shared/db/memberships';
import { TABLE_LIST } from '../../shared/db/tables';
import { useTestTables } from '../support/tables';

beforeAll(async () => {
  await useTestTables();
});

describe('ensureTables', () => {
  it('creates every table with its indexes, and a second run creates nothing', async () => {
    const tables = config().tables;
    for (const def of TABLE_LIST) {
      const table = (await dynamoDbClient().send(new DescribeTableCommand({ TableName: tables[def.name] })))
        .Table;
      expect(table?.KeySchema?.[0]?.AttributeName).toBe(def.partitionKey);
      expect((table?.GlobalSecondaryIndexes ?? []).map((i) => i.IndexName).sort()).toEqual(
        def.indexes.map((i) => i.name).sort(),
      );
    }
    expect(await ensureTables(dynamoDbClient(), tables)).toEqual([]);
  });

  it('creates only the missing tables', async () => {
    const tables = { ...config().tables, audit: `${config().tables.audit}-again` };
    expect(await ensureTables(dynamoDbClient(), tables)).toEqual(['audit']);
    await dynamoDbClient().send(new DeleteTableCommand({ TableName: tables.audit }));
  });
});

describe('membership repository', () => {
  it('lists a user’s organisations from the user index', async () => {
    const client = documentClient();
    const tableName = config().tables.registry;
    for (const [providerId, name, role] of [
      ['P1', 'Second Chance Trust', 'owner'],
      ['P2', 'Bridges Housing', 'member'],
    ] as const) {
      await client.send(
        new PutCommand({
          TableName: tableName,
          Item: {
            ...registryKeys.memberItem(providerId, 'carol'),
            providerId,
            providerName: name,
            sub: 'carol',
            role,
          },
        }),
      );
    }
    await client.send(
      new PutCommand({
        TableName: tableName,
        Item: {
          ...registryKeys.memberItem('P3', 'dave'),
          providerId: 'P3',
          providerName: 'Other',
          sub: 'dave',
          role: 'owner',
        },
      }),
    );
    const repo = createMembershipRepository({ client, tableName });
    const memberships = await repo.listForUser('carol');
    expect(memberships.map((m) => [m.providerId, m.role]).sort()).toEqual([
      ['P1', 'owner'],
      ['P2', 'member'],
    ]);
    expect(await repo.listForUser('nobody')).toEqual([]);
  });
});
