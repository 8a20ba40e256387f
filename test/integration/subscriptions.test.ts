/**
 * E-mail preferences and saved searches (issue 17) over DynamoDB Local: `GET/PUT /me/subscriptions`
 * through the local gateway (tokens, validation, the version condition deciding races, idempotent retries,
 * one user never reaching another's), and the `/your-alerts` pages through the web function (the same use
 * case; bad input shown with an error summary and nothing written; a change from a stale page refused).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handler as accountPages } from '../../functions/web/account';
import { seedAlerts } from '../../local/demo/alerts';
import { DEMO_OWNER } from '../../local/demo/providers';
import { subscriptionRepository } from '../../shared/db/repositories';
import {
  EMAIL_KIND_NAMES,
  type VersionedSubscriptions,
} from '../../shared/domain/notifications/subscriptions';
import type { HttpResult } from '../../shared/http/types';
import { startTestApi, type TestApi } from '../support/api';
import { httpEvent, lambdaContext } from '../support/events';
import { type SignedIn, signedIn } from '../support/web-session';

let api: TestApi;
const run = Math.random().toString(36).slice(2, 8);
const ALICE = `subs-alice-${run}`;
const BOB = `subs-bob-${run}`;

beforeAll(async () => {
  api = await startTestApi();
}, 60_000);

afterAll(async () => {
  await api?.stop();
});

const search = (overrides: Record<string, unknown> = {}) => ({
  regions: ['north_west'],
  services: ['accommodation'],
  frequency: 'daily',
  ...overrides,
});

async function read(sub: string): Promise<VersionedSubscriptions> {
  const response = await api.call('GET', '/me/subscriptions', { token: await api.token(sub) });
  expect(response.status).toBe(200);
  return response.body as VersionedSubscriptions;
}

async function put(sub: string, body: unknown, headers: Record<string, string> = {}) {
  return api.call('PUT', '/me/subscriptions', { token: await api.token(sub), body, headers });
}

describe('GET and PUT /me/subscriptions', () => {
  it('answers 401 without a token', async () => {
    expect((await api.call('GET', '/me/subscriptions')).status).toBe(401);
    expect((await api.call('PUT', '/me/subscriptions', { body: {} })).status).toBe(401);
  });

  it('starts at the defaults: e-mail on, every kind on, no searches, version 0', async () => {
    const fresh = await read(ALICE);
    expect(fresh).toEqual({
      version: 0,
      updatedAt: null,
      email: { enabled: true, kinds: Object.fromEntries(EMAIL_KIND_NAMES.map((kind) => [kind, true])) },
      savedSearches: [],
    });
  });

  it('saves a document, giving new searches ULIDs, and reads it back at the next version', async () => {
    const response = await put(ALICE, {
      version: 0,
      email: { enabled: true, kinds: { 'deadline-reminder': false } },
      savedSearches: [search({ suitableFor: 'vcse', minValuePence: 1_000_000, maxValuePence: 50_000_000 })],
    });
    expect(response.status, response.text).toBe(200);
    const saved = response.body as VersionedSubscriptions;
    expect(saved.version).toBe(1);
    expect(saved.savedSearches[0]?.id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(saved.email.kinds['deadline-reminder']).toBe(false);
    expect(saved.email.kinds.award).toBe(true);
    expect(await read(ALICE)).toEqual(saved);
  });

  it('refuses a change from a version that is no longer current (409), changing nothing', async () => {
    const before = await read(ALICE);
    const stale = await put(ALICE, { version: 0, email: { enabled: false }, savedSearches: [] });
    expect(stale.status).toBe(409);
    expect((stale.body as { type: string }).type).toBe('/problems/conflict');
    expect(await read(ALICE)).toEqual(before);
  });

  it('lets exactly one of two changes made from the same version win', async () => {
    const { version, savedSearches } = await read(ALICE);
    const [first, second] = await Promise.all([
      put(ALICE, {
        version,
        email: { enabled: true },
        savedSearches: [...savedSearches, search({ regions: ['wales'] })],
      }),
      put(ALICE, {
        version,
        email: { enabled: true },
        savedSearches: [...savedSearches, search({ regions: ['london'] })],
      }),
    ]);
    expect([first.status, second.status].sort()).toEqual([200, 409]);
    const after = await read(ALICE);
    expect(after.version).toBe(version + 1);
    expect(after.savedSearches).toHaveLength(savedSearches.length + 1);
  });

  it('answers a retry with the same Idempotency-Key with the first response, not a conflict', async () => {
    const { version, savedSearches } = await read(ALICE);
    const body = {
      version,
      email: { enabled: true },
      savedSearches: savedSearches.map(({ id }) => ({ id, ...search() })),
    };
    const headers = { 'idempotency-key': `retry-${run}` };
    const first = await put(ALICE, body, headers);
    const retry = await put(ALICE, body, headers);
    expect(first.status).toBe(200);
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual(first.body);
  });

  it.each([
    [
      'an unknown kind',
      { email: { enabled: true, kinds: { newsletter: true } }, savedSearches: [] },
      'email.kinds',
    ],
    [
      '21 searches',
      { email: { enabled: true }, savedSearches: Array.from({ length: 21 }, () => search()) },
      'savedSearches',
    ],
    [
      'min above max',
      { email: { enabled: true }, savedSearches: [search({ minValuePence: 5, maxValuePence: 4 })] },
      'savedSearches.0.maxValuePence',
    ],
    [
      'fractional pence',
      { email: { enabled: true }, savedSearches: [search({ minValuePence: 0.5 })] },
      'savedSearches.0.minValuePence',
    ],
    [
      'an unknown region',
      { email: { enabled: true }, savedSearches: [search({ regions: ['mars'] })] },
      'savedSearches.0.regions.0',
    ],
  ])('refuses %s (400, naming the field), writing nothing', async (_name, change, path) => {
    const before = await read(ALICE);
    const response = await put(ALICE, { version: before.version, ...change });
    expect(response.status).toBe(400);
    const problem = response.body as { type: string; errors: { path: string }[] };
    expect(problem.type).toBe('/problems/validation');
    expect(problem.errors.map((e) => e.path)).toContain(path);
    expect(await read(ALICE)).toEqual(before);
  });

  it('never reaches another user’s searches: another user’s id is refused as unknown', async () => {
    const alices = await read(ALICE);
    const theirs = alices.savedSearches[0]?.id as string;
    const response = await put(BOB, {
      version: 0,
      email: { enabled: true },
      savedSearches: [search({ id: theirs })],
    });
    expect(response.status).toBe(400);
    expect((response.body as { errors: { path: string }[] }).errors[0]?.path).toBe('savedSearches.0.id');
    expect((await read(BOB)).savedSearches).toEqual([]);
    expect(await read(ALICE)).toEqual(alices);
  });
});

/** Calls the account web function for one page route. */
async function page(
  routeKey: string,
  who: SignedIn,
  options: { form?: URLSearchParams; query?: Record<string, string> } = {},
): Promise<HttpResult> {
  const [method = 'GET', path = '/'] = routeKey.split(' ');
  const headers: Record<string, string> = { cookie: who.cookie };
  let body: string | undefined;
  if (method === 'POST') {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    const fields = new URLSearchParams(options.form);
    fields.set('csrfToken', who.session.csrf);
    body = fields.toString();
  }
  return accountPages(
    httpEvent({
      routeKey,
      method,
      path,
      headers,
      ...(body !== undefined ? { body } : {}),
      ...(options.query ? { query: options.query } : {}),
    }),
    lambdaContext(),
  );
}

