/**
 * Payment by results over HTTP (issue 18): the mechanism set, read and refused when it would change
 * retroactively; a cohort, its results refused before the follow-up and with the wrong sizes, then entered
 * as CSV with the payment returned; claims, the same participant refused for the same outcome (409, nothing
 * written) and personal data refused without being echoed; the wall's connection rule on decisions; a
 * partial validation and the statement's figures, as JSON and CSV; and who may see what.
 *
 * The contract runs from 2024-04-01 to 2029-03-31, so its early quarters are past (their follow-ups over)
 * and the quarter in progress is in it, whatever day the test runs on within that term.
 */
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nextQuarter } from '../../shared/domain/payment-by-results/mechanism';
import { isoDay, periodOf } from '../../shared/domain/subcontracting';
import { startTestApi, type TestApi } from '../support/api';
import { charityRegistration } from '../support/fixtures';
import { joinOrganisation } from '../support/members';

let api: TestApi;
let commissioner: string;
let admin: string;
let primeOwner: string;
let primeMember: string;
let subOwner: string;
let stranger: string;
/** A commissioner who is also a member of the prime. */
let primeCommissioner: string;
/** A commissioner who was a member of the registered sub-contractor and left. */
let formerSubCommissioner: string;

let primeId: string;
let subId: string;
let contractId: string;
let claimId: string;

type Problem = {
  type: string;
  status: number;
  detail?: string;
  errors?: { path?: string; message: string }[];
};
type Claim = { id: string; status: string; participants: { ref: string }[]; decision: unknown };
type Statement = {
  contractId: string;
  through: string;
  periods: {
    period: string;
    mechanismVersion: number | null;
    upfrontPence: number;
    proxyClaimedPence: number;
    proxyPence: number;
    reoffendingPence: number;
    capReached: boolean;
    totalPence: number;
  }[];
  totals: { proxyClaimedPence: number; proxyPence: number; reoffendingPence: number; totalPence: number };
  claims: Record<string, number>;
};

const current = periodOf(isoDay(new Date()));

const terms = {
  fromPeriod: '2024-Q2',
  upfrontPercent: 10,
  proxyOutcomes: [
    { id: 'accommodation', name: 'Settled accommodation on release', tariffPence: 50_000 },
    { id: 'employment', name: 'Into work or training', tariffPence: 80_000 },
  ],
  reoffending: {
    binary: { baselineRatePercent: 40, tariffPence: 300_000 },
    frequency: { baselinePerPerson: 1.5, tariffPence: 20_000 },
    followUpMonths: 12,
  },
  tierMultipliers: { low: 1, medium: 1.25, high: 1.5, very_high: 2 },
};

async function registerVerified(token: string, overrides: Record<string, unknown>): Promise<string> {
  const created = await api.call('POST', '/providers', { token, body: charityRegistration(overrides) });
  expect(created.status, created.text).toBe(201);
  const id = (created.body as { id: string }).id;
  expect((await api.call('POST', `/providers/${id}/verify`, { token: admin })).status).toBe(200);
  return id;
}

const claimsPath = () => `/contracts/${contractId}/outcome-claims`;

async function claimCount(): Promise<number> {
  const list = await api.call('GET', `${claimsPath()}?limit=100`, { token: primeOwner });
  expect(list.status).toBe(200);
  return (list.body as { items: unknown[] }).items.length;
}

