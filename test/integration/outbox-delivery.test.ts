/**
 * The outbox and its delivery (issue 17), against DynamoDB Local's stream and the local mail catcher: an
 * event written in a change's transaction becomes exactly one e-mail per user of its audience and none to
 * anyone else; stopping the consumer loses nothing; restarting it (which reads the stream again from its
 * oldest record) sends nothing twice; a user's switches and the suppression list are honoured at sending.
 */
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentClient } from '../../shared/db/client';
import { outboxKeys } from '../../shared/db/keys';
import { repositories, subscriptionRepository } from '../../shared/db/repositories';
import type { Audience, OutboxEvent } from '../../shared/domain/notifications/outbox';
import type { EmailKind } from '../../shared/domain/notifications/subscriptions';
import { verifyUnsubscribeToken } from '../../shared/domain/notifications/unsubscribe-token';
import { unsubscribeKey } from '../../shared/email/unsubscribe-key';
import { answerInvitation, inviteMember } from '../../shared/use-cases/memberships';
import { startTestDelivery, TEST_SERVICE_URL, type TestDelivery } from '../support/outbox';
import { openCompetition, user, verifiedProvider } from '../support/scenario';

let delivery: TestDelivery;
const run = ulid().slice(-8).toLowerCase();
const sub = (name: string) => `${name}-${run}`;
const address = (name: string) => `${name}-${run}@example.org`;
let alpha: string;
let beta: string;

/** Records an event the way a change does: in a transaction (here with nothing else in it). */
async function record(
  kind: EmailKind,
  audience: Audience,
  extra: Partial<OutboxEvent> = {},
): Promise<OutboxEvent> {
  const id = ulid();
  const event: OutboxEvent = {
    id,
    kind,
    createdAt: new Date().toISOString(),
    audience,
    message: {
      subject: `Something happened (${kind}) ${id}`,
      paragraphs: ['It happened in a competition you take part in.'],
      action: { text: 'See what happened', path: '/your-competitions' },
    },
    ...extra,
  };
  await documentClient().send(
    new TransactWriteCommand({ TransactItems: repositories().outbox.eventItems(event) }),
  );
  return event;
}

beforeAll(async () => {
  delivery = await startTestDelivery();
  alpha = await verifiedProvider(sub('alpha-owner'), `Alpha ${run}`, {
    region: 'london',
    service: 'accommodation',
  });
  beta = await verifiedProvider(sub('beta-owner'), `Beta ${run}`, {
    region: 'london',
    service: 'accommodation',
  });
  // Alpha also has a member who is not an owner, who joined by accepting an invitation.
  const invitation = await inviteMember(
    repositories(),
    user(sub('alpha-owner')),
    alpha,
    { sub: sub('alpha-member'), role: 'member' },
    new Date(),
    14,
  );
  await answerInvitation(repositories(), user(sub('alpha-member')), invitation.id, 'accepted', new Date());
  for (const name of ['alpha-owner', 'alpha-member', 'beta-owner'])
    await delivery.remember(sub(name), address(name));
}, 60_000);

afterAll(async () => {
  await delivery?.stop();
});

