/**
 * Adding calendar months (issue 13, item 9): `addMonths` never overflows into the next month, and a
 * contract term's last day follows from it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addMonths, lastDayOfTerm } from '../../shared/domain/dates';

const iso = (date: Date) => date.toISOString();
const timeOfDay = (date: Date) => ((date.getTime() % 86_400_000) + 86_400_000) % 86_400_000;
const monthIndex = (date: Date) => date.getUTCFullYear() * 12 + date.getUTCMonth();
const daysIn = (year: number, month: number) => {
  const last = new Date(0);
  last.setUTCFullYear(year, month + 1, 0);
  return last.getUTCDate();
};

/** Dates between the years 1 and 9000, at any time of day. */
const anyDate = fc.date({
  min: new Date('0001-01-01T00:00:00.000Z'),
  max: new Date('9000-12-31T23:59:59.999Z'),
  noInvalidDate: true,
});
const anyMonths = fc.integer({ min: -1200, max: 1200 });

describe('addMonths', () => {
  it.each([
    ['2026-01-31T10:15:00.000Z', 1, '2026-02-28T10:15:00.000Z'],
    ['2028-01-31T00:00:00.000Z', 1, '2028-02-29T00:00:00.000Z'],
    ['2026-03-31T23:59:59.999Z', 1, '2026-04-30T23:59:59.999Z'],
    ['2026-08-31T09:30:00.000Z', 6, '2027-02-28T09:30:00.000Z'],
    ['2024-02-29T00:00:00.000Z', 12, '2025-02-28T00:00:00.000Z'],
    ['2024-02-29T00:00:00.000Z', 48, '2028-02-29T00:00:00.000Z'],
    ['2099-12-31T00:00:00.000Z', 2, '2100-02-28T00:00:00.000Z'],
    ['1999-12-31T00:00:00.000Z', 2, '2000-02-29T00:00:00.000Z'],
    ['2026-11-21T12:00:00.000Z', 12, '2027-11-21T12:00:00.000Z'],
    ['2026-03-31T00:00:00.000Z', -1, '2026-02-28T00:00:00.000Z'],
    ['2026-03-31T00:00:00.000Z', -24, '2024-03-31T00:00:00.000Z'],
    ['2026-05-15T08:00:00.000Z', 0, '2026-05-15T08:00:00.000Z'],
  ])('%s + %i months = %s', (from, months, expected) => {
    expect(iso(addMonths(new Date(from), months))).toBe(expected);
  });

  it('moves by exactly that many calendar months, never past the day it started on', () => {
    fc.assert(
      fc.property(anyDate, anyMonths, (date, months) => {
        const result = addMonths(date, months);
        expect(monthIndex(result) - monthIndex(date)).toBe(months);
        expect(result.getUTCDate()).toBeLessThanOrEqual(date.getUTCDate());
        // The same day when the month has it, else the month's last day.
        const length = daysIn(result.getUTCFullYear(), result.getUTCMonth());
        expect(result.getUTCDate()).toBe(Math.min(date.getUTCDate(), length));
        // The time of day is kept.
        expect(timeOfDay(result)).toBe(timeOfDay(date));
      }),
    );
  });

  it('comes back to the same day when the months in between are as long', () => {
    fc.assert(
      fc.property(anyDate, anyMonths, (date, months) => {
        fc.pre(date.getUTCDate() <= 28);
        expect(iso(addMonths(addMonths(date, months), -months))).toBe(iso(date));
      }),
    );
  });

  it('gives 29 February only in leap years', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9000 }), (year) => {
        const january = new Date(0);
        january.setUTCFullYear(year, 0, 31);
        const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
        expect(addMonths(january, 1).getUTCDate()).toBe(leap ? 29 : 28);
        expect(addMonths(january, 1).getUTCMonth()).toBe(1);
      }),
    );
  });

  it('refuses what is not a date or a whole number of months', () => {
    expect(() => addMonths(new Date(Number.NaN), 1)).toThrow(RangeError);
    expect(() => addMonths(new Date(), 1.5)).toThrow(RangeError);
    expect(() => addMonths(new Date(8.64e15), 1)).toThrow(RangeError);
  });
});

describe('lastDayOfTerm', () => {
  it.each([
    ['2025-04-01T09:00:00.000Z', 36, '2028-03-31'],
    ['2026-04-01T00:00:00.000Z', 12, '2027-03-31'],
    ['2026-01-15T12:00:00.000Z', 1, '2026-02-14'],
    ['2026-01-31T12:00:00.000Z', 1, '2026-02-28'],
    ['2028-01-31T12:00:00.000Z', 1, '2028-02-29'],
    ['2026-01-30T12:00:00.000Z', 1, '2026-02-28'],
    ['2026-01-28T12:00:00.000Z', 1, '2026-02-27'],
    ['2026-03-31T23:30:00.000Z', 1, '2026-04-30'],
    ['2026-03-01T00:00:00.000Z', 1, '2026-03-31'],
    ['2028-02-29T10:00:00.000Z', 12, '2029-02-28'],
    ['2099-01-31T10:00:00.000Z', 13, '2100-02-28'],
  ])('a term from %s of %i months ends on %s', (start, months, expected) => {
    expect(lastDayOfTerm(new Date(start), months)).toBe(expected);
  });

  it('ends in the last month of the term, after the start, and never later for an earlier start', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('2000-01-01T00:00:00Z'),
          max: new Date('2200-12-31T23:59:59Z'),
          noInvalidDate: true,
        }),
        fc.integer({ min: 1, max: 240 }),
        (start, months) => {
          const end = new Date(`${lastDayOfTerm(start, months)}T00:00:00Z`);
          const startIndex = monthIndex(start);
          // The day before the anniversary is in the term's last month, or the month before when the
          // anniversary is the 1st.
          expect(monthIndex(end) - startIndex).toBeGreaterThanOrEqual(months - 1);
          expect(monthIndex(end) - startIndex).toBeLessThanOrEqual(months);
          expect(end.getTime()).toBeGreaterThan(start.getTime() - 86_400_000);
          const dayBefore = new Date(start.getTime() - 86_400_000);
          expect(lastDayOfTerm(dayBefore, months) <= lastDayOfTerm(start, months)).toBe(true);
        },
      ),
    );
  });

  it('refuses a term of no months', () => {
    expect(() => lastDayOfTerm(new Date(), 0)).toThrow(RangeError);
  });
});
