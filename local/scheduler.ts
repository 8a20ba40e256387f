/**
 * The local stand-in for the daily digest's EventBridge Scheduler schedule (issue 17;
 * `infra/constructs/daily-digest.ts`): a timer that invokes the same handler module
 * (`functions/notifications/digest.ts`) with the time the schedule last fired — 07:00 Europe/London — so
 * the handler covers the same day it would in AWS.
 *
 * It checks once a minute and runs when a firing has passed that it has not run yet; at start it runs the
 * latest firing at once, so a stack that was down at 07:00 still sends that morning's digest (AWS would not
 * catch up, but a developer's machine is rarely up at 07:00, and the digest is idempotent per user and day:
 * a firing run twice sends nothing twice).
 */

/** Where and when the schedule fires (the same as the CDK schedule's `DIGEST_SCHEDULE`). */
const TIME_ZONE = 'Europe/London';
const FIRING_HOUR = 7;

/** How the timer invokes the digest: the handler, with the schedule's input. */
export type DigestInvoker = (input: { scheduledTime: string }) => Promise<unknown>;

/** Options of the timer. */
export interface DigestTimerOptions {
  /** Invokes the digest; by default the handler module, imported once the configuration is complete. */
  invoke?: DigestInvoker;
  /** The clock (tests move it). */
  now?: () => Date;
  /** How often to check whether a firing has passed. */
  intervalMs?: number;
  log?: (line: string) => void;
}

/** A running timer. */
export interface DigestTimer {
  /** Checks now, running the latest firing if it has not run yet; resolves when done. */
  tick(): Promise<void>;
  /** Stops the timer, after a run in progress. */
  stop(): Promise<void>;
}

const londonParts = new Intl.DateTimeFormat('en-GB', {
  timeZone: TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** The date (`yyyy-mm-dd`) and hour in London at an instant. */
function inLondon(at: Date): { date: string; hour: number } {
  const parts = Object.fromEntries(londonParts.formatToParts(at).map((part) => [part.type, part.value]));
  return { date: `${parts.year}-${parts.month}-${parts.day}`, hour: Number(parts.hour) };
}

/** The UTC instant of 07:00 in London on a London date: 07:00Z in winter (GMT), 06:00Z in summer (BST). */
function firingOn(date: string): Date {
  for (const hour of [FIRING_HOUR - 1, FIRING_HOUR]) {
    const candidate = new Date(`${date}T${String(hour).padStart(2, '0')}:00:00.000Z`);
    if (inLondon(candidate).hour === FIRING_HOUR) return candidate;
  }
  throw new Error(`No ${FIRING_HOUR}:00 in ${TIME_ZONE} on ${date}`);
}

/** The latest time the daily schedule fired at or before `now`. */
export function lastFiring(now: Date): Date {
  const { date, hour } = inLondon(now);
  const today = firingOn(date);
  if (hour >= FIRING_HOUR && today.getTime() <= now.getTime()) return today;
  const dayBefore = new Date(`${date}T12:00:00.000Z`);
  dayBefore.setUTCDate(dayBefore.getUTCDate() - 1);
  return firingOn(dayBefore.toISOString().slice(0, 10));
}

/** Starts the timer; its first check runs at once. */
export async function startDigestTimer(options: DigestTimerOptions = {}): Promise<DigestTimer> {
  const log = options.log ?? (() => undefined);
  const now = options.now ?? (() => new Date());
  const invoke: DigestInvoker =
    options.invoke ??
    (await import('../functions/notifications/digest').then(
      ({ handler }) =>
        (input: { scheduledTime: string }) =>
          handler(input),
    ));
  let lastRun: string | undefined;
  let running: Promise<void> = Promise.resolve();
  let stopped = false;

  const check = async () => {
    const firing = lastFiring(now()).toISOString();
    if (firing === lastRun) return;
    try {
      const summary = await invoke({ scheduledTime: firing });
      lastRun = firing;
      log(`Daily digest for the schedule of ${firing}: ${JSON.stringify(summary)}`);
    } catch (error) {
      // Tried again at the next check, as the schedule's retry policy does.
      log(`Daily digest failed: ${(error as Error).message}`);
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
