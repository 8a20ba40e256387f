/**
 * The local stand-in for the daily digest's schedule (`local/scheduler.ts`): it fires at 07:00 in London in
 * winter (GMT) and in summer (BST) alike, invokes the digest with the time it fired (so the handler covers
 * the UTC day before, as in AWS), runs each firing once, and retries a failed one at the next check.
 */
import { describe, expect, it } from 'vitest';
import { lastFiring, startDigestTimer } from '../../local/scheduler';
import { previousDay } from '../../shared/use-cases/notifications/send-digest';

describe('lastFiring', () => {
  it.each([
    // Winter: 07:00 London is 07:00 UTC.
    ['2026-12-02T06:59:59Z', '2026-12-01T07:00:00.000Z'],
    ['2026-12-02T07:00:00Z', '2026-12-02T07:00:00.000Z'],
    ['2026-12-02T23:30:00Z', '2026-12-02T07:00:00.000Z'],
    // Summer: 07:00 London is 06:00 UTC.
    ['2026-07-02T05:59:59Z', '2026-07-01T06:00:00.000Z'],
    ['2026-07-02T06:00:00Z', '2026-07-02T06:00:00.000Z'],
    // 23:30 UTC is already the next day in London during summer time.
    ['2026-07-02T23:30:00Z', '2026-07-02T06:00:00.000Z'],
    // Across the clocks going forward (29 March 2026) and back (25 October 2026).
    ['2026-03-29T06:30:00Z', '2026-03-29T06:00:00.000Z'],
    ['2026-10-25T06:30:00Z', '2026-10-24T06:00:00.000Z'],
    ['2026-10-25T07:00:00Z', '2026-10-25T07:00:00.000Z'],
    // New Year.
    ['2027-01-01T00:10:00Z', '2026-12-31T07:00:00.000Z'],
  ])('at %s the schedule last fired at %s', (now, firing) => {
    expect(lastFiring(new Date(now)).toISOString()).toBe(firing);
  });

  it('covers the UTC day before the London morning it fires on', () => {
    expect(previousDay(lastFiring(new Date('2026-07-02T12:00:00Z')))).toBe('2026-07-01');
    expect(previousDay(lastFiring(new Date('2026-12-02T12:00:00Z')))).toBe('2026-12-01');
  });
});

describe('startDigestTimer', () => {
  it('runs the latest firing at start, not again until the next, and retries a failure', async () => {
    let clock = new Date('2026-12-02T08:00:00Z');
    const calls: string[] = [];
    let fail = false;
    const timer = await startDigestTimer({
      now: () => clock,
      intervalMs: 3_600_000,
      invoke: async ({ scheduledTime }) => {
        calls.push(scheduledTime);
        if (fail) throw new Error('DynamoDB is away');
        return {};
      },
    });
    try {
      await timer.tick();
      expect(calls).toEqual(['2026-12-02T07:00:00.000Z']);
      clock = new Date('2026-12-03T06:59:00Z');
      await timer.tick();
      expect(calls).toHaveLength(1);
      clock = new Date('2026-12-03T07:00:00Z');
      fail = true;
      await timer.tick();
      fail = false;
      await timer.tick();
      await timer.tick();
      expect(calls).toEqual([
        '2026-12-02T07:00:00.000Z',
        '2026-12-03T07:00:00.000Z',
        '2026-12-03T07:00:00.000Z',
      ]);
    } finally {
      await timer.stop();
    }
  });
});
