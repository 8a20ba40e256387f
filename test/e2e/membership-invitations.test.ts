/**
 * Nobody is walled out by someone else's say-so (issue 12, item 2): a bidder's owner invites the
 * competition's lead and an evaluator to join the bidder. Invited, they are not members and not connected:
 * both still see the competition's inside information. Only an evaluator who accepts becomes a member, and
 * so connected and outside the wall; the lead declines and stays inside. Before the fix, "adding" a member
 * made them one at once, and a bidder could lock the lead out of their own competition.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../support/api';
import { inSeconds, victimSupportBody } from '../support/competitions';
import { charityRegistration } from '../support/fixtures';

let api: TestApi;
const tokens: Record<string, string> = {};
let competitionId: string;
let bidderId: string;
const invitations: Record<string, string> = {};

const PEOPLE = [
  ['lead', ['commissioner']],
  ['evaluator-1', ['commissioner']],
  ['evaluator-2', ['commissioner']],
  ['moderator-1', ['commissioner']],
  ['admin', ['admin']],
  ['bidder-owner', []],
] as const;

const call = (method: string, path: string, who: string, body?: unknown) =>
  api.call(method, path, { token: tokens[who] ?? '', ...(body !== undefined ? { body } : {}) });
const path = (suffix: string) => `/competitions/${competitionId}${suffix}`;
const insideFor = async (who: string) =>
  ((await call('GET', path(''), who)).body as Record<string, unknown>).confidential !== undefined;

beforeAll(async () => {
  api = await startTestApi();
  for (const [sub, groups] of PEOPLE) tokens[sub] = await api.token(sub, [...groups]);
  const registered = await call(
    'POST',
    '/providers',
    'bidder-owner',
    charityRegistration({ name: 'Eager Bidder', regions: ['south_west'], services: ['victim_services'] }),
  );
  bidderId = (registered.body as { id: string }).id;
  await call('POST', `/providers/${bidderId}/verify`, 'admin');
  const created = await call('POST', '/competitions', 'lead', victimSupportBody(inSeconds(3600)));
  competitionId = (created.body as { id: string }).id;
  expect((await call('POST', path('/publish'), 'lead')).status).toBe(200);
  const panel = await call('PUT', path('/panel'), 'lead', {
    evaluators: ['evaluator-1', 'evaluator-2'],
    moderator: 'moderator-1',
  });
  expect(panel.status).toBe(200);
  for (const who of ['lead', 'evaluator-1', 'evaluator-2', 'moderator-1']) {
    expect((await call('POST', path('/declarations'), who, { conflicts: [] })).status).toBe(201);
  }
  // A draft bid connects the bidder's members to the competition.
  const draft = await call('PUT', path('/bid'), 'bidder-owner', {
    pricePence: 70_000_00,
    qualityResponses: { quality: 'Caseworkers in every county', 'social-value': 'Volunteering places' },
  });
  expect(draft.status).toBe(200);
});

afterAll(async () => {
  await api?.stop();
});

describe('a bidder inviting the people who run the competition', () => {
  it('sends invitations, but makes nobody a member or connected', async () => {
    for (const who of ['lead', 'evaluator-1']) {
      const invited = await call('POST', `/providers/${bidderId}/members`, 'bidder-owner', {
        sub: who,
        role: 'member',
      });
      expect(invited.status).toBe(201);
      expect(invited.body).toMatchObject({ status: 'invited', sub: who });
      invitations[who] = (invited.body as { id: string }).id;
    }
    for (const who of ['lead', 'evaluator-1']) {
      expect(await insideFor(who)).toBe(true);
      expect((await call('GET', '/me', who)).body).toMatchObject({ organisations: [] });
    }
    expect((await call('GET', path('/wall'), 'lead')).status).toBe(200);
  });

  it('cannot be answered by the bidder on their behalf', async () => {
    for (const who of ['lead', 'evaluator-1']) {
      const forced = await call('POST', `/me/invitations/${invitations[who]}/accept`, 'bidder-owner');
      expect(forced.status).toBe(404);
      expect(await insideFor(who)).toBe(true);
    }
  });

  it('leaves the lead inside when they decline', async () => {
    const open = await call('GET', '/me/invitations', 'lead');
    expect(open.body).toMatchObject({ items: [{ id: invitations.lead, organisation: { id: bidderId } }] });
    expect((await call('POST', `/me/invitations/${invitations.lead}/decline`, 'lead')).status).toBe(200);
    expect(await insideFor('lead')).toBe(true);
    expect((await call('GET', path('/wall'), 'lead')).status).toBe(200);
  });

  it('makes an evaluator who accepts a member of the bidder, and so outside the wall', async () => {
    expect(
      (await call('POST', `/me/invitations/${invitations['evaluator-1']}/accept`, 'evaluator-1')).status,
    ).toBe(200);
    expect((await call('GET', '/me', 'evaluator-1')).body).toMatchObject({
      organisations: [{ id: bidderId, role: 'member' }],
    });
    expect(await insideFor('evaluator-1')).toBe(false);
    const wall = await call('GET', path('/wall'), 'evaluator-1');
    expect(wall.status).toBe(403);
    expect(wall.body).toMatchObject({ type: '/problems/ethical-wall' });
  });
});
