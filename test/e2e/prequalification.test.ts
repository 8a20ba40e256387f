/**
 * Pre-qualification over HTTP: publish → respond alone and as a consortium (with the refusals) → deadline
 * → declarations → insiders read responses with automatic results → evaluators mark → the lead shortlists
 * → applicants are told; outsiders of each kind are refused with the right problem and an audit event.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEALED } from '../../shared/domain/audit-redaction';
import { startTestApi, type TestApi } from '../support/api';
import { competitionBody, inSeconds } from '../support/competitions';
import { accreditationAnswers, charityRegistration } from '../support/fixtures';
import { joinOrganisation } from '../support/members';
import { startTestDelivery, type TestDelivery } from '../support/outbox';

let api: TestApi;
/** The outbox's delivery (issue 17): outcomes reach inboxes through it. */
let delivery: TestDelivery;
const tokens: Record<string, string> = {};
const providers: Record<string, string> = {};
let competitionId: string;
let prequalificationDeadline: string;

const call = (method: string, path: string, who: string, body?: unknown) =>
  api.call(method, path, { token: tokens[who] ?? '', ...(body !== undefined ? { body } : {}) });

async function provider(
  key: string,
  owner: string,
  options: { verify?: boolean; turnoverPence?: number } = {},
) {
  const registered = await call(
    'POST',
    '/providers',
    owner,
    charityRegistration({ name: `Provider ${key}`, regions: ['london'], services: ['health'] }),
  );
  const id = (registered.body as { id: string }).id;
  providers[key] = id;
  if (options.verify !== false) await call('POST', `/providers/${id}/verify`, 'admin');
  if (options.turnoverPence !== undefined) {
    const answers = accreditationAnswers() as { financial: { annualTurnoverPence: number } };
    answers.financial.annualTurnoverPence = options.turnoverPence;
    await call('PUT', `/providers/${id}/accreditation`, owner, answers);
  }
  return id;
}

const technical = {
  'technical.relevant-experience': 'Three NHS-funded resettlement health contracts since 2023.',
};

beforeAll(async () => {
  api = await startTestApi();
  delivery = await startTestDelivery();
  for (const [sub, groups] of [
    ['lead', ['commissioner']],
    ['evaluator', ['commissioner']],
    ['moderator', ['commissioner']],
    ['inhouse-commissioner', ['commissioner']],
    ['admin', ['admin']],
    ['auditor', ['auditor']],
    ['owner-a', []],
    ['owner-b', []],
    ['owner-c', []],
    ['owner-d', []],
    ['owner-e', []],
  ] as const) {
    tokens[sub] = await api.token(sub, [...groups]);
  }
  await provider('A', 'owner-a', { turnoverPence: 250_000_00 });
  await provider('B', 'owner-b');
  await provider('C', 'owner-c', { turnoverPence: 120_000_00 });
  await provider('D', 'owner-d', { turnoverPence: 100_000_00 });
  await provider('E', 'owner-e', { verify: false });
  // The in-house team: a public-sector organisation whose member also holds the commissioner group.
  await joinOrganisation(api, providers.B ?? '', tokens['owner-b'] ?? '', {
    sub: 'inhouse-commissioner',
    token: tokens['inhouse-commissioner'] ?? '',
  });

  prequalificationDeadline = inSeconds(10);
  const created = await call(
    'POST',
    '/competitions',
    'lead',
    competitionBody({
      regions: ['london'],
      services: ['health'],
      prequalificationDeadline,
      tenderDeadline: inSeconds(3600),
    }),
  );
  competitionId = (created.body as { id: string }).id;
  await call('POST', `/competitions/${competitionId}/publish`, 'lead');
  await call('PUT', `/competitions/${competitionId}/panel`, 'lead', {
    evaluators: ['evaluator', 'inhouse-commissioner'],
    moderator: 'moderator',
  });
});

afterAll(async () => {
  await api.stop();
  await delivery?.stop();
});

