/**
 * Dates and times for people, in the GOV.UK style and in UK time (Europe/London, so a deadline stored as
 * `2026-07-01T11:00:00Z` reads "1 July 2026 at midday" in summer). Pure: the one formatter behind every page
 * and every notification's wording, so a date never reads one way on one page and another way elsewhere.
 */

const LONDON = 'Europe/London';

const DATE_FORMAT = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: LONDON,
});

const TIME_FORMAT = new Intl.DateTimeFormat('en-GB', {
  hour: 'numeric',
  minute: '2-digit',
  hourCycle: 'h23',
  timeZone: LONDON,
});

function parse(iso: string | undefined | null): Date | undefined {
  if (!iso) return undefined;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/**
 * An ISO date or timestamp as a GOV.UK date: `2026-11-22T…` → `22 November 2026`. A plain date
 * (`2026-03-31`) is that day whatever the time zone; text that is not a date comes back unchanged.
 */
export function govukDate(iso: string | undefined | null): string {
  if (!iso) return '';
  // A date without a time is a calendar day: read at midday UTC, it is that day in UK time all year.
  const date = parse(/^\d{4}-\d{2}-\d{2}$/.test(iso) ? `${iso}T12:00:00Z` : iso);
  return date ? DATE_FORMAT.format(date) : iso;
}

/**
 * A time of day in the GOV.UK style: `9am`, `5:30pm`, `midday`; midnight is said as the start of the
 * day (GOV.UK: "midnight" alone can be read as the end of the day before).
 */
function govukTime(date: Date): { text: string; midnight: boolean } {
  const parts = TIME_FORMAT.formatToParts(date);
  const hour = Number(parts.find((p) => p.type === 'hour')?.value ?? '0') % 24;
  const minute = parts.find((p) => p.type === 'minute')?.value ?? '00';
  if (hour === 0 && minute === '00') return { text: 'midnight', midnight: true };
  if (hour === 12 && minute === '00') return { text: 'midday', midnight: false };
  const twelve = hour % 12 === 0 ? 12 : hour % 12;
  const suffix = hour < 12 ? 'am' : 'pm';
  return { text: `${twelve}${minute === '00' ? '' : `:${minute}`}${suffix}`, midnight: false };
}

/**
 * An ISO timestamp as a GOV.UK date and time in UK time: `2026-12-12T12:00:00Z` → `12 December 2026 at
 * midday`, `2026-07-01T16:30:00Z` → `1 July 2026 at 5:30pm`, and midnight as `midnight at the start of
 * 13 December 2026`. Text that is not a date comes back unchanged.
 */
export function govukDateTime(iso: string | undefined | null): string {
  const date = parse(iso);
  if (!date) return iso ?? '';
  const time = govukTime(date);
  const day = DATE_FORMAT.format(date);
  return time.midnight ? `midnight at the start of ${day}` : `${day} at ${time.text}`;
}

/** Days in a month of a year (UTC), `month` 0–11. */
function daysInMonth(year: number, month: number): number {
  // setUTCFullYear, not Date.UTC: Date.UTC reads years 0–99 as 1900–1999.
  const lastDay = new Date(0);
  lastDay.setUTCFullYear(year, month + 1, 0);
  return lastDay.getUTCDate();
}

/**
 * `date` plus `months` calendar months (negative goes back), at the same time of day (UTC): the same day of
 * the month, or the month's last day when it is shorter – 31 January + 1 month is 28 February (29 in a leap
 * year), never 3 March as `setUTCMonth` would give. The one place months are added.
 * @throws RangeError for a date that is not valid or months that are not a safe integer.
 */
export function addMonths(date: Date, months: number): Date {
  if (Number.isNaN(date.getTime())) throw new RangeError('addMonths needs a valid date.');
  if (!Number.isSafeInteger(months)) throw new RangeError('addMonths adds a whole number of months.');
  const index = date.getUTCFullYear() * 12 + date.getUTCMonth() + months;
  const year = Math.floor(index / 12);
  const month = index - year * 12;
  const result = new Date(date.getTime());
  // Day 1 first, so the change of month cannot roll over; then the day, clamped to the month's length.
  result.setUTCDate(1);
  result.setUTCFullYear(year, month, Math.min(date.getUTCDate(), daysInMonth(year, month)));
  if (Number.isNaN(result.getTime())) throw new RangeError('addMonths went past the range of dates.');
  return result;
}

/**
 * The last day (`YYYY-MM-DD`) of a term of `months` months starting on the day `start` (UTC): the day before
 * the same day `months` later, or – when that month has no such day – that month's last day, so the term
 * never runs short or into the next month. A 12-month term from 1 April 2026 ends on 31 March 2027; one
 * month from 31 January 2026 ends on 28 February 2026; 12 months from 29 February 2028 end on 28 February
 * 2029.
 * @throws RangeError for a term of less than one month (and as `addMonths` does).
 */
export function lastDayOfTerm(start: Date, months: number): string {
  if (months < 1) throw new RangeError('A term lasts at least one month.');
  const startDay = new Date(start.getTime());
  startDay.setUTCHours(0, 0, 0, 0);
  const anniversary = addMonths(startDay, months);
  const clamped = anniversary.getUTCDate() !== startDay.getUTCDate();
  const end = clamped ? anniversary : new Date(anniversary.getTime() - 86_400_000);
  return end.toISOString().slice(0, 10);
}