describe('delivering outbox events', () => {
  it('sends one e-mail to each member of the organisations named, and none to anyone else', async () => {
    const event = await record('shortlisting', { type: 'members', providerIds: [alpha] });
    await delivery.drain();
    const owner = await delivery.mailTo(address('alpha-owner'));
    const member = await delivery.mailTo(address('alpha-member'));
    expect(owner.filter((m) => m.subject === event.message.subject)).toHaveLength(1);
    expect(member.filter((m) => m.subject === event.message.subject)).toHaveLength(1);
    expect(
      (await delivery.mailTo(address('beta-owner'))).filter((m) => m.subject === event.message.subject),
    ).toEqual([]);
  });

  it('carries one-click unsubscribe for its kind, a link to act and a link to preferences', async () => {
    const event = await record('challenge-decision', { type: 'members', providerIds: [beta] });
    await delivery.drain();
    const [mail] = (await delivery.mailTo(address('beta-owner'))).filter(
      (m) => m.subject === event.message.subject,
    );
    expect(mail?.headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');
    const url = /<([^>]+)>/.exec(mail?.headers['list-unsubscribe'] ?? '')?.[1] ?? '';
    expect(url.startsWith(`${TEST_SERVICE_URL}/unsubscribe/`)).toBe(true);
    const token = decodeURIComponent(url.slice(`${TEST_SERVICE_URL}/unsubscribe/`.length));
    expect(verifyUnsubscribeToken(token, await unsubscribeKey())).toEqual({
      sub: sub('beta-owner'),
      scope: 'challenge-decision',
    });
    expect(mail?.text).toContain(`${TEST_SERVICE_URL}/your-competitions`);
    expect(mail?.text).toContain(`${TEST_SERVICE_URL}/your-alerts`);
  });

  it('sends to the owners only for an owners audience', async () => {
    const event = await record('dispute-raised', { type: 'owners', providerIds: [alpha] });
    await delivery.drain();
    expect(
      (await delivery.mailTo(address('alpha-owner'))).filter((m) => m.subject === event.message.subject),
    ).toHaveLength(1);
    expect(
      (await delivery.mailTo(address('alpha-member'))).filter((m) => m.subject === event.message.subject),
    ).toEqual([]);
  });

  it('sends to the organisations taking part in a competition, and to no other', async () => {
    const competitionId = ulid();
    await documentClient().send(
      new TransactWriteCommand({
        TransactItems: [repositories().outbox.takingPartItem(competitionId, beta, new Date().toISOString())],
      }),
    );
    const event = await record('clarification-answer', { type: 'taking-part', competitionId });
    await delivery.drain();
    expect(
      (await delivery.mailTo(address('beta-owner'))).filter((m) => m.subject === event.message.subject),
    ).toHaveLength(1);
    expect(
      (await delivery.mailTo(address('alpha-owner'))).filter((m) => m.subject === event.message.subject),
    ).toEqual([]);
  });

  it('writes the inbox notification an event asks for, with the event id, once', async () => {
    const event = await record(
      'award',
      { type: 'members', providerIds: [beta] },
      {
        inbox: {
          type: 'award-unsuccessful',
          title: 'Award decision',
          message: 'Your bid was not successful.',
        },
      },
    );
    await delivery.drain();
    const inbox = await repositories().notifications.listForProviders([beta], 50, undefined);
    expect(inbox.items.filter((n) => n.id === event.id)).toEqual([
      expect.objectContaining({ id: event.id, providerId: beta, type: 'award-unsuccessful' }),
    ]);
  });

  it('honours a switched-off kind and e-mail switched off, at the time of sending', async () => {
    const current = await subscriptionRepository().get(sub('alpha-member'));
    await subscriptionRepository().put(
      sub('alpha-member'),
      { email: { enabled: true, kinds: { ...current.email.kinds, award: false } }, savedSearches: [] },
      current.version,
      new Date(),
    );
    const award = await record('award', { type: 'members', providerIds: [alpha] });
    const other = await record('document-changed', { type: 'members', providerIds: [alpha] });
    await delivery.drain();
    const mail = await delivery.mailTo(address('alpha-member'));
    expect(mail.filter((m) => m.subject === award.message.subject)).toEqual([]);
    expect(mail.filter((m) => m.subject === other.message.subject)).toHaveLength(1);
    // The owner did not switch it off.
    expect(
      (await delivery.mailTo(address('alpha-owner'))).filter((m) => m.subject === award.message.subject),
    ).toHaveLength(1);
  });

  it('sends nothing to an address on the suppression list', async () => {
    await repositories().outbox.suppress(address('beta-owner').toUpperCase(), {
      type: 'bounce',
      at: new Date().toISOString(),
    });
    const event = await record('shortlisting', { type: 'members', providerIds: [beta] });
    await delivery.drain();
    expect(
      (await delivery.mailTo(address('beta-owner'))).filter((m) => m.subject === event.message.subject),
    ).toEqual([]);
    const item = await repositories().outbox.getMail(event.id, sub('beta-owner'));
    expect(item).toMatchObject({ state: 'skipped' });
  });

  it('loses nothing while the consumer is stopped, and sends nothing twice when it reads everything again', async () => {
    await delivery.stopReading();
    const events: OutboxEvent[] = [];
    for (let i = 0; i < 6; i += 1) {
      events.push(await record('document-changed', { type: 'members', providerIds: [alpha] }));
    }
    // A consumer that reads two records at a time, stopped as soon as the first e-mail is out: mid-batch.
    await delivery.startReading({ batchSize: 2 });
    await delivery.catcher.waitFor((m) => m.subject === events[0]?.message.subject, 30_000);
    await delivery.stopReading();
    // Restarted, it reads the stream from its oldest record: every event and mail item of this file again.
    await delivery.startReading();
    await delivery.drain();
    // Each of the six events: one e-mail to each of alpha's two members, whatever was sent before the stop.
    const subjects = (await delivery.allMail()).map((m) => `${m.to.join(',')}|${m.subject}`);
    for (const event of events) {
      for (const name of ['alpha-owner', 'alpha-member']) {
        const key = `${address(name)}|${event.message.subject}`;
        expect(subjects.filter((s) => s.toLowerCase() === key.toLowerCase())).toHaveLength(1);
      }
    }
    // And nothing before it was sent again: the first test's e-mail is still the only one.
    const first = (await delivery.mailTo(address('beta-owner'))).filter((m) =>
      m.subject.includes('(challenge-decision)'),
    );
    expect(first).toHaveLength(1);
  }, 120_000);

  it('delivers a real change made while the consumer was stopped, once, with its inbox notification', async () => {
    await delivery.stopReading();
    const title = `Accommodation while stopped ${run}`;
    const competitionId = await openCompetition({ title, region: 'london', service: 'accommodation' });
    // Nothing is delivered while the consumer is down…
    expect((await delivery.allMail()).filter((m) => m.subject.includes(title))).toEqual([]);
    // …and everything once it is back.
    await delivery.startReading();
    await delivery.drain();
    for (const name of ['alpha-owner', 'alpha-member'])
      expect(
        (await delivery.mailTo(address(name))).filter((m) => m.subject.includes(title)),
        name,
      ).toHaveLength(1);
    // Beta matches too, but its owner's address bounced earlier (the suppression list).
    expect((await delivery.mailTo(address('beta-owner'))).filter((m) => m.subject.includes(title))).toEqual(
      [],
    );
    // Each organisation's inbox has it once, under the event's id (a user in both sees it once: the merged
    // inbox of several organisations shows one notification per id).
    for (const provider of [alpha, beta]) {
      const inbox = await repositories().notifications.listForProviders([provider], 50, undefined);
      expect(
        inbox.items.filter((n) => n.competitionId === competitionId),
        provider,
      ).toHaveLength(1);
    }
  }, 120_000);

  it('keeps the mail item of each e-mail, sent once', async () => {
    const event = await record('spend-return-due', { type: 'owners', providerIds: [alpha] });
    await delivery.drain();
    const item = await repositories().outbox.getMail(event.id, sub('alpha-owner'));
    expect(item).toMatchObject({ state: 'sent', kind: 'spend-return-due', sub: sub('alpha-owner') });
    const { pk } = outboxKeys.mail(event.id, sub('alpha-owner'));
    expect(pk.startsWith('MAIL#')).toBe(true);
  });
});
