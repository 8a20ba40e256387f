/**
 * One DynamoDB client per process, built at module scope from the configuration so warm Lambda invocations
 * reuse its connections. `DYNAMODB_ENDPOINT` points it at DynamoDB Local or LocalStack.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { config } from '../config';

/** Builds a low-level client for a region and an optional endpoint. */
export function createDynamoDbClient(options: {
  region: string;
  endpoint?: string | undefined;
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
    maxAttempts: local ? 2 : 3,
  });
}

/** Wraps a low-level client with the document marshaller the repositories use. */
export function createDocumentClient(client: DynamoDBClient): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
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
