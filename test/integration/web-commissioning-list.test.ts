/**
 * "Your competitions" (`/commissioning`) and "Create a competition" (`/commissioning/new/{step}`) through
 * the commissioning web function's handler over DynamoDB Local: the list shows what the user leads or sits
 * on the panel of with the right status (every competition for an auditor), a provider gets the 403 page;
 * the question pages keep their answers beside the session (a 10,000-character description goes through
 * every page; only that session reads them; they go at creation and sign-out and expire with the session;
 * they are bounded), re-render errors with the summary and what was typed, and create a draft equal to
 * what `POST /competitions` creates from the same answers; a form
 * without the CSRF token creates nothing.
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handler } from '../../functions/web/commissioning';
import { handler as signInHandler } from '../../functions/web/sign-in';
import { config } from '../../shared/config';
import { documentClient } from '../../shared/db/client';
import { sessionKeys } from '../../shared/db/keys';
import { encodeCursor } from '../../shared/db/pagination';
import { repositories, sessionDraftRepository } from '../../shared/db/repositories';
import { UnauthenticatedError } from '../../shared/domain/errors';
import type { Group, UserPrincipal } from '../../shared/domain/principal';
import { DraftTooLargeError, MAX_DRAFT_BYTES } from '../../shared/domain/sessions';
import type { HttpResult } from '../../shared/http/types';
import { createCompetition } from '../../shared/use-cases/competitions/create-competition';
import { publishCompetition } from '../../shared/use-cases/competitions/publish-competition';
import { setPanel } from '../../shared/use-cases/competitions/wall-management';
import { loadDraft, saveDraft } from '../../shared/use-cases/sessions/drafts';
import { startTestApi, type TestApi } from '../support/api';
import { competitionBody } from '../support/competitions';
import { httpEvent, lambdaContext } from '../support/events';
import { tableSnapshots } from '../support/table-snapshot';
import { type SignedIn, signedIn } from '../support/web-session';

const run = ulid().slice(-8).toLowerCase();
const sub = (name: string) => `${name}-${run}`;
const principal = (name: string, groups: Group[] = ['commissioner']): UserPrincipal => ({
  kind: 'user',
  sub: sub(name),
  email: undefined,
  groups,
});

let api: TestApi;
let ledId: string;
let panelId: string;
let othersId: string;

beforeAll(async () => {
  // The JSON route, to compare what the question pages create with what the API creates.
  api = await startTestApi();
  const rules = config().rules;
  const lead = principal('lead');
  ledId = (
    await createCompetition(
      repositories(),
      lead,
      competitionBody({ title: 'Led draft <script>' }) as never,
      new Date(),
      rules,
    )
  ).id;
  const other = principal('other-lead');
  panelId = (
    await createCompetition(
      repositories(),
      other,
      competitionBody({ title: 'Sat on as evaluator' }) as never,
      new Date(),
      rules,
    )
  ).id;
  await setPanel(
    repositories(),
    other,
    panelId,
    { evaluators: [sub('lead'), sub('e2')], moderator: sub('mod') },
    new Date(),
    rules.evaluation,
  );
  await publishCompetition(repositories(), other, panelId, new Date(), rules);
  othersId = (
    await createCompetition(
      repositories(),
      principal('stranger'),
      competitionBody({ title: 'Nothing to do with the lead' }) as never,
      new Date(),
      rules,
    )
  ).id;
});

afterAll(async () => {
  await api.stop();
});

/** Calls the commissioning web function as API Gateway would. */
async function page(
  routeKey: string,
  options: {
    who?: SignedIn;
    step?: string;
    form?: Record<string, string | string[]>;
    csrf?: boolean;
    query?: Record<string, string>;
  } = {},
): Promise<HttpResult> {
  const [method = 'GET', template = '/'] = routeKey.split(' ');
  const path = template.replace('{step}', options.step ?? '');
  const headers: Record<string, string> = {};
  if (options.who) headers.cookie = options.who.cookie;
  let body: string | undefined;
  if (method === 'POST') {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    const fields = new URLSearchParams();
    for (const [name, value] of Object.entries(options.form ?? {})) {
      for (const one of Array.isArray(value) ? value : [value]) fields.append(name, one);
    }
    if (options.csrf !== false && options.who) fields.set('csrfToken', options.who.session.csrf);
    body = fields.toString();
  }
  return handler(
    httpEvent({
      routeKey,
      method,
      path,
      headers,
      ...(options.step !== undefined ? { pathParameters: { step: options.step } } : {}),
      ...(body !== undefined ? { body } : {}),
      ...(options.query ? { query: options.query } : {}),
    }),
    lambdaContext(),
  );
}

