/**
 * Issue 13, items 3, 4, 5 and 7 over HTTP against DynamoDB Local: bad input never yields a 500 or a
 * partial write.
 *
 * - Item 5: a competition lists one opportunity entry per (region or "any") × (service or "any"), all
 *   written in the publish transaction; creation caps regions × services so that transaction holds at
 *   most 100 items. The largest allowed publishes and cancels; one more is refused at creation.
 * - Item 3: numbers past the safe integer range are refused, and sums of safe ones stay safe.
 * - Item 4: the largest body each schema allows is stored (each item under 400 KB; the sizes are worked
 *   out in test/unit/item-sizes.test.ts) and one character more is a 400 that writes nothing.
 * - Item 7: a criterion id that `Object.prototype` has (`constructor`) is refused.
 *
 * Texts are built of "€" (3 bytes in UTF-8, 1 character): the most bytes a character limit allows.
 */
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentClient } from '../../shared/db/client';
import { repositories } from '../../shared/db/repositories';
import { type Competition, MAX_OPPORTUNITY_ENTRIES } from '../../shared/domain/competitions';
import { REGIONS, SERVICES } from '../../shared/domain/reference-data';
import { startTestApi, type TestApi } from '../support/api';
import { competitionBody, inSeconds } from '../support/competitions';
import { accreditationAnswers, charityRegistration } from '../support/fixtures';
import { tableSnapshot } from '../support/table-snapshot';

const MAX = Number.MAX_SAFE_INTEGER;
const euro = (characters: number) => '€'.repeat(characters);
const MEMBERS = 20;

let api: TestApi;
const tokens: Record<string, string> = {};
const providers: Record<string, string> = {};
const members: string[] = [];

const call = (method: string, path: string, who: string, body?: unknown) =>
  api.call(method, path, { token: tokens[who] ?? '', ...(body !== undefined ? { body } : {}) });

/** Registers and verifies a provider owned by `owner`, accredited with `turnoverPence` when given. */
async function provider(owner: string, name: string, turnoverPence?: number): Promise<string> {
  const registered = await call(
    'POST',
    '/providers',
    owner,
    charityRegistration({ name, regions: ['london'], services: ['health'] }),
  );
  expect(registered.status, registered.text).toBe(201);
  const id = (registered.body as { id: string }).id;
  expect((await call('POST', `/providers/${id}/verify`, 'admin')).status).toBe(200);
  if (turnoverPence !== undefined) {
    const answers = accreditationAnswers() as { financial: { annualTurnoverPence: number } };
    answers.financial.annualTurnoverPence = turnoverPence;
    const accredited = await call('PUT', `/providers/${id}/accreditation`, owner, answers);
    expect(accredited.status, accredited.text).toBe(200);
  }
  return id;
}

/** The member (owned by `members-owner`) agrees to be named by `bidderId` in the competition. */
async function agree(competitionId: string, providerId: string, bidderId: string): Promise<void> {
  const agreed = await call('POST', `/competitions/${competitionId}/partnerships`, 'members-owner', {
    providerId,
    bidderId,
    role: 'consortium-member',
  });
  expect([200, 201], agreed.text).toContain(agreed.status);
}

/** Expects a 400 problem naming `path`, and nothing stored by the request. */
async function expectRefusedUnwritten(
  request: () => Promise<{ status: number; body: unknown; text: string }>,
  path: string,
): Promise<void> {
  await api.drainAudit();
  const before = await tableSnapshot();
  const response = await request();
  expect(response.status, response.text.slice(0, 500)).toBe(400);
  expect(response.body).toMatchObject({ type: '/problems/validation' });
  const paths = ((response.body as { errors?: { path?: string }[] }).errors ?? []).map((e) => e.path);
  expect(paths).toContain(path);
  await api.drainAudit();
  expect(await tableSnapshot()).toEqual(before);
}

beforeAll(async () => {
  api = await startTestApi();
  for (const [sub, groups] of [
    ['lead', ['commissioner']],
    ['evaluator', ['commissioner']],
    ['evaluator-2', ['commissioner']],
    ['moderator', ['commissioner']],
    ['declarer', ['commissioner']],
    ['admin', ['admin']],
    ['owner-a', []],
    ['owner-b', []],
    ['bidder-owner', []],
    ['members-owner', []],
  ] as const) {
    tokens[sub] = await api.token(sub, [...groups]);
  }
  providers.A = await provider('owner-a', 'Applicant A');
  providers.B = await provider('owner-b', 'Applicant B', MAX);
  providers.BIDDER = await provider('bidder-owner', 'Bidder');
  // Two members accredited with the largest turnover (a consortium's sum past 2^53); the bid names all.
  members.push(
    ...(await Promise.all(
      Array.from({ length: MEMBERS }, (_, i) =>
        provider('members-owner', `Member ${i}`, i < 2 ? MAX : undefined),
      ),
    )),
  );
}, 120_000);

