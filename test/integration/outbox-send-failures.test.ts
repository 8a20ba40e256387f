/**
 * Sending a mail item when things go wrong (issue 17), against DynamoDB Local and the local mail catcher:
 * a failure after the claim gives the item back (a retry sends it, once); a sender that died holding an
 * item is waited out, not fought; an item the service would never write (an unknown kind, a link off the
 * service) is skipped, never sent; and a saved search switched off leaves the organisation's kind to
 * decide for a user reached both ways.
 */
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CaughtMail, type MailCatcher, startMailCatcher } from '../../local/mail-catcher';
import type { Mail } from '../../shared/db/outbox';
import { localIdentityStore, repositories, subscriptionRepository } from '../../shared/db/repositories';
import { defaultKinds } from '../../shared/domain/notifications/subscriptions';
import type { IdentityDirectory } from '../../shared/domain/sessions';
import { createSmtpMailer, type SmtpMailer } from '../../shared/email/smtp-mailer';
import {
  type DeliveryDeps,
  SEND_LEASE_MS,
  sendMail,
  serviceLink,
} from '../../shared/use-cases/notifications/deliver';
import { deliverySettings } from '../../shared/use-cases/notifications/delivery-settings';
import { useTestTables } from '../support/tables';

const SERVICE = 'http://localhost:3999';
const run = ulid().slice(-8).toLowerCase();
let catcher: MailCatcher;
let mailer: SmtpMailer;

/** The delivery's dependencies over this file's tables, with an identity directory that may fail. */
function deps(identities: IdentityDirectory = localIdentityStore()): DeliveryDeps {
  return {
    outbox: repositories().outbox,
    memberships: repositories().memberships,
    providers: repositories().providers,
    notifications: repositories().notifications,
    subscriptions: subscriptionRepository(),
    identities,
    mailer,
    savedSearches: async () => [],
    settings: deliverySettings({ serviceUrl: SERVICE, unsubscribeKey: Buffer.alloc(32, 9) }),
  };
}

/** A mail item for a new user with an address, put as the expansion puts it. */
async function mailFor(name: string, overrides: Partial<Mail> = {}): Promise<Mail> {
  const sub = `${name}-${run}`;
  await localIdentityStore().save(
    { sub, email: `${sub}@example.org`, groups: [], enabled: true },
    new Date(),
  );
  const mail: Mail = {
    eventId: ulid(),
    sub,
    kind: 'award',
    reason: { kind: 'award' },
    message: {
      subject: `Award decision ${name} ${run}`,
      paragraphs: ['Your bid was not successful.'],
      action: { text: 'Read the debrief', path: '/your-competitions' },
    },
    createdAt: new Date().toISOString(),
    ...overrides,
  };
  expect(await repositories().outbox.putMail(mail)).toBe(true);
  return mail;
}

const caught = async (mail: Mail): Promise<CaughtMail[]> => {
  await new Promise((resolve) => setTimeout(resolve, 150));
  return catcher.messages().filter((m) => m.subject === mail.message.subject);
};

beforeAll(async () => {
  await useTestTables();
  catcher = await startMailCatcher();
  mailer = createSmtpMailer({
    endpoint: catcher.smtpEndpoint,
    from: 'Service (test) <no-reply@localhost.localdomain>',
  });
});

afterAll(async () => {
  mailer?.close();
  await catcher?.stop();
});