/** The page's text without tags. */
function text(result: HttpResult): string {
  return String(result.body ?? '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;|&rsquo;|’/g, "'")
    .replace(/\s+/g, ' ');
}

/** Every item in the session's partition of the sessions table (its record and its drafts). */
async function sessionItems(who: SignedIn): Promise<Record<string, unknown>[]> {
  const { Items } = await documentClient().send(
    new QueryCommand({
      TableName: config().tables.sessions,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': sessionKeys.session(who.session.id).pk },
      ConsistentRead: true,
    }),
  );
  return Items ?? [];
}

/** The answers kept for this session's "Create a competition", as the pages read them. */
function keptDraft(who: SignedIn) {
  return loadDraft({ drafts: sessionDraftRepository() }, who.session, 'newCompetition', new Date());
}

/** The table rows of the list page, as text. */
function rows(result: HttpResult): string[] {
  const tbody = /<tbody[^>]*>([\s\S]*?)<\/tbody>/.exec(String(result.body))?.[1] ?? '';
  return [...tbody.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map((m) =>
    (m[1] ?? '')
      .replace(/<[^>]+>/g, ' ')
      .replace(/\s+/g, ' ')
      .trim(),
  );
}

describe('Your competitions (/commissioning)', () => {
  it('lists what the commissioner leads and sits on the panel of, with the status, role and what is waiting', async () => {
    const lead = await signedIn(sub('lead'), { groups: ['commissioner'] });
    const result = await page('GET /commissioning', { who: lead });
    expect(result.statusCode).toBe(200);
    const body = String(result.body);
    expect(body).toContain('<title>Your competitions');
    expect(body.match(/<h1/g)).toHaveLength(1);
    expect(rows(result)).toEqual([
      'Sat on as evaluator Pre-qualification Evaluator Declare your interests',
      'Led draft &lt;script&gt; Draft Lead commissioner Choose the panel, then publish the draft',
    ]);
    expect(body).toContain(`href="/commissioning/${ledId}"`);
    expect(body).toContain(`href="/commissioning/${panelId}"`);
    expect(body).not.toContain(othersId);
    expect(body).not.toContain('<script>');
    expect(body).toContain('govuk-tag--grey');
    expect(body).toContain('href="/commissioning/new"');
    expect(text(result)).toContain('Create a competition');
  });

  it('shows auditors every competition, without the button to create one', async () => {
    const auditor = await signedIn(sub('auditor'), { groups: ['auditor'] });
    const result = await page('GET /commissioning', { who: auditor });
    expect(result.statusCode).toBe(200);
    for (const id of [ledId, panelId, othersId])
      expect(String(result.body)).toContain(`/commissioning/${id}"`);
    expect(rows(result)).toContain('Nothing to do with the lead Draft Oversight Nothing for you now');
    expect(String(result.body)).not.toContain('href="/commissioning/new"');
    expect(text(result)).toContain('Every competition, newest first');
  });

  it('gives a provider user the 403 page with the reason, and sends anonymous visitors to sign in', async () => {
    const providerUser = await signedIn(sub('provider'));
    for (const routeKey of ['GET /commissioning', 'GET /commissioning/new']) {
      const refused = await page(routeKey, { who: providerUser });
      expect(refused.statusCode, routeKey).toBe(403);
      expect(refused.headers?.['content-type']).toContain('text/html');
      expect(text(refused)).toMatch(/commissioners, auditors and admins|Only a commissioner can create/);
    }
    const step = await page('GET /commissioning/new/{step}', { who: providerUser, step: 'title' });
    expect(step.statusCode).toBe(403);
    const anonymous = await page('GET /commissioning');
    expect(anonymous.statusCode).toBe(303);
    expect(anonymous.headers?.location).toBe('/sign-in?returnTo=%2Fcommissioning');
  });

  it('pages 25 at a time with GOV.UK pagination', async () => {
    const busy = principal('busy');
    const ids: string[] = [];
    for (let i = 0; i < 26; i += 1) {
      const made = await createCompetition(
        repositories(),
        busy,
        competitionBody({ title: `Busy ${String(i).padStart(2, '0')}` }) as never,
        new Date(),
        config().rules,
      );
      ids.push(made.id);
    }
    const who = await signedIn(busy.sub, { groups: ['commissioner'] });
    const first = await page('GET /commissioning', { who });
    expect(rows(first)).toHaveLength(25);
    expect(rows(first)[0]).toContain('Busy 25');
    const next = /href="\/commissioning\?cursor=([^"]+)"/.exec(String(first.body))?.[1];
    expect(next).toBeTruthy();
    const second = await page('GET /commissioning', {
      who,
      query: { cursor: decodeURIComponent(next ?? '') },
    });
    expect(rows(second)).toHaveLength(1);
    expect(rows(second)[0]).toContain('Busy 00');
    expect(text(second)).toContain('First page');
    // Another list's cursor is refused as the route refuses it.
    const lead = await signedIn(sub('lead'), { groups: ['commissioner'] });
    const foreign = await page('GET /commissioning', {
      who: lead,
      query: { cursor: decodeURIComponent(next ?? '') },
    });
    expect(foreign.statusCode).toBe(400);
  });
});