beforeAll(async () => {
  api = await startTestApi();
  commissioner = await api.token('pbr-commissioner', ['commissioner']);
  admin = await api.token('pbr-admin', ['admin']);
  primeOwner = await api.token('pbr-prime-owner');
  primeMember = await api.token('pbr-prime-member');
  subOwner = await api.token('pbr-sub-owner');
  stranger = await api.token('pbr-stranger');
  primeCommissioner = await api.token('pbr-prime-commissioner', ['commissioner']);
  formerSubCommissioner = await api.token('pbr-former-sub-commissioner', ['commissioner']);
  primeId = await registerVerified(primeOwner, { name: 'Northern Pathways Partnership', size: 'large' });
  subId = await registerVerified(subOwner, {
    name: 'Fresh Start Mentors',
    sector: 'voluntary',
    size: 'small',
  });
  await joinOrganisation(api, primeId, primeOwner, { sub: 'pbr-prime-member', token: primeMember });
  await joinOrganisation(api, primeId, primeOwner, {
    sub: 'pbr-prime-commissioner',
    token: primeCommissioner,
  });
  await joinOrganisation(api, subId, subOwner, {
    sub: 'pbr-former-sub-commissioner',
    token: formerSubCommissioner,
  });
  const left = await api.call('DELETE', `/providers/${subId}/members/pbr-former-sub-commissioner`, {
    token: formerSubCommissioner,
  });
  expect(left.status, left.text).toBeLessThan(300);

  const contract = await api.call('POST', '/contracts', {
    token: commissioner,
    body: {
      title: 'Resettlement by results, North East',
      primeProviderId: primeId,
      valuePence: 400_000_000,
      startDate: '2024-04-01',
      endDate: '2029-03-31',
      regions: ['north_east'],
      services: ['accommodation'],
    },
  });
  expect(contract.status, contract.text).toBe(201);
  contractId = (contract.body as { id: string }).id;
  const chain = await api.call('PUT', `/contracts/${contractId}/supply-chain`, {
    token: primeOwner,
    body: {
      subcontractors: [
        { ref: 'FSM-1', providerId: subId, services: ['accommodation'], plannedValuePence: 0 },
      ],
    },
  });
  expect(chain.status, chain.text).toBe(200);
});

afterAll(async () => {
  await api.stop();
});

describe('the payment mechanism', () => {
  it('is set by an unconnected commissioner and read by the prime’s members', async () => {
    const missing = await api.call('GET', `/contracts/${contractId}/payment-mechanism`, {
      token: primeMember,
    });
    expect(missing.status).toBe(404);
    for (const token of [primeOwner, primeCommissioner, formerSubCommissioner]) {
      const refused = await api.call('PUT', `/contracts/${contractId}/payment-mechanism`, {
        token,
        body: terms,
      });
      expect(refused.status).toBe(403);
    }
    const set = await api.call('PUT', `/contracts/${contractId}/payment-mechanism`, {
      token: commissioner,
      body: terms,
    });
    expect(set.status, set.text).toBe(200);
    expect(set.body).toMatchObject({ contractId, version: 1, fromPeriod: '2024-Q2', capPencePerYear: null });

    const read = await api.call('GET', `/contracts/${contractId}/payment-mechanism`, { token: primeMember });
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({
      version: 1,
      proxyOutcomes: terms.proxyOutcomes,
      versions: [{ version: 1 }],
    });
  });

  it('refuses a change that would reach back, and takes one from a quarter not yet begun', async () => {
    for (const fromPeriod of [current, '2024-Q3']) {
      const refused = await api.call('PUT', `/contracts/${contractId}/payment-mechanism`, {
        token: commissioner,
        body: { ...terms, fromPeriod },
      });
      expect(refused.status).toBe(400);
      expect((refused.body as Problem).errors?.[0]?.path).toBe('fromPeriod');
    }
    const later = await api.call('PUT', `/contracts/${contractId}/payment-mechanism`, {
      token: commissioner,
      body: { ...terms, fromPeriod: nextQuarter(current), capPencePerYear: 10_000_000 },
    });
    expect(later.status, later.text).toBe(200);
    expect(later.body).toMatchObject({ version: 2, fromPeriod: nextQuarter(current) });
    const read = await api.call('GET', `/contracts/${contractId}/payment-mechanism`, { token: commissioner });
    expect((read.body as { versions: { version: number }[] }).versions.map((v) => v.version)).toEqual([1, 2]);
  });

  it('refuses Object.prototype names as outcome ids and unknown tiers, writing nothing', async () => {
    const badId = await api.call('PUT', `/contracts/${contractId}/payment-mechanism`, {
      token: commissioner,
      body: {
        ...terms,
        fromPeriod: nextQuarter(nextQuarter(current)),
        proxyOutcomes: [{ id: 'constructor', name: 'x', tariffPence: 1 }],
      },
    });
    expect(badId.status).toBe(400);
    expect((badId.body as Problem).errors?.[0]?.path).toBe('proxyOutcomes.0.id');
    const badTier = await api.call('PUT', `/contracts/${contractId}/payment-mechanism`, {
      token: commissioner,
      rawBody: JSON.stringify({ ...terms, fromPeriod: nextQuarter(nextQuarter(current)) }).replace(
        '"very_high":2',
        '"very_high":2,"__proto__":{"x":1}',
      ),
      headers: { 'content-type': 'application/json' },
    });
    expect(badTier.status, badTier.text).toBe(400);
    const read = await api.call('GET', `/contracts/${contractId}/payment-mechanism`, { token: commissioner });
    expect((read.body as { version: number }).version).toBe(2);
  });
});

