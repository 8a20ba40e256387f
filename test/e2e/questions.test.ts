/**
 * Clarification questions over HTTP (issue 15), against DynamoDB Local: asking before and after the
 * clarification deadline, answering to all and to the asker alone, the asker's notification, the audit
 * trail, paging – and the clarification log never showing who asked to anyone but the declared insiders
 * and the asking organisation's own members (not an outsider, another bidder, an undeclared or excluded
 * panel member, an auditor, or the anonymous public).
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { config } from '../../shared/config';
import { documentClient } from '../../shared/db/client';
import { sealedKeys } from '../../shared/db/keys';
import { startTestApi, type TestApi } from '../support/api';
import { competitionBody } from '../support/competitions';
import { charityRegistration } from '../support/fixtures';
import { joinOrganisation } from '../support/members';

const DAY = 24 * 3600 * 1000;
const inDays = (days: number) => new Date(Date.now() + days * DAY).toISOString();

let api: TestApi;
const tokens: Record<string, string> = {};
let competitionId: string;
let askerId: string;
const ASKER_NAME = 'Asking Charity of Wigan';
const ASKED = {
  q1: 'We are Asking Charity of Wigan: may we deliver from our Wigan office?',
  q2: 'Our Wigan trustees want to know whether our 2019 audit qualification matters.',
  q3: 'Is TUPE expected to apply to the current staff?',
  q4: 'Will there be a bidders’ day?',
};
const ids: Record<string, string> = {};

const call = (
  method: string,
  path: string,
  who: string | undefined,
  body?: unknown,
  headers?: Record<string, string>,
) =>
  api.call(method, path, {
    ...(who ? { token: tokens[who] ?? '' } : {}),
    ...(body !== undefined ? { body } : {}),
    ...(headers ? { headers } : {}),
  });

/** A tier-none competition (no pre-qualification) closing for tenders in `days`, published by `lead`. */
async function publishedCompetition(days: number): Promise<string> {
  const created = await call(
    'POST',
    '/competitions',
    'lead',
    competitionBody({
      estimatedValuePence: 50_000_00,
      termMonths: 12,
      risk: 'low',
      prequalificationDeadline: undefined,
      tenderDeadline: inDays(days),
    }),
  );
  expect(created.status, created.text).toBe(201);
  const id = (created.body as { id: string }).id;
  expect((await call('POST', `/competitions/${id}/publish`, 'lead')).status).toBe(200);
  return id;
}

async function register(owner: string, name: string, verify = true): Promise<string> {
  const registered = await call('POST', '/providers', owner, charityRegistration({ name }));
  expect(registered.status, registered.text).toBe(201);
  const id = (registered.body as { id: string }).id;
  if (verify) expect((await call('POST', `/providers/${id}/verify`, 'admin')).status).toBe(200);
  return id;
}

beforeAll(async () => {
  api = await startTestApi();
  for (const [sub, groups] of [
    ['lead', ['commissioner']],
    ['eval', ['commissioner']],
    ['eval-undeclared', ['commissioner']],
    ['mod', ['commissioner']],
    ['outsider', ['commissioner']],
    ['excluded', ['commissioner']],
    ['asker-owner', []],
    ['asker-member', []],
    ['rival', []],
    ['pending-owner', []],
    ['nobody', []],
    ['admin', ['admin']],
    ['auditor', ['auditor']],
  ] as const) {
    tokens[sub] = await api.token(sub, [...groups]);
  }
  askerId = await register('asker-owner', ASKER_NAME);
  await joinOrganisation(api, askerId, tokens['asker-owner'] as string, {
    sub: 'asker-member',
    token: tokens['asker-member'] as string,
  });
  await register('rival', 'Rival Rehabilitation Ltd');
  await register('pending-owner', 'Not Yet Verified', false);
  competitionId = await publishedCompetition(10);
  const panel = await call('PUT', `/competitions/${competitionId}/panel`, 'lead', {
    evaluators: ['eval', 'eval-undeclared'],
    moderator: 'mod',
  });
  expect(panel.status, panel.text).toBe(200);
  for (const sub of ['lead', 'eval', 'mod'])
    expect(
      (await call('POST', `/competitions/${competitionId}/declarations`, sub, { conflicts: [] })).status,
    ).toBe(201);
  const excluded = await call('POST', `/competitions/${competitionId}/wall/exclusions`, 'lead', {
    sub: 'excluded',
    reason: 'Helped the in-house team prepare its bid',
  });
  expect(excluded.status, excluded.text).toBe(201);
});

