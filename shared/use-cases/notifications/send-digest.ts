/**
 * The daily digest of saved searches (issue 17): the delivery puts each match of a saved search sent
 * "daily" into the day's digest partition (`addToDigest`) instead of sending it; once a day (EventBridge
 * Scheduler in AWS, a timer locally: `functions/notifications/digest.ts`) this reads a day's entries in user
 * order and puts ONE mail item per user, which the delivery then sends from the outbox table's stream like
 * any other.
 *
 * Idempotent: each user's digest mail item is keyed by the day (`DIGEST-<day>`) and put only if absent, so
 * running the same day again (a retried schedule, a restart) sends nobody a second digest. Entries are
 * left for their time to live, never deleted, so a re-run reads the same day and changes nothing.
 */
import type { DigestEntry, OutboxRepository } from '../../db/outbox';
import { MAX_EVENT_PARAGRAPHS } from '../../domain/notifications/outbox';

/** What the digest reads and writes. */
export interface DigestDeps {
  outbox: Pick<OutboxRepository, 'listDigest' | 'putMail'>;
}

/** What a run did. */
export interface DigestSummary {
  day: string;
  /** Users with entries that day. */
  users: number;
  entries: number;
  /** Digest mail items put by this run (0 for a re-run of a day already sent). */
  newMail: number;
}

/** Raised for a day that is not a calendar date (`yyyy-mm-dd`). */
export class DigestDayError extends Error {
  override readonly name = 'DigestDayError';
}

/** The event id of a day's digest mail items (the delivery sends these as they are, never into a digest). */
export function digestEventId(day: string): string {
  return `DIGEST-${day}`;
}

/** The day before `now`, in UTC (`yyyy-mm-dd`): the day a morning's digest covers. */
export function previousDay(now: Date): string {
  return new Date(now.getTime() - 24 * 3600 * 1000).toISOString().slice(0, 10);
}

function assertDay(day: string): void {
  const parsed = new Date(`${day}T00:00:00.000Z`);
  if (
    !/^\d{4}-\d{2}-\d{2}$/.test(day) ||
    Number.isNaN(parsed.getTime()) ||
    parsed.toISOString().slice(0, 10) !== day
  ) {
    throw new DigestDayError(`Not a day: ${day}`);
  }
}

/** One user's entries of the day, as read so far: the count and the first subjects the e-mail can name. */
interface UserDigest {
  sub: string;
  count: number;
  subjects: string[];
  firstPath: string;
}

/**
 * The digest e-mail of one user: a subject that counts the matches, one paragraph per match (at most
 * `MAX_EVENT_PARAGRAPHS`, the last saying how many more when there are more) and a link to the one
 * opportunity, or to the list of open opportunities when there are several.
 */
export function digestMessage(digest: Pick<UserDigest, 'count' | 'subjects' | 'firstPath'>) {
  const { count, subjects } = digest;
  const subject =
    count === 1
      ? '1 new opportunity matches your saved searches'
      : `${count} new opportunities match your saved searches`;
  const paragraphs =
    count <= MAX_EVENT_PARAGRAPHS
      ? subjects.slice(0, count)
      : [...subjects.slice(0, MAX_EVENT_PARAGRAPHS - 1), `And ${count - (MAX_EVENT_PARAGRAPHS - 1)} more.`];
  const action =
    count === 1
      ? { text: 'See the opportunity', path: digest.firstPath }
      : { text: 'Find an opportunity', path: '/find-an-opportunity' };
  return { subject, paragraphs, action };
}

/**
 * Puts one digest mail item for each user with entries on `day`; a user whose item is there already (a
 * re-run) gets nothing new.
 * @throws DigestDayError for a day that is not `yyyy-mm-dd`.
 */
export async function sendDailyDigest(
  deps: DigestDeps,
  day: string,
  now = new Date(),
): Promise<DigestSummary> {
  assertDay(day);
  const eventId = digestEventId(day);
  const createdAt = now.toISOString();
  const summary: DigestSummary = { day, users: 0, entries: 0, newMail: 0 };

  const flush = async (digest: UserDigest) => {
    summary.users += 1;
    const created = await deps.outbox.putMail({
      eventId,
      sub: digest.sub,
      kind: 'saved-search',
      reason: { kind: 'saved-search', frequency: 'daily' },
      message: digestMessage(digest),
      createdAt,
    });
    if (created) summary.newMail += 1;
  };

  // Entries come in user order (sk `<sub>#<event id>`), so one user's are together and only the user in
  // hand is held in memory, however many entries the day has.
  let current: UserDigest | undefined;
  for await (const page of deps.outbox.listDigest(day)) {
    for (const entry of page) {
      summary.entries += 1;
      if (current && current.sub !== entry.sub) {
        await flush(current);
        current = undefined;
      }
      current ??= { sub: entry.sub, count: 0, subjects: [], firstPath: entry.path };
      add(current, entry);
    }
  }
  if (current) await flush(current);
  return summary;
}

function add(digest: UserDigest, entry: DigestEntry): void {
  digest.count += 1;
  if (digest.subjects.length < MAX_EVENT_PARAGRAPHS) digest.subjects.push(entry.subject);
}
