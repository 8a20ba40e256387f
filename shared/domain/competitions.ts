/**
 * Competition rules (pure): the proportionate pre-qualification tier, what a competition must look like
 * to be created and published, and the status a competition is in at any moment — deadlines move it on by
 * themselves, whether or not any scheduler ran (../shared/API.md, Competitions).
 */
import type { DomainRules } from '../config';
import type { FieldIssue } from './errors';
import type { SuitableFor } from './notifications/subscriptions';
import { directoryPartitions } from './providers';
import type { Coverage, Service } from './reference-data';

/** Risk of a contract, as the commissioner judges it. */
export type Risk = 'low' | 'medium' | 'high';

/** Depth of pre-qualification. */
export type PrequalificationTier = 'none' | 'core' | 'full';

/** Stored and effective statuses. */
export const COMPETITION_STATUSES = [
  'draft',
  'prequalification',
  'shortlisting',
  'tendering',
  'evaluation',
  'standstill',
  'awarded',
  'cancelled',
] as const;
/** One status. */
export type CompetitionStatus = (typeof COMPETITION_STATUSES)[number];

/** An award criterion. */
export interface Criterion {
  id: string;
  name: string;
  kind: 'quality' | 'price';
  weight: number;
}

/** What a commissioner gives to create a competition. */
export interface CompetitionDraft {
  title: string;
  description: string;
  services: Service[];
  regions: Coverage[];
  estimatedValuePence: number;
  termMonths: number;
  risk: Risk;
  prequalificationDeadline?: string | undefined;
  tenderDeadline: string;
  criteria: Criterion[];
  subcontracting?: { targetPercent: number; voluntarySectorTargetPercent?: number | undefined } | undefined;
  /**
   * Who the commissioner says the contract suits (VCSE, SME organisations, or both; issue 17): published
   * with the opportunity so that saved searches asking for either can match it. Absent: not said.
   */
  suitableFor?: SuitableFor[] | undefined;
}

/** The tier thresholds, from configuration. */
export type TierRules = Pick<
  DomainRules,
  'tierNoneBelowPence' | 'tierFullFromPence' | 'tierFullTermOverMonths'
>;

/**
 * The proportionate tier (DESIGN.md section 2): `full` when the value is at or over the full threshold, the
 * risk is high or the term is over the term threshold; otherwise `none` when the value is under the none
 * threshold and the risk is low; otherwise `core`. `full` is checked first: a long or risky contract gets
 * full scrutiny even when it is cheap.
 */
export function prequalificationTier(
  contract: { estimatedValuePence: number; termMonths: number; risk: Risk },
  rules: TierRules,
): PrequalificationTier {
  if (
    contract.estimatedValuePence >= rules.tierFullFromPence ||
    contract.risk === 'high' ||
    contract.termMonths > rules.tierFullTermOverMonths
  ) {
    return 'full';
  }
  if (contract.estimatedValuePence < rules.tierNoneBelowPence && contract.risk === 'low') return 'none';
  return 'core';
}

/** The most award criteria a competition may have. */
export const MAX_CRITERIA = 20;

/**
 * The most opportunity entries a competition may have. Publishing writes them all in one DynamoDB
 * transaction (at most 100 items) with the competition record, its audit event, its OCDS release (the
 * release and the feed counter's move: issue 16) and its outbox event (issue 17): 95 + 5 = 100;
 * cancelling and shortlisting delete them with at most as many others. A competition has one entry per
 * (each region, or "any") × (each service, or "any"), so 7 regions fit 10 services (8 × 11 = 88), 6
 * regions 12 (7 × 13 = 91), 5 regions every service (6 × 15 = 90), and national (one region) always fits.
 */
export const MAX_OPPORTUNITY_ENTRIES = 95;

/** How many opportunity entries a competition lists (see `MAX_OPPORTUNITY_ENTRIES`). */
export function opportunityEntryCount(competition: Pick<CompetitionDraft, 'regions' | 'services'>): number {
  return directoryPartitions(competition).length;
}

