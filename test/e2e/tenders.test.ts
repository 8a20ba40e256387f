/**
 * A tender over HTTP, publication to confirmed award and debriefs, with the wall penetration suite: every
 * inside route against every kind of outsider shows 0 leaks, each denial with the right problem type and an
 * audit event.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../support/api';
import { inSeconds, victimSupportBody } from '../support/competitions';
import { A_THEN_C_THEN_B, moderateAll, scoresBody, scoreThrees } from '../support/evaluation-api';
import { charityRegistration } from '../support/fixtures';
import { joinOrganisation } from '../support/members';
import { startTestDelivery, type TestDelivery } from '../support/outbox';

let api: TestApi;
/** The outbox's delivery (issue 17): outcomes reach inboxes through it. */
let delivery: TestDelivery;
const tokens: Record<string, string> = {};
const providers: Record<string, string> = {};
const bidIds: Record<string, string> = {};
let competitionId: string;
let tenderDeadline: string;

const call = (method: string, path: string, who: string, body?: unknown) =>
  api.call(method, path, { token: tokens[who] ?? '', ...(body !== undefined ? { body } : {}) });

const USERS: [string, string[]][] = [
  ['lead', ['commissioner']],
  ['evaluator', ['commissioner']],
  ['evaluator-2', ['commissioner']],
  ['undeclared-evaluator', ['commissioner']],
  ['conflicted-evaluator', ['commissioner']],
  ['moderator', ['commissioner']],
  ['excluded-commissioner', ['commissioner']],
  ['inhouse-commissioner', ['commissioner']],
  ['admin', ['admin']],
  ['auditor', ['auditor']],
  ['owner-a', []],
  ['owner-b', []],
  ['owner-c', []],
  ['subcontractor-staff', []],
  ['inhouse-owner', []],
];

const quality = (text: string) => ({ quality: text, 'social-value': `${text} — social value` });

beforeAll(async () => {
  api = await startTestApi();
  delivery = await startTestDelivery();
  for (const [sub, groups] of USERS) tokens[sub] = await api.token(sub, groups);
  for (const [key, owner, sector] of [
    ['A', 'owner-a', 'voluntary'],
    ['B', 'owner-b', 'private'],
    ['C', 'owner-c', 'voluntary'],
    ['SUB', 'subcontractor-staff', 'voluntary'],
    ['INHOUSE', 'inhouse-owner', 'public'],
  ] as const) {
    const registered = await call(
      'POST',
      '/providers',
      owner,
      charityRegistration({
        name: `Bidder ${key}`,
        sector,
        regions: ['south_west'],
        services: ['victim_services'],
      }),
    );
    providers[key] = (registered.body as { id: string }).id;
    await call('POST', `/providers/${providers[key]}/verify`, 'admin');
  }
  // The commissioner's own in-house team bids; one of its members holds the commissioner group.
  await joinOrganisation(api, providers.INHOUSE ?? '', tokens['inhouse-owner'] ?? '', {
    sub: 'inhouse-commissioner',
    token: tokens['inhouse-commissioner'] ?? '',
  });

  tenderDeadline = inSeconds(12);
  const created = await call('POST', '/competitions', 'lead', victimSupportBody(tenderDeadline));
  expect(created.body).toMatchObject({ prequalificationTier: 'none' });
  competitionId = (created.body as { id: string }).id;
  expect((await call('POST', `/competitions/${competitionId}/publish`, 'lead')).body).toMatchObject({
    status: 'tendering',
  });
  await call('POST', `/competitions/${competitionId}/wall/exclusions`, 'lead', {
    sub: 'excluded-commissioner',
    reason: 'Advised a bidder.',
  });
  expect(
    (
      await call('PUT', `/competitions/${competitionId}/panel`, 'lead', {
        evaluators: ['evaluator', 'evaluator-2', 'undeclared-evaluator', 'conflicted-evaluator'],
        moderator: 'moderator',
      })
    ).status,
  ).toBe(200);
  for (const who of ['lead', 'evaluator', 'evaluator-2', 'moderator']) {
    await call('POST', `/competitions/${competitionId}/declarations`, who, { conflicts: [] });
  }
  await call('POST', `/competitions/${competitionId}/declarations`, 'conflicted-evaluator', {
    conflicts: [{ organisationId: providers.B, nature: 'Former director' }],
  });
});

