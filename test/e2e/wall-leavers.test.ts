/**
 * Leaving the bid team does not get anyone back inside the wall (found while making membership an
 * invitation, issue 12 item 2): a former member of an organisation connected to a competition stays
 * outside its wall, whenever they left (the connection marker's time moves with every draft save).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEALED } from '../../shared/domain/audit-redaction';
import { startTestApi, type TestApi } from '../support/api';
import { competitionBody, inSeconds } from '../support/competitions';
import { charityRegistration } from '../support/fixtures';
import { joinOrganisation } from '../support/members';

let api: TestApi;
const tokens: Record<string, string> = {};
let competitionId: string;
let providerId: string;

const call = (method: string, path: string, who: string, body?: unknown) =>
  api.call(method, path, { token: tokens[who] ?? '', ...(body !== undefined ? { body } : {}) });

beforeAll(async () => {
  api = await startTestApi();
  for (const [sub, groups] of [
    ['lead', ['commissioner']],
    ['early-leaver', ['commissioner']],
    ['late-leaver', ['commissioner']],
    ['evaluator', ['commissioner']],
    ['evaluator-2', ['commissioner']],
    ['moderator', ['commissioner']],
    ['bid-owner', []],
    ['admin', ['admin']],
    ['auditor', ['auditor']],
  ] as const) {
    tokens[sub] = await api.token(sub, [...groups]);
  }
  const registered = await call(
    'POST',
    '/providers',
    'bid-owner',
    charityRegistration({ regions: ['london'], services: ['electronic_monitoring'] }),
  );
  providerId = (registered.body as { id: string }).id;
  await call('POST', `/providers/${providerId}/verify`, 'admin');
  const created = await call(
    'POST',
    '/competitions',
    'lead',
    competitionBody({
      regions: ['london'],
      services: ['electronic_monitoring'],
      estimatedValuePence: 50_000_00,
      termMonths: 12,
      risk: 'low',
      prequalificationDeadline: undefined,
      tenderDeadline: inSeconds(3600),
    }),
  );
  competitionId = (created.body as { id: string }).id;
  expect((await call('POST', `/competitions/${competitionId}/publish`, 'lead')).status).toBe(200);
});

afterAll(async () => {
  await api?.stop();
});

describe('a member who leaves', () => {
  it('stays connected to what the organisation bids for, however the bidder re-saves its draft', async () => {
    for (const who of ['early-leaver', 'late-leaver']) {
      await joinOrganisation(api, providerId, tokens['bid-owner'] ?? '', {
        sub: who,
        token: tokens[who] ?? '',
      });
    }
    expect(
      (await call('DELETE', `/providers/${providerId}/members/early-leaver`, 'early-leaver')).status,
    ).toBe(200);
    const draft = {
      pricePence: 45_000_00,
      qualityResponses: { quality: 'Our approach' },
      subcontractors: [],
    };
    const drafted = await call('PUT', `/competitions/${competitionId}/bid`, 'bid-owner', draft);
    expect(drafted.status, drafted.text).toBe(200);
    expect((await call('DELETE', `/providers/${providerId}/members/late-leaver`, 'late-leaver')).status).toBe(
      200,
    );
    // The bidder saves again after the late leaver went, moving its connection marker's time past their
    // departure: the wall must not let them back in for that.
    expect((await call('PUT', `/competitions/${competitionId}/bid`, 'bid-owner', draft)).status).toBe(200);

    for (const leaver of ['late-leaver', 'early-leaver']) {
      const refused = await call('PUT', `/competitions/${competitionId}/panel`, 'lead', {
        evaluators: [leaver, 'evaluator'],
        moderator: 'moderator',
      });
      expect(refused.status, leaver).toBe(403);
      expect(refused.body).toMatchObject({ type: '/problems/ethical-wall' });
    }
    const panel = await call('PUT', `/competitions/${competitionId}/panel`, 'lead', {
      evaluators: ['evaluator', 'evaluator-2'],
      moderator: 'moderator',
    });
    expect(panel.status, panel.text).toBe(200);
  });
});

describe('while the bids are sealed', () => {
  it('the audit log and the alerts do not say who is bidding', async () => {
    const refused = await call('GET', `/competitions/${competitionId}/bids`, 'bid-owner');
    expect(refused.body).toMatchObject({ type: '/problems/ethical-wall' });
    await api.drainAudit();
    const log = await call('GET', `/competitions/${competitionId}/audit?limit=100`, 'auditor');
    const items = (log.body as { items: { action: string; actor: string; resource: string }[] }).items;
    const drafted = items.find((e) => e.action === 'bid.draft');
    expect(drafted).toMatchObject({ actor: SEALED, resource: expect.stringContaining(SEALED) });
    expect(JSON.stringify(items)).not.toContain('bid-owner');
    expect(JSON.stringify(items)).not.toContain(providerId);
    // The commissioning side's own refusals still name them.
    expect(items).toContainEqual(expect.objectContaining({ action: 'panel.set', actor: 'lead' }));
    const alerts = await call('GET', '/alerts?limit=100', 'auditor');
    const mine = (alerts.body as { items: { competitionId: string; actor: string }[] }).items.filter(
      (a) => a.competitionId === competitionId,
    );
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.map((a) => a.actor)).not.toContain('bid-owner');
  });
});
