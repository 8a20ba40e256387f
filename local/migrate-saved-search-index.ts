/**
 * A one-off step for data written before the saved-search index existed (issue 17): subscriptions saved
 * earlier have no `SEARCHES#<region>` items (`registryKeys.savedSearchIndex`), since only saves made since
 * write them, so a new opportunity would not find their searches. This writes each user's index items from
 * their subscriptions item.
 *
 * It scans, which no request path may do: it is meant for the local migration at start-up (a layout step in
 * `local/migrate.ts`) and, in AWS, for a one-off run before saved-search e-mail is switched on. Each user's
 * items are written in one transaction conditioned on the subscriptions still being at the version read, so
 * a change saved meanwhile (which writes its own index) is never overwritten. Running it twice changes
 * nothing.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ScanCommand, type ScanCommandOutput, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '../shared/db/client';
import { cancellationCodes } from '../shared/db/errors';
import { registryKeys } from '../shared/db/keys';
import { SEARCH_INDEX_PARTITIONS, savedSearchIndexItems } from '../shared/db/subscriptions';
import type { SavedSearch } from '../shared/domain/notifications/subscriptions';

/** Writes the index items of every user's saved searches. Returns how many users it indexed. */
export async function indexSavedSearches(client: DynamoDBClient, registryTable: string): Promise<number> {
  const documents = createDocumentClient(client);
  let indexed = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const page: ScanCommandOutput = await documents.send(
      new ScanCommand({
        TableName: registryTable,
        FilterExpression: 'begins_with(pk, :prefix) AND sk = :sk',
        ExpressionAttributeValues: { ':prefix': 'SUBSCRIPTIONS#', ':sk': 'SUBSCRIPTIONS' },
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of page.Items ?? []) {
      const sub = String(item.sub);
      const version = Number(item.version);
      const index = savedSearchIndexItems(
        sub,
        { savedSearches: (item.savedSearches ?? []) as SavedSearch[] },
        version,
      );
      try {
        await documents.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                ConditionCheck: {
                  TableName: registryTable,
                  Key: registryKeys.subscriptions(sub),
                  ConditionExpression: '#version = :version',
                  ExpressionAttributeNames: { '#version': 'version' },
                  ExpressionAttributeValues: { ':version': version },
                },
              },
              ...SEARCH_INDEX_PARTITIONS.map((region) => {
                const indexItem = index.get(region);
                return indexItem
                  ? { Put: { TableName: registryTable, Item: indexItem } }
                  : { Delete: { TableName: registryTable, Key: registryKeys.savedSearchIndex(region, sub) } };
              }),
            ],
          }),
        );
        indexed += 1;
      } catch (error) {
        // Changed since the scan read it: that save wrote its own index.
        const codes = cancellationCodes(error);
        if (!codes?.some((code) => code === 'ConditionalCheckFailed' || code === 'TransactionConflict'))
          throw error;
      }
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return indexed;
}
