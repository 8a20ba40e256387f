/**
 * A fingerprint of everything stored in this test file's tables, to show that a refused request wrote
 * nothing: take one before, one after, and compare.
 *
 * It scans, which no request path may do (test/setup/no-scan.ts watches the service's shared client): so it
 * uses a client of its own, and only ever reads the tables of the test file that calls it.
 */
import { createHash } from 'node:crypto';
import { type DynamoDBDocumentClient, paginateScan } from '@aws-sdk/lib-dynamodb';
import { config } from '../../shared/config';
import { createDocumentClient, createDynamoDbClient } from '../../shared/db/client';

let client: DynamoDBDocumentClient | undefined;

function scanClient(): DynamoDBDocumentClient {
  const { region, dynamodbEndpoint } = config();
  client ??= createDocumentClient(createDynamoDbClient({ region, endpoint: dynamodbEndpoint }));
  return client;
}

/** A stable JSON form (object keys sorted), so equal items give equal text. */
function stable(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stable).join(',')}]`;
  if (value instanceof Set) return stable([...value].map(String).sort());
  if (value && typeof value === 'object') {
    const entries = Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${stable((value as Record<string, unknown>)[key])}`);
    return `{${entries.join(',')}}`;
  }
  return typeof value === 'bigint' ? `${value}n` : JSON.stringify(value);
}

/** Per table of this test file: how many items it holds and a digest of them all. */
export async function tableSnapshot(): Promise<Record<string, { items: number; digest: string }>> {
  const snapshot: Record<string, { items: number; digest: string }> = {};
  for (const [name, physical] of Object.entries(config().tables)) {
    const items: string[] = [];
    try {
      for await (const page of paginateScan({ client: scanClient() }, { TableName: physical })) {
        for (const item of page.Items ?? []) items.push(stable(item));
      }
    } catch (error) {
      // A table the test file never created holds nothing.
      if ((error as { name?: string }).name === 'ResourceNotFoundException') continue;
      throw error;
    }
    items.sort();
    snapshot[name] = {
      items: items.length,
      digest: createHash('sha256').update(items.join('\n')).digest('hex'),
    };
  }
  return snapshot;
}
