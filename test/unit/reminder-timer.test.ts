/**
 * The local stand-in for the reminders' hourly schedule (issue 17): it runs at start with the clock's time,
 * then once per hour with the top of the hour, never twice for one hour, and tries a failed hour again.
 */
import { describe, expect, it } from 'vitest';
import { lastHourlyFiring, startReminderTimer } from '../../local/reminder-timer';

describe('the local reminders timer', () => {
  it('fires at the top of each hour (UTC)', () => {
    expect(lastHourlyFiring(new Date('2026-12-03T10:59:59.999Z')).toISOString()).toBe(
      '2026-12-03T10:00:00.000Z',
    );
    expect(lastHourlyFiring(new Date('2026-12-03T11:00:00.000Z')).toISOString()).toBe(
      '2026-12-03T11:00:00.000Z',
    );
  });

  it('runs at start, once per hour after that, and again after a failure', async () => {
    let now = new Date('2026-12-03T10:17:00.000Z');
    const runs: string[] = [];
    let fail = false;
    const timer = await startReminderTimer({
      now: () => now,
      intervalMs: 3_600_000,
      invoke: async ({ scheduledTime }) => {
        if (fail) throw new Error('DynamoDB is down');
        runs.push(scheduledTime);
        return {};
      },
    });
    await timer.tick();
    expect(runs).toEqual(['2026-12-03T10:17:00.000Z']);
    now = new Date('2026-12-03T10:45:00.000Z');
    await timer.tick();
    expect(runs).toHaveLength(1);
    now = new Date('2026-12-03T11:01:00.000Z');
    fail = true;
    await timer.tick();
    expect(runs).toHaveLength(1);
    fail = false;
    await timer.tick();
    expect(runs).toEqual(['2026-12-03T10:17:00.000Z', '2026-12-03T11:00:00.000Z']);
    await timer.stop();
  });
});
