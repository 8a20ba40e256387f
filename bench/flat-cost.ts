/**
 * Flat-cost comparisons: the same request over 100 and over 10,000 items must cost about the same
 * (DESIGN.md section 5), which a Scan-based or count-on-read implementation cannot manage.
 */
import type { FlatCostPair } from './scenarios';

/** The default largest acceptable large/small ratio. */
export const FLAT_COST_LIMIT = 1.2;

/** One scenario's figures, as the comparison needs them. */
export interface FlatCostSide {
  name: string;
  p50: number;
  /** Consumed capacity per request; null when the meter did not report it. */
  capacity: number | null;
}

/** The outcome of one comparison. */
export interface FlatCostComparison {
  name: string;
  small: string;
  large: string;
  limit: number;
  p50Ratio: number;
  capacityRatio: number;
  pass: boolean;
}

/**
 * large / small, where two zero costs are equal (ratio 1) and a cost appearing from nothing is infinitely
 * worse; an unknown side gives NaN, which never passes.
 */
export function costRatio(small: number | null, large: number | null): number {
  if (small === null || large === null || Number.isNaN(small) || Number.isNaN(large)) return Number.NaN;
  if (small === 0) return large === 0 ? 1 : Number.POSITIVE_INFINITY;
  return large / small;
}

/** Compares two scenarios' p50 latency and consumed capacity against the pair's limit. */
export function compareFlatCost(
  pair: FlatCostPair,
  small: FlatCostSide,
  large: FlatCostSide,
): FlatCostComparison {
  const limit = pair.limit ?? FLAT_COST_LIMIT;
  const p50Ratio = costRatio(small.p50, large.p50);
  const capacityRatio = costRatio(small.capacity, large.capacity);
  return {
    name: pair.name,
    small: small.name,
    large: large.name,
    limit,
    p50Ratio,
    capacityRatio,
    // NaN comparisons are false, so an unmeasured side fails rather than passing silently.
    pass: p50Ratio <= limit && capacityRatio <= limit,
  };
}
