/**
 * Proxy-outcome claims (pure): what a prime's owners claim for an interim outcome (a period, a risk tier, and
 * its participants by pseudonymous reference), and a commissioner's decision on it, whole or in part.
 *
 * A claim is decided once: `submitted` → `validated` (every participant), `partly-validated` (some) or
 * `rejected` (none), always with a reason. The same participant is never claimed twice for the same outcome
 * (the repository keeps one uniqueness item per outcome and reference, put with the claim); a participant
 * the commissioner did not validate is released, so the prime may claim them again with better evidence.
 * Claim counts and the participants claimed and validated per outcome, tier and period are maintained on
 * write from the `tally` deltas here, so the statement never reads a claim.
 */
import type { Contract } from '../contracts';
import { type FieldIssue, InvalidStateError, ValidationError } from '../errors';
import { isIsoDate, periodBounds } from '../subcontracting/dates';
import { asPeriod, type MechanismVersion, mechanismFor, RISK_TIERS, type RiskTier } from './mechanism';
import {
  noteProblem,
  type ParticipantRef,
  participantRefKey,
  participantRefProblem,
} from './participant-ref';
import { NoMechanismInForceError, UnknownOutcomeError, UnknownTierError } from './payments';

/** The most participants one claim names (each is a uniqueness item in the claim's one transaction). */
export const MAX_CLAIM_PARTICIPANTS = 50;
/** The longest note on a participant. */
export const MAX_CLAIM_NOTE_LENGTH = 500;
/** The longest reason for a decision. */
export const MAX_DECISION_REASON_LENGTH = 2000;

/** Where a claim stands. */
export const CLAIM_STATUSES = ['submitted', 'validated', 'partly-validated', 'rejected'] as const;
/** Where a claim stands. */
export type ClaimStatus = (typeof CLAIM_STATUSES)[number];
/** What a commissioner decides. */
export type ClaimDecisionKind = Exclude<ClaimStatus, 'submitted'>;

/** One participant of a claim. */
export interface ClaimParticipant {
  ref: ParticipantRef;
  /** ISO date the outcome was evidenced. */
  evidenceDate: string;
  note?: string | undefined;
}

/** A claim as submitted, validated. */
export interface ClaimTerms {
  outcomeId: string;
  period: string;
  tier: RiskTier;
  participants: ClaimParticipant[];
}

/** A decision on a claim. */
export interface ClaimDecision {
  decision: ClaimDecisionKind;
  /** The participants validated (every one for `validated`, none for `rejected`). */
  validatedRefs: ParticipantRef[];
  reason: string;
}

/** A claim's content and where it stands. */
export interface ClaimState extends ClaimTerms {
  status: ClaimStatus;
  decision?: ClaimDecision | undefined;
}

/** A claim that cannot be right: every problem listed with its path. */
export class InvalidClaimError extends ValidationError {
  constructor(issues: FieldIssue[]) {
    super('The claim is not valid', issues);
  }
}

/** A claim already decided: decisions are final. */
export class ClaimAlreadyDecidedError extends InvalidStateError {
  constructor(status: ClaimStatus) {
    super(`This claim was already decided (${status}); decisions are final.`);
  }
}

/** A claim as a client sends it. */
export interface ClaimInput {
  outcomeId: string;
  period: string;
  tier: string;
  participants: readonly { ref: string; evidenceDate: string; note?: string | undefined }[];
}

/**
 * Validates a claim against the contract and the mechanism in force for its period: the period is a quarter
 * of the contract that has begun; the outcome is one of that version's proxy outcomes; the tier is known;
 * 1 to `MAX_CLAIM_PARTICIPANTS` participants, each once, by a reference `participantRefProblem` accepts, with
 * an evidence date from the period's first day to today and an optional note.
 * @throws InvalidClaimError listing every problem; NoMechanismInForceError; UnknownOutcomeError; UnknownTierError.
 */
