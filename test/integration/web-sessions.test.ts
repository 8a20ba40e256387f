/**
 * Web sessions and the web front door's input, over DynamoDB Local (issue 13, items 11–13 and 15):
 *
 * - sign-out ends the session: a copy of the cookie taken before opens nothing after (server-side record);
 * - session records carry the TTL attribute, and the table's TTL is on;
 * - groups are read again from the identity directory after an hour (the clock is the request's time):
 *   a user who left a group loses it, a disabled or deleted user is signed out; Cognito as the directory,
 *   against a stand-in for its admin API;
 * - cookies are bound to their purpose: a session cookie pasted into the registration cookie comes back
 *   as no session, and a registration cookie opens no session;
 * - page POSTs from another site are refused (403), bodies are capped (GOV.UK 413 page), a refused paste
 *   is echoed back only while small; a returnTo with CR/LF is dropped; a malformed `%` in a path is a 400;
 *   no legacy X-XSS-Protection header.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DescribeTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handler as accountHandler } from '../../functions/web/account';
import { handler as contractsHandler } from '../../functions/web/contracts';
import { config } from '../../shared/config';
import { documentClient, dynamoDbClient } from '../../shared/db/client';
import { createCognitoIdentityDirectory } from '../../shared/db/cognito-identities';
import { sessionKeys } from '../../shared/db/keys';
import { localIdentityStore, repositories, sessionRepository } from '../../shared/db/repositories';
import type { Principal } from '../../shared/domain/principal';
import { IDENTITY_RECHECK_SECONDS, SESSION_SECONDS } from '../../shared/domain/sessions';
import type { HttpEvent, HttpResult } from '../../shared/http/types';
import { startSession } from '../../shared/use-cases/sessions/start-session';
import { registerContract } from '../../shared/use-cases/subcontracting/contracts';
import { COOKIES, sessionCookie, sessionIdOf } from '../../shared/web/session';
import { startTestApi, type TestApi } from '../support/api';
import { httpEvent, lambdaContext } from '../support/events';
import { uniqueDigits } from '../support/fixtures';
import { verifiedProvider } from '../support/scenario';
import { cookieSet, signedIn } from '../support/web-session';

let api: TestApi;

beforeAll(async () => {
  api = await startTestApi();
});

afterAll(async () => {
  await api.stop();
});

const MINUTE = 60_000;

/** A page request to a web function, at `at` (the request's time: the clock the session rules read). */
function pageEvent(options: {
  routeKey: string;
  path: string;
  cookie?: string;
  body?: string;
  contentType?: string;
  origin?: string;
  pathParameters?: Record<string, string>;
  at?: Date;
}): HttpEvent {
  const method = options.routeKey.split(' ')[0] ?? 'GET';
  const headers: Record<string, string> = {};
  if (options.cookie) headers.cookie = options.cookie;
  if (options.body !== undefined)
    headers['content-type'] = options.contentType ?? 'application/x-www-form-urlencoded';
  if (options.origin) headers.origin = options.origin;
  const event = httpEvent({
    routeKey: options.routeKey,
    method,
    path: options.path,
    headers,
    ...(options.pathParameters ? { pathParameters: options.pathParameters } : {}),
    ...(options.body !== undefined ? { body: options.body } : {}),
  });
  if (options.at) event.requestContext.timeEpoch = options.at.getTime();
  return event;
}

function yourAccount(cookie: string, at?: Date): Promise<HttpResult> {
  return accountHandler(
    pageEvent({ routeKey: 'GET /your-account', path: '/your-account', cookie, ...(at ? { at } : {}) }),
    lambdaContext(),
  );
}

/** The value of the "Roles" row of Your account. */
function roles(page: HttpResult): string {
  const row = /Roles\s*<\/dt>\s*<dd[^>]*>\s*([^<]*?)\s*<\/dd>/.exec(page.body ?? '');
  return row?.[1] ?? '';
}

/** The CSRF token a page's forms carry. */
function csrfOf(html: string): string {
  return /name="csrfToken" value="([^"]+)"/.exec(html)?.[1] ?? '';
}