describe('GET /me/competitions (the JSON route of the same use case)', () => {
  it('lists the same competitions, refuses providers, and answers a hostile cursor with a 400', async () => {
    const token = await api.token(sub('lead'), ['commissioner']);
    const listed = await api.call('GET', '/me/competitions?limit=10', { token });
    expect(listed.status, listed.text).toBe(200);
    const body = listed.body as {
      items: { id: string; roles: string[]; status: string }[];
      nextCursor: null;
    };
    expect(body.items.map((item) => [item.id, item.status, item.roles])).toEqual([
      [panelId, 'prequalification', ['evaluator']],
      [ledId, 'draft', ['lead']],
    ]);
    expect(body.nextCursor).toBeNull();
    const refused = await api.call('GET', '/me/competitions', { token: await api.token(sub('provider')) });
    expect(refused.status).toBe(403);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    const forged = (after: string) =>
      Buffer.from(JSON.stringify({ v: 2, s: 'x'.repeat(16), after })).toString('base64url');
    for (const cursor of ['junk!', forged('x'), 'e30', 'A'.repeat(3000)]) {
      const bad = await api.call('GET', `/me/competitions?cursor=${encodeURIComponent(cursor)}`, { token });
      expect(bad.status, cursor.slice(0, 20)).toBe(400);
      expect(bad.body).toMatchObject({ type: '/problems/validation' });
    }
    // A cursor of this very list whose sort key DynamoDB would refuse is refused first; a long one it
    // accepts reads from there.
    const scope = ['seats', sub('lead')];
    const overlong = await api.call(
      'GET',
      `/me/competitions?cursor=${encodeCursor('Z'.repeat(600), scope)}`,
      {
        token,
      },
    );
    expect(overlong.status).toBe(400);
    const long = await api.call('GET', `/me/competitions?cursor=${encodeCursor('Z'.repeat(500), scope)}`, {
      token,
    });
    expect(long.status, long.text).toBe(200);
  });
});

