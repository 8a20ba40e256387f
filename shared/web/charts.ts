/**
 * Small server-rendered SVG charts (pure): a horizontal bar chart (one bar per row, each with its own
 * target where it has one) and a line chart over quarters, each as a `<figure>` with
 *
 * - the SVG itself: `role="img"`, named by its `<title>` and described by its `<desc>` (the text alternative);
 * - a caption in words (the same text alternative, shown to everyone);
 * - a visually hidden data table of what it draws, so a screen reader user can read every value.
 *
 * No charting library: a few rectangles, a path and text. The SVG has a `viewBox` and `width="100%"`, so it
 * scales to its column – a 375 px phone included – and its text scales with it. Colours are GOV.UK's and
 * pass WCAG 2.2 contrast (1.4.11, 3:1 for graphics; text is near-black on white): bars and the line
 * #1d70b8 (5.2:1 on white), targets dashed #0b0c0c; a met target is said in words, never by colour alone.
 * No inline `style` (the pages' Content-Security-Policy allows none): presentation attributes only.
 */
import { escapeHtml } from '../http/escape-html';

const BLUE = '#1d70b8';
const BLACK = '#0b0c0c';
const GREY_TRACK = '#f3f2f1';
const GREY_GRID = '#b1b4b6';
const DARK_GREY = '#505a5f';

/** One bar: its label, its value (null: no data) and that value in words, and its own target if any. */
export interface Bar {
  label: string;
  value: number | null;
  /** The value as shown (`12.50%`, `23.4 days`); "No data" is used when `value` is null. */
  valueText: string;
  /** Its target: where the mark goes, in words, and whether it was met (null: not judged), exactly. */
  target?: { value: number; text: string; met: boolean | null } | undefined;
}

/** One point of a line: its period's labels and its value (null: no data, a gap in the line). */
export interface LinePoint {
  /** The quarter in words, for the table and the description (`Jul to Sep 2026`). */
  label: string;
  /** Two short lines under the axis (`Q3`, `2026`). */
  axis: [string, string];
  value: number | null;
  valueText: string;
}

/** What every chart needs. */
interface ChartBase {
  /** Unique on the page: the SVG's title and description ids derive from it. */
  id: string;
  title: string;
  /** What a value is, for the hidden table's heading (`Share of contract value sub-contracted`). */
  valueHeading: string;
  /** Formats an axis tick (`25%`, `30 days`). */
  tick: (value: number) => string;
}

/** A number as people read it: at most two decimals, no trailing zeros. */
export function plainNumber(value: number): string {
  return String(Math.round(value * 100) / 100);
}

/**
 * The top of a chart's scale: the largest value (or target) rounded up to a "nice" number – 1, 2, 2.5 or 5
 * times a power of ten – never below `floor`, so small values do not fill the whole width.
 */
export function niceMax(values: readonly number[], floor: number): number {
  const largest = Math.max(floor, ...values.filter((v) => Number.isFinite(v)));
  if (largest <= 0) return floor;
  const power = 10 ** Math.floor(Math.log10(largest));
  for (const step of [1, 2, 2.5, 5, 10]) {
    if (largest <= step * power) return step * power;
  }
  return 10 * power;
}

const attr = (text: string) => escapeHtml(text);
const fmt = (n: number) => String(Math.round(n * 10) / 10);

function hiddenTable(caption: string, head: string[], rows: string[][]): string {
  const th = head.map((h) => `<th scope="col" class="govuk-table__header">${escapeHtml(h)}</th>`).join('');
  const body = rows
    .map(
      (row) =>
        `<tr class="govuk-table__row"><th scope="row" class="govuk-table__header">${escapeHtml(row[0] ?? '')}</th>${row
          .slice(1)
          .map((cell) => `<td class="govuk-table__cell">${escapeHtml(cell)}</td>`)
          .join('')}</tr>`,
    )
    .join('');
  // Hidden by a wrapper, not on the table: a table box ignores the 1px width (and overflow) of GOV.UK's
  // visually-hidden class and would widen a phone's page; a block box clips it.
  return `<div class="govuk-visually-hidden"><table class="govuk-table"><caption class="govuk-table__caption">${escapeHtml(caption)}</caption><thead class="govuk-table__head"><tr class="govuk-table__row">${th}</tr></thead><tbody class="govuk-table__body">${body}</tbody></table></div>`;
}