describe('cohorts and results', () => {
  it('takes a cohort, and refuses tier keys that are not risk tiers, writing nothing', async () => {
    for (const rawBody of ['{"tiers":{"constructor":{"size":1}}}', '{"tiers":{"__proto__":{"size":1}}}']) {
      const refused = await api.call('PUT', `/contracts/${contractId}/cohorts/2024-Q2`, {
        token: commissioner,
        rawBody,
        headers: { 'content-type': 'application/json' },
      });
      expect(refused.status, refused.text).toBe(400);
    }
    const none = await api.call('GET', `/contracts/${contractId}/cohorts`, { token: commissioner });
    expect(none.body).toEqual({ items: [], nextCursor: null });

    const refused = await api.call('PUT', `/contracts/${contractId}/cohorts/2024-Q2`, {
      token: primeOwner,
      body: { tiers: { low: { size: 40 } } },
    });
    expect(refused.status).toBe(403);
    const cohort = await api.call('PUT', `/contracts/${contractId}/cohorts/2024-Q2`, {
      token: commissioner,
      body: { tiers: { low: { size: 40 }, high: { size: 10 } } },
    });
    expect(cohort.status, cohort.text).toBe(200);
    expect(cohort.body).toMatchObject({
      period: '2024-Q2',
      tiers: { low: { size: 40 }, high: { size: 10 } },
      results: null,
      resultsFrom: '2025-07-01',
    });
  });

  it('refuses results before the follow-up is over', async () => {
    const cohort = await api.call('PUT', `/contracts/${contractId}/cohorts/${current}`, {
      token: commissioner,
      body: { tiers: { medium: { size: 5 } } },
    });
    expect(cohort.status, cohort.text).toBe(200);
    const early = await api.call('PUT', `/contracts/${contractId}/cohorts/${current}/results`, {
      token: commissioner,
      body: { tiers: { medium: { size: 5, reoffenders: 1, reoffences: 1 } } },
    });
    expect(early.status).toBe(409);
    expect(early.body).toMatchObject({ type: '/problems/invalid-state' });
  });

  it('refuses results whose sizes are not the cohort’s', async () => {
    const wrong = await api.call('PUT', `/contracts/${contractId}/cohorts/2024-Q2/results`, {
      token: commissioner,
      body: {
        tiers: {
          low: { size: 41, reoffenders: 10, reoffences: 14 },
          high: { size: 10, reoffenders: 3, reoffences: 5 },
        },
      },
    });
    expect(wrong.status).toBe(400);
    expect((wrong.body as Problem).errors?.map((e) => e.path)).toEqual(['tiers.low.size']);
  });

  it('refuses a CSV with an unknown tier or too many rows', async () => {
    for (const rawBody of [
      'tier,size,reoffenders,reoffences\nconstructor,40,10,14\n',
      `tier,size,reoffenders,reoffences\n${'low,40,10,14\n'.repeat(5)}`,
      'tier,size,reoffenders,reoffences\nlow,forty,10,14\n',
    ]) {
      const refused = await api.call('PUT', `/contracts/${contractId}/cohorts/2024-Q2/results`, {
        token: commissioner,
        rawBody,
        headers: { 'content-type': 'text/csv' },
      });
      expect(refused.status, refused.text).toBe(400);
    }
    const big = await api.call('PUT', `/contracts/${contractId}/cohorts/2024-Q2/results`, {
      token: commissioner,
      rawBody: `tier,size,reoffenders,reoffences\n${' '.repeat(3000)}\n`,
      headers: { 'content-type': 'text/csv' },
    });
    expect(big.status).toBe(413);
  });

  it('takes results as CSV and returns the re-offending payment, tier by tier', async () => {
    const csv = 'tier,size,reoffenders,reoffences\r\nlow,40,10,14\r\nhigh,10,3,5\r\n';
    const entered = await api.call('PUT', `/contracts/${contractId}/cohorts/2024-Q2/results`, {
      token: commissioner,
      rawBody: csv,
      headers: { 'content-type': 'text/csv' },
    });
    expect(entered.status, entered.text).toBe(200);
    // Binary: low (16 − 10) × £3,000 × 1 = £18,000; high (4 − 3) × £3,000 × 1.5 = £4,500.
    // Frequency: low (60 − 14) × £200 × 1 = £9,200; high (15 − 5) × £200 × 1.5 = £3,000.
    expect(entered.body).toMatchObject({
      period: '2024-Q2',
      resultsVersion: 1,
      changed: true,
      reoffendingPence: 3_470_000,
      reoffending: {
        pence: 3_470_000,
        tiers: {
          low: { binaryPence: 1_800_000, frequencyPence: 920_000 },
          high: { binaryPence: 450_000, frequencyPence: 300_000 },
        },
      },
    });
    const again = await api.call('PUT', `/contracts/${contractId}/cohorts/2024-Q2/results`, {
      token: commissioner,
      rawBody: csv,
      headers: { 'content-type': 'text/csv' },
    });
    expect(again.body).toMatchObject({ resultsVersion: 1, changed: false });
    const list = await api.call('GET', `/contracts/${contractId}/cohorts`, { token: primeMember });
    expect((list.body as { items: { period: string }[] }).items.map((c) => c.period)).toEqual([
      '2024-Q2',
      current,
    ]);
  });
});