describe('before the deadline', () => {
  it('serves the questionnaire of the tier, marking what accreditation answers', async () => {
    const response = await api.call('GET', `/competitions/${competitionId}/questionnaire`);
    expect(response.status).toBe(200);
    const body = response.body as {
      tier: string;
      sections: { id: string; questions: { id: string; answeredByAccreditation: boolean }[] }[];
    };
    expect(body.tier).toBe('core');
    expect(body.sections.map((s) => s.id)).toEqual([
      'supplier',
      'exclusion',
      'financial',
      'technical',
      'insurance',
      'policies',
    ]);
    const questions = body.sections.flatMap((s) => s.questions);
    expect(questions.find((q) => q.id === 'technical.relevant-experience')?.answeredByAccreditation).toBe(
      false,
    );
    expect(questions.find((q) => q.id === 'financial.annual-turnover-pence')?.answeredByAccreditation).toBe(
      true,
    );
  });

  it('takes an accredited applicant’s answers from its accreditation, and names a missing answer', async () => {
    const missing = await call(
      'POST',
      `/competitions/${competitionId}/prequalification-responses`,
      'owner-a',
      { answers: {} },
    );
    expect(missing.status).toBe(400);
    expect((missing.body as { errors: { path: string }[] }).errors.map((e) => e.path)).toEqual([
      'answers.technical.relevant-experience',
    ]);
    const submitted = await call(
      'POST',
      `/competitions/${competitionId}/prequalification-responses`,
      'owner-a',
      { answers: technical },
    );
    expect(submitted.status).toBe(201);
    expect(submitted.body).toMatchObject({
      status: 'submitted',
      providerId: providers.A,
      automatic: { exclusion: { result: 'pass' }, financial: { result: 'pass' } },
    });
  });

  it('makes an unaccredited applicant answer everything, and fails low turnover', async () => {
    const partial = await call(
      'POST',
      `/competitions/${competitionId}/prequalification-responses`,
      'owner-b',
      { answers: technical },
    );
    expect(partial.status).toBe(400);
    expect((partial.body as { errors: unknown[] }).errors.length).toBeGreaterThan(5);
    const full = await call('POST', `/competitions/${competitionId}/prequalification-responses`, 'owner-b', {
      answers: {
        ...technical,
        'supplier.details-confirmed': true,
        'exclusion.mandatory': false,
        'exclusion.discretionary': false,
        'financial.annual-turnover-pence': 50_000_00,
        'insurance.employers-liability-pence': 5_000_000_00,
        'insurance.public-liability-pence': 1_000_000_00,
        'policies.equality': true,
        'policies.safeguarding': true,
        'policies.health-and-safety': true,
      },
    });
    expect(full.status).toBe(201);
    expect(full.body).toMatchObject({
      automatic: { financial: { result: 'fail', combinedTurnoverPence: 50_000_00 } },
    });
  });

  it('combines a consortium’s turnover, and refuses unaccredited or unverified members', async () => {
    const bad = await call('POST', `/competitions/${competitionId}/prequalification-responses`, 'owner-d', {
      answers: technical,
      consortium: [
        { providerId: providers.E, role: 'delivery partner' },
        { providerId: providers.B, role: 'delivery partner' },
      ],
    });
    expect(bad.status).toBe(400);
    expect((bad.body as { errors: { path: string }[] }).errors.map((e) => e.path)).toEqual([
      'consortium.0.providerId',
      'consortium.1.providerId',
    ]);
    const withC = { answers: technical, consortium: [{ providerId: providers.C, role: 'delivery partner' }] };
    const unagreed = await call(
      'POST',
      `/competitions/${competitionId}/prequalification-responses`,
      'owner-d',
      withC,
    );
    expect(unagreed.status).toBe(400);
    expect(unagreed.body).toMatchObject({
      errors: [{ path: 'consortium.0.providerId', message: expect.stringContaining('has not agreed') }],
    });
    const agreed = await call('POST', `/competitions/${competitionId}/partnerships`, 'owner-c', {
      providerId: providers.C,
      bidderId: providers.D,
      role: 'consortium-member',
    });
    expect(agreed.status).toBe(201);
    const good = await call(
      'POST',
      `/competitions/${competitionId}/prequalification-responses`,
      'owner-d',
      withC,
    );
    expect(good.status).toBe(201);
    expect(good.body).toMatchObject({
      automatic: { financial: { result: 'pass', combinedTurnoverPence: 220_000_00 } },
    });
  });

  it('refuses an unverified applicant and keeps responses closed to insiders', async () => {
    const unverified = await call(
      'POST',
      `/competitions/${competitionId}/prequalification-responses`,
      'owner-e',
      { answers: technical },
    );
    expect(unverified.status).toBe(403);
    await call('POST', `/competitions/${competitionId}/declarations`, 'lead', { conflicts: [] });
    const early = await call('GET', `/competitions/${competitionId}/prequalification-responses`, 'lead');
    expect(early.status).toBe(409);
    expect(early.body).toMatchObject({ type: '/problems/invalid-state' });
  });
});

