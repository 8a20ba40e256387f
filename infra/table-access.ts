/**
 * What each declared table access (`TableAccess` in `shared/http/routes.ts`) means in IAM.
 *
 * Spelled out action by action instead of using `table.grantReadData()` and friends: those grant more than
 * the service needs (Scan, DescribeTable, the stream actions), and DESIGN.md section 5 says no request path
 * may Scan, so no role may either.
 */
import type { TableName } from '../shared/db/table-names';
import type { ProviderDataKind, TableAccess } from '../shared/http/routes';

/** Actions that read items by key or by designed query; never Scan. */
const READ = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:ConditionCheckItem'];

/**
 * Actions that change items; ConditionCheckItem lets transactions guard on other items. BatchWriteItem
 * because notifications fan out in batches (`shared/db/notifications.ts`): without it every publish,
 * shortlist or upload that notifies would be refused in AWS while passing locally, where nothing checks IAM.
 */
const WRITE = [
  'dynamodb:PutItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:ConditionCheckItem',
];

/**
 * The append-only audit log: read (verification reads digests and events in batches), add new items, guard
 * transactions. Never UpdateItem, DeleteItem or BatchWriteItem, so an event once written cannot be changed
 * or removed by the service.
 */
const APPEND = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:PutItem',
  'dynamodb:ConditionCheckItem',
];

/**
 * The partition key prefix of audit chain heads (`auditKeys.head` in `shared/db/keys.ts`): pk
 * `AUDITHEAD#<competitionId>`, sk `HEAD`. Events live under `AUDIT#<competitionId>` and alerts under
 * `ALERTS`, so neither matches.
 */
export const AUDIT_HEAD_PREFIX = 'AUDITHEAD#';

/**
 * The partition key prefix of pending audit events (`auditKeys.pending`): pk `AUDITPENDING#<competitionId>`,
 * sk a ULID of the event's own. A change writes its event there, blind; the sequencer chains and deletes it.
 */
export const AUDIT_PENDING_PREFIX = 'AUDITPENDING#';

/** Limits item actions to pending audit events. */
export const AUDIT_PENDING_ONLY: IamConditions = {
  'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${AUDIT_PENDING_PREFIX}*`] },
};

/**
 * What the sequencer writes: chained events (`AUDIT#`), chain heads (`AUDITHEAD#`) and the last digest of
 * each item changed (`AUDITDATA#`) — never a pending event, an alert, or anything outside the audit log.
 */
export const AUDIT_CHAIN_ONLY: IamConditions = {
  'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['AUDIT#*', `${AUDIT_HEAD_PREFIX}*`, 'AUDITDATA#*'] },
};

/**
 * What a change may put in the outbox table (`outboxKeys` in `shared/db/keys.ts`): its event (pk
 * `EVENT#<id>`) and the mark that an organisation takes part in a competition (pk `TAKING#<competitionId>`).
 * Mail items (`MAIL#`), digest entries (`DIGEST#`), sweeps and the suppression list are the delivery's.
 */
export const OUTBOX_PRODUCER_ONLY: IamConditions = {
  'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['EVENT#*', 'TAKING#*'] },
};

/**
 * Taking-part marks alone, as a per-provider role puts them with a question, an application or a bid. Any
 * competition's: the mark's partition is the competition (the delivery lists it), so no session tag can
 * narrow it; a forged mark would only have an organisation told of what every taker-part may read.
 */
export const TAKING_PART_ONLY: IamConditions = {
  'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['TAKING#*'] },
};

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
 * The session tag naming the provider organisation a set of per-provider credentials is for
 * (`PROVIDER_TAG` in `shared/db/provider-data.ts`, which tags the STS session with it).
 */
export const PROVIDER_TAG = 'providerId';

/**
 * The partition key pattern of the tagged bidder's own partition in the sealed table
 * (`sealedKeys.bidPartition` in `shared/db/keys.ts`): pk `BID#<competitionId>#<providerId>`, holding the
 * draft, submitted versions, the bid head and the debrief. IAM puts the session's tag in place of the
 * variable, so credentials for one provider match no other provider's partition (ids are ULIDs: no `#`, so
 * no id ends with `#<another id>`), and no evaluation data (`COMP#<id>`) or connection marker.
 */
