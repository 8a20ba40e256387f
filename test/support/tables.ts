/**
 * Creates this test file's tables (named with its prefix) in the shared DynamoDB Local.
 */
import { config } from '../../shared/config';
import { dynamoDbClient } from '../../shared/db/client';
import { ensureTables } from '../../shared/db/create-tables';

let ready: Promise<unknown> | undefined;

/** Ensures the tables exist; call it from `beforeAll`. */
export function useTestTables(): Promise<unknown> {
  ready ??= ensureTables(dynamoDbClient(), config().tables);
  return ready;
}