describe('claims', () => {
  const claim = {
    outcomeId: 'accommodation',
    period: '2024-Q3',
    tier: 'high',
    participants: [
      { ref: 'PRV-004217', evidenceDate: '2024-08-14' },
      { ref: 'PRV-004218', evidenceDate: '2024-08-20', note: 'Tenancy signed' },
      { ref: 'PRV-004219', evidenceDate: '2024-09-02' },
    ],
  };

  it('takes a claim from an owner of the prime, not from a member', async () => {
    const refused = await api.call('POST', claimsPath(), { token: primeMember, body: claim });
    expect(refused.status).toBe(403);
    const submitted = await api.call('POST', claimsPath(), { token: primeOwner, body: claim });
    expect(submitted.status, submitted.text).toBe(201);
    expect(submitted.body).toMatchObject({ status: 'submitted', outcomeId: 'accommodation', decision: null });
    claimId = (submitted.body as Claim).id;
    const read = await api.call('GET', `${claimsPath()}/${claimId}`, { token: primeMember });
    expect(read.status).toBe(200);
    expect((read.body as Claim).participants.map((p) => p.ref)).toEqual([
      'PRV-004217',
      'PRV-004218',
      'PRV-004219',
    ]);
  });

  it('refuses a participant already claimed for the same outcome (409), writing nothing', async () => {
    const before = await claimCount();
    const again = await api.call('POST', claimsPath(), {
      token: primeOwner,
      body: {
        ...claim,
        participants: [
          { ref: 'PRV-005001', evidenceDate: '2024-08-14' },
          { ref: 'prv-004218', evidenceDate: '2024-08-14' },
        ],
      },
    });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ type: '/problems/conflict' });
    expect(again.text).not.toContain('004218');
    expect(await claimCount()).toBe(before);
    // PRV-005001 was not claimed by the refused claim: it can be claimed on its own.
    const other = await api.call('POST', claimsPath(), {
      token: primeOwner,
      body: { ...claim, participants: [{ ref: 'PRV-005001', evidenceDate: '2024-08-14' }] },
    });
    expect(other.status, other.text).toBe(201);
    // The same participant for another outcome is another claim.
    const employment = await api.call('POST', claimsPath(), {
      token: primeOwner,
      body: {
        ...claim,
        outcomeId: 'employment',
        participants: [{ ref: 'PRV-004217', evidenceDate: '2024-09-01' }],
      },
    });
    expect(employment.status, employment.text).toBe(201);
  });

  it('refuses a name or a date of birth as a reference without repeating it', async () => {
    const before = await claimCount();
    for (const ref of ['Jane Smith', '1990-05-12', 'smith-jane-42']) {
      const refused = await api.call('POST', claimsPath(), {
        token: primeOwner,
        body: { ...claim, participants: [{ ref, evidenceDate: '2024-08-14' }] },
      });
      expect(refused.status, ref).toBe(400);
      expect((refused.body as Problem).errors?.[0]?.path).toBe('participants.0.ref');
      expect(refused.text).not.toContain(ref);
      expect(refused.text.toLowerCase()).not.toContain('smith');
      expect(refused.text).not.toContain('1990');
    }
    // Personal data typed as a field name is not repeated either.
    const field = await api.call('POST', claimsPath(), {
      token: primeOwner,
      body: { ...claim, participants: [{ ref: 'PRV-006001', evidenceDate: '2024-08-14', 'Jane Smith': 1 }] },
    });
    expect(field.status).toBe(400);
    expect(field.text).not.toContain('Jane');
    expect(await claimCount()).toBe(before);
  });

  it('lists claims awaiting a decision, a page at a time', async () => {
    const first = await api.call('GET', `${claimsPath()}?limit=2&awaiting=true`, { token: commissioner });
    expect(first.status).toBe(200);
    const page = first.body as { items: Claim[]; nextCursor: string | null };
    expect(page.items).toHaveLength(2);
    expect(page.items[0]?.id).toBe(claimId);
    expect(page.nextCursor).not.toBeNull();
    const rest = await api.call(
      'GET',
      `${claimsPath()}?limit=2&awaiting=true&cursor=${encodeURIComponent(String(page.nextCursor))}`,
      { token: commissioner },
    );
    expect((rest.body as { items: Claim[] }).items).toHaveLength(1);
  });
});

