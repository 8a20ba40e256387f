/**
 * One-click unsubscribe and the suppression list (issue 17) over DynamoDB Local.
 *
 * - `POST /unsubscribe/{token}` through the local gateway, as a mail provider posts it (RFC 8058): a token
 *   the service signed switches off exactly its kind (or every e-mail, or removes its saved search); a
 *   replay writes nothing; a forged, changed, other-key or garbage token is a 404 that writes nothing and
 *   says nothing of whose it might be; over-long tokens are refused before any work; concurrent links of
 *   one user all take effect (the versioned write is retried).
 * - The unsubscribe pages: a GET shows the button and writes nothing; the button's POST (no session, no
 *   CSRF token) stops the e-mails and confirms with a link to /your-alerts; a cross-site POST is refused.
 * - The SES events handler: a permanent bounce and a complaint put `SUPPRESSED#` items the delivery's
 *   `isSuppressed` sees; a transient bounce and garbage put nothing.
 */
import { randomBytes } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { SNSEvent } from 'aws-lambda';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handler as sesEvents } from '../../functions/notifications/ses-events';
import { config } from '../../shared/config';
import { documentClient } from '../../shared/db/client';
import { outboxKeys, registryKeys } from '../../shared/db/keys';
import { outboxRepository, subscriptionRepository } from '../../shared/db/repositories';
import {
  EMAIL_KIND_NAMES,
  type EmailKind,
  type VersionedSubscriptions,
} from '../../shared/domain/notifications/subscriptions';
import {
  MAX_UNSUBSCRIBE_TOKEN_LENGTH,
  signUnsubscribeToken,
  type UnsubscribeScope,
} from '../../shared/domain/notifications/unsubscribe-token';
import { unsubscribeKey } from '../../shared/email/unsubscribe-key';
import { unsubscribeUrl } from '../../shared/use-cases/notifications/unsubscribe';
import { startTestApi, type TestApi } from '../support/api';
import { lambdaContext } from '../support/events';

let api: TestApi;
let key: Buffer;
const run = Math.random().toString(36).slice(2, 8);
const user = (name: string) => `unsub-${name}-${run}`;

beforeAll(async () => {
  api = await startTestApi();
  key = await unsubscribeKey();
}, 60_000);

afterAll(async () => {
  await api?.stop();
});

const token = (sub: string, scope: UnsubscribeScope, withKey: Uint8Array = key) =>
  signUnsubscribeToken({ sub, scope }, withKey);