/**
 * Annual value of a contract: the whole value spread over its term (a term under a year counts as a
 * year), rounded half up. Worked out in BigInt: `value × 12` as a number leaves the safe integer range past
 * 2^53 / 12 and rounds wrongly; the result is at most the value, so it is a safe integer again.
 */
export function annualValuePence(estimatedValuePence: number, termMonths: number): number {
  const months = BigInt(Math.max(12, Math.trunc(termMonths)));
  return Number((BigInt(Math.trunc(estimatedValuePence)) * 24n + months) / (2n * months));
}

/**
 * The largest minimum turnover a commissioner may ask for: `multiple` × the annual value, held at the
 * largest safe integer (any safe minimum is within such a cap).
 */
export function maximumMinimumTurnoverPence(
  estimatedValuePence: number,
  termMonths: number,
  multiple: number,
): number {
  return Math.min(Number.MAX_SAFE_INTEGER, multiple * annualValuePence(estimatedValuePence, termMonths));
}

/**
 * The rules of a competition draft beyond its shape: weights sum to 100, exactly one price criterion,
 * criterion ids unique, regions × services within what one transaction can list (`MAX_OPPORTUNITY_ENTRIES`),
 * deadlines in the future and in order, a pre-qualification deadline exactly when the tier needs one.
 */
export function competitionDraftIssues(
  draft: CompetitionDraft,
  tier: PrequalificationTier,
  now: Date,
): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const total = draft.criteria.reduce((sum, c) => sum + c.weight, 0);
  if (total !== 100)
    issues.push({ path: 'criteria', message: `Weights must add up to 100 (they add up to ${total})` });
  const prices = draft.criteria.filter((c) => c.kind === 'price').length;
  if (prices !== 1)
    issues.push({ path: 'criteria', message: `Give exactly one price criterion (there are ${prices})` });
  if (!draft.criteria.some((c) => c.kind === 'quality')) {
    issues.push({ path: 'criteria', message: 'Give at least one quality criterion' });
  }
  const ids = draft.criteria.map((c) => c.id);
  if (new Set(ids).size !== ids.length)
    issues.push({ path: 'criteria', message: 'Each criterion id must be unique' });
  if (new Set(draft.regions).size !== draft.regions.length)
    issues.push({ path: 'regions', message: 'Each region may be listed once' });
  if (draft.regions.includes('national') && draft.regions.length > 1) {
    issues.push({
      path: 'regions',
      message: 'Choose national on its own, or the regions the contract covers',
    });
  }
  if (new Set(draft.services).size !== draft.services.length)
    issues.push({ path: 'services', message: 'Each service may be listed once' });
  if (draft.suitableFor && new Set(draft.suitableFor).size !== draft.suitableFor.length)
    issues.push({ path: 'suitableFor', message: 'Each kind of organisation may be listed once' });
  const entries = opportunityEntryCount(draft);
  if (entries > MAX_OPPORTUNITY_ENTRIES) {
    issues.push({
      path: 'regions',
      message: `Too many regions for this many services (${draft.regions.length} regions × ${draft.services.length} services): choose national, or list fewer regions or services`,
    });
  }
  const tender = Date.parse(draft.tenderDeadline);
  if (tender <= now.getTime())
    issues.push({ path: 'tenderDeadline', message: 'The tender deadline must be in the future' });
  if (tier === 'none') {
    if (draft.prequalificationDeadline !== undefined) {
      issues.push({
        path: 'prequalificationDeadline',
        message:
          'This contract needs no pre-qualification (tier none): leave the pre-qualification deadline out',
      });
    }
  } else if (draft.prequalificationDeadline === undefined) {
    issues.push({
      path: 'prequalificationDeadline',
      message: `Give a pre-qualification deadline (tier ${tier})`,
    });
  } else {
    const prequal = Date.parse(draft.prequalificationDeadline);
    if (prequal <= now.getTime()) {
      issues.push({
        path: 'prequalificationDeadline',
        message: 'The pre-qualification deadline must be in the future',
      });
    } else if (prequal >= tender) {
      issues.push({
        path: 'tenderDeadline',
        message: 'The tender deadline must come after the pre-qualification deadline',
      });
    }
  }
  return issues;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Why a competition cannot be published now, or undefined when it can: the deadlines must leave at least
 * the minimum periods from now (pre-qualification, or tender for tier `none`).
 */