afterAll(async () => {
  await api.stop();
  await delivery?.stop();
});

describe('before the tender deadline', () => {
  it('keeps one draft per bidder, submits versions and withdraws', async () => {
    const draft = await call('PUT', `/competitions/${competitionId}/bid`, 'owner-a', {
      pricePence: 70_000_00,
      qualityResponses: quality('A1'),
    });
    expect(draft.status).toBe(200);
    expect(draft.body).toMatchObject({ status: 'draft', version: null, providerId: providers.A });
    const v1 = await call('POST', `/competitions/${competitionId}/bid/submit`, 'owner-a');
    expect(v1.body).toMatchObject({ status: 'submitted', version: 1 });
    await call('PUT', `/competitions/${competitionId}/bid`, 'owner-a', {
      pricePence: 68_000_00,
      qualityResponses: quality('A2'),
    });
    const v2 = await call('POST', `/competitions/${competitionId}/bid/submit`, 'owner-a');
    expect(v2.body).toMatchObject({ status: 'submitted', version: 2 });
    bidIds.A = (v2.body as { bidId: string }).bidId;
    const own = await call('GET', `/competitions/${competitionId}/bid`, 'owner-a');
    expect(own.body).toMatchObject({
      status: 'submitted',
      version: 2,
      submitted: { content: { pricePence: 68_000_00 } },
    });
  });

  it('refuses unknown criteria and incomplete submissions', async () => {
    const unknown = await call('PUT', `/competitions/${competitionId}/bid`, 'owner-b', {
      pricePence: 1,
      qualityResponses: { quality: 'x', bogus: 'y' },
    });
    expect(unknown.status).toBe(400);
    expect((unknown.body as { errors: { path: string }[] }).errors.map((e) => e.path)).toEqual([
      'qualityResponses.bogus',
    ]);
    await call('PUT', `/competitions/${competitionId}/bid`, 'owner-b', {
      pricePence: 60_000_00,
      qualityResponses: { quality: 'B' },
    });
    const incomplete = await call('POST', `/competitions/${competitionId}/bid/submit`, 'owner-b');
    expect(incomplete.status).toBe(400);
    expect((incomplete.body as { errors: { path: string }[] }).errors.map((e) => e.path)).toEqual([
      'qualityResponses.social-value',
    ]);
  });

  it('takes the other bids, naming a sub-contractor, and a withdrawal', async () => {
    await call('PUT', `/competitions/${competitionId}/bid`, 'owner-b', {
      pricePence: 60_000_00,
      qualityResponses: quality('B'),
    });
    bidIds.B = (
      (await call('POST', `/competitions/${competitionId}/bid/submit`, 'owner-b')).body as { bidId: string }
    ).bidId;
    await call('PUT', `/competitions/${competitionId}/bid`, 'owner-c', {
      pricePence: 75_000_00,
      qualityResponses: quality('C'),
      subcontractors: [
        { providerId: providers.SUB, name: 'Bidder SUB', services: ['victim_services'], sharePercent: 20 },
      ],
    });
    // The sub-contractor is a party only by its own agreement, given by its owner.
    const agreed = await call('POST', `/competitions/${competitionId}/partnerships`, 'subcontractor-staff', {
      providerId: providers.SUB,
      bidderId: providers.C,
      role: 'subcontractor',
    });
    expect(agreed.status).toBe(201);
    bidIds.C = (
      (await call('POST', `/competitions/${competitionId}/bid/submit`, 'owner-c')).body as { bidId: string }
    ).bidId;
    await call('PUT', `/competitions/${competitionId}/bid`, 'inhouse-owner', {
      pricePence: 65_000_00,
      qualityResponses: quality('In-house'),
    });
    bidIds.INHOUSE = (
      (await call('POST', `/competitions/${competitionId}/bid/submit`, 'inhouse-owner')).body as {
        bidId: string;
      }
    ).bidId;
    const withdrawn = await call('POST', `/competitions/${competitionId}/bid/withdraw`, 'inhouse-owner');
    expect(withdrawn.body).toMatchObject({ status: 'withdrawn' });
  });

  it('seals bids from everyone, the lead and admins included', async () => {
    for (const who of ['lead', 'evaluator', 'admin', 'auditor', 'moderator']) {
      const response = await call('GET', `/competitions/${competitionId}/bids`, who);
      expect(response.status, who).toBe(403);
      expect(response.body, who).toMatchObject({ type: '/problems/sealed' });
    }
  });
});

