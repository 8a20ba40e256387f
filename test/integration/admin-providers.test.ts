/**
 * Verifying and rejecting registrations (issue 16) over DynamoDB Local: `POST /providers/{id}/reject` and
 * `/verify` through the local gateway, and the verification queue's pages (`functions/web/oversight.ts`).
 *
 * - A rejection carries a reason the organisation's members see (API, organisation page, notification) and
 *   commissioners do not; it is written with its notification and its audit event in one transaction.
 * - Only admins decide; anyone else is refused (403) and the attempt is recorded in the provider's audit
 *   chain, on the page and the route alike; an id naming no registration starts no chain.
 * - Only a pending registration is decided on (409 problem+json otherwise); two decisions at once leave one.
 * - Bad input (a missing, blank or too long reason, unknown fields, bad JSON; a bad form) writes nothing.
 * - Owners correct a rejected registration, which sends it back to the queue, where an admin verifies it.
 * - The queue: pending registrations longest waiting first, paged, numbers linked to the public registers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handler as accountHandler } from '../../functions/web/account';
import { handler as oversightHandler } from '../../functions/web/oversight';
import { providerAuditScope } from '../../shared/db/keys';
import { auditRepository } from '../../shared/db/repositories';
import { REJECTION_REASON_MAX } from '../../shared/domain/provider-verification';
import { startTestApi, type TestApi } from '../support/api';
import { charityRegistration, uniqueDigits } from '../support/fixtures';
import { tableSnapshot } from '../support/table-snapshot';
import { type SignedIn, signedIn } from '../support/web-session';
import { callPage, h1Count, pageText, paginationHref, tableRows } from '../support/workspace';

let api: TestApi;
const tokens: Record<string, string> = {};
const sessions: Record<string, SignedIn> = {};

const USERS: [string, string[]][] = [
  ['admin', ['admin']],
  ['second-admin', ['admin']],
  ['commissioner', ['commissioner']],
  ['auditor', ['auditor']],
  ['owner', []],
  ['member', []],
  ['stranger', []],
];

const call = (method: string, path: string, who: string | undefined, body?: unknown, rawBody?: string) =>
  api.call(method, path, {
    ...(who ? { token: tokens[who] ?? '' } : {}),
    ...(body !== undefined ? { body } : {}),
    ...(rawBody !== undefined ? { rawBody, headers: { 'content-type': 'application/json' } } : {}),
  });

/** Calls the oversight function's page `routeKey` as `who`. */
const page = (
  routeKey: string,
  who: string | undefined,
  options: {
    id?: string;
    form?: Record<string, string>;
    csrf?: boolean;
    query?: Record<string, string>;
  } = {},
) =>
  callPage(oversightHandler, routeKey, {
    who: who ? sessions[who] : undefined,
    ...(options.id ? { params: { id: options.id } } : {}),
    ...(options.form ? { form: options.form } : {}),
    ...(options.csrf === false ? { csrf: false } : {}),
    ...(options.query ? { query: options.query } : {}),
  });

/** Registers an organisation owned by `owner` (with `member` invited and joined when asked). */
async function register(name: string, overrides: Record<string, unknown> = {}): Promise<string> {
  const response = await call('POST', '/providers', 'owner', charityRegistration({ name, ...overrides }));
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return (response.body as { id: string }).id;
}

interface Profile {
  id: string;
  name: string;
  status: string;
  version: number;
  rejection?: { reason: string; rejectedAt: string; rejectedBy: string };
  resubmittedAt?: string;
}

const profile = async (id: string, who = 'owner') =>
  (await call('GET', `/providers/${id}`, who)).body as Profile;

/** The provider's audit chain: every event, chained or not yet, oldest first. */
async function chain(id: string) {
  await api.drainAudit();
  const page = await auditRepository().page(providerAuditScope(id), 100, undefined);
  return page.items.map((e) => ({
    actor: e.actor,
    action: e.action,
    resource: e.resource,
    outcome: e.outcome,
    reason: e.reason,
    chained: e.chained,
  }));
}

