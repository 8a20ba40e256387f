// biome-ignore-all lint/suspicious/noThenProperty: `then` is the API's name for what follows an upheld challenge (API.md); these plain objects are never awaited
/**
 * Challenges of an award decision during standstill (issue 15; API.md "Questions, documents and
 * challenges"): pure rules, no I/O.
 *
 * A member of an organisation that bid may challenge the award decision while the competition is in
 * standstill – from the decision until the award is confirmed – with grounds. Each organisation challenges
 * one award decision once (its challenge is keyed by the decision it challenges). While any challenge of the
 * decision in force is open the award cannot be confirmed. The lead decides: `rejected` closes it;
 * `upheld` withdraws the award decision and either returns the competition to evaluation (the scores and
 * moderation stay; the lead decides the award again, which starts a new standstill) or cancels it.
 *
 * The competition's state machine for challenges:
 *
 *   evaluation ──award──▶ standstill ──confirm (standstill over, no open challenge)──▶ awarded
 *                          │    ▲
 *                          │    └── challenge raised / rejected (status unchanged)
 *                          ├── challenge upheld, re-evaluate ──▶ evaluation (award withdrawn)
 *                          └── challenge upheld, cancel ──────▶ cancelled
 */
import type { Competition } from './competitions';
import { type FieldIssue, InvalidStateError } from './errors';

/** The longest grounds and reasons (a challenge is one small item in the challenger's own partition). */
export const CHALLENGE_LIMITS = { grounds: 10_000, reasons: 10_000 } as const;

/** How a challenge stands as stored. */
export type StoredChallengeStatus = 'open' | 'upheld' | 'rejected';

/**
 * How a challenge stands as read: as stored, or `superseded` – still open as stored, but the award decision
 * it challenged is no longer in force (another challenge of it was upheld), so nothing is left to decide.
 */
export type ChallengeStatus = StoredChallengeStatus | 'superseded';

/** The lead's decision on a challenge. */
export type ChallengeOutcome = 'upheld' | 'rejected';

/** What follows an upheld challenge. */
export type AfterUpheld = 're-evaluate' | 'cancel';

/** The lead's decision, as recorded. */
export interface ChallengeDecision {
  outcome: ChallengeOutcome;
  reasons: string;
  then?: AfterUpheld | undefined;
  decidedBy: string;
  decidedAt: string;
}

/** A challenge as stored. */
export interface Challenge {
  id: string;
  competitionId: string;
  /** The challenging organisation. */
  providerId: string;
  providerName: string;
  grounds: string;
  raisedBy: string;
  raisedAt: string;
  /** The award decision challenged, by when it was made (`Award.decidedAt`). */
  awardDecidedAt: string;
  status: StoredChallengeStatus;
  decision?: ChallengeDecision | undefined;
}

/** What the lead sends to decide a challenge. */
export interface ChallengeDecisionInput {
  outcome: ChallengeOutcome;
  reasons: string;
  then?: AfterUpheld | undefined;
}

/**
 * Whether the competition is in standstill: an award decided and not yet confirmed. Answers why not when it
 * is not, in words a bidder can act on, or undefined when a challenge may be raised.
 */
export function standstillRefusal(competition: Pick<Competition, 'status' | 'award'>): string | undefined {
  const { status, award } = competition;
  if (status === 'standstill' && award && !award.awardedAt) return undefined;
  if (status === 'awarded' || award?.awardedAt)
    return 'The award has been confirmed: the standstill period, when the decision could be challenged, is over.';
  if (status === 'cancelled')
    return 'This competition was cancelled: there is no award decision to challenge.';
  return 'There is no award decision to challenge: a challenge can be raised only during the standstill period, after the award decision and before it is confirmed.';
}

/**
 * Throws when a challenge cannot be raised now (409 invalid-state), otherwise answers the award decision
 * in force (its `decidedAt`), which the challenge is of.
 */
export function assertChallengeable(competition: Pick<Competition, 'status' | 'award'>): string {
  const refusal = standstillRefusal(competition);
  if (refusal !== undefined || !competition.award)
    throw new InvalidStateError(refusal ?? 'Not in standstill.');
  return competition.award.decidedAt;
}

/** The problems of a decision beyond its shape: what follows is given exactly when the challenge is upheld. */
export function decisionIssues(input: ChallengeDecisionInput): FieldIssue[] {
  if (input.outcome === 'upheld' && input.then === undefined) {
    return [
      {
        path: 'then',
        message: 'Say what follows the upheld challenge: re-evaluate the bids, or cancel the competition',
      },
    ];
  }
  if (input.outcome === 'rejected' && input.then !== undefined) {
    return [
      { path: 'then', message: 'Leave out what follows: nothing changes when a challenge is rejected' },
    ];
  }
  return [];
}

/** Whether the challenge's award decision is the one in force and still in standstill. */
function ofDecisionInForce(challenge: Pick<Challenge, 'awardDecidedAt'>, competition: Competition): boolean {
  return (
    competition.status === 'standstill' &&
    competition.award !== undefined &&
    competition.award.awardedAt === undefined &&
    competition.award.decidedAt === challenge.awardDecidedAt
  );
}

/** How a challenge stands now (see `ChallengeStatus`). */
export function challengeStatus(challenge: Challenge, competition: Competition): ChallengeStatus {
  if (challenge.status !== 'open') return challenge.status;
  return ofDecisionInForce(challenge, competition) ? 'open' : 'superseded';
}

/**
 * Throws unless the lead can decide this challenge now: it is open, and the award decision it challenged
 * is still the one in force, in standstill (409 invalid-state).
 */
export function assertDecidable(challenge: Challenge, competition: Competition): void {
  if (challenge.status !== 'open')
    throw new InvalidStateError(`This challenge was already decided: it was ${challenge.status}.`);
  if (!ofDecisionInForce(challenge, competition)) {
    throw new InvalidStateError(
      'The award decision this challenge was about is no longer in force: there is nothing left to decide.',
    );
  }
}

/** The challenge once decided. */
export function decidedChallenge(
  challenge: Challenge,
  input: ChallengeDecisionInput,
  by: string,
  at: string,
): Challenge {
  return {
    ...challenge,
    status: input.outcome,
    decision: {
      outcome: input.outcome,
      reasons: input.reasons,
      ...(input.outcome === 'upheld' ? { then: input.then } : {}),
      decidedBy: by,
      decidedAt: at,
    },
  };
}

/**
 * The competition after an upheld challenge: back to evaluation with the award decision withdrawn (the
 * scores and moderation are kept; the next award decision starts a new standstill), or cancelled with
 * the challenge's reasons. Either way a new version, so a racing confirmation or decision is refused.
 */
export function competitionAfterUpheld(
  competition: Competition,
  then: AfterUpheld,
  reasons: string,
  at: string,
): Competition {
  const base = { ...competition, updatedAt: at, version: competition.version + 1 };
  if (then === 'cancel') {
    return {
      ...base,
      status: 'cancelled',
      cancelledAt: at,
      cancelReason: `A challenge of the award decision was upheld: ${reasons}`,
    };
  }
  const { award: _withdrawn, ...rest } = base;
  return { ...rest, status: 'evaluation' };
}

/** The audit action of a decision, so auditors find each kind. */
export function decisionAuditAction(input: ChallengeDecisionInput): string {
  if (input.outcome === 'rejected') return 'challenge.reject';
  return input.then === 'cancel' ? 'challenge.uphold-cancel' : 'challenge.uphold-reevaluate';
}