/** POSTs as a mail provider does: `List-Unsubscribe=One-Click`, form-encoded (or the body given). */
function oneClick(path: string, body: string | undefined = 'List-Unsubscribe=One-Click') {
  return api.call('POST', path, {
    ...(body !== undefined ? { rawBody: body } : {}),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
}

/** The stored subscriptions item, raw: undefined when none was ever written. */
async function storedItem(sub: string): Promise<Record<string, unknown> | undefined> {
  const { Item } = await documentClient().send(
    new GetCommand({
      TableName: config().tables.registry,
      Key: registryKeys.subscriptions(sub),
      ConsistentRead: true,
    }),
  );
  return Item;
}

const offKinds = (subscriptions: VersionedSubscriptions) =>
  EMAIL_KIND_NAMES.filter((kind) => !subscriptions.email.kinds[kind]);

describe('unsubscribeUrl', () => {
  it("is the service's /unsubscribe/<token>, with one slash whatever the setting ends with", () => {
    const url = unsubscribeUrl('https://procurement.example.gov.uk/', key, { sub: 'a', scope: 'award' });
    expect(url).toBe(`https://procurement.example.gov.uk/unsubscribe/${token('a', 'award')}`);
    expect(url.length).toBeLessThan(60 + MAX_UNSUBSCRIBE_TOKEN_LENGTH);
  });
});

describe('POST /unsubscribe/{token}', () => {
  it('switches off exactly the kind the token names, and says what, not whose', async () => {
    const sub = user('award');
    const response = await oneClick(`/unsubscribe/${token(sub, 'award')}`);
    expect(response.status, response.text).toBe(200);
    expect(response.body).toEqual({ stopped: 'award' });
    expect(response.text).not.toContain(sub);
    const after = await subscriptionRepository().get(sub);
    expect(offKinds(after)).toEqual(['award']);
    expect(after.email.enabled).toBe(true);
    expect(after.version).toBe(1);
  });

  it('is harmless when replayed: the same answer, nothing written again', async () => {
    const sub = user('replay');
    const path = `/unsubscribe/${token(sub, 'shortlisting')}`;
    expect((await oneClick(path)).status).toBe(200);
    const first = await storedItem(sub);
    const again = await oneClick(path);
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ stopped: 'shortlisting' });
    expect(await storedItem(sub)).toEqual(first);
  });

  it('accepts an empty body, and `all` turns every e-mail off while keeping each kind as it was', async () => {
    const sub = user('all');
    await subscriptionRepository().put(
      sub,
      {
        email: {
          enabled: true,
          kinds: { ...(await subscriptionRepository().get(sub)).email.kinds, award: false },
        },
        savedSearches: [],
      },
      0,
      new Date(),
    );
    const response = await oneClick(`/unsubscribe/${token(sub, 'all')}`, undefined);
    expect(response.status, response.text).toBe(200);
    const after = await subscriptionRepository().get(sub);
    expect(after.email.enabled).toBe(false);
    expect(offKinds(after)).toEqual(['award']);
  });

  it("removes the one saved search a saved-search token names, and leaves the user's others", async () => {
    const sub = user('search');
    const search = (id: string) => ({
      id,
      regions: ['north_west' as const],
      services: ['accommodation' as const],
      frequency: 'daily' as const,
    });
    const [keep, drop] = [ulid(), ulid()];
    await subscriptionRepository().put(
      sub,
      { email: (await subscriptionRepository().get(sub)).email, savedSearches: [search(keep), search(drop)] },
      0,
      new Date(),
    );
    const path = `/unsubscribe/${token(sub, `saved-search:${drop}`)}`;
    expect((await oneClick(path)).status).toBe(200);
    const after = await subscriptionRepository().get(sub);
    expect(after.savedSearches.map((s) => s.id)).toEqual([keep]);
    expect(offKinds(after)).toEqual([]);
    // Followed again, with the search gone: nothing to do, nothing written.
    expect((await oneClick(path)).status).toBe(200);
    expect((await subscriptionRepository().get(sub)).version).toBe(after.version);
  });

  it('takes every one of several links followed at once (a version conflict is read again and retried)', async () => {
    const sub = user('race');
    const kinds: EmailKind[] = ['award', 'shortlisting', 'deadline-reminder', 'document-changed'];
    const answers = await Promise.all(kinds.map((kind) => oneClick(`/unsubscribe/${token(sub, kind)}`)));
    expect(answers.map((a) => a.status)).toEqual(kinds.map(() => 200));
    expect(offKinds(await subscriptionRepository().get(sub)).sort()).toEqual([...kinds].sort());
  });

  it('answers 404 problem+json to a token it did not sign, writes nothing, and says nothing of whose', async () => {
    const sub = user('victim');
    const valid = token(sub, 'award');
    const [version, payload, mac] = valid.split('.') as [string, string, string];
    const otherPayload = Buffer.from(JSON.stringify({ s: user('other'), k: 'award' })).toString('base64url');
    const forged = [
      `${version}.${payload}.${mac.slice(0, -2)}${mac.endsWith('AA') ? 'BB' : 'AA'}`,
      `${version}.${otherPayload}.${mac}`,
      `u2.${payload}.${mac}`,
      token(sub, 'award', randomBytes(32)),
      'constructor',
      '__proto__',
      'u1..',
      'u1.e30.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
      'x'.repeat(MAX_UNSUBSCRIBE_TOKEN_LENGTH),
    ];
    const bodies = new Set<string>();
    for (const bad of forged) {
      const response = await oneClick(`/unsubscribe/${bad}`);
      expect(response.status, bad).toBe(404);
      expect(response.headers.get('content-type'), bad).toContain('application/problem+json');
      expect(response.text).not.toContain(sub);
      bodies.add(JSON.stringify({ ...(response.body as object), instance: undefined }));
    }
    // One answer for every bad token, whoever it was forged for.
    expect(bodies.size).toBe(1);
    expect(await storedItem(sub)).toBeUndefined();
    expect(await storedItem(user('other'))).toBeUndefined();
  });

  it('refuses an over-long token or one of other characters before any work (400), writing nothing', async () => {
    for (const bad of [
      'x'.repeat(MAX_UNSUBSCRIBE_TOKEN_LENGTH + 1),
      'x'.repeat(20_000),
      'u1.a b.c',
      'u1.%00.x',
    ]) {
      // A 20,000-character address is refused by the HTTP server itself (431), as API Gateway refuses one.
      const response = await oneClick(`/unsubscribe/${encodeURIComponent(bad)}`);
      expect([400, 404, 414, 431], bad.slice(0, 20)).toContain(response.status);
      expect(response.status).not.toBe(200);
    }
    const long = await oneClick(`/unsubscribe/${'x'.repeat(MAX_UNSUBSCRIBE_TOKEN_LENGTH + 1)}`);
    expect(long.status).toBe(400);
  });

  it('needs no token, and a GET of the address is the page, not an unsubscribe', async () => {
    const sub = user('get');
    const response = await api.call('GET', `/unsubscribe/${token(sub, 'award')}`, {
      headers: { accept: 'text/html' },
    });
    expect(response.status).toBe(200);
    expect(response.text).toContain('Stop these e-mails?');
    expect(await storedItem(sub)).toBeUndefined();
  });
});