afterAll(async () => {
  await api.stop();
});

describe('regions × services fit the publish transaction (item 5)', () => {
  // The most entries any choice allows: (6 regions + "any") × (12 services + "any") = 91.
  const regions = REGIONS.slice(0, 6);
  const allowed = SERVICES.slice(0, 12);

  it('allows no more opportunity entries than one transaction holds', () => {
    // 91 entries (one service more would be 98), plus the competition, its audit event, its OCDS release,
    // the feed counter's move and its outbox event.
    expect((regions.length + 1) * (allowed.length + 1)).toBeLessThanOrEqual(MAX_OPPORTUNITY_ENTRIES);
    expect((regions.length + 1) * (allowed.length + 2)).toBeGreaterThan(MAX_OPPORTUNITY_ENTRIES);
    expect(MAX_OPPORTUNITY_ENTRIES + 5).toBe(100);
  });

  it('publishes and cancels the largest competition allowed, listed under each region and service', async () => {
    const created = await call(
      'POST',
      '/competitions',
      'lead',
      competitionBody({ regions, services: allowed }),
    );
    expect(created.status, created.text).toBe(201);
    const id = (created.body as { id: string }).id;
    const published = await call('POST', `/competitions/${id}/publish`, 'lead');
    expect(published.status, published.text).toBe(200);
    const listed = async (region: string, service: string) => {
      const page = await api.call('GET', `/opportunities?region=${region}&service=${service}&limit=100`);
      expect(page.status).toBe(200);
      return (page.body as { items: { id: string }[] }).items.some((item) => item.id === id);
    };
    expect(await listed(regions[5] ?? '', allowed[11] ?? '')).toBe(true);
    expect(await listed(regions[0] ?? '', allowed[0] ?? '')).toBe(true);
    const cancelled = await call('POST', `/competitions/${id}/cancel`, 'lead', { reason: 'Test over.' });
    expect(cancelled.status, cancelled.text).toBe(200);
    expect(await listed(regions[5] ?? '', allowed[11] ?? '')).toBe(false);
  });

  it('refuses one more entry at creation, writing nothing', async () => {
    await expectRefusedUnwritten(
      () => call('POST', '/competitions', 'lead', competitionBody({ regions, services: [...SERVICES] })),
      'regions',
    );
    await expectRefusedUnwritten(
      () =>
        call(
          'POST',
          '/competitions',
          'lead',
          competitionBody({ regions: [...REGIONS], services: [...SERVICES] }),
        ),
      'regions',
    );
  });

  it('answers 409 (not 500) for a stored draft over the limit, and writes nothing', async () => {
    // A draft created before the cap: written as the repository writes one, bypassing creation.
    const at = new Date().toISOString();
    const draft: Competition = {
      title: 'Every region, every service',
      description: 'Created before regions × services were capped.',
      services: [...SERVICES],
      regions: [...REGIONS],
      estimatedValuePence: 50_000_00,
      termMonths: 12,
      risk: 'low',
      tenderDeadline: inSeconds(3600),
      criteria: [
        { id: 'quality', name: 'Quality', kind: 'quality', weight: 60 },
        { id: 'price', name: 'Price', kind: 'price', weight: 40 },
      ],
      id: '01J00000000000000000000000',
      status: 'draft',
      prequalificationTier: 'none',
      leadSub: 'lead',
      minimumTurnoverPence: 0,
      createdAt: at,
      updatedAt: at,
      version: 1,
    };
    await documentClient().send(
      new TransactWriteCommand({ TransactItems: repositories().competitions.createItems(draft, {}) }),
    );
    await api.drainAudit();
    const before = await tableSnapshot();
    const published = await call('POST', `/competitions/${draft.id}/publish`, 'lead');
    expect(published.status, published.text).toBe(409);
    expect(published.body).toMatchObject({ type: '/problems/invalid-state' });
    await api.drainAudit();
    expect(await tableSnapshot()).toEqual(before);
  });
});

describe('criterion ids (item 7)', () => {
  it('refuses `constructor` as a criterion id, writing nothing', async () => {
    const criteria = [
      { id: 'constructor', name: 'Quality', kind: 'quality', weight: 60 },
      { id: 'price', name: 'Price', kind: 'price', weight: 40 },
    ];
    await expectRefusedUnwritten(
      () => call('POST', '/competitions', 'lead', competitionBody({ criteria })),
      'criteria.0.id',
    );
    await expectRefusedUnwritten(
      () =>
        call(
          'POST',
          '/competitions',
          'lead',
          competitionBody({ criteria: [{ ...criteria[0], id: '__proto__' }, criteria[1]] }),
        ),
      'criteria.0.id',
    );
  });
});

