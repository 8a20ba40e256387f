/**
 * What each declared table access (`TableAccess` in `shared/http/routes.ts`) means in IAM actions.
 *
 * Spelled out action by action instead of using `table.grantReadData()` and friends: those grant more than
 * the service needs (Scan, DescribeTable, the stream actions), and DESIGN.md section 5 says no request path
 * may Scan, so no role may either.
 */
import type { TableAccess } from '../shared/http/routes';

/** Actions that read items by key or by designed query; never Scan. */
const READ = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:ConditionCheckItem'];

/** Actions that change items; ConditionCheckItem lets transactions guard on other items. */
const WRITE = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:ConditionCheckItem',
];

/**
 * The append-only audit log: read, add new items, guard transactions. Never UpdateItem, DeleteItem or
 * BatchWriteItem, so an event once written cannot be changed or removed by the service.
 */
const APPEND = ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:ConditionCheckItem'];

const ACTIONS: Record<TableAccess, readonly string[]> = {
  read: READ,
  write: WRITE,
  readWrite: [...new Set([...READ, ...WRITE])],
  append: APPEND,
};

/**
 * What Powertools idempotency does to its table: get the record, put it conditionally, complete it with
 * UpdateItem, delete it when the handler fails so that a retry can run.
 */
export const IDEMPOTENCY_ACTIONS: readonly string[] = [
  'dynamodb:GetItem',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
];

/** The actions on the table itself for an access level. */
export function tableActions(access: TableAccess): readonly string[] {
  return ACTIONS[access];
}

/**
 * Whether the access level reads through queries, and so needs the table's indexes. Only `dynamodb:Query`
 * is granted on index ARNs: it is the only item action an index serves.
 */
export function queriesIndexes(access: TableAccess): boolean {
  return access !== 'write';
}
