/**
 * Competitions, the ethical wall and the audit chain over HTTP: create → publish → notify → panel →
 * declarations → inside reads → outsiders refused with the right problem and an audit event → alerts →
 * chain verification, and a stored event edited in DynamoDB Local breaking the chain.
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { config } from '../../shared/config';
import { documentClient } from '../../shared/db/client';
import { auditKeys } from '../../shared/db/keys';
import { startTestApi, type TestApi } from '../support/api';
import { competitionBody } from '../support/competitions';
import { charityRegistration } from '../support/fixtures';
import { startTestDelivery, type TestDelivery } from '../support/outbox';

let api: TestApi;
/** The outbox delivery, as `npm start` runs it: it writes the inbox notifications a publication asks for. */
let delivery: TestDelivery;
const tokens: Record<string, string> = {};
let competitionId: string;
let providerId: string;

beforeAll(async () => {
  api = await startTestApi();
  delivery = await startTestDelivery();
  for (const [sub, groups] of [
    ['lead', ['commissioner']],
    ['evaluator-1', ['commissioner']],
    ['evaluator-2', ['commissioner']],
    ['moderator-1', ['commissioner']],
    ['other-commissioner', ['commissioner']],
    ['excluded-commissioner', ['commissioner']],
    ['provider-owner', []],
    ['admin', ['admin']],
    ['auditor', ['auditor']],
  ] as const) {
    tokens[sub] = await api.token(sub, [...groups]);
  }
  // A verified provider in the competition's region and service, to be notified.
  const registered = await api.call('POST', '/providers', {
    token: tokens['provider-owner'],
    body: charityRegistration({ regions: ['north_west'], services: ['accommodation'] }),
  });
  providerId = (registered.body as { id: string }).id;
  await api.call('POST', `/providers/${providerId}/verify`, { token: tokens.admin });
});

afterAll(async () => {
  await delivery.stop();
  await api.stop();
});

const call = (method: string, path: string, who: string, body?: unknown) =>
  api.call(method, path, { token: tokens[who] ?? '', ...(body !== undefined ? { body } : {}) });

describe('creating and publishing', () => {
  it('refuses a bad competition with every problem listed', async () => {
    const response = await call(
      'POST',
      '/competitions',
      'lead',
      competitionBody({
        criteria: [
          { id: 'quality', name: 'Quality', kind: 'quality', weight: 50 },
          { id: 'price', name: 'Price', kind: 'price', weight: 40 },
        ],
        prequalificationDeadline: undefined,
      }),
    );
    expect(response.status).toBe(400);
    expect((response.body as { errors: { path: string }[] }).errors.map((e) => e.path).sort()).toEqual([
      'criteria',
      'prequalificationDeadline',
    ]);
  });

  it('lets only commissioners create', async () => {
    expect((await call('POST', '/competitions', 'provider-owner', competitionBody())).status).toBe(403);
  });

  it('creates a draft with the tier computed, visible to its lead only', async () => {
    const created = await call('POST', '/competitions', 'lead', competitionBody());
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'draft', prequalificationTier: 'core', leadSub: 'lead' });
    competitionId = (created.body as { id: string }).id;
    expect((await api.call('GET', `/competitions/${competitionId}`)).status).toBe(404);
    expect((await call('GET', `/competitions/${competitionId}`, 'other-commissioner')).status).toBe(404);
    expect((await call('GET', `/competitions/${competitionId}`, 'lead')).status).toBe(200);
  });

  it('publishes (lead only), lists the opportunity and notifies matching providers', async () => {
    expect((await call('POST', `/competitions/${competitionId}/publish`, 'other-commissioner')).status).toBe(
      403,
    );
    const published = await call('POST', `/competitions/${competitionId}/publish`, 'lead');
    expect(published.status).toBe(200);
    // Who is told is found by the delivery after the commit: the answer does not count them.
    expect(published.body).toMatchObject({ status: 'prequalification' });
    expect(published.body).not.toHaveProperty('notified');
    expect((await call('POST', `/competitions/${competitionId}/publish`, 'lead')).status).toBe(409);

    const open = await api.call('GET', '/opportunities?region=north_west&service=accommodation');
    expect((open.body as { items: { id: string }[] }).items.map((o) => o.id)).toContain(competitionId);
    const elsewhere = await api.call('GET', '/opportunities?region=london');
    expect((elsewhere.body as { items: { id: string }[] }).items.map((o) => o.id)).not.toContain(
      competitionId,
    );

    await delivery.drain();
    const inbox = await call('GET', '/me/notifications', 'provider-owner');
    expect((inbox.body as { items: { type: string; link: string }[] }).items[0]).toMatchObject({
      type: 'opportunity',
      link: `/competitions/${competitionId}`,
    });
  });

  it('shows the public view without the confidential section or the lead', async () => {
    const anonymous = await api.call('GET', `/competitions/${competitionId}`);
    expect(anonymous.status).toBe(200);
    expect(anonymous.body).not.toHaveProperty('confidential');
    expect(anonymous.body).not.toHaveProperty('leadSub');
    const outsider = await call('GET', `/competitions/${competitionId}`, 'other-commissioner');
    expect(outsider.body).not.toHaveProperty('confidential');
  });
});