function figure(base: ChartBase, svgBody: string, viewBox: string, description: string, table: string) {
  const titleId = `${base.id}-title`;
  const descId = `${base.id}-desc`;
  return [
    `<figure class="govuk-!-margin-0 govuk-!-margin-bottom-6" id="${attr(base.id)}">`,
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="${viewBox}" width="100%" role="img" aria-labelledby="${attr(titleId)} ${attr(descId)}" focusable="false">`,
    `<title id="${attr(titleId)}">${escapeHtml(base.title)}</title>`,
    `<desc id="${attr(descId)}">${escapeHtml(description)}</desc>`,
    svgBody,
    '</svg>',
    `<figcaption class="govuk-body-s govuk-!-margin-top-2">${escapeHtml(description)}</figcaption>`,
    table,
    '</figure>',
  ].join('');
}

/** The highest and lowest rows with data, in words: the heart of a bar chart's text alternative. */
export function barSummary(bars: readonly Bar[], noun: string): string {
  const known = bars.filter((b): b is Bar & { value: number } => b.value !== null);
  if (known.length === 0) return `No ${noun} has any figures yet.`;
  const sorted = [...known].sort((a, b) => b.value - a.value);
  const top = sorted[0] as Bar;
  const bottom = sorted[sorted.length - 1] as Bar;
  const parts = [
    known.length === 1
      ? `Only ${top.label} has figures: ${top.valueText}.`
      : `Highest: ${top.label}, ${top.valueText}. Lowest: ${bottom.label}, ${bottom.valueText}.`,
  ];
  const judged = known.filter((b) => b.target && b.target.met !== null);
  if (judged.length > 0) {
    const met = judged.filter((b) => b.target?.met === true).length;
    parts.push(`${met} of ${judged.length} with figures met the target.`);
  }
  const missing = bars.length - known.length;
  if (missing > 0) parts.push(`${missing} ${missing === 1 ? 'has' : 'have'} no figures yet.`);
  return parts.join(' ');
}

/**
 * A horizontal bar chart: one row per bar – its label above the bar, its value at the right – with each
 * bar's target as a dashed mark across its track.
 * @param noun what a row is, for the description (`region`, `contract`).
 */
export function barChart(base: ChartBase & { bars: readonly Bar[]; floor: number; noun: string }): string {
  const width = 400;
  const row = 46;
  const top = 8;
  const axis = 26;
  const plot = width - 2;
  const max = niceMax(
    base.bars.flatMap((b) => [b.value ?? 0, b.target?.value ?? 0]),
    base.floor,
  );
  const x = (value: number) => Math.max(0, Math.min(plot, (value / max) * plot));
  const height = top + base.bars.length * row + axis;
  const parts: string[] = [];
  // Grid lines and their values at the foot: quarters of the scale.
  for (let i = 0; i <= 4; i += 1) {
    const gx = 1 + x((max * i) / 4);
    parts.push(
      `<line x1="${fmt(gx)}" y1="${top}" x2="${fmt(gx)}" y2="${height - axis + 4}" stroke="${GREY_GRID}" stroke-width="1"/>`,
      `<text x="${fmt(gx)}" y="${height - 6}" font-size="13" fill="${DARK_GREY}" text-anchor="${i === 0 ? 'start' : i === 4 ? 'end' : 'middle'}">${escapeHtml(base.tick((max * i) / 4))}</text>`,
    );
  }
  base.bars.forEach((bar, i) => {
    const y = top + i * row;
    parts.push(
      `<text x="1" y="${y + 15}" font-size="15" fill="${BLACK}">${escapeHtml(bar.label)}</text>`,
      `<text x="${width - 1}" y="${y + 15}" font-size="15" font-weight="bold" fill="${BLACK}" text-anchor="end">${escapeHtml(bar.value === null ? 'No data' : bar.valueText)}</text>`,
      `<rect x="1" y="${y + 22}" width="${plot}" height="16" fill="${GREY_TRACK}"/>`,
    );
    if (bar.value !== null && bar.value > 0) {
      parts.push(`<rect x="1" y="${y + 22}" width="${fmt(x(bar.value))}" height="16" fill="${BLUE}"/>`);
    }
    if (bar.target) {
      const tx = 1 + x(bar.target.value);
      parts.push(
        `<line x1="${fmt(tx)}" y1="${y + 18}" x2="${fmt(tx)}" y2="${y + 42}" stroke="${BLACK}" stroke-width="3" stroke-dasharray="4 2"/>`,
      );
    }
  });
  const hasTargets = base.bars.some((b) => b.target);
  const description = `Bar chart. ${barSummary(base.bars, base.noun)}${hasTargets ? ' Each dashed mark is a target.' : ''}`;
  const table = hiddenTable(
    `${base.title} (the chart's figures)`,
    [
      base.noun.charAt(0).toUpperCase() + base.noun.slice(1),
      base.valueHeading,
      ...(hasTargets ? ['Target'] : []),
    ],
    base.bars.map((b) => [
      b.label,
      b.value === null ? 'No data' : b.valueText,
      ...(hasTargets ? [b.target?.text ?? 'None'] : []),
    ]),
  );
  return figure(base, parts.join(''), `0 0 ${width} ${height}`, description, table);
}

/** A line's first and last quarter with data, its highest, and its gaps, in words. */
export function lineSummary(points: readonly LinePoint[]): string {
  const known = points.filter((p): p is LinePoint & { value: number } => p.value !== null);
  if (known.length === 0)
    return `No quarter from ${points[0]?.label ?? ''} to ${points[points.length - 1]?.label ?? ''} has any figures yet.`;
  const first = known[0] as LinePoint;
  const last = known[known.length - 1] as LinePoint;
  const parts = [
    known.length === 1
      ? `Only ${first.label} has figures: ${first.valueText}.`
      : `From ${first.valueText} in ${first.label} to ${last.valueText} in ${last.label}.`,
  ];
  if (known.length > 2) {
    const high = [...known].sort((a, b) => b.value - a.value)[0] as LinePoint;
    parts.push(`Highest: ${high.valueText} in ${high.label}.`);
  }
  const gaps = points.length - known.length;
  if (gaps > 0) parts.push(`${gaps} of ${points.length} quarters have no figures.`);
  return parts.join(' ');
}

/**
 * A line chart over quarters: the value at each quarter joined by a line, a gap where a quarter has no
 * data, a marker at each value, and the target (one for the whole line) dashed.
 */
export function lineChart(
  base: ChartBase & { points: readonly LinePoint[]; floor: number; target?: { value: number; text: string } },
): string {
  const width = 400;
  const height = 230;
  const left = 52;
  // Room for half the last quarter's label, centred on the last point.
  const right = 26;
  const top = 12;
  const bottom = 44;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const max = niceMax([...base.points.map((p) => p.value ?? 0), base.target?.value ?? 0], base.floor);
  const count = Math.max(1, base.points.length - 1);
  const px = (i: number) => left + (base.points.length === 1 ? plotW / 2 : (plotW * i) / count);
  const py = (value: number) => top + plotH - (Math.min(value, max) / max) * plotH;
  const parts: string[] = [];
  for (let i = 0; i <= 4; i += 1) {
    const value = (max * i) / 4;
    const y = py(value);
    parts.push(
      `<line x1="${left}" y1="${fmt(y)}" x2="${width - right}" y2="${fmt(y)}" stroke="${GREY_GRID}" stroke-width="1"/>`,
      `<text x="${left - 6}" y="${fmt(y + 4)}" font-size="13" fill="${DARK_GREY}" text-anchor="end">${escapeHtml(base.tick(value))}</text>`,
    );
  }
  base.points.forEach((point, i) => {
    parts.push(
      `<text x="${fmt(px(i))}" y="${height - bottom + 18}" font-size="13" fill="${BLACK}" text-anchor="middle">${escapeHtml(point.axis[0])}</text>`,
      `<text x="${fmt(px(i))}" y="${height - bottom + 34}" font-size="13" fill="${DARK_GREY}" text-anchor="middle">${escapeHtml(point.axis[1])}</text>`,
    );
  });
  if (base.target) {
    const y = py(base.target.value);
    parts.push(
      `<line x1="${left}" y1="${fmt(y)}" x2="${width - right}" y2="${fmt(y)}" stroke="${BLACK}" stroke-width="2" stroke-dasharray="6 4"/>`,
    );
  }
  // The line: one segment per run of quarters with data.
  let path = '';
  let drawing = false;
  base.points.forEach((point, i) => {
    if (point.value === null) {
      drawing = false;
      return;
    }
    path += `${drawing ? 'L' : 'M'}${fmt(px(i))} ${fmt(py(point.value))} `;
    drawing = true;
  });
  if (path !== '') {
    parts.push(
      `<path d="${path.trim()}" fill="none" stroke="${BLUE}" stroke-width="3" stroke-linejoin="round"/>`,
    );
  }
  base.points.forEach((point, i) => {
    if (point.value === null) return;
    parts.push(
      `<circle cx="${fmt(px(i))}" cy="${fmt(py(point.value))}" r="5" fill="${BLUE}" stroke="#ffffff" stroke-width="2"/>`,
    );
  });
  const description = `Line chart by quarter. ${lineSummary(base.points)}${base.target ? ` The dashed line is the target, ${base.target.text}.` : ''}`;
  const table = hiddenTable(
    `${base.title} (the chart's figures)`,
    ['Quarter', base.valueHeading],
    base.points.map((p) => [p.label, p.value === null ? 'No data' : p.valueText]),
  );
  return figure(base, parts.join(''), `0 0 ${width} ${height}`, description, table);
}