describe('after the tender deadline', () => {
  beforeAll(async () => {
    const wait = Date.parse(tenderDeadline) - Date.now() + 200;
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  });

  it('moves to evaluation and accepts no bid change', async () => {
    expect((await api.call('GET', `/competitions/${competitionId}`)).body).toMatchObject({
      status: 'evaluation',
    });
    for (const [method, path, body] of [
      ['PUT', `/competitions/${competitionId}/bid`, { pricePence: 1, qualityResponses: quality('late') }],
      ['POST', `/competitions/${competitionId}/bid/submit`, undefined],
      ['POST', `/competitions/${competitionId}/bid/withdraw`, undefined],
    ] as const) {
      const response = await call(method, path, 'owner-a', body);
      expect(response.status, path).toBe(409);
      expect(response.body, path).toMatchObject({ type: '/problems/deadline-passed' });
    }
    expect((await call('GET', `/competitions/${competitionId}/bid`, 'owner-a')).body).toMatchObject({
      version: 2,
    });
  });

  it('leaks nothing to any outsider on any inside route, and audits every denial', async () => {
    const inside = (bidId: string): [string, string, unknown][] => [
      ['GET', `/competitions/${competitionId}/bids`, undefined],
      ['GET', `/competitions/${competitionId}/bids/${bidId}`, undefined],
      [
        'PUT',
        `/competitions/${competitionId}/bids/${bidId}/scores`,
        { scores: [{ criterionId: 'quality', score: 5, justification: 'x' }] },
      ],
      [
        'PUT',
        `/competitions/${competitionId}/bids/${bidId}/moderated-scores`,
        { scores: [{ criterionId: 'quality', score: 5, rationale: 'x' }] },
      ],
      ['GET', `/competitions/${competitionId}/evaluation`, undefined],
      ['POST', `/competitions/${competitionId}/award`, { bidId, rationale: 'x' }],
      ['GET', `/competitions/${competitionId}/prequalification-responses`, undefined],
      ['GET', `/competitions/${competitionId}/wall`, undefined],
    ];
    const outsiders: [string, string][] = [
      ['owner-b', '/problems/ethical-wall'],
      ['inhouse-commissioner', '/problems/ethical-wall'],
      ['subcontractor-staff', '/problems/ethical-wall'],
      ['conflicted-evaluator', '/problems/ethical-wall'],
      ['excluded-commissioner', '/problems/ethical-wall'],
    ];
    let leaks = 0;
    for (const [who, type] of outsiders) {
      for (const [method, path, body] of inside(bidIds.A ?? '')) {
        const response = await call(method, path, who, body);
        if (response.status < 400 || JSON.stringify(response.body).includes('A2')) leaks += 1;
        expect(response.status, `${who} ${method} ${path}`).toBe(403);
        expect(response.body, `${who} ${method} ${path}`).toMatchObject({ type });
      }
    }
    // Seated but undeclared, and admins: refused, though not as outsiders.
    for (const [method, path, body] of inside(bidIds.A ?? '').slice(0, 6)) {
      const undeclared = await call(method, path, 'undeclared-evaluator', body);
      expect(undeclared.body, `${method} ${path}`).toMatchObject({
        type: expect.stringMatching(/declaration-required|forbidden/),
      });
      const admin = await call(method, path, 'admin', body);
      expect(admin.status).toBe(403);
      expect(admin.body).toMatchObject({ type: '/problems/forbidden' });
      if (undeclared.status < 400 || admin.status < 400) leaks += 1;
    }
    expect(leaks).toBe(0);
    expect(
      (await call('GET', `/competitions/${competitionId}/bids`, 'undeclared-evaluator')).body,
    ).toMatchObject({
      type: '/problems/declaration-required',
    });

    const log = await call('GET', `/competitions/${competitionId}/audit?limit=100`, 'auditor');
    const events = (log.body as { items: { actor: string; outcome: string; reason?: string }[] }).items;
    for (const [who, type] of outsiders) {
      const denied = events.filter((e) => e.actor === who && e.outcome === 'denied');
      expect(denied.length, who).toBeGreaterThanOrEqual(inside('x').length - 1);
      expect(
        denied.every((e) => e.reason === type),
        who,
      ).toBe(true);
    }
    let cursor = (log.body as { nextCursor: string | null }).nextCursor;
    while (cursor) {
      const next = await call(
        'GET',
        `/competitions/${competitionId}/audit?limit=100&cursor=${cursor}`,
        'auditor',
      );
      cursor = (next.body as { nextCursor: string | null }).nextCursor;
    }
  });

  it('lets evaluators score independently, each seeing only their own until moderation', async () => {
    const score = (who: string, bid: string, q: number, s: number) =>
      call('PUT', `/competitions/${competitionId}/bids/${bid}/scores`, who, scoresBody(q, s));
    expect((await score('evaluator', bidIds.A ?? '', 4, 3)).status).toBe(200);
    expect((await score('moderator', bidIds.A ?? '', 4, 3)).status).toBe(403);
    const badScore = await call(
      'PUT',
      `/competitions/${competitionId}/bids/${bidIds.A}/scores`,
      'evaluator',
      {
        scores: [{ criterionId: 'price', score: 7, justification: '' }],
      },
    );
    expect(badScore.status).toBe(400);
    const evaluatorView = await call('GET', `/competitions/${competitionId}/bids/${bidIds.A}`, 'evaluator');
    expect(
      (evaluatorView.body as { scores: { evaluator: string }[] }).scores.map((s) => s.evaluator),
    ).toEqual(['evaluator']);
    const moderatorView = await call('GET', `/competitions/${competitionId}/bids/${bidIds.A}`, 'moderator');
    expect((moderatorView.body as { scores: unknown[] }).scores).toHaveLength(1);
    const list = await call('GET', `/competitions/${competitionId}/bids`, 'lead');
    const items = (
      list.body as { items: { bidId: string; status: string; providerName: string; pricePence: number }[] }
    ).items;
    expect(items.map((b) => b.providerName).sort()).toEqual([
      'Bidder A',
      'Bidder B',
      'Bidder C',
      'Bidder INHOUSE',
    ]);
    expect(items.find((b) => b.bidId === bidIds.INHOUSE)?.status).toBe('withdrawn');
  });

  it('needs a complete, moderated evaluation before the award', async () => {
    expect((await call('GET', `/competitions/${competitionId}/evaluation`, 'lead')).body).toMatchObject({
      complete: false,
    });
    const early = await call('POST', `/competitions/${competitionId}/award`, 'lead', {
      bidId: bidIds.A,
      rationale: 'Best value',
    });
    expect(early.status).toBe(409);
    expect(early.body).toMatchObject({ type: '/problems/invalid-state' });
    const moderation = { criterionId: 'quality', score: 4, rationale: 'Agreed at the moderation meeting' };
    // One evaluator's scores are not enough: moderation waits for two evaluators inside the wall.
    const tooSoon = await call(
      'PUT',
      `/competitions/${competitionId}/bids/${bidIds.A}/moderated-scores`,
      'moderator',
      { scores: [moderation, { ...moderation, criterionId: 'social-value' }] },
    );
    expect(tooSoon.status).toBe(409);
    expect(tooSoon.body).toMatchObject({ type: '/problems/invalid-state' });
    await scoreThrees(call, competitionId, bidIds, [
      ['evaluator', ['B', 'C']],
      ['evaluator-2', ['A', 'B', 'C']],
    ]);
    await moderateAll(call, competitionId, bidIds, A_THEN_C_THEN_B, 'Agreed at the moderation meeting');
    const evaluation = await call('GET', `/competitions/${competitionId}/evaluation`, 'evaluator');
    const { complete, ranking } = evaluation.body as {
      complete: boolean;
      ranking: { bidId: string; totalPoints: number; rank: number }[];
    };
    expect(complete).toBe(true);
    // A: 48 + 8 + 30×60/68 = 82.47; C: 48 + 6 + 24 = 78; B: 24 + 4 + 30 = 58.
    expect(ranking.map((r) => [r.bidId, r.totalPoints, r.rank])).toEqual([
      [bidIds.A, 82.47, 1],
      [bidIds.C, 78, 2],
      [bidIds.B, 58, 3],
    ]);
  });

  it('awards, holds standstill, confirms, lets the contract and debriefs each bidder alone', async () => {
    expect(
      (
        await call('POST', `/competitions/${competitionId}/award`, 'evaluator', {
          bidId: bidIds.A,
          rationale: 'x',
        })
      ).status,
    ).toBe(403);
    // The award follows the ranking: passing over rank 1 needs a reason.
    const passedOver = await call('POST', `/competitions/${competitionId}/award`, 'lead', {
      bidId: bidIds.C,
      rationale: 'Closer to home',
    });
    expect(passedOver.status).toBe(400);
    expect(passedOver.body).toMatchObject({ errors: [{ path: 'overrideReason' }] });
    const award = await call('POST', `/competitions/${competitionId}/award`, 'lead', {
      bidId: bidIds.A,
      rationale: 'Highest total',
    });
    expect(award.status).toBe(200);
    expect(award.body).toMatchObject({ status: 'standstill', standstillEndsAt: expect.any(String) });
    expect((await api.call('GET', `/competitions/${competitionId}`)).body).not.toHaveProperty('award');

    const winner = await call('GET', `/competitions/${competitionId}/debrief`, 'owner-a');
    expect(winner.body).toMatchObject({
      outcome: 'successful',
      yours: { rank: 1, totalPoints: 82.47 },
      winner: { name: 'Bidder A' },
    });
    const loser = await call('GET', `/competitions/${competitionId}/debrief`, 'owner-b');
    expect(loser.body).toMatchObject({
      outcome: 'unsuccessful',
      yours: { rank: 3, totalPoints: 58 },
      winner: { name: 'Bidder A', totalPoints: 82.47 },
    });
    // Times left out: a timestamp's digits (08:08:16.784Z) would hold Bidder C's 78 by chance.
    const text = JSON.stringify(loser.body).replace(/"\d{4}-\d{2}-\d{2}T[^"]*"/g, '"(time)"');
    for (const other of ['Bidder C', bidIds.C, '78', '75000']) expect(text).not.toContain(other);
    expect((await call('GET', `/competitions/${competitionId}/debrief`, 'subcontractor-staff')).status).toBe(
      404,
    );

    const confirmed = await call('POST', `/competitions/${competitionId}/award/confirm`, 'lead');
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toMatchObject({ status: 'awarded', contractId: expect.any(String) });
    const publicView = await api.call('GET', `/competitions/${competitionId}`);
    expect(publicView.body).toMatchObject({
      status: 'awarded',
      award: { providerName: 'Bidder A', valuePence: 68_000_00 },
    });
    // The unsuccessful bidder's inbox notification comes through the outbox's delivery (issue 17).
    await delivery.drain();
    const inbox = await call('GET', '/me/notifications', 'owner-b');
    expect((inbox.body as { items: { type: string }[] }).items.map((n) => n.type)).toContain(
      'award-unsuccessful',
    );
    expect((await call('GET', `/competitions/${competitionId}/audit/verify`, 'auditor')).body).toMatchObject({
      valid: true,
    });
  });
});
