/**
 * The wall's histories over HTTP (issue 12, items 1 and 3): a declared conflict cannot be withdrawn by its
 * declarer, only cleared by someone else with a reason (the lead for the panel, an admin for the lead);
 * connected or excluded people cannot declare their way in; exclusions bind commissioners, not oversight,
 * and are lifted only with a reason; every step is in the audit log.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../support/api';
import { competitionBody } from '../support/competitions';
import { charityRegistration } from '../support/fixtures';

let api: TestApi;
const tokens: Record<string, string> = {};
let competitionId: string;
let providerId: string;

const PEOPLE = [
  ['lead', ['commissioner']],
  ['evaluator-1', ['commissioner']],
  ['evaluator-2', ['commissioner']],
  ['moderator-1', ['commissioner']],
  ['other-commissioner', ['commissioner']],
  ['admin', ['admin']],
  ['admin-and-commissioner', ['admin', 'commissioner']],
  ['auditor', ['auditor']],
  ['provider-owner', []],
] as const;

beforeAll(async () => {
  api = await startTestApi();
  for (const [sub, groups] of PEOPLE) tokens[sub] = await api.token(sub, [...groups]);
  const registered = await api.call('POST', '/providers', {
    token: tokens['provider-owner'],
    body: charityRegistration({ regions: ['north_west'], services: ['accommodation'] }),
  });
  providerId = (registered.body as { id: string }).id;
  const created = await call('POST', '/competitions', 'lead', competitionBody());
  competitionId = (created.body as { id: string }).id;
  expect((await call('POST', `/competitions/${competitionId}/publish`, 'lead')).status).toBe(200);
  const panel = await call('PUT', `/competitions/${competitionId}/panel`, 'lead', {
    evaluators: ['evaluator-1', 'evaluator-2'],
    moderator: 'moderator-1',
  });
  expect(panel.status).toBe(200);
});

afterAll(async () => {
  await api?.stop();
});

const call = (method: string, path: string, who: string, body?: unknown) =>
  api.call(method, path, { token: tokens[who] ?? '', ...(body !== undefined ? { body } : {}) });
const path = (suffix: string) => `/competitions/${competitionId}${suffix}`;
const insideFor = async (who: string) =>
  ((await call('GET', path(''), who)).body as Record<string, unknown>).confidential !== undefined;

async function auditActions(): Promise<string[]> {
  const log = await call('GET', path('/audit?limit=100'), 'auditor');
  return (log.body as { items: { action: string; outcome: string; actor: string }[] }).items.map(
    (e) => `${e.action}:${e.outcome}:${e.actor}`,
  );
}

describe('a declared conflict', () => {
  it('is not withdrawn by a later declaration of no conflict from the same person', async () => {
    expect((await call('POST', path('/declarations'), 'lead', { conflicts: [] })).status).toBe(201);
    const conflicted = await call('POST', path('/declarations'), 'evaluator-1', {
      conflicts: [
        { organisationId: providerId, nature: 'Trustee of the applicant' },
        { organisationId: providerId, nature: 'Named twice: one conflict' },
      ],
    });
    expect(conflicted.status).toBe(201);
    expect(conflicted.body).toMatchObject({ sub: 'evaluator-1', version: 1 });
    expect((conflicted.body as { conflicts: unknown[] }).conflicts).toHaveLength(1);
    expect(await insideFor('evaluator-1')).toBe(false);

    const retracted = await call('POST', path('/declarations'), 'evaluator-1', { conflicts: [] });
    expect(retracted.status).toBe(201);
    expect(retracted.body).toMatchObject({
      version: 2,
      conflicts: [{ organisationId: providerId, nature: 'Trustee of the applicant' }],
    });
    expect(await insideFor('evaluator-1')).toBe(false);

    const wall = await call('GET', path('/wall'), 'lead');
    expect(wall.body).toMatchObject({
      pending: expect.arrayContaining([
        { sub: 'evaluator-1', role: 'evaluator', reason: 'declared a conflict' },
      ]),
    });
    const history = (wall.body as { declarationHistory: { sub: string; version: number; kind: string }[] })
      .declarationHistory;
    expect(history.filter((r) => r.sub === 'evaluator-1').map((r) => [r.version, r.kind])).toEqual([
      [1, 'declaration'],
      [2, 'declaration'],
    ]);
  });

  it('cannot be cleared by the declarer, another panel member or a stranger', async () => {
    for (const who of ['evaluator-1', 'moderator-1', 'other-commissioner']) {
      const refused = await call('POST', path('/declarations/evaluator-1/clearance'), who, {
        reason: 'Let me back in.',
      });
      expect(refused.status, who).toBe(403);
    }
    expect(await insideFor('evaluator-1')).toBe(false);
  });

  it('needs a reason to be cleared', async () => {
    const bare = await call('POST', path('/declarations/evaluator-1/clearance'), 'lead', {});
    expect(bare.status).toBe(400);
    expect(bare.body).toMatchObject({ type: '/problems/validation' });
  });

  it('is cleared by the lead with a reason, and the panel member is inside again, audited', async () => {
    const cleared = await call('POST', path('/declarations/evaluator-1/clearance'), 'lead', {
      reason: 'They stood down as trustee in 2024; the conflict is historic.',
    });
    expect(cleared.status).toBe(201);
    expect(cleared.body).toMatchObject({ sub: 'evaluator-1', conflicts: [], clearedBy: 'lead', version: 3 });
    expect(await insideFor('evaluator-1')).toBe(true);
    const again = await call('POST', path('/declarations/evaluator-1/clearance'), 'lead', {
      reason: 'Twice.',
    });
    expect(again.status).toBe(409);
    expect(await auditActions()).toEqual(
      expect.arrayContaining([
        'declaration.conflict:allowed:evaluator-1',
        'declaration.no-conflict:allowed:evaluator-1',
        'declaration.clear:denied:evaluator-1',
        'declaration.clear:allowed:lead',
        // Each refused look at the confidential section while the conflict stood.
        'confidential.read:denied:evaluator-1',
      ]),
    );
  });

  it('of the lead is cleared only by an admin, never by the lead', async () => {
    const declared = await call('POST', path('/declarations'), 'lead', {
      conflicts: [{ organisationId: providerId, nature: 'Spouse works there' }],
    });
    expect(declared.status).toBe(201);
    expect(await insideFor('lead')).toBe(false);
    expect(
      (await call('POST', path('/declarations/lead/clearance'), 'lead', { reason: 'Mine.' })).status,
    ).toBe(403);
    expect(
      (await call('POST', path('/declarations/lead/clearance'), 'other-commissioner', { reason: 'x' }))
        .status,
    ).toBe(403);
    const cleared = await call('POST', path('/declarations/lead/clearance'), 'admin', {
      reason: 'Spouse left the organisation last year.',
    });
    expect(cleared.status).toBe(201);
    expect(await insideFor('lead')).toBe(true);
  });
});

describe('exclusions', () => {
  it('refuse an excluded panel member who tries to declare their way in, with an alert', async () => {
    const excluded = await call('POST', path('/wall/exclusions'), 'lead', {
      sub: 'evaluator-2',
      reason: 'Helped prepare the in-house bid.',
    });
    expect(excluded.status).toBe(201);
    const declared = await call('POST', path('/declarations'), 'evaluator-2', { conflicts: [] });
    expect(declared.status).toBe(403);
    expect(declared.body).toMatchObject({ type: '/problems/ethical-wall' });
    expect(await insideFor('evaluator-2')).toBe(false);
    const alerts = await call('GET', '/alerts', 'admin');
    expect((alerts.body as { items: { actor: string; action: string }[] }).items).toContainEqual(
      expect.objectContaining({ actor: 'evaluator-2', action: 'declaration.no-conflict' }),
    );
  });

  it("do not take away an auditor's or admin's oversight", async () => {
    for (const who of ['auditor', 'admin-and-commissioner']) {
      expect(
        (await call('POST', path('/wall/exclusions'), 'lead', { sub: who, reason: 'Too nosy.' })).status,
      ).toBe(201);
    }
    expect((await call('GET', path('/wall'), 'auditor')).status).toBe(200);
    expect((await call('GET', path('/audit'), 'auditor')).status).toBe(200);
    expect((await call('GET', path('/audit/verify'), 'admin-and-commissioner')).status).toBe(200);
  });

  it('are lifted only by the lead, with a reason, and only when in force', async () => {
    expect(
      (await call('POST', path('/wall/exclusions/evaluator-2/lift'), 'evaluator-2', { reason: 'Me.' }))
        .status,
    ).toBe(403);
    expect((await call('POST', path('/wall/exclusions/evaluator-2/lift'), 'lead', {})).status).toBe(400);
    expect(
      (await call('POST', path('/wall/exclusions/nobody/lift'), 'lead', { reason: 'Not excluded.' })).status,
    ).toBe(409);
    const lifted = await call('POST', path('/wall/exclusions/evaluator-2/lift'), 'lead', {
      reason: 'Checked the bid team list: they were never on it.',
    });
    expect(lifted.status).toBe(201);
    expect(lifted.body).toMatchObject({ sub: 'evaluator-2', kind: 'lift', by: 'lead', version: 2 });
    expect((await call('POST', path('/declarations'), 'evaluator-2', { conflicts: [] })).status).toBe(201);
    expect(await insideFor('evaluator-2')).toBe(true);
    const wall = await call('GET', path('/wall'), 'lead');
    const excluded = (wall.body as { excluded: { sub: string }[] }).excluded.map((e) => e.sub);
    expect(excluded).not.toContain('evaluator-2');
    expect(await auditActions()).toEqual(
      expect.arrayContaining(['wall.lift-exclusion:denied:evaluator-2', 'wall.lift-exclusion:allowed:lead']),
    );
  });
});
