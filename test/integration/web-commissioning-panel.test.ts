/**
 * Who may sit on a panel (DESIGN.md section 1: evaluators and moderators are commissioners), on the JSON
 * route `PUT /competitions/{id}/panel` and on the wall page alike: someone the identity provider knows
 * without the commissioner role (a provider user, an auditor) or whose account is disabled is refused –
 * a 400 problem+json naming the field on the API, an error against the field on the page – and nothing is
 * stored; commissioners are seated. Over DynamoDB Local, with the local identity store as the identity
 * provider (the developer sign-in records each user there, as Cognito knows its users).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handler } from '../../functions/web/commissioning';
import { localIdentityStore, repositories } from '../../shared/db/repositories';
import { startTestApi, type TestApi } from '../support/api';
import { competitionBody } from '../support/competitions';
import { type SignedIn, signedIn } from '../support/web-session';
import { callPage, pageText } from '../support/workspace';

let api: TestApi;
const tokens: Record<string, string> = {};
const sessions: Record<string, SignedIn> = {};

/** The people of this file, with the groups the identity provider gives them. */
const PEOPLE: [string, string[], string][] = [
  ['panel-lead', ['commissioner'], 'panel-lead@example.org'],
  ['panel-evaluator', ['commissioner'], 'panel-evaluator@example.org'],
  ['panel-evaluator-2', ['commissioner'], 'panel-evaluator-2@example.org'],
  ['panel-moderator', ['commissioner'], 'panel-moderator@example.org'],
  ['panel-provider-user', [], 'provider.user@example.org'],
  ['panel-auditor', ['auditor'], 'panel-auditor@example.org'],
  ['panel-disabled', ['commissioner'], 'panel-disabled@example.org'],
];

let competitionId: string;

beforeAll(async () => {
  api = await startTestApi();
  for (const [sub, groups, email] of PEOPLE) {
    tokens[sub] = await api.token(sub, groups, email);
    sessions[sub] = await signedIn(sub, { groups, email });
  }
  // An administrator disables a commissioner's account.
  await localIdentityStore().save(
    { sub: 'panel-disabled', email: 'panel-disabled@example.org', groups: ['commissioner'], enabled: false },
    new Date(),
  );
  const created = await api.call('POST', '/competitions', {
    token: tokens['panel-lead'],
    body: competitionBody({ title: 'Panel rules' }),
  });
  expect(created.status, created.text).toBe(201);
  competitionId = (created.body as { id: string }).id;
});

afterAll(async () => {
  await api.stop();
});

/** The panel in force, as stored. */
async function storedPanel() {
  return (await repositories().competitions.state(competitionId))?.panel;
}

const panelPost = (form: Record<string, string>) =>
  callPage(handler, 'POST /commissioning/{id}/wall/panel', {
    who: sessions['panel-lead'],
    params: { id: competitionId },
    form,
  });

describe('PUT /competitions/{id}/panel', () => {
  it('refuses people without the commissioner role, each against the field that named them, and stores nothing', async () => {
    const refused = await api.call('PUT', `/competitions/${competitionId}/panel`, {
      token: tokens['panel-lead'],
      body: { evaluators: ['panel-evaluator', 'panel-provider-user'], moderator: 'panel-auditor' },
    });
    expect(refused.status, refused.text).toBe(400);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(refused.body).toMatchObject({
      type: '/problems/validation',
      errors: [
        {
          path: 'evaluators',
          message:
            'panel-provider-user does not hold the commissioner role: only commissioners sit on a panel.',
        },
        {
          path: 'moderator',
          message: 'panel-auditor does not hold the commissioner role: only commissioners sit on a panel.',
        },
      ],
    });
    const disabled = await api.call('PUT', `/competitions/${competitionId}/panel`, {
      token: tokens['panel-lead'],
      body: { evaluators: ['panel-evaluator', 'panel-disabled'], moderator: 'panel-moderator' },
    });
    expect(disabled.status).toBe(400);
    expect(disabled.body).toMatchObject({
      errors: [{ path: 'evaluators', message: expect.stringContaining('account is disabled') }],
    });
    expect(await storedPanel()).toBeUndefined();
  });

  it('seats commissioners', async () => {
    const set = await api.call('PUT', `/competitions/${competitionId}/panel`, {
      token: tokens['panel-lead'],
      body: { evaluators: ['panel-evaluator', 'panel-evaluator-2'], moderator: 'panel-moderator' },
    });
    expect(set.status, set.text).toBe(200);
    expect(await storedPanel()).toMatchObject({
      evaluators: ['panel-evaluator', 'panel-evaluator-2'],
      moderator: 'panel-moderator',
    });
  });
});

describe('the panel form on the wall page', () => {
  it('refuses a provider user chosen by e-mail address with an error against the field, keeping what was typed', async () => {
    const before = await storedPanel();
    const result = await panelPost({
      evaluators: 'panel-evaluator\nprovider.user@example.org',
      moderator: 'panel-moderator',
    });
    expect(result.statusCode).toBe(400);
    expect(result.body).toContain('govuk-error-summary');
    expect(result.body).toContain('href="#evaluators"');
    // The person as the lead named them: by their address.
    expect(pageText(result)).toContain(
      'provider.user@example.org does not hold the commissioner role: only commissioners sit on a panel.',
    );
    expect(result.body).toContain('provider.user@example.org</textarea>');
    expect(await storedPanel()).toEqual(before);
  });

  it('refuses an auditor as moderator against the moderator field', async () => {
    const result = await panelPost({
      evaluators: 'panel-evaluator\npanel-evaluator-2',
      moderator: 'panel-auditor',
    });
    expect(result.statusCode).toBe(400);
    expect(result.body).toContain('href="#moderator"');
    expect(pageText(result)).toContain('panel-auditor does not hold the commissioner role');
  });

  it('seats commissioners chosen by e-mail address', async () => {
    const result = await panelPost({
      evaluators: 'panel-moderator@example.org\npanel-evaluator-2',
      moderator: 'panel-evaluator',
    });
    expect(result.statusCode, pageText(result).slice(0, 300)).toBe(303);
    expect(await storedPanel()).toMatchObject({
      evaluators: ['panel-moderator', 'panel-evaluator-2'],
      moderator: 'panel-evaluator',
    });
  });
});