export const OWN_BID_PATTERN = `BID#*#\${aws:PrincipalTag/${PROVIDER_TAG}}`;

/** Limits item actions to the tagged bidder's own bid partitions. */
export const OWN_BIDS_ONLY: IamConditions = {
  'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [OWN_BID_PATTERN] },
};

/**
 * The partition key of the tagged organisation's participation list in the sealed table
 * (`sealedKeys.participation`, "your competitions"): pk `TAKING#<providerId>`, one item per competition it
 * takes part in. Exact (no wildcard): credentials for one provider reach no other provider's list.
 */
export const OWN_PARTICIPATION_KEY = `TAKING#\${aws:PrincipalTag/${PROVIDER_TAG}}`;

/** Limits item actions to the tagged organisation's own participation list. */
export const OWN_PARTICIPATION_ONLY: IamConditions = {
  'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [OWN_PARTICIPATION_KEY] },
};

/**
 * The partition key prefix of connection markers in the sealed table (`sealedKeys.connected`): pk
 * `CONNECTED#<competitionId>`, sk the connected organisation. Reading them would reveal who bids, so a
 * bidder may only put them.
 */
export const CONNECTED_PREFIX = 'CONNECTED#';

/** Limits item actions to items whose partition key starts with `CONNECTED#`: connection markers. */
export const CONNECTED_ONLY: IamConditions = {
  'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${CONNECTED_PREFIX}*`] },
};

/**
 * The partition key pattern of the tagged applicant's own pre-qualification responses in the sealed table
 * (`sealedKeys.response`): pk `RESPONSE#<competitionId>#<providerId>`. Apart from the competition's
 * partition, where marks, scores and the confidential section live.
 */
export const OWN_RESPONSE_PATTERN = `RESPONSE#*#\${aws:PrincipalTag/${PROVIDER_TAG}}`;

/** Limits item actions to the tagged applicant's own responses. */
export const OWN_RESPONSES_ONLY: IamConditions = {
  'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [OWN_RESPONSE_PATTERN] },
};

/**
 * The partition key patterns of agreements to be named (`sealedKeys.consent`): pk
 * `CONSENT#<competitionId>#<bidderId>#<namedId>`. The tagged organisation gives (puts) and reads back only
 * its own agreements (`GIVEN`), and as a bidder or applicant reads only agreements given to it
 * (`RECEIVED`): it cannot forge another organisation's agreement, nor learn who else partners with whom.
 * Ids are ULIDs (no `#`), so `…#<tag>` ends with the tag and `…#<tag>#…` has it in the bidder's place.
 */
export const GIVEN_AGREEMENT_PATTERN = `CONSENT#*#\${aws:PrincipalTag/${PROVIDER_TAG}}`;
export const RECEIVED_AGREEMENT_PATTERN = `CONSENT#*#\${aws:PrincipalTag/${PROVIDER_TAG}}#*`;

/**
 * The partition key prefix of competitions in the procurement table (`procurementKeys.competition`): a bid
 * write is guarded by a condition check on the competition's status and deadline.
 */
export const COMPETITION_PREFIX = 'COMP#';

/**
 * The partition key of the tagged organisation in the registry (`registryKeys.provider` and
 * `registryKeys.member`): pk `PROVIDER#<providerId>`, holding its profile and its memberships. Exact (no
 * wildcard): credentials for one provider reach no other provider's partition.
 */
export const OWN_PROVIDER_KEY = `PROVIDER#\${aws:PrincipalTag/${PROVIDER_TAG}}`;

/** Limits item actions to the tagged organisation's own registry partition. */
export const OWN_PROVIDER_ONLY: IamConditions = {
  'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [OWN_PROVIDER_KEY] },
};