/** Answers every question page in order (the answers are kept beside the session). */
async function answerAll(who: SignedIn, answers: Record<string, Record<string, string | string[]>>) {
  const post = async (step: string, form: Record<string, string | string[]>) => {
    const result = await page('POST /commissioning/new/{step}', { who, step, form });
    expect(result.statusCode, `${step}: ${text(result).slice(0, 400)}`).toBe(303);
    return result;
  };
  for (const [step, form] of Object.entries(answers)) {
    if (step === 'criteria') {
      for (const criterion of form.list as string[]) {
        const [name = '', kind = '', weight = ''] = criterion.split('|');
        await post('criteria', {
          action: 'add',
          'criterion.name': name,
          'criterion.kind': kind,
          'criterion.weight': weight,
        });
      }
      await post('criteria', { action: 'continue' });
    } else {
      await post(step, form);
    }
  }
}

const ANSWERS = {
  title: { title: 'Resettlement support, Wales', description: 'Help with housing and work after release.' },
  services: { services: ['accommodation', 'education_training_employment'] },
  regions: { regions: ['wales'] },
  value: {
    estimatedValuePence: '£250,000.50',
    termMonths: '24',
    risk: 'medium',
    suitableFor: ['vcse', 'sme'],
  },
  tier: {},
  deadlines: {
    'prequalificationDeadline-day': '15',
    'prequalificationDeadline-month': '1',
    'prequalificationDeadline-year': '2030',
    'prequalificationDeadline-time': '5pm',
    'tenderDeadline-day': '1',
    'tenderDeadline-month': '7',
    'tenderDeadline-year': '2030',
    'tenderDeadline-time': 'midday',
  },
  criteria: { list: ['Quality of service|quality|55', 'Social value|quality|15', 'Price|price|30'] },
  subcontracting: {
    'subcontracting.targetPercent': '12.5',
    'subcontracting.voluntarySectorTargetPercent': '',
  },
  confidential: {
    'confidential.budgetCeilingPence': '300,000',
    'confidential.preTenderEstimatePence': '',
    'confidential.notes': 'Agreed with finance.',
  },
};

/** The same answers written as the JSON route's body, by hand (15 January 5pm GMT; 1 July midday BST). */
const JSON_BODY = {
  title: 'Resettlement support, Wales',
  description: 'Help with housing and work after release.',
  services: ['accommodation', 'education_training_employment'],
  regions: ['wales'],
  estimatedValuePence: 25_000_050,
  termMonths: 24,
  risk: 'medium',
  suitableFor: ['vcse', 'sme'],
  prequalificationDeadline: '2030-01-15T17:00:00.000Z',
  tenderDeadline: '2030-07-01T11:00:00.000Z',
  criteria: [
    { id: 'quality-of-service', name: 'Quality of service', kind: 'quality', weight: 55 },
    { id: 'social-value', name: 'Social value', kind: 'quality', weight: 15 },
    { id: 'price', name: 'Price', kind: 'price', weight: 30 },
  ],
  subcontracting: { targetPercent: 12.5 },
  confidential: { budgetCeilingPence: 30_000_000, notes: 'Agreed with finance.' },
};

