/**
 * Small statistics helpers shared by the floor, route and function measurements.
 */

/** Latency percentiles of one series of samples, in milliseconds. */
export interface Percentiles {
  count: number;
  p50: number;
  p99: number;
  mean: number;
  min: number;
  max: number;
}

/**
 * The value at percentile `p` (0–100) of `sorted`, by nearest rank: always a value that was actually
 * observed, which keeps p99 honest for the few hundred samples we take.
 */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? Number.NaN;
}

/** Summarises samples (in any order) as percentiles; NaN everywhere when there are none. */
export function summarise(samples: readonly number[]): Percentiles {
  const sorted = [...samples].sort((a, b) => a - b);
  const total = sorted.reduce((sum, value) => sum + value, 0);
  return {
    count: sorted.length,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    mean: sorted.length > 0 ? total / sorted.length : Number.NaN,
    min: sorted[0] ?? Number.NaN,
    max: sorted[sorted.length - 1] ?? Number.NaN,
  };
}

/** The median of samples; NaN when there are none. */
export function median(samples: readonly number[]): number {
  return percentile(
    [...samples].sort((a, b) => a - b),
    50,
  );
}

/** Rounds for reports and JSON, so the output does not pretend to nanosecond precision. */
export function round(value: number, digits = 2): number {
  if (!Number.isFinite(value)) return value;
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