const REASON =
  'Charity number does not match the Charity Commission register: it belongs to another charity. Correct it and save your details.';

beforeAll(async () => {
  api = await startTestApi();
  for (const [sub, groups] of USERS) {
    tokens[sub] = await api.token(sub, groups);
    sessions[sub] = await signedIn(sub, { groups });
  }
}, 60_000);

afterAll(async () => {
  await api?.stop();
});

describe('POST /providers/{id}/reject', () => {
  it('rejects a pending registration with a reason its members see, notified and audited together', async () => {
    const id = await register('Harbour Lights Trust');
    // A member (invited, accepted) reads the reason as the owner does.
    const invited = await call('POST', `/providers/${id}/members`, 'owner', {
      sub: 'member',
      role: 'member',
    });
    expect(invited.status).toBe(201);
    const accepted = await call(
      'POST',
      `/me/invitations/${(invited.body as { id: string }).id}/accept`,
      'member',
    );
    expect(accepted.status).toBe(200);

    const rejected = await call('POST', `/providers/${id}/reject`, 'admin', { reason: `  ${REASON}  ` });
    expect(rejected.status).toBe(200);
    expect(rejected.body).toMatchObject({
      id,
      status: 'rejected',
      version: 2,
      rejection: { reason: REASON, rejectedBy: 'admin' },
    });

    for (const who of ['owner', 'member', 'admin']) {
      expect(await profile(id, who), who).toMatchObject({
        status: 'rejected',
        rejection: { reason: REASON },
      });
    }
    // Commissioners read profiles, but the reason is between the organisation and the admins.
    const seenByCommissioner = await profile(id, 'commissioner');
    expect(seenByCommissioner.status).toBe('rejected');
    expect(seenByCommissioner).not.toHaveProperty('rejection');
    expect(JSON.stringify(seenByCommissioner)).not.toContain('Charity Commission register');
    // Nobody else learns it exists.
    expect((await call('GET', `/providers/${id}`, 'stranger')).status).toBe(404);

    const inbox = (await call('GET', '/me/notifications', 'member')).body as {
      items: { type: string; title: string; message: string; providerId: string }[];
    };
    expect(inbox.items.filter((n) => n.providerId === id)).toEqual([
      expect.objectContaining({
        type: 'rejected',
        title: 'Your registration was not verified',
        message: expect.stringContaining(REASON),
      }),
    ]);
    expect(await chain(id)).toEqual([
      {
        actor: 'admin',
        action: 'provider.reject',
        resource: `providers/${id}`,
        outcome: 'allowed',
        reason: undefined,
        chained: true,
      },
    ]);
    // Not in the directory, and `GET /me` says so.
    const me = (await call('GET', '/me', 'owner')).body as {
      organisations: { id: string; status: string }[];
    };
    expect(me.organisations.find((o) => o.id === id)?.status).toBe('rejected');
  });

  it('refuses everyone but admins, recording each attempt in the provider’s audit chain', async () => {
    const id = await register('Quayside Futures');
    const before = await tableSnapshot();
    for (const who of ['owner', 'commissioner', 'auditor', 'stranger']) {
      for (const decision of ['reject', 'verify']) {
        const response = await call('POST', `/providers/${id}/${decision}`, who, {
          ...(decision === 'reject' ? { reason: REASON } : {}),
        });
        expect(response.status, `${who} ${decision}`).toBe(403);
        expect(response.headers.get('content-type')).toContain('application/problem+json');
        expect(response.body).toMatchObject({
          type: '/problems/forbidden',
          detail: `Only an admin can ${decision} providers.`,
        });
      }
    }
    expect(await profile(id)).toMatchObject({ status: 'pending', version: 1 });
    const events = await chain(id);
    expect(events).toHaveLength(8);
    expect(events.slice(0, 2)).toEqual([
      {
        actor: 'owner',
        action: 'provider.reject',
        resource: `providers/${id}`,
        outcome: 'denied',
        reason: '/problems/forbidden',
        chained: true,
      },
      {
        actor: 'owner',
        action: 'provider.verify',
        resource: `providers/${id}`,
        outcome: 'denied',
        reason: '/problems/forbidden',
        chained: true,
      },
    ]);
    // The refusals wrote their audit events and nothing else.
    const after = await tableSnapshot();
    const added = [...after.keys()].filter((key) => !before.has(key));
    expect(added.every((key) => key.startsWith(`audit AUDIT`))).toBe(true);
    expect(
      [...before.keys()].filter((key) => !key.startsWith('audit') && after.get(key) !== before.get(key)),
    ).toEqual([]);

    // Without a token: 401, before anything is read.
    expect((await call('POST', `/providers/${id}/reject`, undefined, { reason: REASON })).status).toBe(401);
    // An id that names no registration: refused alike, and no chain is started for it.
    const nobody = '01JD0000000000000000000000';
    const unknown = await call('POST', `/providers/${nobody}/reject`, 'stranger', { reason: REASON });
    expect(unknown.status).toBe(403);
    expect(await chain(nobody)).toEqual([]);
    // An admin is told it does not exist.
    const missing = await call('POST', `/providers/${nobody}/reject`, 'admin', { reason: REASON });
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ type: '/problems/not-found' });
  });

  it('decides only on pending registrations: 409 problem+json otherwise, and nothing written', async () => {
    const verifiedId = await register('Anchor House');
    expect((await call('POST', `/providers/${verifiedId}/verify`, 'admin')).status).toBe(200);
    const rejectedId = await register('Breakwater Project');
    expect((await call('POST', `/providers/${rejectedId}/reject`, 'admin', { reason: REASON })).status).toBe(
      200,
    );
    await api.drainAudit();
    const before = await tableSnapshot();

    const refusals = [
      [
        verifiedId,
        'reject',
        'Anchor House is verified: only a registration waiting for verification can be rejected.',
      ],
      [rejectedId, 'reject', 'Breakwater Project is already rejected'],
      [rejectedId, 'verify', 'Breakwater Project was rejected: it can be verified once its owners correct'],
    ] as const;
    for (const [id, decision, detail] of refusals) {
      const response = await call('POST', `/providers/${id}/${decision}`, 'admin', {
        ...(decision === 'reject' ? { reason: 'Another reason' } : {}),
      });
      expect(response.status, `${decision} ${id}`).toBe(409);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect(response.body).toMatchObject({ type: '/problems/invalid-state', status: 409 });
      expect((response.body as { detail: string }).detail).toContain(detail);
    }
    // Verifying a verified provider is a retry: it answers what is there and writes nothing.
    const again = await call('POST', `/providers/${verifiedId}/verify`, 'admin');
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ status: 'verified', version: 2 });
    await api.drainAudit();
    expect(await tableSnapshot()).toEqual(before);
  });

  it('writes nothing for a bad reason or body, listing every problem', async () => {
    const id = await register('Lighthouse Advice');
    const before = await tableSnapshot();
    const cases: [unknown, string | undefined, string][] = [
      [{}, undefined, 'reason'],
      [{ reason: '' }, undefined, 'reason'],
      [{ reason: '   \n ' }, undefined, 'reason'],
      [{ reason: 'x'.repeat(REJECTION_REASON_MAX + 1) }, undefined, 'reason'],
      [{ reason: 42 }, undefined, 'reason'],
      [{ reason: REASON, status: 'verified' }, undefined, ''],
      [undefined, '{"reason": "unterminated', ''],
    ];
    for (const [body, raw, path] of cases) {
      const response = await call('POST', `/providers/${id}/reject`, 'admin', body, raw);
      expect(response.status, JSON.stringify(body ?? raw)).toBe(400);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect(response.body).toMatchObject({ type: '/problems/validation' });
      const errors = (response.body as { errors: { path: string }[] }).errors;
      expect(errors.length).toBeGreaterThan(0);
      if (path) expect(errors.map((e) => e.path)).toContain(path);
    }
    // Exactly the limit is accepted.
    await api.drainAudit();
    expect(await tableSnapshot()).toEqual(before);
    const longest = await call('POST', `/providers/${id}/reject`, 'admin', {
      reason: 'y'.repeat(REJECTION_REASON_MAX),
    });
    expect(longest.status).toBe(200);
  });

  it('leaves exactly one decision when two admins decide at once', async () => {
    const id = await register('Tideway Mentoring');
    const answers = await Promise.all([
      call('POST', `/providers/${id}/verify`, 'admin'),
      call('POST', `/providers/${id}/reject`, 'second-admin', { reason: REASON }),
    ]);
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses).toEqual([200, 409]);
    const final = await profile(id);
    const winner = answers.find((a) => a.status === 200)?.body as Profile;
    expect(final.status).toBe(winner.status);
    expect(final.version).toBe(2);
    const allowed = (await chain(id)).filter((e) => e.outcome === 'allowed');
    expect(allowed).toHaveLength(1);
    const inbox = (await call('GET', '/me/notifications', 'owner')).body as {
      items: { providerId: string }[];
    };
    expect(inbox.items.filter((n) => n.providerId === id)).toHaveLength(1);
  });

  it('sends a corrected registration back to the queue, where an admin verifies it', async () => {
    const charityNumber = uniqueDigits(7);
    const id = await register('Second Tide', { charityNumber });
    await call('POST', `/providers/${id}/reject`, 'admin', { reason: REASON });
    const corrected = await call('PATCH', `/providers/${id}`, 'owner', { charityNumber: uniqueDigits(7) });
    expect(corrected.status).toBe(200);
    expect(corrected.body).toMatchObject({ status: 'pending', version: 3, rejection: { reason: REASON } });
    expect((corrected.body as Profile).resubmittedAt).toBeDefined();
    // A further edit while pending keeps its place (it waits from the resubmission).
    const edited = await call('PATCH', `/providers/${id}`, 'owner', {
      description: 'Now with the right number.',
    });
    expect(edited.body).toMatchObject({
      status: 'pending',
      resubmittedAt: (corrected.body as Profile).resubmittedAt,
    });
    const queue = await page('GET /admin/providers', 'admin', { query: { limit: '100' } });
    const row = tableRows(queue.body, 'queue').find((cells) => cells[0]?.startsWith('Second Tide'));
    expect(row?.[0]).toContain('Corrected after a rejection');

    const verified = await call('POST', `/providers/${id}/verify`, 'admin');
    expect(verified.status).toBe(200);
    expect(verified.body).toMatchObject({ status: 'verified' });
    const directory = (await call('GET', '/directory?limit=100', undefined)).body as {
      items: { id: string }[];
    };
    expect(directory.items.map((p) => p.id)).toContain(id);
    expect((await chain(id)).map((e) => `${e.action} ${e.outcome}`)).toEqual([
      'provider.reject allowed',
      'provider.verify allowed',
    ]);
  });
});