describe('signing out', () => {
  it('ends the session: the cookie, and any copy of it, opens nothing afterwards', async () => {
    const signIn = await fetch(`${api.url}/local/sign-in`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: api.url },
      body: 'sub=copied-cookie&returnTo=%2Fyour-account',
    });
    expect(signIn.status).toBe(303);
    const cookie = signIn.headers.getSetCookie()[0]?.split(';')[0] ?? '';
    expect(cookie).toMatch(/^__Host-session=/);
    const copy = cookie;

    const before = await fetch(`${api.url}/your-account`, { headers: { cookie }, redirect: 'manual' });
    expect(before.status).toBe(200);
    const csrf = csrfOf(await before.text());
    expect(csrf).not.toBe('');

    const signOut = await fetch(`${api.url}/sign-out`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', origin: api.url },
      body: `csrfToken=${encodeURIComponent(csrf)}`,
    });
    expect(signOut.status).toBe(303);
    expect(signOut.headers.getSetCookie().join('\n')).toContain('__Host-session=; Path=/; Max-Age=0');

    const after = await fetch(`${api.url}/your-account`, { headers: { cookie: copy }, redirect: 'manual' });
    expect(after.status).toBe(303);
    expect(after.headers.get('location')).toBe('/sign-in?returnTo=%2Fyour-account');
  });

  it('keeps each session record with its expiry in the TTL attribute, and the table expires them', async () => {
    const started = new Date();
    const { session, value } = await signedIn('ttl-user');
    expect(await sessionIdOf(value)).toBe(session.id);
    const { Item } = await documentClient().send(
      new GetCommand({ TableName: config().tables.sessions, Key: sessionKeys.session(session.id) }),
    );
    expect(Item?.ttl).toBe(Math.ceil(Date.parse(session.expiresAt) / 1000));
    expect(Item?.ttl).toBeGreaterThanOrEqual(Math.floor(started.getTime() / 1000) + SESSION_SECONDS);
    expect(Item?.ttl).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000) + SESSION_SECONDS);
    // The record is stored under a hash of the id: the table holds no id a cookie could carry.
    expect(JSON.stringify(Item)).not.toContain(session.id);
    const ttl = await dynamoDbClient().send(
      new DescribeTimeToLiveCommand({ TableName: config().tables.sessions }),
    );
    expect(ttl.TimeToLiveDescription).toMatchObject({ AttributeName: 'ttl', TimeToLiveStatus: 'ENABLED' });
  });
});

describe('groups read again within the hour', () => {
  it('a user who left a group loses it once the hour is up, not before', async () => {
    const now = new Date();
    const sub = `regrouped-${uniqueDigits(6)}`;
    const { cookie, session } = await signedIn(sub, { groups: ['commissioner'], now });
    expect(roles(await yourAccount(cookie, now))).toBe('Commissioner');
    // An administrator takes them out of the group (locally: signing in again with other groups).
    await localIdentityStore().save({ sub, groups: [], enabled: true }, now);

    const soon = new Date(now.getTime() + 59 * MINUTE);
    expect(roles(await yourAccount(cookie, soon))).toBe('Commissioner');
    const later = new Date(now.getTime() + (IDENTITY_RECHECK_SECONDS + 60) * 1000);
    const after = await yourAccount(cookie, later);
    expect(after.statusCode).toBe(200);
    expect(roles(after)).toBe('None');
    expect(await sessionRepository().get(session.id)).toMatchObject({
      groups: [],
      checkedAt: later.toISOString(),
    });
  });

  it('a disabled user, or one the directory no longer knows, is signed out at the next check', async () => {
    const now = new Date();
    const disabled = await signedIn(`disabled-${uniqueDigits(6)}`, { now });
    await localIdentityStore().save({ sub: disabled.session.sub, groups: [], enabled: false }, now);
    // One the directory never knew (deleted): a session started without a local identity.
    const unknown = await startSession(
      { sessions: sessionRepository() },
      { sub: `deleted-${uniqueDigits(6)}`, groups: [] },
      now,
    );
    const unknownCookie = (await sessionCookie(unknown, now)).split(';')[0] ?? '';

    expect((await yourAccount(disabled.cookie, new Date(now.getTime() + 30 * MINUTE))).statusCode).toBe(200);
    const later = new Date(now.getTime() + 61 * MINUTE);
    for (const [cookie, id] of [
      [disabled.cookie, disabled.session.id],
      [unknownCookie, unknown.id],
    ] as const) {
      const page = await yourAccount(cookie, later);
      expect(page.statusCode).toBe(303);
      expect(page.headers?.location).toBe('/sign-in?returnTo=%2Fyour-account');
      expect(await sessionRepository().get(id)).toBeUndefined();
    }
  });

  it('an expired session opens nothing, even before the TTL removes it', async () => {
    const now = new Date();
    const { cookie, session } = await signedIn(`expired-${uniqueDigits(6)}`, { now });
    const page = await yourAccount(cookie, new Date(now.getTime() + SESSION_SECONDS * 1000 + MINUTE));
    expect(page.statusCode).toBe(303);
    expect(await sessionRepository().get(session.id)).toBeUndefined();
  });
});