describe('Create a competition (/commissioning/new/{step})', () => {
  it('starts at the first question and shows the tier that follows from value, term and risk', async () => {
    const who = await signedIn(sub('starter'), { groups: ['commissioner'] });
    const start = await page('GET /commissioning/new', { who });
    expect(start.headers?.location).toBe('/commissioning/new/title');
    const first = await page('GET /commissioning/new/{step}', { who, step: 'title' });
    expect(first.statusCode).toBe(200);
    expect(String(first.body)).toContain('name="csrfToken"');
    expect(String(first.body).match(/<h1/g)).toHaveLength(1);
    // No value yet: nothing to show on the tier page.
    expect((await page('GET /commissioning/new/{step}', { who, step: 'tier' })).headers?.location).toBe(
      '/commissioning/new/value',
    );
    const value = await page('POST /commissioning/new/{step}', {
      who,
      step: 'value',
      form: { estimatedValuePence: '1,200,000', termMonths: '72', risk: 'low' },
    });
    expect(value.headers?.location).toBe('/commissioning/new/tier');
    const tier = await page('GET /commissioning/new/{step}', { who, step: 'tier' });
    expect(tier.statusCode).toBe(200);
    const words = text(tier);
    expect(words).toContain('This contract needs full pre-qualification');
    expect(words).toContain('the estimated value, £1,200,000, is £1,000,000 or more');
    expect(words).toContain('the term, 72 months, is over 60 months');
    expect(words).toContain(
      'No pre-qualification when the estimated value is under £100,000 and the risk is low',
    );
    expect((await page('GET /commissioning/new/{step}', { who, step: 'nonsense' })).statusCode).toBe(404);
  });

  it('creates, from the answers, the same draft POST /competitions creates from the same body', async () => {
    const who = await signedIn(sub('creator'), { groups: ['commissioner'] });
    await answerAll(who, ANSWERS);
    // Nothing typed is in a cookie: the answers are kept beside the session.
    const check = await page('GET /commissioning/new/{step}', { who, step: 'check-your-answers' });
    expect(check.cookies ?? []).toEqual([]);
    expect(check.statusCode).toBe(200);
    const words = text(check);
    for (const shown of [
      'Resettlement support, Wales',
      '£250,000.50',
      '24 months',
      'Core pre-qualification',
      '15 January 2030 at 5pm',
      '1 July 2030 at midday',
      'Quality of service (quality, weight 55)',
      '12.5%',
      '£300,000',
      'Risk Medium',
      'Suitable for VCSE organisations, Small and medium-sized enterprises',
    ]) {
      expect(words).toContain(shown);
    }
    // The risk level in its own words, not the organisation size that shares its code.
    expect(words).not.toContain('50 to 249 staff');
    expect(String(check.body)).toContain(
      'href="/commissioning/new/deadlines?change=true#tenderDeadline-day"',
    );

    const created = await page('POST /commissioning/new/{step}', { who, step: 'check-your-answers' });
    expect(created.statusCode).toBe(303);
    const id = /^\/commissioning\/([0-9A-Z]{26})$/.exec(String(created.headers?.location))?.[1] ?? '';
    expect(id).not.toBe('');
    // The answers are gone; only the marker stays, so Back and Create again goes to the competition.
    expect(await keptDraft(who)).toEqual({ createdId: id });
    for (const method of ['GET', 'POST'] as const) {
      const again = await page(`${method} /commissioning/new/{step}`, { who, step: 'check-your-answers' });
      expect(again.headers?.location).toBe(`/commissioning/${id}`);
    }
    expect((await page('GET /commissioning/new/{step}', { who, step: 'title' })).body).not.toContain(
      'Resettlement',
    );

    const token = await api.token(who.session.sub, ['commissioner']);
    const viaApi = await api.call('POST', '/competitions', { token, body: JSON_BODY });
    expect(viaApi.status, viaApi.text).toBe(201);
    const apiId = (viaApi.body as { id: string }).id;
    const { competitions } = repositories();
    const comparable = async (competitionId: string) => {
      const stored = await competitions.get(competitionId);
      const { id: _id, createdAt: _c, updatedAt: _u, ...rest } = stored ?? ({} as Record<string, unknown>);
      return { ...rest, confidential: await competitions.confidential(competitionId) };
    };
    const fromPages = await comparable(id);
    expect(fromPages).toEqual(await comparable(apiId));
    expect(fromPages).toMatchObject({
      status: 'draft',
      leadSub: who.session.sub,
      prequalificationTier: 'core',
      suitableFor: ['vcse', 'sme'],
    });

    // It is the creator's: their list shows it, as a draft they lead.
    const list = await page('GET /commissioning', { who });
    expect(rows(list)).toContain(
      'Resettlement support, Wales Draft Lead commissioner Choose the panel, then publish the draft',
    );
  });

  it('shows errors in a summary and against each field, keeping what was typed', async () => {
    const who = await signedIn(sub('typo'), { groups: ['commissioner'] });
    const result = await page('POST /commissioning/new/{step}', {
      who,
      step: 'value',
      form: { estimatedValuePence: 'ten pounds', termMonths: '24', risk: '' },
    });
    expect(result.statusCode).toBe(400);
    const body = String(result.body);
    expect(body).toContain('<title>Error: Value, term and risk');
    expect(body).toContain('govuk-error-summary');
    expect(body).toContain('href="#estimatedValuePence"');
    expect(body).toContain('href="#risk"');
    expect(text(result)).toContain('Enter an amount in pounds, like 250000 or 1234.50');
    expect(text(result)).toContain('Select how risky the contract is');
    expect(body).toContain('value="ten pounds"');
    expect(body).toContain('value="24"');
    // What was typed is kept for next time too.
    const again = await page('GET /commissioning/new/{step}', { who, step: 'value' });
    expect(String(again.body)).toContain('value="ten pounds"');

    // A criterion with problems is not added, and what was typed stays in the form.
    const criterion = await page('POST /commissioning/new/{step}', {
      who,
      step: 'criteria',
      form: { action: 'add', 'criterion.name': '', 'criterion.kind': 'quality', 'criterion.weight': '140' },
    });
    expect(criterion.statusCode).toBe(400);
    expect(String(criterion.body)).toContain('href="#criterion-name"');
    expect(String(criterion.body)).toContain('value="140"');
    expect(text(criterion)).toContain('Enter the weight as a whole number from 1 to 100');
    // Weights that do not add up to 100 stop "Continue", in plain words.
    for (const [name, kind, weight] of [
      ['Quality', 'quality', '50'],
      ['Price', 'price', '40'],
    ]) {
      const added = await page('POST /commissioning/new/{step}', {
        who,
        step: 'criteria',
        form: {
          action: 'add',
          'criterion.name': name ?? '',
          'criterion.kind': kind ?? '',
          'criterion.weight': weight ?? '',
        },
      });
      expect(added.statusCode).toBe(303);
    }
    const shown = await page('GET /commissioning/new/{step}', { who, step: 'criteria' });
    expect(text(shown)).toContain('The weights add up to 90: they must add up to 100');
    const go = await page('POST /commissioning/new/{step}', {
      who,
      step: 'criteria',
      form: { action: 'continue' },
    });
    expect(go.statusCode).toBe(400);
    expect(text(go)).toContain('Weights must add up to 100 (they add up to 90)');
    // Remove takes one away.
    const removed = await page('POST /commissioning/new/{step}', {
      who,
      step: 'criteria',
      form: { action: 'remove', index: '0' },
    });
    expect(removed.statusCode).toBe(303);
    const after = await page('GET /commissioning/new/{step}', { who, step: 'criteria' });
    expect(text(after)).not.toContain('Quality, weight 50');
    expect(text(after)).toContain('Price, weight 40');

    // The check page lists what is still missing, each linking to its question.
    const check = await page('POST /commissioning/new/{step}', { who, step: 'check-your-answers' });
    expect(check.statusCode).toBe(400);
    expect(String(check.body)).toContain('href="/commissioning/new/title?change=true#title"');
    expect(String(check.body)).toContain('href="/commissioning/new/value?change=true#estimatedValuePence"');
  });

  it('keeps a 10,000-character description (and notes) through every page and creates the competition with them', async () => {
    const who = await signedIn(sub('verbose'), { groups: ['commissioner'] });
    // Text that does not compress, with characters of two and three bytes in UTF-8: far past a cookie.
    const letters = 'abcdefghijklmnopqrstuvwxyzé€0123456789';
    const random = (length: number) =>
      Array.from({ length }, () => letters[Math.floor(Math.random() * letters.length)]).join('');
    const description = `D${random(9_999)}`;
    const notes = `N${random(9_999)}`;
    expect(description).toHaveLength(10_000);
    await answerAll(who, {
      ...ANSWERS,
      title: { title: 'A long description', description },
      confidential: { ...ANSWERS.confidential, 'confidential.notes': notes },
    });
    const check = await page('GET /commissioning/new/{step}', { who, step: 'check-your-answers' });
    expect(check.statusCode).toBe(200);
    expect(String(check.body)).toContain(description.slice(0, 200));
    const created = await page('POST /commissioning/new/{step}', { who, step: 'check-your-answers' });
    expect(created.statusCode, text(created).slice(0, 400)).toBe(303);
    const id = /^\/commissioning\/([0-9A-Z]{26})$/.exec(String(created.headers?.location))?.[1] ?? '';
    const stored = await repositories().competitions.get(id);
    expect(stored?.description).toBe(description);
    expect((await repositories().competitions.confidential(id))?.notes).toBe(notes);
    // The answers went when the competition was created: only the marker of its id is kept.
    expect(await keptDraft(who)).toEqual({ createdId: id });
  });

  it('keeps no more than the bound, and nothing of an answer longer than the API accepts', async () => {
    const who = await signedIn(sub('too-long'), { groups: ['commissioner'] });
    const kept = await page('POST /commissioning/new/{step}', {
      who,
      step: 'title',
      form: { title: 'Kept', description: 'Short' },
    });
    expect(kept.statusCode).toBe(303);
    // 10,001 characters: the API's own limit, said against the field; the page keeps what was typed.
    const over = await page('POST /commissioning/new/{step}', {
      who,
      step: 'title',
      form: { title: 'Kept', description: 'x'.repeat(10_001) },
    });
    expect(over.statusCode).toBe(400);
    expect(String(over.body)).toContain('href="#description"');
    expect(text(over)).toMatch(/10,000 characters|10000 characters/);
    // What was typed is kept to correct, as any answer with a problem is.
    const typed = (await keptDraft(who)) as { description?: string };
    expect(typed.description).toHaveLength(10_001);
    // Past the bound (a form may carry up to 1 MB): the page says so, and what was kept stays as it was.
    const huge = await page('POST /commissioning/new/{step}', {
      who,
      step: 'title',
      form: { title: 'Huge', description: 'x'.repeat(MAX_DRAFT_BYTES + 1) },
    });
    expect(huge.statusCode).toBe(400);
    expect(String(huge.body)).toContain('href="#description"');
    const after = (await keptDraft(who)) as { title?: string; description?: string };
    expect(after.title).toBe('Kept');
    expect(after.description).toHaveLength(10_001);
    // The use case refuses it itself, whoever calls it.
    await expect(
      saveDraft(
        { drafts: sessionDraftRepository() },
        who.session,
        'newCompetition',
        { description: 'x'.repeat(MAX_DRAFT_BYTES) },
        new Date(),
      ),
    ).rejects.toBeInstanceOf(DraftTooLargeError);
    expect(((await keptDraft(who)) as { title?: string }).title).toBe('Kept');
  });

  it('lets only the session that typed the answers read them, and only until that session ends', async () => {
    const who = await signedIn(sub('shared-desk'), { groups: ['commissioner'] });
    const typed = await page('POST /commissioning/new/{step}', {
      who,
      step: 'title',
      form: { title: 'Secret plans', description: 'Only mine' },
    });
    expect(typed.statusCode).toBe(303);
    expect(String((await page('GET /commissioning/new/{step}', { who, step: 'title' })).body)).toContain(
      'Secret plans',
    );
    // The same user in another browser, and another commissioner: neither sees them.
    const sameUserElsewhere = await signedIn(sub('shared-desk'), { groups: ['commissioner'] });
    const colleague = await signedIn(sub('colleague'), { groups: ['commissioner'] });
    for (const other of [sameUserElsewhere, colleague]) {
      const seen = await page('GET /commissioning/new/{step}', { who: other, step: 'title' });
      expect(seen.statusCode).toBe(200);
      expect(String(seen.body)).not.toContain('Secret plans');
      expect(await keptDraft(other)).toBeUndefined();
    }
    // The draft expires with the session: its TTL is the session's, and after the session's end it reads
    // as nothing even before TTL removes it.
    const items = await sessionItems(who);
    expect(items.map((item) => item.sk).sort()).toEqual(['DRAFT#newCompetition', 'SESSION']);
    const [draft, session] = [items.find((i) => i.sk !== 'SESSION'), items.find((i) => i.sk === 'SESSION')];
    expect(draft?.ttl).toBe(session?.ttl);
    expect(JSON.stringify(draft)).not.toContain('Secret plans');
    const later = new Date(Date.parse(who.session.expiresAt) + 1000);
    expect(
      await loadDraft({ drafts: sessionDraftRepository() }, who.session, 'newCompetition', later),
    ).toBeUndefined();
  });

  it('leaves nothing of the session or its answers after sign-out, and keeps nothing for an ended session', async () => {
    const who = await signedIn(sub('leaving'), { groups: ['commissioner'] });
    await answerAll(who, { title: ANSWERS.title, confidential: ANSWERS.confidential });
    expect(await keptDraft(who)).toMatchObject({ notes: 'Agreed with finance.' });
    const out = await signInHandler(
      httpEvent({
        routeKey: 'POST /sign-out',
        method: 'POST',
        path: '/sign-out',
        headers: { cookie: who.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ csrfToken: who.session.csrf }).toString(),
      }),
      lambdaContext(),
    );
    expect(out.statusCode).toBe(303);
    expect(await sessionItems(who)).toEqual([]);
    // A page posted from a tab still open keeps nothing: the session is gone.
    const late = await page('POST /commissioning/new/{step}', {
      who,
      step: 'title',
      form: { title: 'Too late', description: 'After sign-out' },
    });
    expect(late.statusCode).toBe(303);
    expect(late.headers?.location).toMatch(/^\/sign-in/);
    await expect(
      saveDraft(
        { drafts: sessionDraftRepository() },
        who.session,
        'newCompetition',
        { title: 'Too late' },
        new Date(),
      ),
    ).rejects.toBeInstanceOf(UnauthenticatedError);
    expect(await sessionItems(who)).toEqual([]);
  });

  it('gives every question page one h1, a title of its own, a back link and the CSRF token', async () => {
    const who = await signedIn(sub('visitor'), { groups: ['commissioner'] });
    await answerAll(who, ANSWERS);
    const titles = new Set<string>();
    for (const step of [...Object.keys(ANSWERS), 'check-your-answers']) {
      const result = await page('GET /commissioning/new/{step}', { who, step });
      expect(result.statusCode, step).toBe(200);
      const body = String(result.body);
      expect(body.match(/<h1/g), step).toHaveLength(1);
      expect(body, step).toContain('govuk-back-link');
      expect(body, step).toContain(`name="csrfToken" value="${who.session.csrf}"`);
      titles.add(/<title>([^<]*)<\/title>/.exec(body)?.[1] ?? '');
    }
    expect(titles.size).toBe(Object.keys(ANSWERS).length + 1);
  });

  it('refuses a form without the CSRF token and creates nothing', async () => {
    const who = await signedIn(sub('forged'), { groups: ['commissioner'] });
    await answerAll(who, ANSWERS);
    const snapshots = tableSnapshots();
    try {
      const tables = ['procurement', 'sealed', 'audit', 'registry'] as const;
      const before = await snapshots.take(tables);
      for (const csrf of [false, 'guessed'] as const) {
        const result = await page('POST /commissioning/new/{step}', {
          who,
          step: 'check-your-answers',
          csrf: false,
          ...(csrf ? { form: { csrfToken: csrf } } : {}),
        });
        expect(result.statusCode).toBe(403);
        expect(text(result)).toContain('did not come from this service');
      }
      expect(snapshots.diff(before, await snapshots.take(tables))).toEqual({
        added: [],
        removed: [],
        changed: [],
      });
      expect((await repositories().competitions.seats(who.session.sub, { limit: 5 })).items).toEqual([]);
    } finally {
      snapshots.close();
    }
  });
});