afterAll(async () => {
  await api.stop();
});

describe('the clarification deadline', () => {
  it('is on the competition: 5 days before the current deadline', async () => {
    const competition = (await call('GET', `/competitions/${competitionId}`, undefined)).body as {
      tenderDeadline: string;
      clarificationDeadline: string;
    };
    expect(Date.parse(competition.tenderDeadline) - Date.parse(competition.clarificationDeadline)).toBe(
      5 * DAY,
    );
  });
});

describe('asking', () => {
  it('needs a signed-in member of a verified provider', async () => {
    const body = { question: 'Anything?' };
    expect((await call('POST', `/competitions/${competitionId}/questions`, undefined, body)).status).toBe(
      401,
    );
    const noOrganisation = await call('POST', `/competitions/${competitionId}/questions`, 'nobody', body);
    expect(noOrganisation.status).toBe(403);
    const unverified = await call('POST', `/competitions/${competitionId}/questions`, 'pending-owner', body);
    expect(unverified.status).toBe(403);
    const notMine = await call('POST', `/competitions/${competitionId}/questions`, 'rival', {
      ...body,
      providerId: askerId,
    });
    expect(notMine.status).toBe(403);
  });

  it('refuses bad input with every problem listed, and changes nothing', async () => {
    const response = await call('POST', `/competitions/${competitionId}/questions`, 'asker-member', {
      question: 'x'.repeat(2001),
      providerId: 'not-an-id',
      extra: true,
    });
    expect(response.status).toBe(400);
    const paths = (response.body as { errors: { path: string }[] }).errors.map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['question', 'providerId']));
    const blank = await call('POST', `/competitions/${competitionId}/questions`, 'asker-member', {
      question: '  ',
    });
    expect(blank.status).toBe(400);
  });

  it('takes questions from a member before the deadline, idempotently', async () => {
    const headers = { 'idempotency-key': `ask-${competitionId}` };
    const first = await call(
      'POST',
      `/competitions/${competitionId}/questions`,
      'asker-member',
      { question: ASKED.q1 },
      headers,
    );
    expect(first.status, first.text).toBe(201);
    expect(first.body).toMatchObject({ status: 'asked' });
    const replay = await call(
      'POST',
      `/competitions/${competitionId}/questions`,
      'asker-member',
      { question: ASKED.q1 },
      headers,
    );
    expect(replay.status).toBe(201);
    expect(replay.body).toEqual(first.body);
    ids.q1 = (first.body as { id: string }).id;
    for (const key of ['q2', 'q3', 'q4'] as const) {
      const asked = await call('POST', `/competitions/${competitionId}/questions`, 'asker-owner', {
        question: ASKED[key],
        providerId: askerId,
      });
      expect(asked.status, asked.text).toBe(201);
      ids[key] = (asked.body as { id: string }).id;
    }
    const inside = await call('GET', `/competitions/${competitionId}/questions`, 'lead');
    expect((inside.body as { items: unknown[] }).items).toHaveLength(4);
  });

  it('does not connect the asking organisation to the competition', async () => {
    const marker = await documentClient().send(
      new GetCommand({
        TableName: config().tables.sealed,
        Key: sealedKeys.connected(competitionId, askerId),
      }),
    );
    expect(marker.Item).toBeUndefined();
  });

  it('refuses questions after the clarification deadline with /problems/deadline-passed', async () => {
    const late = await publishedCompetition(3);
    const response = await call('POST', `/competitions/${late}/questions`, 'asker-member', {
      question: 'Too late?',
    });
    expect(response.status).toBe(409);
    expect(response.body).toMatchObject({ type: '/problems/deadline-passed' });
  });

  it('does not take questions on a draft (it does not exist for the asker)', async () => {
    const draft = await call('POST', '/competitions', 'lead', competitionBody());
    const id = (draft.body as { id: string }).id;
    expect(
      (await call('POST', `/competitions/${id}/questions`, 'asker-member', { question: 'Hello?' })).status,
    ).toBe(404);
    expect((await call('GET', `/competitions/${id}/questions`, undefined)).status).toBe(404);
  });
});