/** Limits item actions to competitions' partitions in the procurement table. */
export const COMPETITIONS_ONLY: IamConditions = {
  'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${COMPETITION_PREFIX}*`] },
};

/**
 * Writes that cannot read: DynamoDB writes return items when asked (`ReturnValues` `ALL_OLD` on PutItem,
 * UpdateItem and DeleteItem, `ReturnValuesOnConditionCheckFailure` on conditional writes and condition
 * checks), so a role that may write an item it may not read would read it that way. `dynamodb:ReturnValues`
 * is the condition key AWS defines for those parameters (ConditionCheckItem accepts it, and its only
 * return-values parameter is `ReturnValuesOnConditionCheckFailure`); `IfExists` lets requests that send
 * none through. No code of the service asks for return values.
 */
export const NO_RETURN_VALUES: IamConditions = {
  StringEqualsIfExists: { 'dynamodb:ReturnValues': ['NONE'] },
};

/** Two condition blocks as one (their operators differ: IAM requires all of them). */
function both(a: IamConditions, b: IamConditions): IamConditions {
  return { ...a, ...b };
}

/** One statement on a table's ARN: its actions and, when they are limited to some items, the condition. */
export interface TableGrant {
  actions: readonly string[];
  conditions?: IamConditions;
}

const GRANTS: Record<TableAccess, readonly TableGrant[]> = {
  read: [{ actions: READ }],
  /** Blind: no return values, so writing an item never reads it. */
  write: [{ actions: WRITE, conditions: NO_RETURN_VALUES }],
  readWrite: [{ actions: [...new Set([...READ, ...WRITE])] }],
  append: [{ actions: APPEND }],
  /**
   * Appending to the audit log without reading any of it: a blind, conditional put of the change's own
   * pending event (a key nobody else writes). No GetItem, Query, index or ConditionCheckItem: nothing of
   * the chain is read or moved by a writer; the sequencer chains the event.
   */
  appendBlind: [{ actions: ['dynamodb:PutItem'], conditions: both(AUDIT_PENDING_ONLY, NO_RETURN_VALUES) }],
  /** Recording outbox events and taking-part marks with a change, blind: nothing of the outbox is read. */
  enqueue: [{ actions: ['dynamodb:PutItem'], conditions: both(OUTBOX_PRODUCER_ONLY, NO_RETURN_VALUES) }],
  /** Taking-part marks alone, blind: a provider-facing change that records no event. */
  mark: [{ actions: ['dynamodb:PutItem'], conditions: both(TAKING_PART_ONLY, NO_RETURN_VALUES) }],
};

/** A per-provider role's taking-part mark, put blind with its question, application or bid (issue 17). */
const TAKING_PART_MARK: TableGrant = {
  actions: ['dynamodb:PutItem'],
  conditions: both(TAKING_PART_ONLY, NO_RETURN_VALUES),
};

/**
 * The audit sequencer's grants on the audit table (`infra/constructs/audit-sequencer.ts`), and nothing on any
 * other table: read chain heads; put chained events, heads and digests, blind; delete pending events (the
 * one delete any role has on the audit log, and only of events not chained yet), blind. No Query, no
 * UpdateItem, no reading an event. Its stream read is granted on the audit table's stream alone.
 */
export const AUDIT_SEQUENCER_GRANTS: readonly TableGrant[] = [
  { actions: ['dynamodb:GetItem'], conditions: AUDIT_HEADS_ONLY },
  { actions: ['dynamodb:PutItem'], conditions: both(AUDIT_CHAIN_ONLY, NO_RETURN_VALUES) },
  { actions: ['dynamodb:DeleteItem'], conditions: both(AUDIT_PENDING_ONLY, NO_RETURN_VALUES) },
];

/**
 * The partition key prefix of the suppression list in the outbox table (`outboxKeys.suppressed` in
 * `shared/db/keys.ts`): pk `SUPPRESSED#<sha-256 of the address>`, sk `SUPPRESSED`.
 */
export const SUPPRESSED_PREFIX = 'SUPPRESSED#';