export function parseClaim(
  input: ClaimInput,
  context: {
    contract: Pick<Contract, 'startDate' | 'endDate'>;
    versions: readonly MechanismVersion[];
    today: string;
  },
): ClaimTerms {
  const period = asPeriod(input.period);
  const bounds = periodBounds(period);
  const start =
    bounds && bounds.start > context.contract.startDate ? bounds.start : context.contract.startDate;
  if (!bounds || bounds.end < context.contract.startDate || bounds.start > context.contract.endDate) {
    throw new InvalidClaimError([{ path: 'period', message: 'Use a quarter of the contract' }]);
  }
  if (start > context.today) {
    throw new InvalidClaimError([{ path: 'period', message: 'That quarter has not begun' }]);
  }
  // The quarter a claim is for is the quarter its outcomes were achieved in: evidence from a later day would
  // put today's outcomes under an earlier quarter's terms and cap (a change never reaches back).
  const lastDays = [bounds.end, context.contract.endDate, context.today].sort();
  const end = lastDays[0] as string;
  const terms = mechanismFor(context.versions, period);
  if (!terms) throw new NoMechanismInForceError(period);
  if (!terms.proxyOutcomes.some((o) => o.id === input.outcomeId)) {
    throw new UnknownOutcomeError(input.outcomeId, period);
  }
  if (!(RISK_TIERS as readonly string[]).includes(input.tier)) throw new UnknownTierError();

  const issues: FieldIssue[] = [];
  if (input.participants.length < 1 || input.participants.length > MAX_CLAIM_PARTICIPANTS) {
    issues.push({
      path: 'participants',
      message: `Name from 1 to ${MAX_CLAIM_PARTICIPANTS} participants in one claim`,
    });
  }
  const seen = new Set<string>();
  const participants: ClaimParticipant[] = [];
  input.participants.slice(0, MAX_CLAIM_PARTICIPANTS).forEach((p, index) => {
    const path = `participants.${index}`;
    const before = issues.length;
    const problem = participantRefProblem(p.ref);
    if (problem) issues.push({ path: `${path}.ref`, message: problem });
    else {
      const key = participantRefKey(p.ref.trim() as ParticipantRef);
      if (seen.has(key)) issues.push({ path: `${path}.ref`, message: 'This participant is named twice' });
      seen.add(key);
    }
    if (!isIsoDate(p.evidenceDate)) {
      issues.push({ path: `${path}.evidenceDate`, message: 'Use a date like 2026-05-31' });
    } else if (p.evidenceDate < start || p.evidenceDate > end) {
      issues.push({
        path: `${path}.evidenceDate`,
        message:
          end === context.today
            ? `Use a date from ${start} to today (${context.today}): a claim is for the quarter its outcomes were achieved in`
            : `Use a date from ${start} to ${end}: a claim is for the quarter its outcomes were achieved in`,
      });
    }
    const note = p.note?.trim();
    if (note !== undefined && note.length > MAX_CLAIM_NOTE_LENGTH) {
      issues.push({ path: `${path}.note`, message: `At most ${MAX_CLAIM_NOTE_LENGTH} characters` });
    } else if (note) {
      const refused = noteProblem(note);
      if (refused) issues.push({ path: `${path}.note`, message: refused });
    }
    if (issues.length === before) {
      participants.push({
        ref: p.ref.trim() as ParticipantRef,
        evidenceDate: p.evidenceDate,
        ...(note ? { note } : {}),
      });
    }
  });
  if (issues.length > 0) throw new InvalidClaimError(issues);
  return { outcomeId: input.outcomeId, period, tier: input.tier as RiskTier, participants };
}

/**
 * Decides a submitted claim: `validated` takes every participant, `rejected` none, `partly-validated` the
 * references given (at least one, not all, each one of the claim's). A reason is always required.
 * @throws ClaimAlreadyDecidedError; InvalidClaimError.
 */
