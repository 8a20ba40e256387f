/**
 * Calendar dates and quarters for sub-contracting (pure): the dates a spend return's lines carry and the
 * calendar quarter (`YYYY-Qn`) a return is filed for.
 */

const DAY_MS = 86_400_000;

/** True for a real calendar date written `YYYY-MM-DD` (by arithmetic: returns check thousands of dates). */
export function isIsoDate(value: string): boolean {
  if (value.length !== 10 || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const year = Number(value.slice(0, 4));
  const month = Number(value.slice(5, 7));
  const day = Number(value.slice(8, 10));
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = month === 2 ? (leap ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
  return day <= days;
}

/** Whole days from one ISO date to another (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/** The UTC calendar date of an instant. */
export function isoDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/** A calendar quarter, `YYYY-Qn` (Q1 = January–March). */
export type Period = `${number}-Q${1 | 2 | 3 | 4}`;

/** The pattern of a period. */
export const PERIOD_PATTERN = /^(\d{4})-Q([1-4])$/;

/** The first and last day of a period, or undefined when it is not `YYYY-Qn`. */
export function periodBounds(period: string): { start: string; end: string } | undefined {
  const match = PERIOD_PATTERN.exec(period);
  if (!match) return undefined;
  const year = Number(match[1]);
  const quarter = Number(match[2]);
  const firstMonth = (quarter - 1) * 3 + 1;
  const start = `${match[1]}-${String(firstMonth).padStart(2, '0')}-01`;
  // Day 0 of the month after the quarter is its last day.
  const end = new Date(Date.UTC(year, firstMonth + 2, 0)).toISOString().slice(0, 10);
  return { start, end };
}

/** The period a date falls in. */
export function periodOf(date: string): Period {
  const month = Number(date.slice(5, 7));
  return `${date.slice(0, 4)}-Q${Math.ceil(month / 3)}` as Period;
}