/**
 * The SES bounce and complaint handler's grants on the outbox table (`infra/constructs/ses-events.ts`),
 * and nothing on any other table: PutItem on suppression list items, blind. It cannot read the list (nor
 * anything else), change or remove an entry, or touch an event or an e-mail.
 */
export const SUPPRESSION_GRANTS: readonly TableGrant[] = [
  {
    actions: ['dynamodb:PutItem'],
    conditions: both(
      { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${SUPPRESSED_PREFIX}*`] } },
      NO_RETURN_VALUES,
    ),
  },
];

/**
 * The notification delivery's grants on the outbox table (`infra/constructs/notification-delivery.ts`):
 * put, read and move its mail items (`MAIL#`), list who takes part in a competition (`TAKING#`), read the
 * suppression list (`SUPPRESSED#`), add digest entries (`DIGEST#`). It never writes an event (only changes
 * do) nor the suppression list (only the SES events function does).
 */
export const NOTIFICATION_DELIVERY_OUTBOX_GRANTS: readonly TableGrant[] = [
  {
    actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
    conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['MAIL#*'] } },
  },
  {
    actions: ['dynamodb:Query'],
    conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['TAKING#*'] } },
  },
  {
    actions: ['dynamodb:GetItem'],
    conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['SUPPRESSED#*'] } },
  },
  {
    actions: ['dynamodb:PutItem'],
    conditions: both(
      { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['DIGEST#*'] } },
      NO_RETURN_VALUES,
    ),
  },
];

/**
 * The delivery's grants on the registry: the members of an organisation (a Query of its partition), a
 * user's subscriptions, the saved-search index (`SEARCHES#`), and the inbox notifications it writes (blind
 * puts of `NOTIFY#` items). Nothing of the sealed or procurement data: audiences name organisations.
 */
export const NOTIFICATION_DELIVERY_REGISTRY_GRANTS: readonly TableGrant[] = [
  {
    actions: ['dynamodb:Query', 'dynamodb:GetItem'],
    conditions: {
      'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['PROVIDER#*', 'SUBSCRIPTIONS#*', 'SEARCHES#*'] },
    },
  },
  {
    actions: ['dynamodb:PutItem', 'dynamodb:BatchWriteItem'],
    conditions: both(
      { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['NOTIFY#*'] } },
      NO_RETURN_VALUES,
    ),
  },
];

/** The registry index the delivery queries: the directory, for the organisations an opportunity matches. */
export const NOTIFICATION_DELIVERY_REGISTRY_INDEXES: readonly string[] = ['gsi1'];

/** Connection markers, blind: what both per-provider roles may put in the sealed table besides their own items. */
const MARKERS: TableGrant = {
  actions: ['dynamodb:PutItem'],
  conditions: both(CONNECTED_ONLY, NO_RETURN_VALUES),
};

/** The deadline guard every provider write carries: a condition check on the competition, blind. */
const DEADLINE_GUARD: TableGrant = {
  actions: ['dynamodb:ConditionCheckItem'],
  conditions: both(COMPETITIONS_ONLY, NO_RETURN_VALUES),
};

/**
 * A bidder's challenge checks, in its transaction, that the challenger is still a member of the tagged
 * organisation: a condition check on its own registry partition, blind (no item is returned, even when the
 * check fails), and nothing else of the registry.
 */
const MEMBERSHIP_GUARD: TableGrant = {
  actions: ['dynamodb:ConditionCheckItem'],
  conditions: both(OWN_PROVIDER_ONLY, NO_RETURN_VALUES),
};

/** Reading agreements given to the tagged bidder or applicant (to submit a bid or response naming others). */
const READ_RECEIVED_AGREEMENTS: TableGrant = {
  actions: ['dynamodb:GetItem'],
  conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [RECEIVED_AGREEMENT_PATTERN] } },
};

