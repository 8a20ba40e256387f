/**
 * Tender scoring (pure, DESIGN.md section 2): quality points = weight × score / 5 from the moderated
 * scores, price points = price weight × lowest price / bid price, total out of 100 to two decimals, ties to
 * the higher quality total. The award goes to the most economically advantageous tender, not the cheapest.
 */
import type { Criterion } from './competitions';

/** The highest score an evaluator can give a quality criterion. */
export const MAX_SCORE = 5;

/** One bid as evaluation sees it. */
export interface ScoredBid {
  bidId: string;
  organisationId: string;
  pricePence: number;
  /** Agreed (moderated) score per quality criterion; missing criteria are not yet moderated. */
  moderated: Record<string, number>;
}

/** One line of the ranking. */
export interface RankingEntry {
  bidId: string;
  organisationId: string;
  qualityPoints: number;
  pricePoints: number;
  totalPoints: number;
  rank: number;
  /** Points per criterion, for debriefs. */
  byCriterion: Record<string, number>;
  /** Price well below the others': the panel should check it is sustainable. */
  abnormallyLow: boolean;
}

/** The evaluation. */
export interface Evaluation {
  /** Every bid has a moderated score for every quality criterion. */
  complete: boolean;
  ranking: RankingEntry[];
}

/** Rounds to two decimals, half away from zero, without binary-float surprises (1.005 → 1.01). */
export function round2(value: number): number {
  return (Math.sign(value) * Math.round((Math.abs(value) + Number.EPSILON) * 100)) / 100;
}

/** Quality points of one criterion. */
export function qualityPoints(weight: number, score: number): number {
  return (weight * score) / MAX_SCORE;
}

/**
 * Price points of a bid: price weight × lowest / bid price, never more than the weight. While weight ×
 * lowest is a safe integer it is divided once (one rounding); past 2^53 it is no longer exact (99 × p / p
 * came to 99.00000000000001), so the ratio, at most 1, is taken first.
 */
export function pricePoints(priceWeight: number, lowestPence: number, bidPence: number): number {
  if (bidPence <= 0) return 0;
  const product = priceWeight * lowestPence;
  const points = Number.isSafeInteger(product) ? product / bidPence : priceWeight * (lowestPence / bidPence);
  return Math.min(priceWeight, points);
}

/**
 * A price is abnormally low when it is under `threshold` (70% by default) of the mean of the other bids'
 * prices; with a single bid nothing is compared.
 */
export function isAbnormallyLow(pricePence: number, others: number[], threshold = 0.7): boolean {
  if (others.length === 0) return false;
  const mean = others.reduce((sum, p) => sum + p, 0) / others.length;
  return pricePence < threshold * mean;
}

/**
 * The moderated score a bid has for a criterion: an own entry holding a finite number, never something
 * inherited (a criterion id such as `constructor` would otherwise read `Object.prototype.constructor`).
 */
function moderatedScore(bid: ScoredBid, criterionId: string): number | undefined {
  if (!Object.hasOwn(bid.moderated, criterionId)) return undefined;
  const score = bid.moderated[criterionId];
  return typeof score === 'number' && Number.isFinite(score) ? score : undefined;
}

/**
 * Scores and ranks bids. Totals are rounded to two decimals; bids with equal totals are ordered by their
 * quality points, and share a rank only when both are equal.
 */
export function evaluate(criteria: readonly Criterion[], bids: readonly ScoredBid[]): Evaluation {
  const quality = criteria.filter((c) => c.kind === 'quality');
  const price = criteria.find((c) => c.kind === 'price');
  const lowest = bids.length > 0 ? Math.min(...bids.map((b) => b.pricePence)) : 0;
  const complete =
    bids.length > 0 && bids.every((bid) => quality.every((c) => moderatedScore(bid, c.id) !== undefined));
  const scored = bids.map((bid) => {
    // Built as entries: assigning `byCriterion['__proto__']` would set the prototype, not a key.
    const points: [string, number][] = [];
    let qualityTotal = 0;
    for (const criterion of quality) {
      const score = moderatedScore(bid, criterion.id);
      const earned = score === undefined ? 0 : qualityPoints(criterion.weight, score);
      points.push([criterion.id, round2(earned)]);
      qualityTotal += earned;
    }
    const pricePts = price ? pricePoints(price.weight, lowest, bid.pricePence) : 0;
    if (price) points.push([price.id, round2(pricePts)]);
    const byCriterion: Record<string, number> = Object.fromEntries(points);
    return {
      bidId: bid.bidId,
      organisationId: bid.organisationId,
      qualityPoints: round2(qualityTotal),
      pricePoints: round2(pricePts),
      totalPoints: round2(qualityTotal + pricePts),
      byCriterion,
      abnormallyLow: isAbnormallyLow(
        bid.pricePence,
        bids.filter((b) => b.bidId !== bid.bidId).map((b) => b.pricePence),
      ),
    };
  });
  scored.sort(
    (a, b) =>
      b.totalPoints - a.totalPoints || b.qualityPoints - a.qualityPoints || a.bidId.localeCompare(b.bidId),
  );
  const ranking: RankingEntry[] = [];
  scored.forEach((entry, i) => {
    const previous = ranking[i - 1];
    const tied =
      previous &&
      previous.totalPoints === entry.totalPoints &&
      previous.qualityPoints === entry.qualityPoints;
    ranking.push({ ...entry, rank: tied && previous ? previous.rank : i + 1 });
  });
  return { complete, ranking };
}

/**
 * Problems with a set of scores for a bid: every score a whole number from 0 to 5 with a written reason,
 * only quality criteria, each at most once.
 */
export function scoreIssues(
  criteria: readonly Criterion[],
  scores: readonly { criterionId: string; score: number; note: string }[],
  noteName: 'justification' | 'rationale',
): { path: string; message: string }[] {
  const quality = new Set(criteria.filter((c) => c.kind === 'quality').map((c) => c.id));
  const issues: { path: string; message: string }[] = [];
  const seen = new Set<string>();
  scores.forEach((s, i) => {
    if (!quality.has(s.criterionId))
      issues.push({
        path: `scores.${i}.criterionId`,
        message: 'Not a quality criterion of this competition',
      });
    if (seen.has(s.criterionId))
      issues.push({ path: `scores.${i}.criterionId`, message: 'Score each criterion once' });
    seen.add(s.criterionId);
    if (!Number.isInteger(s.score) || s.score < 0 || s.score > MAX_SCORE) {
      issues.push({ path: `scores.${i}.score`, message: `Give a whole number from 0 to ${MAX_SCORE}` });
    }
    if (s.note.trim() === '')
      issues.push({ path: `scores.${i}.${noteName}`, message: `Write a ${noteName}` });
  });
  return issues;
}
