/**
 * One DynamoDB client per process, built at module scope from the configuration so warm Lambda invocations
 * reuse its connections. `DYNAMODB_ENDPOINT` points it at DynamoDB Local or LocalStack.
 */
import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { config } from '../config';

/**
 * Builds a low-level client for a region and an optional endpoint. `credentials`, when given, are used
 * instead of the default chain (per-bidder credentials, see `provider-data.ts`); `requestHandler` lets such a
 * client share the process-wide client's connections instead of opening its own.
 */
export function createDynamoDbClient(options: {
  region: string;
  endpoint?: string | undefined;
  credentials?: DynamoDBClientConfig['credentials'];
  requestHandler?: DynamoDBClientConfig['requestHandler'];
}): DynamoDBClient {
  const local = options.endpoint !== undefined;
  return new DynamoDBClient({
    region: options.region,
    ...(local
      ? {
          endpoint: options.endpoint,
          // DynamoDB Local and LocalStack accept any credentials; fixed ones keep a developer's real AWS
          // credentials out of local runs entirely.
          credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        }
      : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
    ...(options.requestHandler ? { requestHandler: options.requestHandler } : {}),
    maxAttempts: local ? 2 : 3,
  });
}

/**
 * A stored number as a JavaScript number, refusing integers past `Number.MAX_SAFE_INTEGER`: left to itself
 * the SDK reads them as BigInt, which code expecting numbers then took for 0 (spend dropped silently from
 * the national report). An error is loud; the writes keep sums within range (`shared/db/subcontracting.ts`).
 */
export function exactNumber(text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || (Number.isInteger(value) && !Number.isSafeInteger(value))) {
    throw new RangeError(`DynamoDB holds the number ${text}, beyond the integers JavaScript holds exactly`);
  }
  return value;
}

/** Wraps a low-level client with the document marshaller the repositories use. */
export function createDocumentClient(client: DynamoDBClient): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
    unmarshallOptions: { wrapNumbers: exactNumber },
  });
}

let rawClient: DynamoDBClient | undefined;
let docClientInstance: DynamoDBDocumentClient | undefined;

/** The process-wide low-level client. */
export function dynamoDbClient(): DynamoDBClient {
  const { region, dynamodbEndpoint } = config();
  rawClient ??= createDynamoDbClient({ region, endpoint: dynamodbEndpoint });
  return rawClient;
}

/** The process-wide document client. */
export function documentClient(): DynamoDBDocumentClient {
  docClientInstance ??= createDocumentClient(dynamoDbClient());
  return docClientInstance;
}