describe('sending a mail item', () => {
  it('gives the item back when a step after the claim fails, and the retry sends it once', async () => {
    const mail = await mailFor('throttled');
    let calls = 0;
    const flaky: IdentityDirectory = {
      async find(user) {
        calls += 1;
        if (calls === 1)
          throw Object.assign(new Error('Rate exceeded'), { name: 'TooManyRequestsException' });
        return localIdentityStore().find(user);
      },
    };
    await expect(sendMail(deps(flaky), mail, new Date())).rejects.toThrow('Rate exceeded');
    expect(await repositories().outbox.getMail(mail.eventId, mail.sub)).toMatchObject({ state: 'pending' });
    expect(await sendMail(deps(flaky), mail, new Date())).toBe('sent');
    expect(await sendMail(deps(flaky), mail, new Date())).toBe('done');
    expect(await caught(mail)).toHaveLength(1);
  });

  it('waits out the lease of a sender that died holding the item, then sends it once', async () => {
    const mail = await mailFor('orphaned');
    const died = new Date();
    expect(await repositories().outbox.claim(mail.eventId, mail.sub, died, SEND_LEASE_MS)).toMatchObject({
      outcome: 'claimed',
    });
    const slept: number[] = [];
    const sleep = async (ms: number) => {
      slept.push(ms);
    };
    // Without the time to wait, the retry is left to the event source mapping.
    await expect(
      sendMail(deps(), mail, new Date(died.getTime() + 1_000), { maxWaitMs: 0, sleep }),
    ).rejects.toThrow('is being sent');
    // With it, the lease runs out and the item is sent.
    expect(await sendMail(deps(), mail, new Date(died.getTime() + 1_000), { maxWaitMs: 60_000, sleep })).toBe(
      'sent',
    );
    expect(slept).toHaveLength(1);
    expect(slept[0]).toBeGreaterThan(SEND_LEASE_MS - 2_000);
    expect(await caught(mail)).toHaveLength(1);
  });

  it('never lets a sender whose lease ran out end the claim of the one that took over', async () => {
    const mail = await mailFor('overtaken');
    const first = await repositories().outbox.claim(
      mail.eventId,
      mail.sub,
      new Date(Date.now() - 2 * SEND_LEASE_MS),
      SEND_LEASE_MS,
    );
    const second = await repositories().outbox.claim(mail.eventId, mail.sub, new Date(), SEND_LEASE_MS);
    expect(first.outcome).toBe('claimed');
    expect(second.outcome).toBe('claimed');
    if (first.outcome !== 'claimed') return;
    await repositories().outbox.release(mail.eventId, mail.sub, first.claimedAt);
    expect(await repositories().outbox.getMail(mail.eventId, mail.sub)).toMatchObject({ state: 'sending' });
    await expect(
      repositories().outbox.finish(
        mail.eventId,
        mail.sub,
        { state: 'skipped', why: 'late' },
        new Date(),
        first.claimedAt,
      ),
    ).rejects.toThrow('claimed by another sender');
  });

  it('skips an item the service would never write: an unknown kind, or a link off the service', async () => {
    const unknown = await mailFor('forged-kind', {
      kind: 'constructor' as never,
      reason: { kind: 'constructor' as never },
    });
    const offSite = await mailFor('forged-link');
    const forged = {
      ...offSite,
      message: { ...offSite.message, action: { text: 'Sign in', path: '@evil.example/login' } },
    };
    for (const mail of [unknown, forged]) {
      expect(await sendMail(deps(), mail, new Date())).toBe('skipped');
      expect(await caught(mail)).toEqual([]);
    }
  });

  it('keeps links on the service, whatever the path', () => {
    expect(serviceLink(SERVICE, '/your-alerts')).toBe(`${SERVICE}/your-alerts`);
    for (const path of [
      '@evil.example/x',
      '//evil.example/x',
      '/\\evil.example',
      'https://evil.example',
      '',
      '.evil',
    ])
      expect(serviceLink(SERVICE, path), path).toBeUndefined();
  });

  it('sends an opportunity through the organisation when the saved search that also matched is switched off', async () => {
    const mail = await mailFor('both-ways', {
      kind: 'saved-search',
      reason: {
        kind: 'saved-search',
        savedSearchId: ulid(),
        frequency: 'immediate',
        fallback: 'opportunity-match',
      },
    });
    await subscriptionRepository().put(
      mail.sub,
      { email: { enabled: true, kinds: { ...defaultKinds(), 'saved-search': false } }, savedSearches: [] },
      0,
      new Date(),
    );
    expect(await sendMail(deps(), mail, new Date())).toBe('sent');
    const [sent] = await caught(mail);
    expect(sent?.text).toContain('an organisation you belong to works in the regions and services');
    expect(sent?.headers['list-unsubscribe']).toBeDefined();
  });
});