const textOf = (result: HttpResult) =>
  String(result.body ?? '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;|&rsquo;|’/g, "'")
    .replace(/\s+/g, ' ');

describe('the /your-alerts pages', () => {
  const CAROL = `subs-carol-${run}`;
  let carol: SignedIn;

  beforeAll(async () => {
    carol = await signedIn(CAROL, { email: `${CAROL}@example.org` });
  });

  const searchForm = (fields: Record<string, string | string[]>) => {
    const form = new URLSearchParams();
    for (const [name, value] of Object.entries(fields))
      for (const one of Array.isArray(value) ? value : [value]) form.append(name, one);
    return form;
  };

  it('adds a saved search, with pounds turned into pence exactly', async () => {
    const result = await page('POST /your-alerts/search', carol, {
      form: searchForm({
        version: '0',
        id: '',
        regions: ['london', 'national'],
        services: ['health', 'drugs_alcohol'],
        suitableFor: 'sme',
        minValue: '1.15',
        maxValue: '£250,000.50',
        frequency: 'immediate',
      }),
    });
    expect(result.statusCode, textOf(result)).toBe(303);
    expect(result.headers?.location).toBe('/your-alerts?saved=search');
    const stored = await subscriptionRepository().get(CAROL);
    expect(stored.savedSearches).toEqual([
      {
        id: expect.stringMatching(/^[0-9A-HJKMNP-TV-Z]{26}$/),
        regions: ['london', 'national'],
        services: ['health', 'drugs_alcohol'],
        suitableFor: 'sme',
        minValuePence: 115,
        maxValuePence: 25_000_050,
        frequency: 'immediate',
      },
    ]);
    const list = await page('GET /your-alerts', carol, { query: { saved: 'search' } });
    expect(list.statusCode).toBe(200);
    expect(textOf(list)).toContain('Your saved search has been saved');
    expect(textOf(list)).toContain('£1.15 to £250,000.50');
    expect(textOf(list)).toContain('London, National');
  });

  it('shows every problem with the search in an error summary and writes nothing', async () => {
    const before = await subscriptionRepository().get(CAROL);
    const result = await page('POST /your-alerts/search', carol, {
      form: searchForm({
        version: String(before.version),
        id: '',
        suitableFor: 'any',
        minValue: '12.345',
        maxValue: '10',
        frequency: '',
      }),
    });
    expect(result.statusCode).toBe(400);
    const text = textOf(result);
    expect(text).toContain('There is a problem');
    expect(text).toContain('Choose at least one region, or national');
    expect(text).toContain('Choose at least one service');
    expect(text).toContain('Lowest value: Enter an amount in pounds');
    expect(text).toContain('Choose how often to get e-mails');
    expect(String(result.body)).toContain('href="#regions"');
    expect(String(result.body)).toContain('value="12.345"');
    expect(await subscriptionRepository().get(CAROL)).toEqual(before);
  });

  it('refuses an inverted value range against the highest value', async () => {
    const before = await subscriptionRepository().get(CAROL);
    const result = await page('POST /your-alerts/search', carol, {
      form: searchForm({
        version: String(before.version),
        id: '',
        regions: 'wales',
        services: 'health',
        suitableFor: 'any',
        minValue: '100',
        maxValue: '99.99',
        frequency: 'daily',
      }),
    });
    expect(result.statusCode).toBe(400);
    expect(String(result.body)).toContain('href="#maxValue"');
    expect(await subscriptionRepository().get(CAROL)).toEqual(before);
  });

  it('refuses a change from a page opened before another change (409), keeping the other change', async () => {
    const before = await subscriptionRepository().get(CAROL);
    const result = await page('POST /your-alerts', carol, {
      form: searchForm({ version: String(before.version - 1), enabled: 'no', kinds: 'award' }),
    });
    expect(result.statusCode).toBe(409);
    expect(textOf(result)).toContain('Your alerts changed since you opened this page');
    expect(await subscriptionRepository().get(CAROL)).toEqual(before);
  });

  it('saves the e-mail switches: unticked kinds off', async () => {
    const before = await subscriptionRepository().get(CAROL);
    const result = await page('POST /your-alerts', carol, {
      form: searchForm({ version: String(before.version), enabled: 'yes', kinds: ['award', 'saved-search'] }),
    });
    expect(result.statusCode).toBe(303);
    const after = await subscriptionRepository().get(CAROL);
    expect(
      Object.entries(after.email.kinds)
        .filter(([, on]) => on)
        .map(([kind]) => kind)
        .sort(),
    ).toEqual(['award', 'saved-search']);
    expect(after.savedSearches).toEqual(before.savedSearches);
  });

  it('changes and removes a search from the forms the list links to', async () => {
    const before = await subscriptionRepository().get(CAROL);
    const id = before.savedSearches[0]?.id as string;
    const form = await page('GET /your-alerts/search', carol, { query: { id } });
    expect(form.statusCode).toBe(200);
    expect(String(form.body)).toContain(`name="id" value="${id}"`);
    expect(String(form.body)).toContain('value="250000.50"');

    const changed = await page('POST /your-alerts/search', carol, {
      form: searchForm({
        version: String(before.version),
        id,
        regions: 'wales',
        services: 'health',
        suitableFor: 'any',
        minValue: '',
        maxValue: '',
        frequency: 'daily',
      }),
    });
    expect(changed.statusCode).toBe(303);
    const middle = await subscriptionRepository().get(CAROL);
    expect(middle.savedSearches).toEqual([
      { id, regions: ['wales'], services: ['health'], frequency: 'daily' },
    ]);

    const removed = await page('POST /your-alerts/search/remove', carol, {
      form: searchForm({ version: String(middle.version), id }),
    });
    expect(removed.statusCode).toBe(303);
    expect(removed.headers?.location).toBe('/your-alerts?saved=removed');
    expect((await subscriptionRepository().get(CAROL)).savedSearches).toEqual([]);

    // The "Change" link of the removed search (another tab still showing it) says what happened.
    const stale = await page('GET /your-alerts/search', carol, { query: { id } });
    expect(stale.statusCode).toBe(303);
    expect(stale.headers?.location).toBe('/your-alerts?saved=missing');
    const list = await page('GET /your-alerts', carol, { query: { saved: 'missing' } });
    expect(String(list.body)).toContain('That saved search no longer exists');
    expect(String(list.body)).not.toContain('govuk-notification-banner--success');
  });

  it('refuses a form without the session’s CSRF token', async () => {
    const before = await subscriptionRepository().get(CAROL);
    const result = await accountPages(
      httpEvent({
        routeKey: 'POST /your-alerts',
        method: 'POST',
        path: '/your-alerts',
        headers: { cookie: carol.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: `version=${before.version}&enabled=no`,
      }),
      lambdaContext(),
    );
    expect(result.statusCode).toBe(403);
    expect(await subscriptionRepository().get(CAROL)).toEqual(before);
  });

  it('sends an anonymous visitor to sign in', async () => {
    const result = await accountPages(
      httpEvent({
        routeKey: 'GET /your-alerts',
        method: 'GET',
        path: '/your-alerts',
        headers: { accept: 'text/html' },
      }),
      lambdaContext(),
    );
    expect([302, 303]).toContain(result.statusCode);
  });
});

describe('the demo data', () => {
  it('gives demo-owner a saved search, as the README’s tour shows', async () => {
    expect(await seedAlerts()).toMatch(/1 saved search/);
    const owner = await read(DEMO_OWNER);
    expect(owner.version).toBe(1);
    expect(owner.email.kinds['deadline-reminder']).toBe(false);
    expect(owner.savedSearches).toEqual([
      {
        id: expect.stringMatching(/^[0-9A-HJKMNP-TV-Z]{26}$/),
        regions: ['north_west', 'national'],
        services: ['accommodation', 'education_training_employment'],
        minValuePence: 1_000_000,
        frequency: 'immediate',
      },
    ]);
  });
});
