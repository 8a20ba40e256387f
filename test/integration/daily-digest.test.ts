/**
 * The daily digest of saved searches (issue 17), over DynamoDB Local: a day's digest entries become ONE
 * mail item per user (keyed by the day, so a second run of the same day puts nothing), entries of other
 * days are left alone, and a day whose entries take more than one page of a Query (1 MB) still gives each
 * user exactly one digest counting all of theirs. The scheduled handler covers the UTC day before the time
 * the schedule fired.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { handler } from '../../functions/notifications/digest';
import type { DigestEntry } from '../../shared/db/outbox';
import { outboxRepository } from '../../shared/db/repositories';
import { MAX_EVENT_PARAGRAPHS } from '../../shared/domain/notifications/outbox';
import {
  DigestDayError,
  digestEventId,
  sendDailyDigest,
} from '../../shared/use-cases/notifications/send-digest';
import { useTestTables } from '../support/tables';

const run = Math.random().toString(36).slice(2, 8);
const deps = () => ({ outbox: outboxRepository() });

let seq = 0;
/** A digest entry as the delivery adds it for a daily saved search's match. */
function entry(sub: string, day: string, overrides: Partial<DigestEntry> = {}): DigestEntry {
  seq += 1;
  const eventId = `01JD${String(seq).padStart(22, '0')}`;
  return {
    sub,
    eventId,
    savedSearchId: '01JC0000000000000000000001',
    subject: `New opportunity: Housing support ${seq}`,
    path: `/find-an-opportunity/01JE${String(seq).padStart(22, '0')}`,
    at: `${day}T10:00:00.000Z`,
    ...overrides,
  };
}

async function addAll(day: string, entries: DigestEntry[]): Promise<void> {
  const queue = [...entries];
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      for (let next = queue.shift(); next; next = queue.shift())
        await outboxRepository().addToDigest(day, next);
    }),
  );
}

async function entriesOf(day: string): Promise<DigestEntry[]> {
  const all: DigestEntry[] = [];
  for await (const page of outboxRepository().listDigest(day)) all.push(...page);
  return all;
}

beforeAll(async () => {
  await useTestTables();
}, 60_000);

describe('sendDailyDigest', () => {
  const day = '2026-11-30';
  const nextDay = '2026-12-01';
  const amy = `digest-amy-${run}`;
  const ben = `digest-ben-${run}`;

  it('puts one mail item for a user with two entries, naming both', async () => {
    const first = entry(amy, day, { subject: 'New opportunity: Housing in the North West' });
    const second = entry(amy, day, { subject: 'New opportunity: Employment support in Wales' });
    const single = entry(ben, day);
    await addAll(day, [first, second, single]);
    await addAll(nextDay, [entry(amy, nextDay)]);

    const summary = await sendDailyDigest(deps(), day, new Date('2026-12-01T07:00:00Z'));
    expect(summary).toEqual({ day, users: 2, entries: 3, newMail: 2 });

    const mail = await outboxRepository().getMail(digestEventId(day), amy);
    expect(mail).toMatchObject({
      eventId: `DIGEST-${day}`,
      sub: amy,
      kind: 'saved-search',
      reason: { kind: 'saved-search', frequency: 'daily' },
      state: 'pending',
      createdAt: '2026-12-01T07:00:00.000Z',
      message: {
        subject: '2 new opportunities match your saved searches',
        paragraphs: [first.subject, second.subject],
        action: { text: 'Find an opportunity', path: '/find-an-opportunity' },
      },
    });
    // One match: the link goes to it.
    expect((await outboxRepository().getMail(digestEventId(day), ben))?.message).toEqual({
      subject: '1 new opportunity matches your saved searches',
      paragraphs: [single.subject],
      action: { text: 'See the opportunity', path: single.path },
    });
  });

  it('puts nothing again when the same day runs twice, and leaves the mail as it was', async () => {
    const before = await outboxRepository().getMail(digestEventId(day), amy);
    const again = await sendDailyDigest(deps(), day, new Date('2026-12-01T08:00:00Z'));
    expect(again).toEqual({ day, users: 2, entries: 3, newMail: 0 });
    expect(await outboxRepository().getMail(digestEventId(day), amy)).toEqual(before);
  });

  it("leaves other days' entries alone: no digest for them, and they are still there", async () => {
    expect(await outboxRepository().getMail(digestEventId(nextDay), amy)).toBeUndefined();
    expect((await entriesOf(nextDay)).map((e) => e.sub)).toEqual([amy]);
    expect(await entriesOf(day)).toHaveLength(3);
  });

  it('refuses a day that is not a date, writing nothing', async () => {
    for (const bad of ['2026-13-01', '2026-02-30', 'yesterday', '2026-12-01#x'])
      await expect(sendDailyDigest(deps(), bad)).rejects.toBeInstanceOf(DigestDayError);
  });

  it('sends one digest per user when the day takes more than one page, counting every entry', async () => {
    const busy = '2026-11-29';
    const users = Array.from({ length: 13 }, (_, i) => `digest-page-${String(i).padStart(2, '0')}-${run}`);
    const perUser = 200;
    // Long subjects, so the day's partition passes a Query's 1 MB page with a few thousand entries.
    const entries = users.flatMap((sub) =>
      Array.from({ length: perUser }, () =>
        entry(sub, busy, {
          subject: `New opportunity: ${'Accommodation and resettlement '.repeat(6)}`.slice(0, 200),
        }),
      ),
    );
    await addAll(busy, entries);
    let pages = 0;
    for await (const _page of outboxRepository().listDigest(busy)) pages += 1;
    expect(pages).toBeGreaterThan(1);

    const summary = await sendDailyDigest(deps(), busy);
    expect(summary).toEqual({
      day: busy,
      users: users.length,
      entries: users.length * perUser,
      newMail: users.length,
    });
    for (const sub of users) {
      const mail = await outboxRepository().getMail(digestEventId(busy), sub);
      expect(mail?.message.subject).toBe(`${perUser} new opportunities match your saved searches`);
      expect(mail?.message.paragraphs).toHaveLength(MAX_EVENT_PARAGRAPHS);
      expect(mail?.message.paragraphs.at(-1)).toBe(`And ${perUser - (MAX_EVENT_PARAGRAPHS - 1)} more.`);
    }
  }, 180_000);
});

describe('the scheduled handler', () => {
  it('sends the digest of the UTC day before the time the schedule fired, or of the day named', async () => {
    const day = '2026-11-27';
    const cat = `digest-cat-${run}`;
    await addAll(day, [entry(cat, day)]);
    // 07:00 in London in winter is 07:00 UTC; the day before is the 27th.
    expect(await handler({ scheduledTime: '2026-11-28T07:00:00Z' })).toEqual({
      day,
      users: 1,
      entries: 1,
      newMail: 1,
    });
    expect(await outboxRepository().getMail(digestEventId(day), cat)).toBeDefined();
    expect(await handler({ day })).toMatchObject({ day, newMail: 0 });
    await expect(handler({ day: 'not-a-day' })).rejects.toThrow();
    await expect(handler({ unexpected: true })).rejects.toThrow();
  });
});