describe('answering', () => {
  const answer = (who: string, key: string, body: unknown) =>
    call('POST', `/competitions/${competitionId}/questions/${ids[key]}/answer`, who, body);

  it('is for the declared lead alone', async () => {
    const body = { answer: 'Yes.', audience: 'all' };
    expect((await answer('eval', 'q1', body)).status).toBe(403);
    expect((await answer('outsider', 'q1', body)).status).toBe(403);
    expect((await answer('rival', 'q1', body)).status).toBe(403);
    const excluded = await answer('excluded', 'q1', body);
    expect(excluded.status).toBe(403);
    expect(excluded.body).toMatchObject({ type: '/problems/ethical-wall' });
  });

  it('publishes an answer to all with the edited wording, and answers privately', async () => {
    const published = await answer('lead', 'q1', {
      answer: 'Yes, if the premises meet the accessibility standards in the specification.',
      publishedQuestion: 'May a bidder deliver the service from premises it already has?',
      audience: 'all',
    });
    expect(published.status, published.text).toBe(200);
    expect(published.body).toMatchObject({
      status: 'answered',
      audience: 'all',
      question: 'May a bidder deliver the service from premises it already has?',
      askedQuestion: ASKED.q1,
      askedBy: { providerId: askerId, providerName: ASKER_NAME },
    });
    const privately = await answer('lead', 'q2', { answer: 'No, it does not.', audience: 'asker' });
    expect(privately.status, privately.text).toBe(200);
    expect(privately.body).toMatchObject({ audience: 'asker', status: 'answered' });
    const third = await answer('lead', 'q3', { answer: 'Yes: see schedule 7.', audience: 'all' });
    expect(third.status).toBe(200);
  });

  it('refuses a second answer, a published wording with a private answer, and an unknown question', async () => {
    const again = await answer('lead', 'q1', { answer: 'Changed my mind.', audience: 'all' });
    expect(again.status).toBe(409);
    const wording = await answer('lead', 'q4', { answer: 'x', audience: 'asker', publishedQuestion: 'y' });
    expect(wording.status).toBe(400);
    expect((wording.body as { errors: { path: string }[] }).errors.map((e) => e.path)).toContain(
      'publishedQuestion',
    );
    const missing = await call(
      'POST',
      `/competitions/${competitionId}/questions/01JD0000000000000000000000/answer`,
      'lead',
      { answer: 'x', audience: 'all' },
    );
    expect(missing.status).toBe(404);
  });

  it('tells the asking organisation', async () => {
    const inbox = await call('GET', '/me/notifications', 'asker-owner');
    const answered = (
      inbox.body as { items: { type: string; providerId: string; link: string }[] }
    ).items.filter((n) => n.type === 'question-answered');
    expect(answered).toHaveLength(3);
    for (const n of answered)
      expect(n).toMatchObject({ providerId: askerId, link: `/competitions/${competitionId}/questions` });
    const rivalInbox = await call('GET', '/me/notifications', 'rival');
    expect(JSON.stringify(rivalInbox.body)).not.toContain('question-answered');
  });
});