export function publicationProblem(
  competition: {
    prequalificationTier: PrequalificationTier;
    prequalificationDeadline?: string | undefined;
    tenderDeadline: string;
  },
  now: Date,
  rules: Pick<DomainRules, 'minPrequalificationDays' | 'minTenderDays'>,
): string | undefined {
  if (competition.prequalificationTier === 'none') {
    const earliest = now.getTime() + rules.minTenderDays * DAY_MS;
    if (Date.parse(competition.tenderDeadline) <= Math.max(earliest, now.getTime())) {
      return `The tender deadline must be at least ${rules.minTenderDays} days after publication.`;
    }
    return undefined;
  }
  const earliest = now.getTime() + rules.minPrequalificationDays * DAY_MS;
  if (Date.parse(competition.prequalificationDeadline ?? '') <= Math.max(earliest, now.getTime())) {
    return `The pre-qualification deadline must be at least ${rules.minPrequalificationDays} days after publication.`;
  }
  return undefined;
}

/**
 * The status at `now`: a stored `prequalification` is `shortlisting` once its deadline has passed, and a
 * stored `tendering` is `evaluation` once the tender deadline has passed. Reads use this, and every write
 * checks against it, so nothing depends on a scheduler having run.
 */
export function effectiveStatus(
  competition: {
    status: CompetitionStatus;
    prequalificationDeadline?: string | undefined;
    tenderDeadline: string;
  },
  now: Date,
): CompetitionStatus {
  const t = now.getTime();
  if (competition.status === 'prequalification' && competition.prequalificationDeadline !== undefined) {
    if (t >= Date.parse(competition.prequalificationDeadline)) return 'shortlisting';
  }
  if (competition.status === 'tendering' && t >= Date.parse(competition.tenderDeadline)) return 'evaluation';
  return competition.status;
}

/**
 * Whether a deadline has opened what it sealed. A deadline opens the sealed material only if the
 * competition was still running when it passed: a competition cancelled before its pre-qualification (or
 * tender) deadline keeps those responses (or bids) sealed for good, however much later someone asks.
 */
function openedBy(
  deadline: string | undefined,
  competition: { status: CompetitionStatus; cancelledAt?: string | undefined },
  now: Date,
): boolean {
  if (deadline === undefined) return false;
  const at = Date.parse(deadline);
  if (competition.status === 'cancelled') {
    return competition.cancelledAt !== undefined && Date.parse(competition.cancelledAt) >= at;
  }
  if (competition.status === 'draft') return false;
  return now.getTime() >= at;
}

/** Whether pre-qualification responses may be read by insiders (see `openedBy`). */
export function responsesOpened(
  competition: Pick<Competition, 'status' | 'cancelledAt' | 'prequalificationDeadline'>,
  now: Date,
): boolean {
  return openedBy(competition.prequalificationDeadline, competition, now);
}

/** Whether bids may be read by insiders: the tender deadline passed while the competition ran. */
export function bidsOpened(
  competition: Pick<Competition, 'status' | 'cancelledAt' | 'tenderDeadline'>,
  now: Date,
): boolean {
  return openedBy(competition.tenderDeadline, competition, now);
}

/**
 * Whether bids (and everything made from them) may be read now: the tender deadline opened them while the
 * competition ran (`bidsOpened`), or its status has moved past tendering.
 */
export function bidsUnsealed(
  competition: Pick<Competition, 'status' | 'cancelledAt' | 'tenderDeadline' | 'prequalificationDeadline'>,
  now: Date,
): boolean {
  return (
    bidsOpened(competition, now) ||
    ['evaluation', 'standstill', 'awarded'].includes(effectiveStatus(competition, now))
  );
}

/** True while the competition is open to pre-qualification responses or bids (an opportunity). */
export function isOpen(status: CompetitionStatus): boolean {
  return status === 'prequalification' || status === 'tendering';
}

