/**
 * Deadlines in plain words, in UK time: today, tomorrow, in n days, past; British Summer Time and GMT;
 * midnight; text that is not a date.
 */
import { describe, expect, it } from 'vitest';
import { deadlineInWords } from '../../shared/domain/deadlines';

describe('deadlineInWords', () => {
  it('says the days to go and the date and time, in GMT', () => {
    expect(deadlineInWords('2026-12-12T17:00:00Z', new Date('2026-12-09T10:00:00Z'))).toBe(
      'closes in 3 days, on 12 December 2026 at 5pm',
    );
  });

  it('counts calendar days in the UK, not 24-hour periods', () => {
    // 23:30 on the 9th to 00:30 UK time on the 11th: two calendar days, though only 25 hours.
    expect(deadlineInWords('2026-12-11T00:30:00Z', new Date('2026-12-09T23:30:00Z'))).toBe(
      'closes in 2 days, on 11 December 2026 at 12:30am',
    );
  });

  it('reads summer deadlines in British Summer Time', () => {
    // 16:00 UTC is 5pm in July; 23:30 UTC on 1 July is already 2 July in the UK.
    expect(deadlineInWords('2026-07-03T16:00:00Z', new Date('2026-07-01T23:30:00Z'))).toBe(
      'closes tomorrow, on 3 July 2026 at 5pm',
    );
  });

  it('says "today" with the time alone', () => {
    expect(deadlineInWords('2026-12-12T17:30:00Z', new Date('2026-12-12T09:00:00Z'))).toBe(
      'closes today at 5:30pm',
    );
  });

  it('says midday and midnight the GOV.UK way', () => {
    expect(deadlineInWords('2026-12-12T12:00:00Z', new Date('2026-12-11T12:00:00Z'))).toBe(
      'closes tomorrow, on 12 December 2026 at midday',
    );
    expect(deadlineInWords('2026-12-13T00:00:00Z', new Date('2026-12-11T12:00:00Z'))).toBe(
      'closes in 2 days, at midnight at the start of 13 December 2026',
    );
  });

  it('says a deadline that has passed, the moment it passes', () => {
    expect(deadlineInWords('2026-12-12T17:00:00Z', new Date('2026-12-12T17:00:00Z'))).toBe(
      'closed on 12 December 2026 at 5pm',
    );
    expect(deadlineInWords('2026-12-12T17:00:00Z', new Date('2027-01-01T00:00:00Z'))).toBe(
      'closed on 12 December 2026 at 5pm',
    );
  });

  it('takes other verbs, and leaves text that is not a date alone', () => {
    expect(
      deadlineInWords('2026-12-12T17:00:00Z', new Date('2026-12-02T17:00:00Z'), {
        future: 'standstill ends',
        past: 'standstill ended',
      }),
    ).toBe('standstill ends in 10 days, on 12 December 2026 at 5pm');
    expect(deadlineInWords('soon', new Date())).toBe('soon');
  });
});
