/**
 * The commissioner's re-offending charts (issue 18): for each risk tier and each re-offending measure in
 * force, the cohort's actual re-offending against the mechanism's baseline, period by period, for the
 * periods whose results are in. The series is computed here (pure, unit-tested); the chart is the house
 * line chart (`shared/web/charts.ts`: SVG with a title, a description in words and a hidden data table),
 * with the baseline as its dashed target line, and a visible table beside it.
 */
import type { CohortView } from '../../../use-cases/payment-by-results/cohorts';
import type { MechanismView } from '../../../use-cases/payment-by-results/mechanism';
import { lineChart, plainNumber } from '../../charts';

/** The four risk tiers, in the order the pages show them (the domain's `RISK_TIERS`). */
export const TIERS = ['low', 'medium', 'high', 'very_high'] as const;
/** A risk tier. */
export type Tier = (typeof TIERS)[number];

/** A tier in words. */
export const TIER_NAMES: Record<Tier, string> = {
  low: 'Low risk',
  medium: 'Medium risk',
  high: 'High risk',
  very_high: 'Very high risk',
};

/** The two re-offending measures. */
export type Measure = 'binary' | 'frequency';

/** One period of a series: the cohort's actual figure and the baseline in force (null: none). */
export interface SeriesPoint {
  period: string;
  /** Binary: the share who reoffended, in percent; frequency: reoffences per person. Null: an empty tier. */
  actual: number | null;
  /** The baseline of the version in force for the period, or null when it had no such measure. */
  baseline: number | null;
}

/** One chart's series: a tier and a measure, over the periods with results. */
export interface ReoffendingSeries {
  tier: Tier;
  measure: Measure;
  points: SeriesPoint[];
}

/** The version in force for a period (the latest from at or before it), as `mechanismFor` finds it. */
function inForce(versions: readonly MechanismView[], period: string): MechanismView | undefined {
  let found: MechanismView | undefined;
  for (const v of versions) {
    if (v.fromPeriod <= period && (!found || v.version >= found.version)) found = v;
  }
  return found;
}

/**
 * The series of every tier and measure that has something to draw: the periods whose results are in, in
 * period order; a measure appears when a version in force for one of them has it, and a tier when it had
 * anyone in one of them. Rates are rounded to two decimals.
 */
export function reoffendingSeries(
  versions: readonly MechanismView[],
  cohorts: readonly Pick<CohortView, 'period' | 'results'>[],
): ReoffendingSeries[] {
  const withResults = [...cohorts]
    .filter((c) => c.results !== null)
    .sort((a, b) => (a.period < b.period ? -1 : a.period > b.period ? 1 : 0));
  const round = (n: number) => Math.round(n * 100) / 100;
  const series: ReoffendingSeries[] = [];
  for (const tier of TIERS) {
    for (const measure of ['binary', 'frequency'] as const) {
      const points = withResults.map((cohort): SeriesPoint => {
        const result = cohort.results?.[tier];
        const terms = inForce(versions, cohort.period)?.reoffending;
        const baseline =
          measure === 'binary'
            ? (terms?.binary?.baselineRatePercent ?? null)
            : (terms?.frequency?.baselinePerPerson ?? null);
        if (!result || result.size === 0) return { period: cohort.period, actual: null, baseline };
        const actual =
          measure === 'binary'
            ? round((result.reoffenders / result.size) * 100)
            : round(result.reoffences / result.size);
        return { period: cohort.period, actual, baseline };
      });
      const measured = points.some((p) => p.baseline !== null);
      const peopled = points.some((p) => p.actual !== null);
      if (measured && peopled) series.push({ tier, measure, points });
    }
  }
  return series;
}

/** A quarter in words: `2026-Q3` → `Jul to Sep 2026`. */
export function quarterWords(period: string): string {
  const match = /^(\d{4})-Q([1-4])$/.exec(period);
  if (!match) return period;
  const months = ['Jan to Mar', 'Apr to Jun', 'Jul to Sep', 'Oct to Dec'][Number(match[2]) - 1];
  return `${months} ${match[1]}`;
}

const MEASURE_WORDS: Record<Measure, { heading: string; value: (n: number) => string; floor: number }> = {
  binary: { heading: 'Share who reoffended', value: (n) => `${plainNumber(n)}%`, floor: 10 },
  frequency: { heading: 'Reoffences per person', value: (n) => plainNumber(n), floor: 1 },
};

/** A chart and its visible table (GOV.UK table macro rows) for one series. */
export interface RenderedSeries {
  id: string;
  heading: string;
  /** The SVG figure (escaped by `lineChart`). */
  chartHtml: string;
  /** Said when the baseline changed between versions: the dashed line is then the latest one. */
  baselineNote: string | undefined;
  valueHeading: string;
  rows: { text: string; format?: 'numeric' }[][];
}

/** Renders one series: a line chart of the actual figure with the latest baseline dashed, and its table. */
export function renderSeries(s: ReoffendingSeries): RenderedSeries {
  const words = MEASURE_WORDS[s.measure];
  const id = `chart-${s.tier}-${s.measure}`;
  const heading = `${TIER_NAMES[s.tier]}: ${words.heading.toLowerCase()} against the baseline`;
  const baselines = s.points.map((p) => p.baseline).filter((b): b is number => b !== null);
  const latest = baselines.at(-1);
  const changed = new Set(baselines).size > 1;
  const chartHtml = lineChart({
    id,
    title: heading,
    valueHeading: words.heading,
    tick: words.value,
    floor: words.floor,
    points: s.points.map((p) => ({
      label: quarterWords(p.period),
      axis: [p.period.slice(5), p.period.slice(0, 4)],
      value: p.actual,
      valueText: p.actual === null ? 'No one in this tier' : words.value(p.actual),
    })),
    ...(latest !== undefined
      ? { target: { value: latest, text: `the baseline, ${words.value(latest)}` } }
      : {}),
  });
  return {
    id,
    heading,
    chartHtml,
    baselineNote: changed
      ? 'The baseline changed between mechanism versions: the dashed line is the latest, and the table gives each period’s.'
      : undefined,
    valueHeading: words.heading,
    rows: s.points.map((p) => [
      { text: quarterWords(p.period) },
      { text: p.actual === null ? 'No one in this tier' : words.value(p.actual), format: 'numeric' },
      { text: p.baseline === null ? 'None' : words.value(p.baseline), format: 'numeric' },
      {
        text:
          p.actual === null || p.baseline === null
            ? '–'
            : p.actual < p.baseline
              ? 'Below the baseline'
              : p.actual === p.baseline
                ? 'At the baseline'
                : 'Above the baseline',
      },
    ]),
  };
}
