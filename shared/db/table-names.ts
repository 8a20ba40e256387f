/**
 * Logical table names, one per trust boundary (DESIGN.md section 4). Kept free of imports so the
 * configuration module, the CDK app and the local runner can all depend on it.
 */
export const TABLE_NAMES = [
  'registry',
  'procurement',
  'sealed',
  'subcontracting',
  'audit',
  'idempotency',
  'sessions',
  'publication',
  'outbox',
] as const;

/** A logical table name. */
export type TableName = (typeof TABLE_NAMES)[number];