describe('the clarification log', () => {
  type Item = { id: string; question: string; answer?: string; askedBy?: unknown; status?: string };
  const log = async (who: string | undefined, query = '') => {
    const response = await call('GET', `/competitions/${competitionId}/questions${query}`, who);
    expect(response.status, response.text).toBe(200);
    return { text: response.text, items: (response.body as { items: Item[] }).items };
  };

  it.each([
    ['anonymous', undefined],
    ['another bidder', 'rival'],
    ['an outsider commissioner', 'outsider'],
    ['an undeclared panel member', 'eval-undeclared'],
    ['an excluded person', 'excluded'],
    ['an auditor', 'auditor'],
    ['someone with no organisation', 'nobody'],
  ])('shows %s the published answers only, in order, never who asked', async (_who, sub) => {
    const { text, items } = await log(sub);
    expect(items.map((i) => i.id)).toEqual([ids.q1, ids.q3]);
    expect(items[0]).toEqual({
      id: ids.q1,
      question: 'May a bidder deliver the service from premises it already has?',
      answer: 'Yes, if the premises meet the accessibility standards in the specification.',
      answeredAt: expect.any(String),
    });
    for (const secret of [askerId, ASKER_NAME, 'Wigan', 'asker-member', 'asker-owner', ASKED.q4, 'askedAt'])
      expect(text).not.toContain(secret);
  });

  it.each([['asker-member'], ['asker-owner']])(
    "shows the asker's member %s their own questions too: unanswered and private",
    async (sub) => {
      const { items } = await log(sub);
      expect(new Set(items.map((i) => i.id))).toEqual(new Set([ids.q1, ids.q2, ids.q3, ids.q4]));
      expect(items.find((i) => i.id === ids.q2)).toMatchObject({
        answer: 'No, it does not.',
        status: 'answered',
      });
      expect(items.find((i) => i.id === ids.q4)).toMatchObject({ question: ASKED.q4, status: 'asked' });
      expect(items.find((i) => i.id === ids.q1)).toMatchObject({ askedQuestion: ASKED.q1 });
    },
  );

  it.each([['lead'], ['eval'], ['mod']])(
    'shows the declared insider %s every question with who asked',
    async (sub) => {
      const { items } = await log(sub);
      expect(items.map((i) => i.id)).toEqual([ids.q1, ids.q2, ids.q3, ids.q4]);
      for (const item of items)
        expect(item.askedBy).toEqual({ providerId: askerId, providerName: ASKER_NAME });
    },
  );

  it('pages with the cursor, and refuses a cursor from another view', async () => {
    const first = await call('GET', `/competitions/${competitionId}/questions?limit=1`, undefined);
    const page = first.body as { items: Item[]; nextCursor: string };
    expect(page.items.map((i) => i.id)).toEqual([ids.q1]);
    const second = await call(
      'GET',
      `/competitions/${competitionId}/questions?limit=1&cursor=${page.nextCursor}`,
      undefined,
    );
    expect((second.body as { items: Item[]; nextCursor: string | null }).items.map((i) => i.id)).toEqual([
      ids.q3,
    ]);
    expect((second.body as { nextCursor: string | null }).nextCursor).toBeNull();
    const elsewhere = await call(
      'GET',
      `/competitions/${competitionId}/questions?cursor=${page.nextCursor}`,
      'lead',
    );
    expect(elsewhere.status).toBe(400);
    const ownPages: string[] = [];
    let cursor: string | null = null;
    do {
      const response = await call(
        'GET',
        `/competitions/${competitionId}/questions?limit=1${cursor ? `&cursor=${cursor}` : ''}`,
        'asker-member',
      );
      const body = response.body as { items: Item[]; nextCursor: string | null };
      ownPages.push(...body.items.map((i) => i.id));
      cursor = body.nextCursor;
    } while (cursor);
    expect(new Set(ownPages)).toEqual(new Set([ids.q1, ids.q2, ids.q3, ids.q4]));
    expect(ownPages).toHaveLength(4);
  });

  it('audits asking, answering, inside reads and refused inside reads', async () => {
    await api.drainAudit();
    const trail = await call('GET', `/competitions/${competitionId}/audit?limit=100`, 'auditor');
    const events = (trail.body as { items: { actor: string; action: string; outcome: string }[] }).items;
    const has = (actor: string, action: string, outcome: string) =>
      events.some((e) => e.actor === actor && e.action === action && e.outcome === outcome);
    expect(has('asker-member', 'question.ask', 'allowed')).toBe(true);
    expect(has('lead', 'question.answer', 'allowed')).toBe(true);
    expect(has('lead', 'questions.read', 'allowed')).toBe(true);
    expect(has('eval', 'questions.read', 'allowed')).toBe(true);
    expect(has('eval-undeclared', 'questions.read', 'denied')).toBe(true);
    expect(has('excluded', 'questions.read', 'denied')).toBe(true);
    expect(has('eval', 'question.answer', 'denied')).toBe(true);
    // Reading published answers is nobody's attempt on inside information.
    expect(events.some((e) => e.actor === 'rival' && e.action === 'questions.read')).toBe(false);
    const verified = await call('GET', `/competitions/${competitionId}/audit/verify`, 'auditor');
    expect(verified.body).toMatchObject({ valid: true });
  });
});
