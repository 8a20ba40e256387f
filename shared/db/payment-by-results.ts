/**
 * Payment by results in the `subcontracting` table, in each contract's partition (keys: `outcomeKeys`):
 * mechanism versions, cohorts and their results, proxy-outcome claims, and the figures the statement reads,
 * maintained on write.
 *
 * Every write here is returned as transaction items, so the use case commits them with the audit event that
 * records them (`AuditRepository.append`), in one transaction: never a claim without its event, nor figures
 * that disagree with the claims. Invariants are conditions:
 * - a mechanism version, a results version and a claim are put once (`attribute_not_exists`);
 * - a participant is claimed once per outcome: a uniqueness item per outcome and reference, put with the
 *   claim, deleted only by the decision that did not validate them (so they may be claimed again);
 * - a claim is decided once (`status = submitted`), and a cohort changes only from the version read.
 * The figures are ADDs of deltas (`claims.ts`), so concurrent claims never overwrite each other's counts.
 */
import { type DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { DomainError } from '../domain/errors';
import type {
  ClaimDecision,
  ClaimParticipant,
  ClaimStatus,
  TallyDelta,
} from '../domain/payment-by-results/claims';
import { CLAIM_STATUSES } from '../domain/payment-by-results/claims';
import type { MechanismVersion, RiskTier } from '../domain/payment-by-results/mechanism';
import type { ParticipantRef } from '../domain/payment-by-results/participant-ref';
import { participantRefKey } from '../domain/payment-by-results/participant-ref';
import {
  type CohortResults,
  type CohortSizes,
  MAX_PROXY_COUNT,
  type ProxyCount,
} from '../domain/payment-by-results/payments';
import type { TransactItem } from './audit';
import { outcomeKeys as keys } from './keys';
import { decodeCursor, mergePage, type Page } from './pagination';

/** The most mechanism versions a contract keeps (a change at most once a quarter for 25 years). */
export const MAX_MECHANISM_VERSIONS = 100;
/** The most quarters read for cohorts and figures (a 25-year contract). */
export const MAX_PERIODS = 100;

/** A stored mechanism version: the terms, and who set them when. */
export interface StoredMechanism extends MechanismVersion {
  setAt: string;
  setBy: string;
}

/** A period's cohort: its sizes by tier, and its proven results once entered. */
export interface Cohort {
  period: string;
  sizes: CohortSizes;
  /** Changes each time the cohort is written: the condition of the next write. */
  revision: number;
  results?: CohortResults | undefined;
  /** Results versions so far (each kept, append-only). */
  resultsVersion: number;
  /** The re-offending payment for the results, before the cap, as computed when they were entered. */
  reoffendingPence?: number | undefined;
  setAt: string;
  setBy: string;
  resultsAt?: string | undefined;
  resultsBy?: string | undefined;
}

/** A stored claim. */
export interface OutcomeClaim {
  id: string;
  contractId: string;
  outcomeId: string;
  period: string;
  tier: RiskTier;
  participants: ClaimParticipant[];
  status: ClaimStatus;
  submittedAt: string;
  submittedBy: string;
  decision?: (ClaimDecision & { decidedAt: string; decidedBy: string }) | undefined;
}

/** Claims of a contract by status. */
export type ClaimCounts = Record<ClaimStatus, number>;

/** A period's figures maintained on write. */
export interface PeriodFigures {
  period: string;
  proxy: ProxyCount[];
  claims: ClaimCounts;
}

/** A page request. */
export interface PageRequest {
  limit: number;
  cursor?: string | undefined;
}

/** A stored item that does not read as what its key says: corrupt data, never silently skipped. */
export class CorruptOutcomeItemError extends DomainError {
  override readonly name = 'CorruptOutcomeItemError';
  readonly code = 'validation';
}

/** Reads payment-by-results items and builds their writes. */
export interface PaymentByResultsRepository {
  /** Every mechanism version of a contract, in version order. */
  mechanisms(contractId: string): Promise<StoredMechanism[]>;
  /** Puts a new version (its number must be new). */
  mechanismItems(contractId: string, mechanism: StoredMechanism): TransactItem[];
  /** Every cohort of a contract, in period order. */
  cohorts(contractId: string): Promise<Cohort[]>;
  getCohort(contractId: string, period: string): Promise<Cohort | undefined>;
  /** Writes a cohort: new (`before` undefined) or from the revision read. */
  cohortItems(contractId: string, cohort: Cohort, before: Cohort | undefined): TransactItem[];
  /** Writes new results: the cohort from the revision read, and the results version (append-only). */
  resultsItems(contractId: string, cohort: Cohort, before: Cohort): TransactItem[];
  getClaim(contractId: string, claimId: string): Promise<OutcomeClaim | undefined>;
  /** Claims in submission order, or only those awaiting a decision (oldest first). */
  claims(
    contractId: string,
    page: PageRequest & { awaiting?: boolean | undefined },
  ): Promise<Page<OutcomeClaim>>;
  /**
   * A new claim: the claim, one uniqueness item per participant (in the claim's order, after the claim), and
   * the figures. Item `1 + i` refused means participant `i` is already claimed for the outcome; item
   * `1 + participants` refused, that the quarter's count for the outcome and tier is at `MAX_PROXY_COUNT`.
   */
  claimItems(claim: OutcomeClaim, tally: TallyDelta): TransactItem[];
  /** A decision: the claim (still submitted), the released participants' items, and the figures. */
  decisionItems(
    claim: OutcomeClaim,
    decision: NonNullable<OutcomeClaim['decision']>,
    released: readonly ParticipantRef[],
    tally: TallyDelta,
  ): TransactItem[];
  /** Every period's figures, in period order. */
  periodFigures(contractId: string): Promise<PeriodFigures[]>;
  /** The contract's claim counts by status. */
  claimCounts(contractId: string): Promise<ClaimCounts>;
}

const STATUS_ATTRIBUTE = (status: ClaimStatus) => `claims|${status}`;
const CLAIMED = (outcomeId: string, tier: string) => `claimed|${outcomeId}|${tier}`;
const VALIDATED = (outcomeId: string, tier: string) => `validated|${outcomeId}|${tier}`;

function emptyCounts(): ClaimCounts {
  return { submitted: 0, validated: 0, 'partly-validated': 0, rejected: 0 };
}

function countsOf(item: Record<string, unknown> | undefined): ClaimCounts {
  const counts = emptyCounts();
  for (const status of CLAIM_STATUSES) {
    const value = item?.[STATUS_ATTRIBUTE(status)];
    if (typeof value === 'number') counts[status] = value;
  }
  return counts;
}

function toPeriodFigures(item: Record<string, unknown>): PeriodFigures {
  const byKey = new Map<string, ProxyCount>();
  for (const [name, value] of Object.entries(item)) {
    const [kind, outcomeId, tier] = name.split('|');
    if ((kind !== 'claimed' && kind !== 'validated') || !outcomeId || !tier) continue;
    if (typeof value !== 'number') throw new CorruptOutcomeItemError(`Figure ${name} is not a number`);
    const key = `${outcomeId}|${tier}`;
    const count = byKey.get(key) ?? { outcomeId, tier, claimed: 0, validated: 0 };
    count[kind] = value;
    byKey.set(key, count);
  }
  const proxy = [...byKey.values()].sort((a, b) =>
    a.outcomeId === b.outcomeId ? a.tier.localeCompare(b.tier) : a.outcomeId.localeCompare(b.outcomeId),
  );
  return { period: String(item.period), proxy, claims: countsOf(item) };
}

function toMechanism(item: Record<string, unknown>): StoredMechanism {
  const mechanism: StoredMechanism = {
    version: Number(item.version),
    fromPeriod: item.fromPeriod as StoredMechanism['fromPeriod'],
    upfrontPercent: Number(item.upfrontPercent),
    proxyOutcomes: (item.proxyOutcomes as StoredMechanism['proxyOutcomes']).map((o) => ({
      id: o.id,
      name: o.name,
      tariffPence: Number(o.tariffPence),
    })),
    reoffending: item.reoffending as StoredMechanism['reoffending'],
    tierMultipliers: item.tierMultipliers as StoredMechanism['tierMultipliers'],
    setAt: String(item.setAt),
    setBy: String(item.setBy),
  };
  if (item.capPencePerYear !== undefined) mechanism.capPencePerYear = Number(item.capPencePerYear);
  return mechanism;
}

function toCohort(item: Record<string, unknown>): Cohort {
  const cohort: Cohort = {
    period: String(item.period),
    sizes: item.sizes as CohortSizes,
    revision: Number(item.revision),
    resultsVersion: Number(item.resultsVersion ?? 0),
    setAt: String(item.setAt),
    setBy: String(item.setBy),
  };
  if (item.results !== undefined) cohort.results = item.results as CohortResults;
  if (item.reoffendingPence !== undefined) cohort.reoffendingPence = Number(item.reoffendingPence);
  if (item.resultsAt !== undefined) cohort.resultsAt = String(item.resultsAt);
  if (item.resultsBy !== undefined) cohort.resultsBy = String(item.resultsBy);
  return cohort;
}

function toClaim(item: Record<string, unknown>): OutcomeClaim {
  const claim: OutcomeClaim = {
    id: String(item.id),
    contractId: String(item.contractId),
    outcomeId: String(item.outcomeId),
    period: String(item.period),
    tier: item.tier as RiskTier,
    participants: (item.participants as ClaimParticipant[]).map((p) => ({
      ref: p.ref,
      evidenceDate: p.evidenceDate,
      ...(p.note !== undefined ? { note: p.note } : {}),
    })),
    status: item.status as ClaimStatus,
    submittedAt: String(item.submittedAt),
    submittedBy: String(item.submittedBy),
  };
  if (item.decision !== undefined) claim.decision = item.decision as OutcomeClaim['decision'];
  return claim;
}

/** An ADD of the tally's deltas to a figures item (creating it), with the period named on the item. */
function figuresUpdate(
  tableName: string,
  key: Record<string, string>,
  adds: Record<string, number>,
  period: string,
  /** An attribute the ADD must not take past a bound (the item refused, so the transaction, if it would). */
  bound?: { attribute: string; max: number },
): TransactItem {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = { ':period': period };
  const parts: string[] = [];
  Object.entries(adds)
    .filter(([, n]) => n !== 0)
    .forEach(([attribute, n], index) => {
      names[`#a${index}`] = attribute;
      values[`:a${index}`] = n;
      parts.push(`#a${index} :a${index}`);
    });
  return {
    Update: {
      TableName: tableName,
      Key: key,
      UpdateExpression: `SET period = :period${parts.length > 0 ? ` ADD ${parts.join(', ')}` : ''}`,
      ...(bound
        ? {
            ConditionExpression: 'attribute_not_exists(#bound) OR #bound <= :room',
            ExpressionAttributeNames: { ...names, '#bound': bound.attribute },
            ExpressionAttributeValues: { ...values, ':room': bound.max - (adds[bound.attribute] ?? 0) },
          }
        : {
            ...(parts.length > 0 ? { ExpressionAttributeNames: names } : {}),
            ExpressionAttributeValues: values,
          }),
    },
  };
}

function statusAdds(tally: TallyDelta): Record<string, number> {
  const adds: Record<string, number> = {};
  for (const [status, n] of Object.entries(tally.statuses)) adds[STATUS_ATTRIBUTE(status as ClaimStatus)] = n;
  return adds;
}

/** A DynamoDB payment-by-results repository over the subcontracting table. */
export function createPaymentByResultsRepository(deps: {
  client: DynamoDBDocumentClient;
  tableName: string;
}): PaymentByResultsRepository {
  const { client, tableName } = deps;

  /** Every item of a contract under a prefix, in key order, up to `max` (a bound, never silently cut). */
  const all = async (contractId: string, prefix: string, max: number): Promise<Record<string, unknown>[]> => {
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const result = await client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': `CONTRACT#${contractId}`, ':prefix': prefix },
          ConsistentRead: true,
          Limit: max + 1,
          ExclusiveStartKey: start,
        }),
      );
      items.push(...(result.Items ?? []));
      start = result.LastEvaluatedKey;
    } while (start && items.length <= max);
    if (items.length > max) {
      throw new CorruptOutcomeItemError(`More than ${max} ${prefix} items for contract ${contractId}`);
    }
    return items;
  };

  return {
    async mechanisms(contractId) {
      return (await all(contractId, keys.mechanismPrefix, MAX_MECHANISM_VERSIONS)).map(toMechanism);
    },

    mechanismItems(contractId, mechanism) {
      return [
        {
          Put: {
            TableName: tableName,
            Item: { ...keys.mechanism(contractId, mechanism.version), contractId, ...mechanism },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
      ];
    },

    async cohorts(contractId) {
      return (await all(contractId, keys.cohortPrefix, MAX_PERIODS)).map(toCohort);
    },

    async getCohort(contractId, period) {
      const result = await client.send(
        new GetCommand({ TableName: tableName, Key: keys.cohort(contractId, period), ConsistentRead: true }),
      );
      return result.Item ? toCohort(result.Item) : undefined;
    },

    cohortItems(contractId, cohort, before) {
      return [
        {
          Put: {
            TableName: tableName,
            Item: { ...keys.cohort(contractId, cohort.period), contractId, ...cohort },
            ...(before
              ? {
                  ConditionExpression: 'revision = :revision',
                  ExpressionAttributeValues: { ':revision': before.revision },
                }
              : { ConditionExpression: 'attribute_not_exists(pk)' }),
          },
        },
      ];
    },

    resultsItems(contractId, cohort, before) {
      return [
        {
          Put: {
            TableName: tableName,
            Item: { ...keys.cohort(contractId, cohort.period), contractId, ...cohort },
            ConditionExpression: 'revision = :revision',
            ExpressionAttributeValues: { ':revision': before.revision },
          },
        },
        {
          Put: {
            TableName: tableName,
            Item: {
              ...keys.results(contractId, cohort.period, cohort.resultsVersion),
              contractId,
              period: cohort.period,
              version: cohort.resultsVersion,
              results: cohort.results,
              reoffendingPence: cohort.reoffendingPence,
              at: cohort.resultsAt,
              by: cohort.resultsBy,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
      ];
    },

    async getClaim(contractId, claimId) {
      const result = await client.send(
        new GetCommand({ TableName: tableName, Key: keys.claim(contractId, claimId), ConsistentRead: true }),
      );
      return result.Item ? toClaim(result.Item) : undefined;
    },

    async claims(contractId, page) {
      const scope = ['outcome-claims', contractId, page.awaiting ? 'awaiting' : 'all'];
      const after = decodeCursor(page.cursor, scope);
      if (page.awaiting) {
        const result = await client.send(
          new QueryCommand({
            TableName: tableName,
            IndexName: 'gsi2',
            KeyConditionExpression: after ? 'gsi2pk = :pk AND gsi2sk > :after' : 'gsi2pk = :pk',
            ExpressionAttributeValues: {
              ':pk': keys.claimQueuePartition(contractId),
              ...(after ? { ':after': after } : {}),
            },
            Limit: page.limit + 1,
          }),
        );
        const items = (result.Items ?? []).map((item) => ({ sk: String(item.gsi2sk), claim: toClaim(item) }));
        const merged = mergePage([items], (i) => i.sk, page.limit, scope);
        return { items: merged.items.map((i) => i.claim), nextCursor: merged.nextCursor };
      }
      const result = await client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: after
            ? 'pk = :pk AND sk BETWEEN :after AND :end'
            : 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: {
            ':pk': `CONTRACT#${contractId}`,
            ...(after
              ? { ':after': `${keys.claimPrefix}${after}\u0000`, ':end': `${keys.claimPrefix}\uffff` }
              : { ':prefix': keys.claimPrefix }),
          },
          ConsistentRead: true,
          Limit: page.limit + 1,
        }),
      );
      const items = (result.Items ?? []).map((item) => ({ sk: String(item.id), claim: toClaim(item) }));
      const merged = mergePage([items], (i) => i.sk, page.limit, scope);
      return { items: merged.items.map((i) => i.claim), nextCursor: merged.nextCursor };
    },

    claimItems(claim, tally) {
      const { contractId } = claim;
      return [
        {
          Put: {
            TableName: tableName,
            Item: {
              ...keys.claim(contractId, claim.id),
              ...keys.claimQueue(contractId, claim.id),
              ...claim,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        ...claim.participants.map(
          (p): TransactItem => ({
            Put: {
              TableName: tableName,
              Item: {
                ...keys.participant(contractId, claim.outcomeId, participantRefKey(p.ref)),
                claimId: claim.id,
              },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          }),
        ),
        figuresUpdate(
          tableName,
          keys.periodFigures(contractId, claim.period),
          { ...statusAdds(tally), [CLAIMED(claim.outcomeId, claim.tier)]: tally.claimedParticipants },
          claim.period,
          // The statement refuses counts past this bound: a claim that would pass it is refused instead.
          { attribute: CLAIMED(claim.outcomeId, claim.tier), max: MAX_PROXY_COUNT },
        ),
        figuresUpdate(tableName, keys.contractFigures(contractId), statusAdds(tally), 'ALL'),
      ];
    },

    decisionItems(claim, decision, released, tally) {
      const { contractId } = claim;
      return [
        {
          Update: {
            TableName: tableName,
            Key: keys.claim(contractId, claim.id),
            UpdateExpression: 'SET #status = :status, decision = :decision REMOVE gsi2pk, gsi2sk',
            ConditionExpression: '#status = :submitted',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: {
              ':status': decision.decision,
              ':decision': decision,
              ':submitted': 'submitted',
            },
          },
        },
        ...released.map(
          (ref): TransactItem => ({
            Delete: {
              TableName: tableName,
              Key: keys.participant(contractId, claim.outcomeId, participantRefKey(ref)),
              ConditionExpression: 'claimId = :claim',
              ExpressionAttributeValues: { ':claim': claim.id },
            },
          }),
        ),
        figuresUpdate(
          tableName,
          keys.periodFigures(contractId, claim.period),
          { ...statusAdds(tally), [VALIDATED(claim.outcomeId, claim.tier)]: tally.validatedParticipants },
          claim.period,
        ),
        figuresUpdate(tableName, keys.contractFigures(contractId), statusAdds(tally), 'ALL'),
      ];
    },

    async periodFigures(contractId) {
      const items = await all(contractId, keys.figuresPrefix, MAX_PERIODS + 1);
      return items.filter((item) => item.sk !== keys.contractFigures(contractId).sk).map(toPeriodFigures);
    },

    async claimCounts(contractId) {
      const result = await client.send(
        new GetCommand({ TableName: tableName, Key: keys.contractFigures(contractId), ConsistentRead: true }),
      );
      return countsOf(result.Item);
    },
  };
}