describe('the unsubscribe pages', () => {
  const origin = () => new URL(api.url).origin;

  it('GET shows what the link stops and a button, and writes nothing', async () => {
    const sub = user('page');
    const response = await api.call('GET', `/unsubscribe/${token(sub, 'deadline-reminder')}`);
    expect(response.status).toBe(200);
    expect(response.text).toContain('Stop these e-mails?');
    expect(response.text).toContain('Deadline reminders');
    expect(response.text).toContain(`action="/unsubscribe/${token(sub, 'deadline-reminder')}/confirm"`);
    expect(response.text).not.toContain(sub);
    expect(await storedItem(sub)).toBeUndefined();
  });

  it('the button stops the e-mails without a session and confirms, with a link to Your alerts', async () => {
    const sub = user('button');
    const path = `/unsubscribe/${token(sub, 'award')}/confirm`;
    const post = () =>
      api.call('POST', path, {
        rawBody: 'List-Unsubscribe=One-Click',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          origin: origin(),
          'sec-fetch-site': 'same-origin',
        },
      });
    const response = await post();
    expect(response.status, response.text).toBe(200);
    expect(response.text).toContain('You have unsubscribed');
    expect(response.text).toContain('href="/your-alerts"');
    expect(offKinds(await subscriptionRepository().get(sub))).toEqual(['award']);
    // Pressed again (a reload): the same page, nothing more written.
    const version = (await subscriptionRepository().get(sub)).version;
    expect((await post()).status).toBe(200);
    expect((await subscriptionRepository().get(sub)).version).toBe(version);
  });

  it('refuses the button posted from another site, and a link the service did not sign, writing nothing', async () => {
    const sub = user('csrf');
    const crossSite = await api.call('POST', `/unsubscribe/${token(sub, 'award')}/confirm`, {
      rawBody: 'List-Unsubscribe=One-Click',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' },
    });
    expect(crossSite.status).toBe(403);
    const forged = token(sub, 'award', randomBytes(32));
    expect(
      (await api.call('GET', `/unsubscribe/${forged}`, { headers: { accept: 'text/html' } })).status,
    ).toBe(404);
    const forgedPost = await api.call('POST', `/unsubscribe/${forged}/confirm`, {
      rawBody: '',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: origin() },
    });
    expect(forgedPost.status).toBe(404);
    expect(forgedPost.text).not.toContain(sub);
    expect(await storedItem(sub)).toBeUndefined();
  });
});

describe('the SES events handler', () => {
  const snsEvent = (...messages: unknown[]): SNSEvent =>
    ({
      Records: messages.map((message, index) => ({
        EventSource: 'aws:sns',
        EventVersion: '1.0',
        EventSubscriptionArn: 'arn:aws:sns:eu-west-2:000000000000:ses-events:sub',
        Sns: {
          Type: 'Notification',
          MessageId: `m-${index}`,
          TopicArn: 'arn:aws:sns:eu-west-2:000000000000:ses-events',
          Subject: null,
          Message: typeof message === 'string' ? message : JSON.stringify(message),
          Timestamp: new Date().toISOString(),
          SignatureVersion: '1',
          Signature: 'x',
          SigningCertUrl: 'https://example.invalid',
          UnsubscribeUrl: 'https://example.invalid',
          MessageAttributes: {},
        },
      })),
    }) as unknown as SNSEvent;
  const bounce = (bounceType: string, ...addresses: string[]) => ({
    eventType: 'Bounce',
    bounce: {
      bounceType,
      bounceSubType: 'General',
      bouncedRecipients: addresses.map((emailAddress) => ({ emailAddress })),
      timestamp: '2026-12-03T09:58:01.123Z',
    },
    mail: { messageId: 'x' },
  });
  const suppressedItem = async (email: string) =>
    (
      await documentClient().send(
        new GetCommand({
          TableName: config().tables.outbox,
          Key: outboxKeys.suppressed(email),
          ConsistentRead: true,
        }),
      )
    ).Item;

  it('puts each permanently bouncing or complaining address on the suppression list, by its hash alone', async () => {
    const [gone, spam] = [`gone-${run}@example.org`, `spam-${run}@example.org`];
    await sesEvents(
      snsEvent(bounce('Permanent', `"Gone" <${gone.toUpperCase()}>`), {
        eventType: 'Complaint',
        complaint: { complainedRecipients: [{ emailAddress: spam }], timestamp: '2026-12-03T09:59:00.000Z' },
      }),
      lambdaContext(),
    );
    expect(await suppressedItem(gone)).toMatchObject({
      entity: 'suppressed',
      type: 'bounce',
      at: '2026-12-03T09:58:01.123Z',
    });
    expect(await suppressedItem(spam)).toMatchObject({ type: 'complaint' });
    expect(JSON.stringify(await suppressedItem(gone))).not.toContain('example.org');
    expect(await outboxRepository().isSuppressed(gone)).toBe(true);
    expect(await outboxRepository().isSuppressed(spam)).toBe(true);
  });

  it('leaves a transiently bouncing address alone, and drops what is not an SES notification', async () => {
    const full = `full-${run}@example.org`;
    await sesEvents(
      snsEvent(bounce('Transient', full), 'not json', { eventType: 'Bounce' }, { eventType: 'Delivery' }),
      lambdaContext(),
    );
    expect(await outboxRepository().isSuppressed(full)).toBe(false);
    await expect(
      sesEvents({ Records: 'nonsense' } as unknown as SNSEvent, lambdaContext()),
    ).resolves.toBeUndefined();
  });
});
