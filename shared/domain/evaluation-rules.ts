/**
 * Separation of duties in tender evaluation (DESIGN.md section 3, issue 12 items 5 and 6), pure:
 *
 * - the panel: the moderator is not also an evaluator, and the lead is not the only evaluator (each
 *   configurable);
 * - moderation waits for enough independent scores from evaluators inside the wall;
 * - only moderations by the moderator now seated and inside the wall count towards the ranking;
 * - the award follows the ranking unless the lead gives a reason to depart from it, and an abnormally low
 *   price must have been clarified before it can win.
 */
import type { RankingEntry } from './scoring';

/** Separation of duties in tender evaluation; numbers and switches come from configuration. */
export interface EvaluationRules {
  /** A bid is moderated only once at least this many evaluators inside the wall scored it (default 2). */
  minEvaluatorsPerBid: number;
  /** Whether the moderator may also sit as an evaluator of the same competition (default: no). */
  moderatorMayEvaluate: boolean;
  /** Whether the lead may be the panel's only evaluator (default: no). */
  leadMayBeSoleEvaluator: boolean;
}

/** A field problem, as validation errors list them. */
export interface FieldIssue {
  path: string;
  message: string;
}

/** What is wrong with a proposed panel under the separation-of-duties rules. */
export function panelIssues(
  panel: { evaluators: readonly string[]; moderator: string },
  leadSub: string,
  rules: EvaluationRules,
): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const evaluators = [...new Set(panel.evaluators)];
  if (!rules.moderatorMayEvaluate && evaluators.includes(panel.moderator)) {
    issues.push({
      path: 'moderator',
      message: 'The moderator cannot also be an evaluator: moderation must be independent of the scores',
    });
  }
  if (!rules.leadMayBeSoleEvaluator && evaluators.length === 1 && evaluators[0] === leadSub) {
    issues.push({ path: 'evaluators', message: 'The lead commissioner cannot be the only evaluator' });
  }
  if (evaluators.length < rules.minEvaluatorsPerBid) {
    issues.push({
      path: 'evaluators',
      message: `Name at least ${rules.minEvaluatorsPerBid} evaluators: every bid needs that many independent scores before moderation`,
    });
  }
  return issues;
}

/**
 * How many evaluators inside the wall have scored a bid: scores by anyone no longer seated as an evaluator,
 * or now outside the wall, do not count.
 */
export function independentScores(
  scores: readonly { evaluator: string }[],
  insideEvaluators: ReadonlySet<string>,
): number {
  return new Set(scores.map((s) => s.evaluator).filter((e) => insideEvaluators.has(e))).size;
}

/**
 * Splits moderations into those that count (recorded by the moderator now seated and inside the wall) and
 * those set aside (by someone since replaced, excluded, connected or conflicted).
 */
export function moderationsInForce<T extends { bidId: string; moderator: string }>(
  moderated: readonly T[],
  insideModerator: string | undefined,
): { counted: T[]; setAside: T[] } {
  const counted: T[] = [];
  const setAside: T[] = [];
  for (const m of moderated) (m.moderator === insideModerator ? counted : setAside).push(m);
  return { counted, setAside };
}

/** Why an award decision cannot stand as asked, or undefined when it can. */
export type AwardRefusal =
  | { kind: 'override-reason-required'; issue: FieldIssue }
  | { kind: 'clarification-required'; message: string };

/**
 * Checks an award decision against the ranking: a bid below rank 1 needs an override reason, and a bid
 * flagged abnormally low needs a recorded clarification of its price.
 */
export function awardRefusal(
  chosen: RankingEntry,
  input: { overrideReason?: string | undefined },
  clarified: boolean,
): AwardRefusal | undefined {
  if (chosen.rank !== 1 && !(input.overrideReason && input.overrideReason.trim() !== '')) {
    return {
      kind: 'override-reason-required',
      issue: {
        path: 'overrideReason',
        message: `This bid is ranked ${chosen.rank}: the award follows the ranking unless you give a reason to depart from it`,
      },
    };
  }
  if (chosen.abnormallyLow && !clarified) {
    return {
      kind: 'clarification-required',
      message:
        'This bid’s price is abnormally low: record the bidder’s clarification of its price before it can win.',
    };
  }
  return undefined;
}