describe('the wall', () => {
  it('sets the panel, but refuses someone the lead excluded', async () => {
    const excluded = await call('POST', `/competitions/${competitionId}/wall/exclusions`, 'lead', {
      sub: 'excluded-commissioner',
      reason: 'Helped prepare the in-house bid.',
    });
    expect(excluded.status).toBe(201);
    const refused = await call('PUT', `/competitions/${competitionId}/panel`, 'lead', {
      evaluators: ['evaluator-1', 'excluded-commissioner'],
      moderator: 'moderator-1',
    });
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ type: '/problems/ethical-wall' });
    const panel = await call('PUT', `/competitions/${competitionId}/panel`, 'lead', {
      evaluators: ['evaluator-1', 'evaluator-2'],
      moderator: 'moderator-1',
    });
    expect(panel.status).toBe(200);
  });

  it('keeps the lead from inside information until they declare', async () => {
    const before = await call('GET', `/competitions/${competitionId}`, 'lead');
    expect(before.body).not.toHaveProperty('confidential');
    expect(
      (await call('POST', `/competitions/${competitionId}/declarations`, 'lead', { conflicts: [] })).status,
    ).toBe(201);
    const after = await call('GET', `/competitions/${competitionId}`, 'lead');
    expect(after.body).toMatchObject({ confidential: { budgetCeilingPence: 550_000_00 } });
  });

  it('lets only the lead and panel declare, and a conflict puts the declarer outside', async () => {
    expect(
      (
        await call('POST', `/competitions/${competitionId}/declarations`, 'other-commissioner', {
          conflicts: [],
        })
      ).status,
    ).toBe(403);
    expect(
      (await call('POST', `/competitions/${competitionId}/declarations`, 'evaluator-1', { conflicts: [] }))
        .status,
    ).toBe(201);
    const conflicted = await call('POST', `/competitions/${competitionId}/declarations`, 'moderator-1', {
      conflicts: [{ organisationId: providerId, nature: 'Trustee of the applicant' }],
    });
    expect(conflicted.status).toBe(201);
    const insider = await call('GET', `/competitions/${competitionId}`, 'evaluator-1');
    expect(insider.body).toHaveProperty('confidential');
    const moderator = await call('GET', `/competitions/${competitionId}`, 'moderator-1');
    expect(moderator.body).not.toHaveProperty('confidential');
  });

  it('lists insiders, exclusions and declarations to the lead, auditors and admins only', async () => {
    for (const who of ['lead', 'auditor', 'admin']) {
      const wall = await call('GET', `/competitions/${competitionId}/wall`, who);
      expect(wall.status).toBe(200);
      expect(wall.body).toMatchObject({
        insiders: [
          { sub: 'lead', role: 'lead' },
          { sub: 'evaluator-1', role: 'evaluator' },
        ],
        excluded: [{ sub: 'excluded-commissioner' }],
        pending: [
          { sub: 'evaluator-2', role: 'evaluator', reason: 'no declaration yet' },
          { sub: 'moderator-1', role: 'moderator', reason: 'declared a conflict' },
        ],
      });
    }
    const other = await call('GET', `/competitions/${competitionId}/wall`, 'other-commissioner');
    expect(other.status).toBe(403);
    expect(other.body).toMatchObject({ type: '/problems/forbidden' });
    const excluded = await call('GET', `/competitions/${competitionId}/wall`, 'excluded-commissioner');
    expect(excluded.status).toBe(403);
    expect(excluded.body).toMatchObject({ type: '/problems/ethical-wall' });
  });
});