describe('Cognito as the identity directory', () => {
  it('reads whether the user is enabled and their groups, and knows a deleted user is gone', async () => {
    const seen: { target: string; body: Record<string, unknown> }[] = [];
    const users: Record<string, { sub: string; enabled: boolean; groups: string[] }> = {
      'ada-username': { sub: 'sub-ada', enabled: true, groups: ['commissioner', 'Beta-testers'] },
      'bob-username': { sub: 'sub-bob', enabled: false, groups: ['admin'] },
    };
    const read = (req: IncomingMessage) =>
      new Promise<string>((done) => {
        let text = '';
        req.on('data', (chunk) => {
          text += chunk;
        });
        req.on('end', () => done(text));
      });
    const cognito = createServer(async (req, res) => {
      const target = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
      const body = JSON.parse(await read(req)) as Record<string, unknown>;
      seen.push({ target, body });
      const user = users[String(body.Username)];
      const json = (status: number, payload: unknown, type?: string) =>
        res
          .writeHead(status, {
            'content-type': 'application/x-amz-json-1.1',
            ...(type ? { 'x-amzn-errortype': type } : {}),
          })
          .end(JSON.stringify(payload));
      if (!user) {
        json(
          400,
          { __type: 'UserNotFoundException', message: 'User does not exist.' },
          'UserNotFoundException',
        );
        return;
      }
      if (target === 'AdminGetUser') {
        json(200, {
          Username: body.Username,
          Enabled: user.enabled,
          UserStatus: 'CONFIRMED',
          UserAttributes: [
            { Name: 'sub', Value: user.sub },
            { Name: 'email', Value: `${user.sub}@example.org` },
          ],
        });
        return;
      }
      json(200, { Groups: user.groups.map((GroupName) => ({ GroupName })) });
    });
    await new Promise<void>((done) => cognito.listen(0, '127.0.0.1', () => done()));
    try {
      const directory = createCognitoIdentityDirectory({
        issuer: 'https://cognito-idp.eu-west-2.amazonaws.com/eu-west-2_TestPool',
        endpoint: `http://127.0.0.1:${(cognito.address() as AddressInfo).port}`,
      });
      expect(await directory.find({ sub: 'sub-ada', username: 'ada-username' })).toEqual({
        sub: 'sub-ada',
        email: 'sub-ada@example.org',
        groups: ['commissioner'],
        enabled: true,
      });
      expect(await directory.find({ sub: 'sub-bob', username: 'bob-username' })).toMatchObject({
        enabled: false,
      });
      expect(await directory.find({ sub: 'sub-gone', username: 'gone-username' })).toBeUndefined();
      expect(seen[0]).toEqual({
        target: 'AdminGetUser',
        body: { UserPoolId: 'eu-west-2_TestPool', Username: 'ada-username' },
      });
      expect(seen[1]?.target).toBe('AdminListGroupsForUser');
    } finally {
      await new Promise<void>((done) => cognito.close(() => done()));
    }
  });
});

