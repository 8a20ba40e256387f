/**
 * Saved-search e-mail end to end (issue 17), over DynamoDB Local's stream and the local mail catcher: an
 * opportunity event in the outbox reaches, through the delivery and the saved-search index, the user whose
 * search asks for it at once (one e-mail), puts a daily search's match into the day's digest (no e-mail
 * yet), and reaches nobody whose searches do not match; the day's digest then sends the daily user ONE
 * e-mail, and running it again sends nothing more.
 */
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentClient } from '../../shared/db/client';
import { outboxRepository, subscriptionRepository } from '../../shared/db/repositories';
import type { OutboxEvent } from '../../shared/domain/notifications/outbox';
import type { SavedSearchInput } from '../../shared/domain/notifications/subscriptions';
import { sendDailyDigest } from '../../shared/use-cases/notifications/send-digest';
import { changeSubscriptions } from '../../shared/use-cases/notifications/subscriptions';
import { startTestDelivery, type TestDelivery } from '../support/outbox';

const run = Math.random().toString(36).slice(2, 8);
const users = {
  now: { sub: `ssa-now-${run}`, email: `ssa-now-${run}@example.org` },
  daily: { sub: `ssa-daily-${run}`, email: `ssa-daily-${run}@example.org` },
  elsewhere: { sub: `ssa-elsewhere-${run}`, email: `ssa-elsewhere-${run}@example.org` },
};
let delivery: TestDelivery;

async function saveSearch(sub: string, search: SavedSearchInput): Promise<void> {
  await changeSubscriptions(
    { subscriptions: subscriptionRepository() },
    { kind: 'user', sub, email: undefined, groups: [] },
    0,
    { kind: 'replace', email: { enabled: true }, savedSearches: [search] },
    new Date(),
  );
}

beforeAll(async () => {
  delivery = await startTestDelivery();
  for (const user of Object.values(users)) await delivery.remember(user.sub, user.email);
  const housingInTheNorthWest = {
    regions: ['north_west' as const],
    services: ['accommodation' as const],
  };
  await saveSearch(users.now.sub, { ...housingInTheNorthWest, frequency: 'immediate' });
  await saveSearch(users.daily.sub, { ...housingInTheNorthWest, frequency: 'daily' });
  await saveSearch(users.elsewhere.sub, {
    regions: ['wales'],
    services: ['accommodation'],
    frequency: 'immediate',
  });
}, 60_000);

afterAll(async () => {
  await delivery?.stop();
});

describe('a new opportunity and saved searches', () => {
  const today = new Date().toISOString().slice(0, 10);
  const title = `Move-on housing for prison leavers ${run}`;

  it('e-mails the immediate search at once, holds the daily one for the digest, and tells no one else', async () => {
    const competitionId = ulid();
    const event: OutboxEvent = {
      id: ulid(),
      kind: 'opportunity-match',
      createdAt: new Date().toISOString(),
      audience: {
        type: 'opportunity',
        opportunity: {
          competitionId,
          title,
          regions: ['north_west'],
          services: ['accommodation'],
          estimatedValuePence: 5_000_000,
        },
      },
      message: {
        subject: `New opportunity: ${title}`,
        paragraphs: ['Closes for pre-qualification on 1 February 2027.'],
        action: { text: 'See the opportunity', path: `/find-an-opportunity/${competitionId}` },
      },
    };
    await documentClient().send(
      new TransactWriteCommand({ TransactItems: outboxRepository().eventItems(event) }),
    );
    await delivery.drain();

    const [mail, ...more] = await delivery.mailTo(users.now.email);
    expect(more).toEqual([]);
    expect(mail?.subject).toBe(`New opportunity: ${title}`);
    expect(await delivery.mailTo(users.daily.email)).toEqual([]);
    expect(await delivery.mailTo(users.elsewhere.email)).toEqual([]);

    const entries = [];
    for await (const page of outboxRepository().listDigest(today)) entries.push(...page);
    expect(entries.map((entry) => entry.sub)).toEqual([users.daily.sub]);
  }, 120_000);

  it("sends the daily user one digest of the day's matches, and nothing more when run again", async () => {
    expect(await sendDailyDigest({ outbox: outboxRepository() }, today)).toMatchObject({ newMail: 1 });
    await delivery.drain();
    const [digest, ...more] = await delivery.mailTo(users.daily.email);
    expect(more).toEqual([]);
    expect(digest?.subject).toBe('1 new opportunity matches your saved searches');
    expect(digest?.text).toContain(`New opportunity: ${title}`);

    expect(await sendDailyDigest({ outbox: outboxRepository() }, today)).toMatchObject({ newMail: 0 });
    await delivery.drain();
    expect(await delivery.mailTo(users.daily.email)).toHaveLength(1);
    expect(await delivery.mailTo(users.now.email)).toHaveLength(1);
    expect(await delivery.mailTo(users.elsewhere.email)).toEqual([]);
  }, 120_000);
});