describe('decisions and the statement', () => {
  it('refuses a commissioner who is or was a member of the prime or a registered sub-contractor', async () => {
    for (const token of [primeCommissioner, formerSubCommissioner]) {
      const refused = await api.call('POST', `${claimsPath()}/${claimId}/decision`, {
        token,
        body: { decision: 'validated', reason: 'Looks right' },
      });
      expect(refused.status, refused.text).toBe(403);
      expect(refused.body).toMatchObject({ type: '/problems/ethical-wall' });
    }
    const byOwner = await api.call('POST', `${claimsPath()}/${claimId}/decision`, {
      token: primeOwner,
      body: { decision: 'validated', reason: 'Mine' },
    });
    expect(byOwner.status).toBe(403);
    const read = await api.call('GET', `${claimsPath()}/${claimId}`, { token: commissioner });
    expect(read.body).toMatchObject({ status: 'submitted', decision: null });
  });

  it('validates part of a claim, and releases the rest to be claimed again', async () => {
    const decided = await api.call('POST', `${claimsPath()}/${claimId}/decision`, {
      token: commissioner,
      body: {
        decision: 'partly-validated',
        validatedRefs: ['PRV-004217', 'PRV-004218'],
        reason: 'No evidence of a tenancy for the third participant.',
      },
    });
    expect(decided.status, decided.text).toBe(200);
    expect(decided.body).toMatchObject({
      status: 'partly-validated',
      decision: { decision: 'partly-validated', validatedRefs: ['PRV-004217', 'PRV-004218'] },
    });
    const twice = await api.call('POST', `${claimsPath()}/${claimId}/decision`, {
      token: commissioner,
      body: { decision: 'rejected', reason: 'Changed my mind' },
    });
    expect(twice.status).toBe(409);
    const reclaimed = await api.call('POST', claimsPath(), {
      token: primeOwner,
      body: {
        outcomeId: 'accommodation',
        period: '2024-Q4',
        tier: 'low',
        participants: [{ ref: 'PRV-004219', evidenceDate: '2024-11-02' }],
      },
    });
    expect(reclaimed.status, reclaimed.text).toBe(201);
  });

  it('shows the proxy figures and claim counts in the statement', async () => {
    const response = await api.call('GET', `/contracts/${contractId}/outcome-statement`, {
      token: primeMember,
    });
    expect(response.status, response.text).toBe(200);
    const statement = response.body as Statement;
    expect(statement.through).toBe(current);
    const q2 = statement.periods.find((p) => p.period === '2024-Q2');
    const q3 = statement.periods.find((p) => p.period === '2024-Q3');
    expect(q2).toMatchObject({ mechanismVersion: 1, reoffendingPence: 3_470_000, proxyPence: 0 });
    // High tier (× 1.5): accommodation 4 claimed (3 + 1) at £500, 2 validated; employment 1 claimed at £800.
    expect(q3).toMatchObject({ proxyClaimedPence: 420_000, proxyPence: 150_000, reoffendingPence: 0 });
    expect(statement.claims).toEqual({ submitted: 3, validated: 0, 'partly-validated': 1, rejected: 0 });
    expect(statement.totals).toMatchObject({ proxyPence: 150_000, reoffendingPence: 3_470_000 });
  });

  it('gives the statement as CSV when asked', async () => {
    const response = await api.call('GET', `/contracts/${contractId}/outcome-statement`, {
      token: commissioner,
      headers: { accept: 'text/csv' },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(response.headers.get('content-disposition')).toMatch(/attachment; filename="outcome-statement-/);
    const rows = parse(response.text, { bom: true }) as string[][];
    expect(rows[0]?.[0]).toBe('Period');
    const q3 = rows.find((row) => row[0] === '2024-Q3');
    expect(q3?.slice(3, 7)).toEqual([expect.any(String), '4200.00', '1500.00', '0.00']);
    expect(rows.at(-1)?.[0]).toBe('Total to date');
    expect(response.text).not.toContain('PRV-');
    const json = await api.call('GET', `/contracts/${contractId}/outcome-statement`, {
      token: commissioner,
      headers: { accept: 'application/json, text/csv;q=0.5' },
    });
    expect(json.headers.get('content-type')).toMatch(/^application\/json/);
  });

  it('is not found for a sub-contractor’s members and unrelated providers', async () => {
    for (const token of [subOwner, stranger]) {
      for (const path of [
        `/contracts/${contractId}/outcome-statement`,
        `/contracts/${contractId}/payment-mechanism`,
        `${claimsPath()}/${claimId}`,
        claimsPath(),
      ]) {
        expect((await api.call('GET', path, { token })).status, path).toBe(404);
      }
    }
  });
});