describe('cookies bound to their purpose', () => {
  const step = (cookie: string, body: string, origin?: string) =>
    accountHandler(
      pageEvent({
        routeKey: 'POST /register-organisation/{step}',
        path: '/register-organisation/organisation',
        pathParameters: { step: 'organisation' },
        cookie,
        body,
        ...(origin ? { origin } : {}),
      }),
      lambdaContext(),
    );

  it('a session cookie pasted into the registration cookie comes back as no session', async () => {
    const { cookie, value, session } = await signedIn(`swap-${uniqueDigits(6)}`);
    const result = await step(
      `${cookie}; ${COOKIES.registration}=${value}`,
      `csrfToken=${session.csrf}&name=Swap+Trust&legalForm=sole_trader&sector=private&size=micro`,
    );
    expect(result.statusCode).toBe(303);
    const draft = cookieSet(result.cookies, COOKIES.registration);
    expect(draft).not.toBe('');
    // Re-sealed as a registration draft, it is no session: not now, and not for a fresh two hours.
    const asSession = await yourAccount(`${COOKIES.session}=${draft}`);
    expect(asSession.statusCode).toBe(303);
    expect(asSession.headers?.location).toBe('/sign-in?returnTo=%2Fyour-account');
    expect(await sessionIdOf(draft)).toBeUndefined();
  });

  it('a registration cookie pasted into the session cookie opens no session', async () => {
    const { cookie, session } = await signedIn(`swap-back-${uniqueDigits(6)}`);
    const result = await step(
      cookie,
      `csrfToken=${session.csrf}&name=Swap+Back&legalForm=sole_trader&sector=private&size=micro`,
    );
    const draft = cookieSet(result.cookies, COOKIES.registration);
    expect(draft).not.toBe('');
    expect((await yourAccount(`${COOKIES.session}=${draft}`)).statusCode).toBe(303);
  });
});