describe('the largest competition and pre-qualification bodies (items 3 and 4)', () => {
  let competitionId: string;

  beforeAll(async () => {
    const created = await call(
      'POST',
      '/competitions',
      'lead',
      competitionBody({
        title: euro(200),
        description: euro(10_000),
        regions: ['london'],
        services: ['health'],
        criteria: [
          ...Array.from({ length: 19 }, (_, i) => ({
            id: `q${String(i).padStart(2, '0')}-${'x'.repeat(36)}`,
            name: euro(200),
            kind: 'quality',
            weight: 5,
          })),
          { id: `price-${'x'.repeat(34)}`, name: euro(200), kind: 'price', weight: 5 },
        ],
        confidential: { budgetCeilingPence: MAX, preTenderEstimatePence: MAX, notes: euro(10_000) },
      }),
    );
    expect(created.status, created.text).toBe(201);
    competitionId = (created.body as { id: string }).id;
    expect((await call('POST', `/competitions/${competitionId}/publish`, 'lead')).status).toBe(200);
    const panel = await call('PUT', `/competitions/${competitionId}/panel`, 'lead', {
      evaluators: ['declarer', 'evaluator'],
      moderator: 'moderator',
    });
    expect(panel.status, panel.text).toBe(200);
  });

  it('stored the largest competition body (title, description, 20 criteria, notes)', async () => {
    const read = await api.call('GET', `/competitions/${competitionId}`);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ title: euro(200), description: euro(10_000) });
    expect((read.body as { criteria: unknown[] }).criteria).toHaveLength(20);
  });

  it('refuses a numeric answer past 2^53 with a 400 (a 500 before), writing nothing', async () => {
    await expectRefusedUnwritten(
      () =>
        call('POST', `/competitions/${competitionId}/prequalification-responses`, 'owner-a', {
          answers: {
            'supplier.details-confirmed': true,
            'exclusion.mandatory': false,
            'exclusion.discretionary': false,
            'financial.annual-turnover-pence': 2 ** 60,
            'technical.relevant-experience': 'Three similar contracts.',
            'insurance.employers-liability-pence': 1,
            'insurance.public-liability-pence': 1,
            'policies.equality': true,
            'policies.safeguarding': true,
            'policies.health-and-safety': true,
          },
        }),
      'answers.financial.annual-turnover-pence',
    );
  });

  it('stores the largest response; a consortium of turnovers past 2^53 adds up to a safe integer', async () => {
    const consortium = members.slice(0, 2);
    for (const member of consortium) await agree(competitionId, member, providers.B ?? '');
    const response = await call(
      'POST',
      `/competitions/${competitionId}/prequalification-responses`,
      'owner-b',
      {
        providerId: providers.B,
        answers: { 'technical.relevant-experience': euro(10_000) },
        consortium: consortium.map((providerId) => ({ providerId, role: euro(100) })),
      },
    );
    expect(response.status, response.text.slice(0, 500)).toBe(201);
    expect(response.body).toMatchObject({
      automatic: { financial: { result: 'pass', combinedTurnoverPence: MAX } },
    });
  });

  it('refuses an answer one character too long, writing nothing', async () => {
    await expectRefusedUnwritten(
      () =>
        call('POST', `/competitions/${competitionId}/prequalification-responses`, 'owner-b', {
          providerId: providers.B,
          answers: { 'technical.relevant-experience': euro(10_001) },
        }),
      'answers.technical.relevant-experience',
    );
  });

  it('stores the largest declaration and refuses a longer one', async () => {
    const conflicts = (count: number, nature: number) =>
      Array.from({ length: count }, (_, i) => ({
        organisationId: `${String(i).padStart(2, '0')}${euro(62)}`,
        nature: euro(nature),
      }));
    await expectRefusedUnwritten(
      () =>
        call('POST', `/competitions/${competitionId}/declarations`, 'declarer', {
          conflicts: conflicts(50, 2001),
        }),
      'conflicts.0.nature',
    );
    const declared = await call('POST', `/competitions/${competitionId}/declarations`, 'declarer', {
      conflicts: conflicts(50, 2000),
    });
    expect(declared.status, declared.text.slice(0, 300)).toBe(201);
  });
});