export function decideClaim(
  claim: Pick<ClaimState, 'status' | 'participants'>,
  input: { decision: string; validatedRefs?: readonly string[] | undefined; reason: string },
): ClaimDecision {
  if (claim.status !== 'submitted') throw new ClaimAlreadyDecidedError(claim.status);
  const issues: FieldIssue[] = [];
  const reason = input.reason.trim();
  if (reason.length === 0) issues.push({ path: 'reason', message: 'Say why' });
  if (reason.length > MAX_DECISION_REASON_LENGTH) {
    issues.push({ path: 'reason', message: `At most ${MAX_DECISION_REASON_LENGTH} characters` });
  } else {
    // The prime reads the reason: the same guard against identifiers as a participant's note.
    const refused = noteProblem(reason);
    if (refused) issues.push({ path: 'reason', message: refused.replace('in a note', 'in a reason') });
  }
  const byKey = new Map(claim.participants.map((p) => [participantRefKey(p.ref), p.ref]));
  let validatedRefs: ParticipantRef[] = [];
  const named = input.validatedRefs ?? [];
  if (input.decision === 'validated') {
    validatedRefs = claim.participants.map((p) => p.ref);
    // Participants named with a whole validation must be all of them: a client that ticked some and sent
    // `validated` would otherwise pay for every one.
    const keys = new Set(named.map((raw) => participantRefKey(raw.trim() as ParticipantRef)));
    if (named.length > 0 && (keys.size !== byKey.size || [...keys].some((k) => !byKey.has(k)))) {
      issues.push({
        path: 'validatedRefs',
        message: 'To validate only some participants, choose partly validated',
      });
    }
  } else if (input.decision === 'rejected') {
    if (named.length > 0) {
      issues.push({ path: 'validatedRefs', message: 'A rejected claim validates no participant' });
    }
  } else if (input.decision === 'partly-validated') {
    const chosen = new Set<string>();
    (input.validatedRefs ?? []).forEach((raw, index) => {
      const key = participantRefKey(raw.trim() as ParticipantRef);
      const ref = byKey.get(key);
      if (!ref) issues.push({ path: `validatedRefs.${index}`, message: 'Not a participant of this claim' });
      else chosen.add(key);
    });
    if (chosen.size === 0 || chosen.size === claim.participants.length) {
      issues.push({
        path: 'validatedRefs',
        message:
          'Choose some of the participants, not none or all (validate or reject the whole claim instead)',
      });
    }
    validatedRefs = claim.participants.filter((p) => chosen.has(participantRefKey(p.ref))).map((p) => p.ref);
  } else {
    issues.push({ path: 'decision', message: 'Use validated, partly-validated or rejected' });
  }
  if (issues.length > 0) throw new InvalidClaimError(issues);
  return { decision: input.decision as ClaimDecisionKind, validatedRefs, reason };
}

/** The participants of a claim the decision did not validate (released for a new claim). */
export function releasedRefs(
  claim: Pick<ClaimState, 'participants'>,
  decision: ClaimDecision,
): ParticipantRef[] {
  const kept = new Set(decision.validatedRefs.map(participantRefKey));
  return claim.participants.map((p) => p.ref).filter((ref) => !kept.has(participantRefKey(ref)));
}

/** Changes to the figures maintained on write: counts by status, and participants by outcome and tier. */
export interface TallyDelta {
  /** Claims moved into (+1) and out of (−1) each status. */
  statuses: Partial<Record<ClaimStatus, number>>;
  claimedParticipants: number;
  validatedParticipants: number;
}

/** What submitting a claim adds to the figures. */
export function submissionTally(claim: Pick<ClaimTerms, 'participants'>): TallyDelta {
  return {
    statuses: { submitted: 1 },
    claimedParticipants: claim.participants.length,
    validatedParticipants: 0,
  };
}

/** What deciding a claim changes in the figures. */
export function decisionTally(decision: ClaimDecision): TallyDelta {
  return {
    statuses: { submitted: -1, [decision.decision]: 1 },
    claimedParticipants: 0,
    validatedParticipants: decision.validatedRefs.length,
  };
}