/** A competition as stored (its public record; the confidential section is kept apart). */
export interface Competition extends CompetitionDraft {
  id: string;
  /** The stored status; read `effectiveStatus` for the status at a moment. */
  status: CompetitionStatus;
  prequalificationTier: PrequalificationTier;
  /** The lead commissioner. */
  leadSub: string;
  /** The least annual turnover an applicant (or consortium, combined) must have. */
  minimumTurnoverPence: number;
  createdAt: string;
  updatedAt: string;
  publishedAt?: string | undefined;
  cancelledAt?: string | undefined;
  cancelReason?: string | undefined;
  /** Providers invited to tender (tier `core`/`full`), set at shortlisting. */
  shortlist?: string[] | undefined;
  /** The award decision, then its confirmation. */
  award?: Award | undefined;
  version: number;
}

/** An award decision (standstill), and once confirmed the contract it let. */
export interface Award {
  bidId: string;
  providerId: string;
  providerName: string;
  valuePence: number;
  rationale: string;
  /** Set when the lead awarded a bid other than the ranking's first, with why. */
  override?: { rank: number; reason: string } | undefined;
  decidedAt: string;
  standstillEndsAt: string;
  awardedAt?: string | undefined;
  contractId?: string | undefined;
}

/** The competition's confidential section: inside information. */
export interface ConfidentialSection {
  budgetCeilingPence?: number | undefined;
  preTenderEstimatePence?: number | undefined;
  notes?: string | undefined;
}

/** The evaluation panel. */
export interface Panel {
  evaluators: string[];
  moderator: string;
  setAt: string;
  setBy: string;
}

/** A conflict of interest declaration. */
export interface Declaration {
  sub: string;
  conflicts: { organisationId: string; nature: string }[];
  declaredAt: string;
}

/** A user the lead has put outside the wall. */
export interface Exclusion {
  sub: string;
  reason: string;
  excludedAt: string;
  excludedBy: string;
}

/** The competition as anyone may see it once published. */
export type PublicCompetition = Omit<Competition, 'leadSub' | 'version' | 'shortlist' | 'award'> & {
  status: CompetitionStatus;
  /** Once the award is confirmed: who won and for how much. */
  award?: {
    providerId: string;
    providerName: string;
    valuePence: number;
    awardedAt: string;
    contractId: string;
  };
};

/**
 * The public view at a moment: effective status, no lead, no shortlist, no version; the winner and value
 * only once the award is confirmed (during standstill the decision is the bidders' business).
 */
export function publicView(competition: Competition, now: Date): PublicCompetition {
  const { leadSub: _lead, version: _version, shortlist: _shortlist, award, ...rest } = competition;
  const view: PublicCompetition = { ...rest, status: effectiveStatus(competition, now) };
  if (award?.awardedAt && award.contractId) {
    view.award = {
      providerId: award.providerId,
      providerName: award.providerName,
      valuePence: award.valuePence,
      awardedAt: award.awardedAt,
      contractId: award.contractId,
    };
  }
  return view;
}

/** The default least turnover: the annual contract value, below the legal cap of twice that. */
export function defaultMinimumTurnoverPence(estimatedValuePence: number, termMonths: number): number {
  return annualValuePence(estimatedValuePence, termMonths);
}

/** The deadline at which an opportunity stops accepting newcomers: pre-qualification, or tender for tier none. */
export function opportunityClosesAt(
  competition: Pick<Competition, 'prequalificationTier' | 'prequalificationDeadline' | 'tenderDeadline'>,
): string {
  return competition.prequalificationTier === 'none'
    ? competition.tenderDeadline
    : (competition.prequalificationDeadline ?? competition.tenderDeadline);
}

/**
 * An instant as a UTC ISO string (`…Z`); the input unchanged when it is not a date (validation reports
 * it). Deadlines are compared as strings in conditions and sort keys, which is only sound in one format.
 */
export function utc(instant: string): string {
  const time = Date.parse(instant);
  return Number.isNaN(time) ? instant : new Date(time).toISOString();
}