describe('the largest bid, scores and moderation (item 4)', () => {
  const quality = Array.from({ length: 19 }, (_, i) => `q${String(i).padStart(2, '0')}`);
  let competitionId: string;
  let tenderDeadline: string;
  let bidId: string;

  const bid = (responses: Record<string, string>) => ({
    pricePence: 50_000_00,
    qualityResponses: responses,
    subcontractors: Array.from({ length: 50 }, () => ({
      name: euro(200),
      services: [...SERVICES],
      sharePercent: 2,
    })),
    consortium: members.map((providerId) => ({ providerId, role: euro(100) })),
  });
  const largest = () => Object.fromEntries(quality.map((id) => [id, euro(5_000)]));
  const scores = (note: 'justification' | 'rationale', characters: number) => ({
    scores: quality.map((criterionId) => ({ criterionId, score: 3, [note]: euro(characters) })),
  });

  beforeAll(async () => {
    // Tier none (low risk, £80k): bids straight after publication; tenders close in seconds.
    tenderDeadline = inSeconds(25);
    const created = await call(
      'POST',
      '/competitions',
      'lead',
      competitionBody({
        regions: ['london'],
        services: ['health'],
        estimatedValuePence: 80_000_00,
        termMonths: 12,
        risk: 'low',
        prequalificationDeadline: undefined,
        tenderDeadline,
        criteria: [
          ...quality.map((id) => ({ id, name: id, kind: 'quality', weight: 5 })),
          { id: 'price', name: 'Price', kind: 'price', weight: 5 },
        ],
      }),
    );
    expect(created.status, created.text).toBe(201);
    competitionId = (created.body as { id: string }).id;
    expect((await call('POST', `/competitions/${competitionId}/publish`, 'lead')).status).toBe(200);
    const panel = await call('PUT', `/competitions/${competitionId}/panel`, 'lead', {
      evaluators: ['evaluator', 'evaluator-2'],
      moderator: 'moderator',
    });
    expect(panel.status, panel.text).toBe(200);
    for (const who of ['lead', 'evaluator', 'evaluator-2', 'moderator']) {
      expect(
        (await call('POST', `/competitions/${competitionId}/declarations`, who, { conflicts: [] })).status,
      ).toBe(201);
    }
  });

  it('saves and submits the largest bid', async () => {
    const saved = await call('PUT', `/competitions/${competitionId}/bid`, 'bidder-owner', bid(largest()));
    expect(saved.status, saved.text.slice(0, 500)).toBe(200);
    await Promise.all(members.map((member) => agree(competitionId, member, providers.BIDDER ?? '')));
    const submitted = await call('POST', `/competitions/${competitionId}/bid/submit`, 'bidder-owner');
    expect(submitted.status, submitted.text.slice(0, 500)).toBe(200);
    bidId = (submitted.body as { bidId: string }).bidId;
  });

  it('refuses a response one character too long, writing nothing', async () => {
    await expectRefusedUnwritten(
      () =>
        call('PUT', `/competitions/${competitionId}/bid`, 'bidder-owner', {
          ...bid(largest()),
          qualityResponses: { ...largest(), q00: euro(5_001) },
        }),
      'qualityResponses.q00',
    );
  });

  it('refuses a bid too large for one item with a 400 (a 500 before), writing nothing', async () => {
    const responses = Object.fromEntries(quality.slice(0, 9).map((id) => [id, 'x'.repeat(50_000)]));
    await expectRefusedUnwritten(
      () =>
        call('PUT', `/competitions/${competitionId}/bid`, 'bidder-owner', {
          pricePence: 1,
          qualityResponses: responses,
        }),
      'qualityResponses.q00',
    );
  });

  it('stores the largest scores and moderation; longer ones are refused, writing nothing', async () => {
    const wait = Date.parse(tenderDeadline) - Date.now() + 250;
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const path = `/competitions/${competitionId}/bids/${bidId}`;
    // The old limit (10,000 characters each): 570 KB of justifications, past what one item holds.
    await expectRefusedUnwritten(
      () => call('PUT', `${path}/scores`, 'evaluator', scores('justification', 10_000)),
      'scores.0.justification',
    );
    await expectRefusedUnwritten(
      () => call('PUT', `${path}/scores`, 'evaluator', scores('justification', 5_001)),
      'scores.0.justification',
    );
    for (const who of ['evaluator', 'evaluator-2']) {
      const scored = await call('PUT', `${path}/scores`, who, scores('justification', 5_000));
      expect(scored.status, scored.text.slice(0, 500)).toBe(200);
    }
    await expectRefusedUnwritten(
      () => call('PUT', `${path}/moderated-scores`, 'moderator', scores('rationale', 5_001)),
      'scores.0.rationale',
    );
    const moderated = await call('PUT', `${path}/moderated-scores`, 'moderator', scores('rationale', 5_000));
    expect(moderated.status, moderated.text.slice(0, 500)).toBe(200);
    const evaluation = await call('GET', `/competitions/${competitionId}/evaluation`, 'lead');
    expect(evaluation.status, evaluation.text.slice(0, 500)).toBe(200);
    // 19 criteria of weight 5 scored 3 of 5, and the only price: 19 × 3 + 5.
    expect(evaluation.body).toMatchObject({ complete: true, ranking: [{ bidId, totalPoints: 62 }] });
  });
});