describe('page POSTs', () => {
  it('refuses a form posted from another site with 403, storing nothing, even with the right token', async () => {
    const { cookie, session } = await signedIn(`cross-site-${uniqueDigits(6)}`);
    const body = `csrfToken=${session.csrf}&name=Forged&legalForm=sole_trader&sector=private&size=micro`;
    for (const origin of ['https://evil.example', 'null']) {
      const result = await accountHandler(
        pageEvent({
          routeKey: 'POST /register-organisation/{step}',
          path: '/register-organisation/organisation',
          pathParameters: { step: 'organisation' },
          cookie,
          body,
          origin,
        }),
        lambdaContext(),
      );
      expect(result.statusCode).toBe(403);
      expect(result.headers?.['content-type']).toContain('text/html');
      expect(result.body).toContain('did not come from this service');
      expect(result.cookies ?? []).toEqual([]);
    }
  });

  it('the local developer sign-in refuses a cross-site post, and signs nobody in', async () => {
    const refused = await fetch(`${api.url}/local/sign-in`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' },
      body: 'sub=victim&groups=admin',
    });
    expect(refused.status).toBe(403);
    expect(refused.headers.getSetCookie()).toEqual([]);
    expect(await localIdentityStore().find({ sub: 'victim' })).toBeUndefined();
  });

  it('drops a returnTo with CR/LF rather than failing on it', async () => {
    const signIn = await fetch(`${api.url}/local/sign-in`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: api.url },
      body: new URLSearchParams({ sub: 'crlf-user', returnTo: '/x\r\nSet-Cookie: injected=1' }).toString(),
    });
    expect(signIn.status).toBe(303);
    expect(signIn.headers.get('location')).toBe('/your-organisation');
  });

  it('caps form bodies at 1 MB and uploads at 5 MB, with the GOV.UK 413 page', async () => {
    const { cookie, session } = await signedIn(`large-${uniqueDigits(6)}`);
    const form = await accountHandler(
      pageEvent({
        routeKey: 'POST /register-organisation/{step}',
        path: '/register-organisation/organisation',
        pathParameters: { step: 'organisation' },
        cookie,
        body: `csrfToken=${session.csrf}&name=${'x'.repeat(1024 * 1024)}`,
      }),
      lambdaContext(),
    );
    expect(form.statusCode).toBe(413);
    expect(form.headers?.['content-type']).toContain('text/html');
    expect(form.body).toContain('What you sent is too large');

    const boundary = 'x-boundary';
    const multipart = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="csrfToken"\r\n\r\n${session.csrf}\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="csv"\r\n\r\n${'a,'.repeat(3.5 * 1024 * 1024)}\r\n--${boundary}--\r\n`,
    );
    const event = pageEvent({
      routeKey: 'POST /your-contracts/{id}/spend-returns',
      path: '/your-contracts/01J00000000000000000000000/spend-returns',
      pathParameters: { id: '01J00000000000000000000000' },
      cookie,
      body: multipart.toString('base64'),
      contentType: `multipart/form-data; boundary=${boundary}`,
    });
    event.isBase64Encoded = true;
    const upload = await contractsHandler(event, lambdaContext());
    expect(upload.statusCode).toBe(413);
    expect(upload.body).toContain('What you sent is too large');
    expect((upload.body ?? '').length).toBeLessThan(100_000);
  });

  it('shows a refused paste again only while it is small: never megabytes back', async () => {
    const owner = `prime-owner-${uniqueDigits(6)}`;
    const primeId = await verifiedProvider(owner, `Echo Prime ${uniqueDigits(4)}`, {
      region: 'london',
      service: 'health',
    });
    const commissioner: Principal = {
      kind: 'user',
      sub: 'echo-lead',
      email: undefined,
      groups: ['commissioner'],
    };
    const contract = await registerContract(
      repositories(),
      commissioner,
      {
        title: 'Echo contract',
        primeProviderId: primeId,
        valuePence: 1_000_000_00,
        startDate: '2025-01-01',
        endDate: '2027-12-31',
        regions: ['london'],
        services: ['health'],
        subcontracting: { targetPercent: 10 },
      },
      new Date(),
      config().rules,
    );
    const { cookie, session } = await signedIn(owner);
    const file = (csv: string) =>
      contractsHandler(
        pageEvent({
          routeKey: 'POST /your-contracts/{id}/spend-returns',
          path: `/your-contracts/${contract.id}/spend-returns`,
          pathParameters: { id: contract.id },
          cookie,
          // A period that is not a quarter: refused, with the paste shown again.
          body: new URLSearchParams({ csrfToken: session.csrf, period: 'soon', csv }).toString(),
        }),
        lambdaContext(),
      );
    const small = await file('subcontractor_ref,invoice_ref\nSMALL-PASTE,1');
    expect(small.statusCode).toBe(400);
    expect(small.body).toContain('SMALL-PASTE');
    const large = await file(`subcontractor_ref,invoice_ref\n${'LARGE-PASTE,1\n'.repeat(30_000)}`);
    expect(large.statusCode).toBe(400);
    expect(large.body).toContain('Enter a quarter like 2026-Q3');
    expect(large.body).not.toContain('LARGE-PASTE');
    expect((large.body ?? '').length).toBeLessThan(200_000);
  });
});

describe('the local gateway and response headers', () => {
  it('answers a path with a malformed % escape with a 400, not a 500', async () => {
    for (const path of ['/providers/%E0%A4%A', '/find-a-provider/%zz', '/competitions/%']) {
      const json = await fetch(`${api.url}${path}`);
      expect(json.status, path).toBe(400);
      expect(json.headers.get('content-type')).toContain('application/problem+json');
      const page = await fetch(`${api.url}${path}`, { headers: { accept: 'text/html' } });
      expect(page.status, path).toBe(400);
      expect(page.headers.get('content-type')).toContain('text/html');
    }
    expect((await fetch(`${api.url}/assets/%zz.css`)).status).toBe(404);
  });

  it('sends no legacy X-XSS-Protection header, and keeps the Content-Security-Policy', async () => {
    const page = await fetch(`${api.url}/find-a-provider`);
    expect(page.status).toBe(200);
    expect(page.headers.get('x-xss-protection')).toBeNull();
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    // The JSON functions' one HTML answer: the error page a browser gets.
    const jsonPage = await fetch(`${api.url}/directory?limit=lots`, { headers: { accept: 'text/html' } });
    expect(jsonPage.status).toBe(400);
    expect(jsonPage.headers.get('content-type')).toContain('text/html');
    expect(jsonPage.headers.get('x-xss-protection')).toBeNull();
    const json = await fetch(`${api.url}/directory`);
    expect(json.headers.get('x-xss-protection')).toBeNull();
  });
});
