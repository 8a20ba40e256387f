/**
 * A one-off step for data written before the verification queue existed (issue 16): providers already
 * waiting for verification have no queue index keys (`registryKeys.pendingIndex`), since only writes made
 * since add them, so they would not show on `/admin/providers`. This gives each pending profile its keys.
 *
 * It scans, which no request path may do: it is meant for the local migration at start-up (a layout step in
 * `local/migrate.ts`) and, in AWS, for a one-off run before the queue is used. Each update is conditioned
 * on the profile still being pending at the version read, so a decision or an edit made meanwhile (which
 * writes the keys itself, or drops them) is never overwritten. Running it twice changes nothing.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ScanCommand, type ScanCommandOutput, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '../shared/db/client';
import { registryKeys } from '../shared/db/keys';
import { waitingSince } from '../shared/domain/provider-verification';

/** Adds the queue's index keys to every pending profile without them. Returns how many it indexed. */
export async function indexPendingProviders(client: DynamoDBClient, registryTable: string): Promise<number> {
  const documents = createDocumentClient(client);
  let indexed = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const page: ScanCommandOutput = await documents.send(
      new ScanCommand({
        TableName: registryTable,
        FilterExpression: 'sk = :profile AND #status = :pending AND attribute_not_exists(gsi1pk)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':profile': 'PROFILE', ':pending': 'pending' },
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of page.Items ?? []) {
      const id = String(item.id);
      const keys = registryKeys.pendingIndex(
        waitingSince({
          createdAt: String(item.createdAt),
          resubmittedAt: typeof item.resubmittedAt === 'string' ? item.resubmittedAt : undefined,
        }),
        id,
      );
      try {
        await documents.send(
          new UpdateCommand({
            TableName: registryTable,
            Key: registryKeys.provider(id),
            UpdateExpression: 'SET gsi1pk = :pk, gsi1sk = :sk',
            ConditionExpression: '#status = :pending AND version = :version',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: {
              ':pk': keys.gsi1pk,
              ':sk': keys.gsi1sk,
              ':pending': 'pending',
              ':version': item.version,
            },
          }),
        );
        indexed += 1;
      } catch (error) {
        // Decided or edited since the scan read it: that write placed it (or took it out) already.
        if ((error as { name?: string }).name !== 'ConditionalCheckFailedException') throw error;
      }
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return indexed;
}
