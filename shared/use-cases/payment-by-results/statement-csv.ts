/**
 * The outcome statement as CSV (`Accept: text/csv` on the JSON route, and the pages' download): one row per
 * period, then a totals row; money in pounds with two decimals (`shared/web/csv.ts`). Nothing in it names a
 * participant: it holds sums only.
 */
import { poundsCell, toCsv } from '../../web/csv';
import type { StatementView } from './statement';

const HEADER = [
  'Period',
  'Contract year',
  'Mechanism version',
  'Upfront (£)',
  'Proxy claimed (£)',
  'Proxy validated (£)',
  'Re-offending (£)',
  'Cut by cap (£)',
  'Cap reached',
  'Total (£)',
] as const;

/** The statement as a CSV file. */
export function statementCsv(view: StatementView): string {
  const rows = view.periods.map((p) => [
    p.period,
    p.contractYear,
    p.mechanismVersion ?? '',
    poundsCell(p.upfrontPence),
    poundsCell(p.proxyClaimedPence),
    poundsCell(p.proxyPence),
    poundsCell(p.reoffendingPence),
    poundsCell(p.cutPence),
    p.capReached ? 'yes' : 'no',
    poundsCell(p.totalPence),
  ]);
  const t = view.totals;
  rows.push([
    'Total to date',
    '',
    '',
    poundsCell(t.upfrontPence),
    poundsCell(t.proxyClaimedPence),
    poundsCell(t.proxyPence),
    poundsCell(t.reoffendingPence),
    poundsCell(t.cutPence),
    '',
    poundsCell(t.totalPence),
  ]);
  return toCsv(HEADER, rows);
}
