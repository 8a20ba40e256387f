/**
 * The local stand-in for the scheduled reminders' hourly EventBridge Scheduler schedule (issue 17;
 * `infra/constructs/notification-reminders.ts`): a timer that invokes the same handler module
 * (`functions/notifications/reminders.ts`) with the time the schedule last fired (the top of the hour).
 *
 * It checks once a minute and runs when an hour has begun that it has not run yet; at start it runs the
 * current hour at once, so a developer sees the reminders of their data without waiting. Both sweeps record
 * each reminder once (sweep marks), so a firing run twice records nothing twice.
 */

/** How the timer invokes the reminders: the handler, with the schedule's input. */
export type ReminderInvoker = (input: { scheduledTime: string }) => Promise<unknown>;

/** Options of the timer. */
export interface ReminderTimerOptions {
  /** Invokes the reminders; by default the handler module, imported once the configuration is complete. */
  invoke?: ReminderInvoker;
  /** The clock (tests move it). */
  now?: () => Date;
  /** How often to check whether an hour has begun. */
  intervalMs?: number;
  log?: (line: string) => void;
}

/** A running timer. */
export interface ReminderTimer {
  /** Checks now, running the current hour's firing if it has not run yet; resolves when done. */
  tick(): Promise<void>;
  /** Stops the timer, after a run in progress. */
  stop(): Promise<void>;
}

/** The latest time an hourly schedule fired at or before `now`: the start of its hour (UTC). */
export function lastHourlyFiring(now: Date): Date {
  const firing = new Date(now.getTime());
  firing.setUTCMinutes(0, 0, 0);
  return firing;
}

/** Starts the timer; its first check runs at once. */
export async function startReminderTimer(options: ReminderTimerOptions = {}): Promise<ReminderTimer> {
  const log = options.log ?? (() => undefined);
  const now = options.now ?? (() => new Date());
  const invoke: ReminderInvoker =
    options.invoke ??
    (await import('../functions/notifications/reminders').then(
      ({ handler }) =>
        (input: { scheduledTime: string }) =>
          handler(input),
    ));
  let lastRun: string | undefined;
  let running: Promise<void> = Promise.resolve();
  let stopped = false;

  const check = async () => {
    // The clock, not the top of the hour, is the moment judged at start: a deadline 47 hours away is
    // reminded of now, not at the next hour. Later firings use the hour, as the schedule does.
    const firing = lastHourlyFiring(now()).toISOString();
    if (firing === lastRun) return;
    const scheduledTime = lastRun === undefined ? now().toISOString() : firing;
    try {
      const summary = await invoke({ scheduledTime });
      lastRun = firing;
      log(`Scheduled reminders for ${scheduledTime}: ${JSON.stringify(summary)}`);
    } catch (error) {
      // Tried again at the next check, as the schedule's retry policy does.
      log(`Scheduled reminders failed: ${(error as Error).message}`);
    }
  };
  const tick = () => {
    running = running.then(check);
    return running;
  };
  const timer = setInterval(() => {
    if (!stopped) void tick();
  }, options.intervalMs ?? 60_000);
  timer.unref();
  void tick();
  return {
    tick,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