describe('the verification queue pages', () => {
  let ids: string[] = [];

  beforeAll(async () => {
    // Earlier tests left pending registrations: decide them, so the queue holds only these.
    const earlier = await page('GET /admin/providers', 'admin', { query: { limit: '100' } });
    expect(paginationHref(earlier.body, 'next')).toBeUndefined();
    for (const match of earlier.body.matchAll(/href="\/admin\/providers\/([0-9A-Z]{26})"/g)) {
      expect((await call('POST', `/providers/${match[1]}/verify`, 'admin')).status).toBe(200);
    }
    ids = [];
    ids.push(await register('Ebb and Flow CIO', { charityNumber: uniqueDigits(7) }));
    ids.push(
      await register('Firth Recovery', {
        legalForm: 'charitable_trust',
        charityNumber: `SC${uniqueDigits(6)}`,
      }),
    );
    ids.push(
      await register('Lough Neagh Support', {
        legalForm: 'charitable_company',
        charityNumber: `NIC${uniqueDigits(6)}`,
        companyNumber: `NI${uniqueDigits(6)}`,
      }),
    );
  }, 60_000);

  it('lists pending registrations to admins, longest waiting first, numbers linked to the registers', async () => {
    const result = await page('GET /admin/providers', 'admin');
    expect(result.statusCode).toBe(200);
    expect(result.body).toMatch(/<title>Verification queue – /);
    expect(h1Count(result.body)).toBe(1);
    const rows = tableRows(result.body, 'queue');
    expect(rows.map((row) => row[0])).toEqual(['Ebb and Flow CIO', 'Firth Recovery', 'Lough Neagh Support']);
    const [ebb, firth, lough] = await Promise.all(ids.map((id) => profile(id, 'admin')));
    const href = (url: string) =>
      `href="${url.replaceAll('&', '&amp;')}" target="_blank" rel="noopener noreferrer"`;
    expect(result.body).toContain(
      href(
        `https://register-of-charities.charitycommission.gov.uk/charity-search/-/charity-details/${(ebb as Profile & { charityNumber: string }).charityNumber}`,
      ),
    );
    expect(result.body).toContain(
      href(
        `https://www.oscr.org.uk/about-charities/search-the-register/charity-details?number=${(firth as Profile & { charityNumber: string }).charityNumber}`,
      ),
    );
    const ni = lough as Profile & { charityNumber: string; companyNumber: string };
    expect(result.body).toContain(
      href(
        `https://www.charitycommissionni.org.uk/charity-details/?regId=${ni.charityNumber.slice(3)}&subId=0`,
      ),
    );
    expect(result.body).toContain(
      href(`https://find-and-update.company-information.service.gov.uk/company/${ni.companyNumber}`),
    );
    expect(rows[0]?.[3]).toContain('(opens in new tab)');
    expect(rows[0]?.[4]).toBe('None given');
    // Paged: two at a time, then the third.
    const first = await page('GET /admin/providers', 'admin', { query: { limit: '2' } });
    expect(tableRows(first.body, 'queue').map((row) => row[0])).toEqual([
      'Ebb and Flow CIO',
      'Firth Recovery',
    ]);
    const next = paginationHref(first.body, 'next') ?? '';
    expect(next).toMatch(/^\/admin\/providers\?limit=2&cursor=/);
    const cursor = new URLSearchParams(next.split('?')[1]).get('cursor') ?? '';
    const second = await page('GET /admin/providers', 'admin', { query: { limit: '2', cursor } });
    expect(tableRows(second.body, 'queue').map((row) => row[0])).toEqual(['Lough Neagh Support']);
    expect(paginationHref(second.body, 'next')).toBeUndefined();
    expect(paginationHref(second.body, 'prev')).toBe('/admin/providers?limit=2');
  });

  it('is linked from an admin’s account page, and from nobody else’s', async () => {
    const admin = await callPage(accountHandler, 'GET /your-account', { who: sessions.admin });
    expect(admin.statusCode).toBe(200);
    expect(admin.body).toContain('href="/admin/providers"');
    for (const who of ['commissioner', 'auditor', 'owner']) {
      const other = await callPage(accountHandler, 'GET /your-account', { who: sessions[who] });
      expect(other.statusCode, who).toBe(200);
      expect(other.body, who).not.toContain('href="/admin/providers"');
    }
  });

  it('is for admins only: others get a 403 page, anonymous visitors are sent to sign in', async () => {
    for (const who of ['commissioner', 'auditor', 'owner']) {
      const result = await page('GET /admin/providers', who);
      expect(result.statusCode, who).toBe(403);
      expect(result.body).toContain('Only an admin can see the verification queue.');
      expect(result.body).not.toContain('Ebb and Flow CIO');
      const detail = await page('GET /admin/providers/{id}', who, { id: ids[0] as string });
      expect(detail.statusCode, who).toBe(403);
    }
    const anonymous = await page('GET /admin/providers', undefined);
    expect(anonymous.statusCode).toBe(303);
    expect(anonymous.headers?.location).toBe('/sign-in?returnTo=%2Fadmin%2Fproviders');
  });

  it('shows one registration with its decisions, and refuses a bad reason without writing anything', async () => {
    const id = ids[0] as string;
    const detail = await page('GET /admin/providers/{id}', 'admin', { id });
    expect(detail.statusCode).toBe(200);
    expect(h1Count(detail.body)).toBe(1);
    expect(pageText(detail)).toContain('Ebb and Flow CIO');
    expect(detail.body).toContain(`href="/admin/providers/${id}/verify"`);
    expect(detail.body).toContain(`href="/admin/providers/${id}/reject"`);
    expect(pageText(detail)).toContain('Owners owner');

    const form = await page('GET /admin/providers/{id}/reject', 'admin', { id });
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('name="csrfToken"');
    expect(form.body).toContain('name="version" value="1"');

    const before = await tableSnapshot();
    const blank = await page('POST /admin/providers/{id}/reject', 'admin', {
      id,
      form: { reason: '   ', version: '1' },
    });
    expect(blank.statusCode).toBe(400);
    expect(blank.body).toMatch(/<title>Error: Reject Ebb and Flow CIO – /);
    expect(blank.body).toContain('govuk-error-summary');
    expect(blank.body).toContain('href="#reason"');
    expect(blank.body).toContain('Enter why the registration is rejected');
    const long = 'z'.repeat(REJECTION_REASON_MAX + 1);
    const tooLong = await page('POST /admin/providers/{id}/reject', 'admin', {
      id,
      form: { reason: long, version: '1' },
    });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.body).toContain(`Use at most ${REJECTION_REASON_MAX} characters`);
    // What was typed is kept.
    expect(tooLong.body).toContain(long);
    // No CSRF token: refused before anything is read.
    const forged = await page('POST /admin/providers/{id}/reject', 'admin', {
      id,
      form: { reason: REASON, version: '1' },
      csrf: false,
    });
    expect(forged.statusCode).toBe(403);
    expect(await tableSnapshot()).toEqual(before);
  });

  it('records a refused decision on the page exactly as the API does', async () => {
    const id = ids[1] as string;
    const viaPage = await page('POST /admin/providers/{id}/reject', 'commissioner', {
      id,
      form: { reason: REASON, version: '1' },
    });
    expect(viaPage.statusCode).toBe(403);
    expect(viaPage.body).toContain('Only an admin can reject providers.');
    const viaApi = await call('POST', `/providers/${id}/reject`, 'commissioner', { reason: REASON });
    expect(viaApi.status).toBe(403);
    const events = await chain(id);
    expect(events).toHaveLength(2);
    expect(events[0]).toEqual(events[1]);
    expect(events[0]).toMatchObject({ actor: 'commissioner', action: 'provider.reject', outcome: 'denied' });
    expect(await profile(id)).toMatchObject({ status: 'pending', version: 1 });
  });

  it('rejects with a reason, back to the queue with a banner; the owners read it on their organisation page', async () => {
    const id = ids[0] as string;
    const done = await page('POST /admin/providers/{id}/reject', 'admin', {
      id,
      form: { reason: REASON, version: '1' },
    });
    expect(done.statusCode).toBe(303);
    expect(done.headers?.location).toBe(`/admin/providers?rejected=${id}`);
    const queue = await page('GET /admin/providers', 'admin', { query: { rejected: id } });
    expect(queue.body).toContain('govuk-notification-banner--success');
    expect(pageText(queue)).toContain('Ebb and Flow CIO is rejected');
    expect(tableRows(queue.body, 'queue').map((row) => row[0])).toEqual([
      'Firth Recovery',
      'Lough Neagh Support',
    ]);
    // A hand-made banner address for a registration that is not rejected announces nothing.
    const fake = await page('GET /admin/providers', 'admin', { query: { rejected: ids[1] as string } });
    expect(fake.body).not.toContain('govuk-notification-banner--success');

    const ownersPage = await callPage(accountHandler, 'GET /your-organisation/{id}', {
      who: sessions.owner,
      params: { id },
    });
    expect(ownersPage.statusCode).toBe(200);
    const text = pageText(ownersPage);
    expect(text).toContain('Your registration was not verified');
    expect(text).toContain(REASON);
    expect(text).toContain('What to do next');
    expect(ownersPage.body).toContain(`href="/your-organisation/${id}/edit"`);
    const notifications = await callPage(accountHandler, 'GET /your-organisation/{id}/notifications', {
      who: sessions.owner,
      params: { id },
    });
    expect(pageText(notifications)).toContain('See why, and what to do next');

    // Saving the details sends it back: the owners are told, and it joins the end of the queue.
    const edit = await callPage(accountHandler, 'GET /your-organisation/{id}/edit', {
      who: sessions.owner,
      params: { id },
    });
    expect(pageText(edit)).toContain('Save and send for verification');
    const current = (await profile(id)) as Profile & Record<string, unknown>;
    const saved = await callPage(accountHandler, 'POST /your-organisation/{id}/edit', {
      who: sessions.owner,
      params: { id },
      form: {
        name: 'Ebb and Flow CIO',
        legalForm: 'charitable_incorporated_organisation',
        charityNumber: uniqueDigits(7),
        sector: 'voluntary',
        size: 'small',
        regions: ['north_west', 'yorkshire_humber'],
        services: ['education_training_employment', 'attitudes_thinking_behaviour'],
        description: String(current.description ?? ''),
        'contact.name': 'Sam Patel',
        'contact.email': 'sam@secondchance.example.org',
        website: 'https://secondchance.example.org',
      },
    });
    expect(saved.statusCode).toBe(303);
    expect(saved.headers?.location).toBe(`/your-organisation/${id}?updated=resubmitted`);
    const after = await callPage(accountHandler, 'GET /your-organisation/{id}', {
      who: sessions.owner,
      params: { id },
      query: { updated: 'resubmitted' },
    });
    expect(pageText(after)).toContain('saved and sent for verification');
    expect(pageText(after)).toContain('waiting for an admin to check them again');
    const requeued = await page('GET /admin/providers', 'admin');
    expect(tableRows(requeued.body, 'queue').map((row) => row[0]?.replace(/ Corrected.*/, ''))).toEqual([
      'Firth Recovery',
      'Lough Neagh Support',
      'Ebb and Flow CIO',
    ]);
  });

  it('refuses a decision on details the owners changed after the admin opened the page', async () => {
    const id = ids[2] as string;
    const seen = await page('GET /admin/providers/{id}/verify', 'admin', { id });
    expect(seen.body).toContain('name="version" value="1"');
    await call('PATCH', `/providers/${id}`, 'owner', { description: 'Changed meanwhile.' });
    const before = await tableSnapshot();
    const stale = await page('POST /admin/providers/{id}/verify', 'admin', { id, form: { version: '1' } });
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('changed its details after you opened this page');
    expect(await tableSnapshot()).toEqual(before);
  });

  it('verifies after the confirmation page, back to the queue with a banner', async () => {
    const id = ids[2] as string;
    const confirm = await page('GET /admin/providers/{id}/verify', 'admin', { id });
    expect(confirm.statusCode).toBe(200);
    expect(confirm.body).toMatch(/<title>Verify Lough Neagh Support – /);
    expect(pageText(confirm)).toContain('list it in the public directory of providers');
    const done = await page('POST /admin/providers/{id}/verify', 'admin', { id, form: { version: '2' } });
    expect(done.statusCode).toBe(303);
    expect(done.headers?.location).toBe(`/admin/providers?verified=${id}`);
    const queue = await page('GET /admin/providers', 'admin', { query: { verified: id } });
    expect(pageText(queue)).toContain('Lough Neagh Support is verified');
    expect(tableRows(queue.body, 'queue').map((row) => row[0])).not.toContain('Lough Neagh Support');
    expect(await profile(id)).toMatchObject({ status: 'verified' });
    // Nothing left to confirm: the pages answer 409, as the decision would.
    const again = await page('GET /admin/providers/{id}/verify', 'admin', { id });
    expect(again.statusCode).toBe(409);
    const rejectVerified = await page('GET /admin/providers/{id}/reject', 'admin', { id });
    expect(rejectVerified.statusCode).toBe(409);
    expect(rejectVerified.body).toContain('only a registration waiting for verification can be rejected');
    expect((await chain(id)).map((e) => `${e.actor} ${e.action} ${e.outcome}`)).toEqual([
      'admin provider.verify allowed',
    ]);
  });
});
