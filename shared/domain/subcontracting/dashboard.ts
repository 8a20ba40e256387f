/**
 * The sub-contracting dashboard's rules (pure): the network targets judged, and per-quarter series for the
 * trend lines.
 *
 * A region's or the network's VCSE and SME shares are judged against network targets from configuration
 * (`vcseShareTargetPercent`, `smeShareTargetPercent`): met when the share of sub-contracted spend paid to
 * such sub-contractors is at least the target, exactly (integer arithmetic); null while nothing has been
 * sub-contracted (a share of nothing is not judged).
 *
 * The figures are kept on write per region and quarter (`rollups.ts`); a series is read over a fixed window
 * of calendar quarters – the last `count` complete ones – so its cost is bounded by the window, never by
 * the number of returns. The national series is the regions' items summed quarter by quarter: exact, like
 * the national report, because every regional share of a value sums to the value.
 *
 * A quarter in which no contract counted is "no data" (undefined), never a zero: a line chart leaves a gap
 * there instead of drawing a fall to 0%.
 */
import { completeQuarters } from '../return-periods';
import type { Period } from './dates';
import { addSums, type FigureRegion, type FigureSums } from './figure-sums';

/** How many quarters the dashboard's trend lines show: two years. */
export const TREND_QUARTERS = 8;

/** One quarter of a series: its sums, or undefined when nothing counted in it. */
export interface SeriesPoint {
  period: Period;
  sums: FigureSums | undefined;
}

/** The window of a series: the last `count` complete calendar quarters before `now`, oldest first. */
export function trendWindow(now: Date, count: number = TREND_QUARTERS): Period[] {
  return completeQuarters(now, count);
}

/**
 * The series of the regions asked for, summed per quarter over `window` (oldest first): a quarter is
 * undefined when none of the regions has an item for it.
 * @param byRegion each region's items by period, as the repository read them.
 */
export function summedSeries(
  byRegion: ReadonlyMap<FigureRegion, ReadonlyMap<string, FigureSums>>,
  regions: readonly FigureRegion[],
  window: readonly Period[],
): SeriesPoint[] {
  return window.map((period) => {
    let sums: FigureSums | undefined;
    for (const region of regions) {
      const item = byRegion.get(region)?.get(period);
      if (item) sums = sums ? addSums(sums, item) : item;
    }
    return { period, sums };
  });
}

/**
 * Whether `partPence` is at least `targetPercent` of `wholePence`, exactly; null when the whole is zero.
 * @param targetPercent a percentage with at most two decimals (as configuration and contracts hold them).
 */
export function shareMet(partPence: number, wholePence: number, targetPercent: number): boolean | null {
  if (wholePence === 0) return null;
  const basisPoints = BigInt(Math.round(targetPercent * 100));
  return BigInt(partPence) * 10_000n >= basisPoints * BigInt(wholePence);
}

/** "2026-Q3" → "Jul to Sep 2026": a quarter as people say it. */
export function quarterWords(period: string): string {
  const match = /^(\d{4})-Q([1-4])$/.exec(period);
  if (!match) return period;
  const months = ['Jan to Mar', 'Apr to Jun', 'Jul to Sep', 'Oct to Dec'][Number(match[2]) - 1];
  return `${months} ${match[1]}`;
}
