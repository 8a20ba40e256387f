/**
 * What each declared table access (`TableAccess` in `shared/http/routes.ts`) means in IAM.
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

/**
 * The partition key prefix of audit chain heads (`auditKeys.head` in `shared/db/keys.ts`): pk
 * `AUDITHEAD#<competitionId>`, sk `HEAD`. Events live under `AUDIT#<competitionId>` and alerts under
 * `ALERTS`, so neither matches.
 */
export const AUDIT_HEAD_PREFIX = 'AUDITHEAD#';

/** An IAM condition block: operator → condition key → values. */
export type IamConditions = Record<string, Record<string, string[]>>;

/**
 * Limits item actions to items whose partition key starts with `AUDITHEAD#`. `dynamodb:LeadingKeys` is
 * the set of partition key values a request touches; `ForAllValues` requires every one of them to match
 * (a GetItem always names exactly one).
 */
export const AUDIT_HEADS_ONLY: IamConditions = {
  'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${AUDIT_HEAD_PREFIX}*`] },
};

/**
 * The partition key prefix of a bidder's own partition in the sealed table (`sealedKeys.bidPartition` in
 * `shared/db/keys.ts`): pk `BID#<competitionId>#<providerId>`, holding the draft, submitted versions, the
 * bid head and the debrief. Evaluation data (`COMP#<id>`) and connection markers (`CONNECTED#<id>`) do not
 * match it.
 */
export const BID_PREFIX = 'BID#';

/**
 * The partition key prefix of connection markers in the sealed table (`sealedKeys.connected`): pk
 * `CONNECTED#<competitionId>`, sk the connected organisation. Reading them would reveal who bids, so
 * `bidder` may only put them.
 */
export const CONNECTED_PREFIX = 'CONNECTED#';

/**
 * Limits item actions to items whose partition key starts with `BID#`: bid partitions. Which bidder's
 * partition a caller may touch is the handler's check; IAM cannot tell providers apart.
 */
export const BIDS_ONLY: IamConditions = {
  'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${BID_PREFIX}*`] },
};

/** Limits item actions to items whose partition key starts with `CONNECTED#`: connection markers. */
export const CONNECTED_ONLY: IamConditions = {
  'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${CONNECTED_PREFIX}*`] },
};

/** One statement on a table's ARN: its actions and, when they are limited to some items, the condition. */
export interface TableGrant {
  actions: readonly string[];
  conditions?: IamConditions;
}

const GRANTS: Record<TableAccess, readonly TableGrant[]> = {
  read: [{ actions: READ }],
  write: [{ actions: WRITE }],
  readWrite: [{ actions: [...new Set([...READ, ...WRITE])] }],
  append: [{ actions: APPEND }],
  /**
   * Appending to the audit log without reading it: put the next event and the new head, and get only
   * chain heads (to learn the last sequence number and hash). No Query, no index, no ConditionCheckItem:
   * the head put is guarded by its own condition expression.
   */
  appendBlind: [
    { actions: ['dynamodb:PutItem'] },
    { actions: ['dynamodb:GetItem'], conditions: AUDIT_HEADS_ONLY },
  ],
  /**
   * A bidder's work on the sealed table: get and put items of bid partitions, and put (never get)
   * connection markers. Two statements on purpose: one statement with both patterns would let GetItem read
   * `CONNECTED#` markers, which reveal which organisations bid. Nothing else: no Query and no index (bids
   * cannot be listed), no BatchGetItem, no UpdateItem, DeleteItem, BatchWriteItem or ConditionCheckItem.
   */
  bidder: [
    { actions: ['dynamodb:GetItem', 'dynamodb:PutItem'], conditions: BIDS_ONLY },
    { actions: ['dynamodb:PutItem'], conditions: CONNECTED_ONLY },
  ],
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

/** The statements on the table itself for an access level, one per condition (none: all items). */
export function tableGrants(access: TableAccess): readonly TableGrant[] {
  return GRANTS[access];
}

/**
 * Whether the access level reads through queries, and so needs the table's indexes. Only `dynamodb:Query`
 * is granted on index ARNs: it is the only item action an index serves. `appendBlind` reads chain heads by
 * key only, and `bidder` its own bid items by key only, so neither gets an index.
 */
export function queriesIndexes(access: TableAccess): boolean {
  return GRANTS[access].some(
    (grant) => grant.conditions === undefined && grant.actions.includes('dynamodb:Query'),
  );
}
