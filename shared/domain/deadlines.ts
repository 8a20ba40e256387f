/**
 * Deadlines in plain words, in UK time (Europe/London): "closes in 3 days, on 12 December 2026 at 5pm".
 * Pure, so every page says a deadline the same way and tests can pin the moment.
 */
import { govukDateTime } from './dates';

const LONDON_DAY = new Intl.DateTimeFormat('en-CA', {
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  timeZone: 'Europe/London',
});

/** The calendar day of an instant in the UK, as days since 1970-01-01 (so two days subtract). */
function londonDayNumber(date: Date): number {
  const [year, month, day] = LONDON_DAY.format(date).split('-').map(Number) as [number, number, number];
  return Math.round(Date.UTC(year, month - 1, day) / 86_400_000);
}

/**
 * A deadline relative to `now`, counted in UK calendar days:
 * - past: "closed on 12 December 2026 at 5pm";
 * - at midnight: "closes in 2 days, at midnight at the start of 13 December 2026";
 * - later today: "closes today at 5pm";
 * - tomorrow: "closes tomorrow, on 13 December 2026 at 5pm";
 * - later: "closes in 3 days, on 12 December 2026 at 5pm".
 * `verb` changes the wording for other deadlines ("ends", "ended"). Text that is not a date comes back
 * unchanged.
 */
export function deadlineInWords(
  deadline: string,
  now: Date,
  verb: { future: string; past: string } = { future: 'closes', past: 'closed' },
): string {
  const at = new Date(deadline);
  if (Number.isNaN(at.getTime())) return deadline;
  const when = govukDateTime(deadline);
  // "midnight at the start of 13 December 2026" takes "at", a day "on".
  const on = when.startsWith('midnight') ? 'at' : 'on';
  if (at.getTime() <= now.getTime()) return `${verb.past} ${on} ${when}`;
  const days = londonDayNumber(at) - londonDayNumber(now);
  // Later today (never midnight: the start of today has passed) reads by the time alone.
  if (days === 0) return `${verb.future} today at ${when.replace(/^.* at /, '')}`;
  if (days === 1) return `${verb.future} tomorrow, ${on} ${when}`;
  return `${verb.future} in ${days} days, ${on} ${when}`;
}