describe('audit', () => {
  it('records state changes and inside reads, allowed and denied, and raises alerts for outsiders', async () => {
    await api.drainAudit();
    const log = await call('GET', `/competitions/${competitionId}/audit?limit=100`, 'auditor');
    expect(log.status).toBe(200);
    const events = (
      log.body as {
        items: {
          seq: number;
          action: string;
          outcome: string;
          actor: string;
          hash: string;
          prevHash: string;
        }[];
      }
    ).items;
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    for (let i = 1; i < events.length; i += 1) expect(events[i]?.prevHash).toBe(events[i - 1]?.hash);
    const actions = events.map((e) => `${e.action}:${e.outcome}:${e.actor}`);
    expect(actions).toEqual(
      expect.arrayContaining([
        'competition.create:allowed:lead',
        'competition.publish:allowed:lead',
        'wall.exclude:allowed:lead',
        'panel.set:denied:lead',
        'panel.set:allowed:lead',
        'confidential.read:allowed:lead',
        'wall.read:denied:excluded-commissioner',
      ]),
    );
    const alerts = await call('GET', '/alerts', 'admin');
    expect((alerts.body as { items: { actor: string; competitionId: string }[] }).items).toContainEqual(
      expect.objectContaining({ actor: 'excluded-commissioner', competitionId }),
    );
    expect((await call('GET', '/alerts', 'lead')).status).toBe(403);
    expect((await call('GET', `/competitions/${competitionId}/audit`, 'lead')).status).toBe(403);
  });

  it('verifies the chain, and reports it broken after a stored event is edited', async () => {
    await api.drainAudit();
    const valid = await call('GET', `/competitions/${competitionId}/audit/verify`, 'auditor');
    expect(valid.body).toMatchObject({ valid: true });
    const count = (valid.body as { events: number }).events;
    expect(count).toBeGreaterThan(5);
    await documentClient().send(
      new UpdateCommand({
        TableName: config().tables.audit,
        Key: auditKeys.event(competitionId, 3),
        UpdateExpression: 'SET actor = :who',
        ExpressionAttributeValues: { ':who': 'someone-else' },
      }),
    );
    const broken = await call('GET', `/competitions/${competitionId}/audit/verify`, 'admin');
    expect(broken.body).toMatchObject({ valid: false, events: count, firstInvalidSeq: 3, problem: 'event' });
  });

  it('cancels (lead only) and takes the opportunity down', async () => {
    expect(
      (await call('POST', `/competitions/${competitionId}/cancel`, 'evaluator-1', { reason: 'x' })).status,
    ).toBe(403);
    const cancelled = await call('POST', `/competitions/${competitionId}/cancel`, 'lead', {
      reason: 'Requirement changed.',
    });
    expect(cancelled.body).toMatchObject({ status: 'cancelled', cancelReason: 'Requirement changed.' });
    const open = await api.call('GET', '/opportunities?region=north_west&service=accommodation');
    expect((open.body as { items: { id: string }[] }).items.map((o) => o.id)).not.toContain(competitionId);
  });
});