/** Giving an agreement to be named (blind, conditional put) and reading back the ones the tagged organisation gave. */
const GIVE_AGREEMENTS: readonly TableGrant[] = [
  {
    actions: ['dynamodb:PutItem'],
    conditions: both(
      { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [GIVEN_AGREEMENT_PATTERN] } },
      NO_RETURN_VALUES,
    ),
  },
  {
    actions: ['dynamodb:GetItem'],
    conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [GIVEN_AGREEMENT_PATTERN] } },
  },
];

/**
 * What a per-provider role (assumed per request with the session tag `providerId`) may do, table by
 * table, for each kind; it has no other permission. A provider's write is one transaction: the guard on
 * the competition, its own items, connection markers for the organisations it names, and its pending audit
 * event (no chain head: the sequencer chains it).
 * - `bidder`: sealed GetItem and PutItem on the tagged bidder's own bid partitions (draft, versions, head,
 *   debrief), and on the agreements to be named it gives (put blind); GetItem on agreements given to it;
 *   PutItem and Query on its own participation list (`TAKING#<itself>`, "your competitions"). No other
 *   Query and no index (bids cannot be listed), no BatchGetItem, UpdateItem, DeleteItem; registry
 *   ConditionCheckItem on its own organisation's partition only, blind (a challenge's check that the
 *   challenger is still a member);
 * - `applicant`: sealed PutItem on the tagged applicant's own response and its participation item, blind;
 *   GetItem only on agreements given to it;
 * - both: PutItem (never GetItem, nor return values) on connection markers, in a statement of its own (one
 *   statement with both patterns would let a bidder's GetItem read markers, which reveal who bids);
 *   procurement ConditionCheckItem on competitions only, blind (a failed check could otherwise return the
 *   item, and competitions' partitions hold panels and declarations); audit `appendBlind` (a blind put of
 *   the change's own pending event); outbox PutItem of taking-part marks (`TAKING#…`) only, blind (issue 17);
 * - `viewer` (the public pages' function, issue 15): Query on the tagged organisation's own participation
 *   list and nothing else, so the opportunity page can offer a member "View or change your bid" without
 *   its function reaching any bid, response, marker or audit event, or writing anything.
 */
export const PROVIDER_DATA_GRANTS: Readonly<
  Record<ProviderDataKind, Readonly<Partial<Record<TableName, readonly TableGrant[]>>>>
> = {
  bidder: {
    sealed: [
      { actions: ['dynamodb:GetItem', 'dynamodb:PutItem'], conditions: OWN_BIDS_ONLY },
      // Its participation list: put with each bid write, read back a page at a time ("your competitions").
      { actions: ['dynamodb:PutItem', 'dynamodb:Query'], conditions: OWN_PARTICIPATION_ONLY },
      MARKERS,
      READ_RECEIVED_AGREEMENTS,
      ...GIVE_AGREEMENTS,
    ],
    procurement: [DEADLINE_GUARD],
    registry: [MEMBERSHIP_GUARD],
    audit: GRANTS.appendBlind,
    outbox: [TAKING_PART_MARK],
  },
  applicant: {
    sealed: [
      { actions: ['dynamodb:PutItem'], conditions: both(OWN_RESPONSES_ONLY, NO_RETURN_VALUES) },
      // Its participation item, put with its response, blind like it.
      { actions: ['dynamodb:PutItem'], conditions: both(OWN_PARTICIPATION_ONLY, NO_RETURN_VALUES) },
      MARKERS,
      READ_RECEIVED_AGREEMENTS,
    ],
    procurement: [DEADLINE_GUARD],
    audit: GRANTS.appendBlind,
    outbox: [TAKING_PART_MARK],
  },
  // The opportunity page's "View or change your bid": its own participation item, read, and nothing else.
  viewer: {
    sealed: [{ actions: ['dynamodb:Query'], conditions: OWN_PARTICIPATION_ONLY }],
  },
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
 * is granted on index ARNs: it is the only item action an index serves. `appendBlind` reads nothing, so it
 * gets no index.
 */
export function queriesIndexes(access: TableAccess): boolean {
  return GRANTS[access].some(
    (grant) => grant.conditions === undefined && grant.actions.includes('dynamodb:Query'),
  );
}