describe('after the deadline', () => {
  beforeAll(async () => {
    const wait = Date.parse(prequalificationDeadline) - Date.now() + 200;
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  });

  it('shows the next status and accepts no late response', async () => {
    const view = await api.call('GET', `/competitions/${competitionId}`);
    expect(view.body).toMatchObject({ status: 'shortlisting' });
    const late = await call('POST', `/competitions/${competitionId}/prequalification-responses`, 'owner-c', {
      answers: technical,
    });
    expect(late.status).toBe(409);
    expect(late.body).toMatchObject({ type: '/problems/deadline-passed' });
    // Nor an agreement to be named: while the panel shortlists it could only wall out the agreeing
    // organisation's own members (an owner could so lock a colleague on the panel out).
    const agreement = await call('POST', `/competitions/${competitionId}/partnerships`, 'owner-c', {
      providerId: providers.C,
      bidderId: providers.A,
      role: 'subcontractor',
    });
    expect(agreement.status).toBe(409);
    expect(agreement.body).toMatchObject({ type: '/problems/invalid-state' });
  });

  it('refuses each outsider with the right problem, and audits it', async () => {
    const cases: [string, string][] = [
      ['owner-a', '/problems/ethical-wall'],
      ['inhouse-commissioner', '/problems/ethical-wall'],
      ['evaluator', '/problems/declaration-required'],
      ['admin', '/problems/forbidden'],
    ];
    for (const [who, type] of cases) {
      const response = await call('GET', `/competitions/${competitionId}/prequalification-responses`, who);
      expect(response.status, who).toBe(403);
      expect(response.body, who).toMatchObject({ type });
    }
    const log = await call('GET', `/competitions/${competitionId}/audit?limit=100`, 'auditor');
    const denied = (
      log.body as { items: { action: string; actor: string; outcome: string; reason?: string }[] }
    ).items.filter((e) => e.action === 'prequalification.read' && e.outcome === 'denied');
    // Bids are sealed until the tender deadline: a refused applicant's name is hidden from the log and the
    // alerts (it would tell who is bidding); the commissioning side's own refusals are shown.
    const shown = (who: string) => (who === 'owner-a' ? SEALED : who);
    expect(denied.map((e) => [e.actor, e.reason])).toEqual(cases.map(([who, type]) => [shown(who), type]));
    const alerts = await call('GET', '/alerts?limit=100', 'auditor');
    const actors = (alerts.body as { items: { actor: string; competitionId: string }[] }).items
      .filter((a) => a.competitionId === competitionId)
      .map((a) => a.actor);
    expect(actors).toEqual(expect.arrayContaining([SEALED, 'inhouse-commissioner']));
    expect(actors).not.toContain('owner-a');
    expect(actors).not.toContain('evaluator');
  });

  it('lets insiders read responses with automatic results, evaluators mark, and the lead shortlist', async () => {
    await call('POST', `/competitions/${competitionId}/declarations`, 'evaluator', { conflicts: [] });
    const list = await call('GET', `/competitions/${competitionId}/prequalification-responses`, 'evaluator');
    expect(list.status).toBe(200);
    const items = (
      list.body as {
        items: {
          id: string;
          providerId: string;
          automatic: { financial: { result: string } };
          consortium: unknown[];
        }[];
      }
    ).items;
    expect(items).toHaveLength(3);
    const byProvider = Object.fromEntries(items.map((i) => [i.providerId, i]));
    expect(byProvider[providers.D ?? '']?.consortium).toEqual([
      { providerId: providers.C, role: 'delivery partner', name: 'Provider C' },
    ]);

    const a = byProvider[providers.A ?? ''];
    const b = byProvider[providers.B ?? ''];
    const d = byProvider[providers.D ?? ''];
    const mark = await call(
      'PUT',
      `/competitions/${competitionId}/prequalification-responses/${a?.id}/marks`,
      'evaluator',
      {
        result: 'pass',
        comment: 'Strong, relevant experience.',
      },
    );
    expect(mark.status).toBe(200);
    const leadMarks = await call(
      'PUT',
      `/competitions/${competitionId}/prequalification-responses/${a?.id}/marks`,
      'lead',
      {
        result: 'pass',
        comment: 'x',
      },
    );
    expect(leadMarks.status).toBe(403);

    const failed = await call('POST', `/competitions/${competitionId}/shortlist`, 'lead', {
      responseIds: [a?.id, b?.id],
    });
    expect(failed.status).toBe(400);
    expect((failed.body as { errors: { path: string }[] }).errors.map((e) => e.path)).toEqual([
      'responseIds.1',
    ]);
    expect(
      (await call('POST', `/competitions/${competitionId}/shortlist`, 'evaluator', { responseIds: [a?.id] }))
        .status,
    ).toBe(403);
    const shortlisted = await call('POST', `/competitions/${competitionId}/shortlist`, 'lead', {
      responseIds: [a?.id, d?.id],
    });
    expect(shortlisted.status).toBe(200);
    expect(shortlisted.body).toMatchObject({ status: 'tendering' });

    // Each applicant's outcome reaches its inbox through the outbox's delivery (issue 17).
    await delivery.drain();
    const told = async (owner: string) =>
      ((await call('GET', '/me/notifications', owner)).body as { items: { type: string }[] }).items.map(
        (n) => n.type,
      );
    expect(await told('owner-a')).toContain('shortlisted');
    expect(await told('owner-d')).toContain('shortlisted');
    expect(await told('owner-b')).toContain('not-shortlisted');
    const verify = await call('GET', `/competitions/${competitionId}/audit/verify`, 'auditor');
    expect(verify.body).toMatchObject({ valid: true });
  });
});
