/**
 * Sub-contracting over HTTP: contract → supply chain → JSON return → CSV return with errors → amendment →
 * figures → sub-contractor view and dispute → national report, with the refusals along the way.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isoDay, periodOf } from '../../shared/domain/subcontracting';
import { startTestApi, type TestApi } from '../support/api';
import { charityRegistration } from '../support/fixtures';
import { joinOrganisation } from '../support/members';

let api: TestApi;
let commissioner: string;
let admin: string;
let auditor: string;
let primeOwner: string;
let primeMember: string;
let subOwner: string;
let stranger: string;

let primeId: string;
let subId: string;
let contractId: string;

type Problem = {
  type: string;
  status: number;
  detail?: string;
  errors?: { path?: string; row?: number; field?: string }[];
};
type Line = {
  lineId: string;
  subcontractorRef: string;
  invoiceRef: string;
  invoiceDate: string;
  paidDate: string;
  amountPence: number;
};
type Figures = {
  contractValuePence: number;
  subcontractedPence: number;
  subcontractedPercent: number;
  voluntaryPercent: number;
  smePercent: number;
  bySector: Record<string, { pence: number; percent: number }>;
  bySize: Record<string, { pence: number; percent: number }>;
  promptPayment: { invoices: number; paidWithin30DaysPercent: number; averageDaysToPay: number };
  target: { percent: number; met: boolean | null; pence: number };
};

async function registerVerified(token: string, overrides: Record<string, unknown>): Promise<string> {
  const created = await api.call('POST', '/providers', { token, body: charityRegistration(overrides) });
  expect(created.status).toBe(201);
  const id = (created.body as { id: string }).id;
  expect((await api.call('POST', `/providers/${id}/verify`, { token: admin })).status).toBe(200);
  return id;
}

beforeAll(async () => {
  api = await startTestApi();
  commissioner = await api.token('sc-commissioner', ['commissioner']);
  admin = await api.token('sc-admin', ['admin']);
  auditor = await api.token('sc-auditor', ['auditor']);
  primeOwner = await api.token('sc-prime-owner');
  primeMember = await api.token('sc-prime-member');
  subOwner = await api.token('sc-sub-owner');
  stranger = await api.token('sc-stranger');
  primeId = await registerVerified(primeOwner, { name: 'Pennine Resettlement Partnership', size: 'large' });
  subId = await registerVerified(subOwner, {
    name: 'Open Door Mentoring',
    sector: 'voluntary',
    size: 'small',
  });
  await joinOrganisation(api, primeId, primeOwner, { sub: 'sc-prime-member', token: primeMember });
});

afterAll(async () => {
  await api.stop();
});

const q1Lines = [
  // Open Door (voluntary, small): paid in 14 and 45 days.
  {
    subcontractorRef: 'OD-1',
    invoiceRef: 'OD-0001',
    invoiceDate: '2026-01-05',
    paidDate: '2026-01-19',
    amountPence: 1_200_000,
  },
  {
    subcontractorRef: 'OD-1',
    invoiceRef: 'OD-0002',
    invoiceDate: '2026-02-01',
    paidDate: '2026-03-18',
    amountPence: 800_000,
  },
  // Northern Security (private, large): 30 days exactly counts as prompt.
  {
    subcontractorRef: 'NS-1',
    invoiceRef: 'NS-77',
    invoiceDate: '2026-02-10',
    paidDate: '2026-03-12',
    amountPence: 3_000_000,
  },
];

describe('contracts', () => {
  it('lets a commissioner register a contract, refusing providers and bad bodies', async () => {
    const body = {
      title: 'Resettlement services, North',
      primeProviderId: primeId,
      valuePence: 200_000_000,
      startDate: '2025-04-01',
      endDate: '2028-03-31',
      regions: ['north_west', 'yorkshire_humber'],
      services: ['accommodation', 'education_training_employment'],
      subcontracting: { targetPercent: 10, voluntarySectorTargetPercent: 25 },
    };
    const refused = await api.call('POST', '/contracts', { token: primeOwner, body });
    expect(refused.status).toBe(403);
    const bad = await api.call('POST', '/contracts', {
      token: commissioner,
      body: { ...body, valuePence: -1, endDate: '2024-01-01', regions: ['national', 'london'] },
    });
    expect(bad.status).toBe(400);
    expect((bad.body as Problem).errors?.map((e) => e.path)).toContain('valuePence');

    const backwards = await api.call('POST', '/contracts', {
      token: commissioner,
      body: { ...body, endDate: '2024-01-01' },
    });
    expect(backwards.status).toBe(400);
    expect((backwards.body as Problem).errors).toEqual([
      { path: 'endDate', message: 'Must be on or after the start date' },
    ]);

    const created = await api.call('POST', '/contracts', { token: commissioner, body });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      competitionId: null,
      primeProviderId: primeId,
      valuePence: 200_000_000,
      subcontracting: { targetPercent: 10, voluntarySectorTargetPercent: 25 },
    });
    contractId = (created.body as { id: string }).id;
  });

  it("shows the contract to the prime's members and commissioners only", async () => {
    for (const token of [primeOwner, primeMember, commissioner, admin]) {
      const response = await api.call('GET', `/contracts/${contractId}`, { token });
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ id: contractId, startDate: '2025-04-01', endDate: '2028-03-31' });
    }
    for (const token of [subOwner, stranger]) {
      expect((await api.call('GET', `/contracts/${contractId}`, { token })).status).toBe(404);
    }
    const mine = await api.call('GET', `/providers/${primeId}/contracts`, { token: primeMember });
    expect(mine.body).toMatchObject({ items: [{ id: contractId }], nextCursor: null });
    const all = await api.call('GET', '/contracts?limit=5', { token: auditor });
    expect((all.body as { items: { id: string }[] }).items.map((c) => c.id)).toContain(contractId);
  });
});

describe('supply chain', () => {
  it('is declared by the prime owner, registered sub-contractors brought from the registry', async () => {
    const body = {
      subcontractors: [
        {
          ref: 'OD-1',
          providerId: subId,
          services: ['education_training_employment'],
          plannedValuePence: 10_000_000,
        },
        {
          ref: 'NS-1',
          name: 'Northern Security Services Ltd',
          sector: 'private',
          size: 'large',
          services: ['accommodation'],
          plannedValuePence: 20_000_000,
        },
        {
          ref: 'MC-1',
          name: 'Moorside CIC',
          sector: 'voluntary',
          size: 'micro',
          services: [],
          plannedValuePence: 0,
        },
      ],
    };
    for (const token of [primeMember, commissioner]) {
      const refused = await api.call('PUT', `/contracts/${contractId}/supply-chain`, { token, body });
      expect(refused.status).toBe(403);
    }
    const bad = await api.call('PUT', `/contracts/${contractId}/supply-chain`, {
      token: primeOwner,
      body: {
        subcontractors: [
          { ref: 'X 1', services: [], plannedValuePence: 0 },
          { ref: 'P', providerId: primeId },
        ],
      },
    });
    expect(bad.status).toBe(400);
    expect((bad.body as Problem).errors?.map((e) => e.path)).toEqual([
      'subcontractors.0.ref',
      'subcontractors.0.name',
      'subcontractors.0.sector',
      'subcontractors.0.size',
      'subcontractors.1.providerId',
    ]);

    const declared = await api.call('PUT', `/contracts/${contractId}/supply-chain`, {
      token: primeOwner,
      body,
    });
    expect(declared.status).toBe(200);
    expect(declared.body).toMatchObject({
      version: 1,
      subcontractors: [
        { ref: 'OD-1', providerId: subId, name: 'Open Door Mentoring', sector: 'voluntary', size: 'small' },
        { ref: 'NS-1', sector: 'private', size: 'large' },
        { ref: 'MC-1', sector: 'voluntary', size: 'micro' },
      ],
    });
    const read = await api.call('GET', `/contracts/${contractId}/supply-chain`, { token: commissioner });
    expect(read.body).toMatchObject({ version: 1 });
  });
});

describe('spend returns', () => {
  let q1: { version: number; lines: Line[] };

  it('files a JSON return as version 1, and the same body again returns it unchanged', async () => {
    const first = await api.call('PUT', `/contracts/${contractId}/spend-returns/2026-Q1`, {
      token: primeOwner,
      body: { lines: q1Lines },
    });
    expect(first.status).toBe(201);
    q1 = first.body as typeof q1;
    expect(first.body).toMatchObject({ period: '2026-Q1', version: 1, totalPence: 5_000_000, lineCount: 3 });
    expect(q1.lines.map((l) => l.lineId)).toHaveLength(3);

    const again = await api.call('PUT', `/contracts/${contractId}/spend-returns/2026-Q1`, {
      token: primeOwner,
      body: { lines: [...q1Lines].reverse() },
    });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ version: 1, totalPence: 5_000_000 });
  });

  it('refuses a return from anyone but the prime owner, and periods outside the rules', async () => {
    const body = { lines: q1Lines };
    expect(
      (await api.call('PUT', `/contracts/${contractId}/spend-returns/2026-Q1`, { token: primeMember, body }))
        .status,
    ).toBe(403);
    expect(
      (await api.call('PUT', `/contracts/${contractId}/spend-returns/2026-Q1`, { token: stranger, body }))
        .status,
    ).toBe(404);
    for (const period of ['2026-Q5', '2026Q1', '2024-Q4', '2099-Q1']) {
      const response = await api.call('PUT', `/contracts/${contractId}/spend-returns/${period}`, {
        token: primeOwner,
        body,
      });
      expect(response.status, period).toBe(400);
      expect((response.body as Problem).errors?.[0]?.path).toBe('params.period');
    }
  });

  it('refuses a return for the quarter in progress: only a quarter that is over can be reported', async () => {
    // The quarter the request falls in (whatever today is): never complete yet, so never fileable.
    const current = periodOf(isoDay(new Date()));
    const response = await api.call('PUT', `/contracts/${contractId}/spend-returns/${current}`, {
      token: primeOwner,
      body: { lines: q1Lines },
    });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ type: '/problems/validation' });
    expect((response.body as Problem).errors?.[0]).toMatchObject({
      path: 'params.period',
      message: expect.stringMatching(/has not ended yet|outside the contract/),
    });
    const stored = await api.call('GET', `/contracts/${contractId}/spend-returns/${current}`, {
      token: primeOwner,
    });
    expect(stored.status).toBe(404);
  });

  it('refuses a CSV return with bad lines, naming every row and field, and stores nothing', async () => {
    const csv = [
      'subcontractor_ref,invoice_ref,invoice_date,paid_date,amount',
      'OD-1,OD-0100,2026-04-02,2026-04-20,12.5',
      'ZZ-9,OD-0101,2026-04-02,2026-04-20,"1,000.00"',
      'NS-1,NS-0200,2026-05-10,2026-05-01,-3.00',
      'NS-1,NS-0201,2026-05-10,2026-07-02,1e3',
      // NS-0200 again from the same sub-contractor (from another it would be a line of its own).
      'NS-1,NS-0200,2026-06-31,2026-06-30,0.00',
    ].join('\r\n');
    const response = await api.call('PUT', `/contracts/${contractId}/spend-returns/2026-Q2`, {
      token: primeOwner,
      rawBody: csv,
      headers: { 'content-type': 'text/csv' },
    });
    expect(response.status).toBe(400);
    const problem = response.body as Problem;
    expect(problem.type).toBe('/problems/validation');
    expect(problem.errors?.map((e) => [e.row, e.field])).toEqual([
      [1, 'amount'],
      [2, 'subcontractor_ref'],
      [2, 'amount'],
      [3, 'paid_date'],
      [3, 'amount'],
      [4, 'paid_date'],
      [4, 'amount'],
      [5, 'invoice_ref'],
      [5, 'invoice_date'],
      [5, 'amount'],
    ]);
    const nothing = await api.call('GET', `/contracts/${contractId}/spend-returns/2026-Q2`, {
      token: primeOwner,
    });
    expect(nothing.status).toBe(404);
  });

  it('lists JSON problems by line index and field', async () => {
    const response = await api.call('PUT', `/contracts/${contractId}/spend-returns/2026-Q2`, {
      token: primeOwner,
      body: {
        lines: [
          { ...q1Lines[0], invoiceDate: '2026-04-01', paidDate: '2026-04-02', amountPence: 10.5 },
          { ...q1Lines[1], invoiceDate: '2026-04-01', paidDate: '2026-04-02', amountPence: '100' },
          { ...q1Lines[2], subcontractorRef: 'nope', invoiceDate: '2026-04-01', paidDate: '2026-04-02' },
        ],
      },
    });
    expect(response.status).toBe(400);
    expect((response.body as Problem).errors?.map((e) => e.path)).toEqual([
      'lines.0.amountPence',
      'lines.1.amountPence',
      'lines.2.subcontractorRef',
    ]);
  });

  it('files a valid CSV return, converting pounds to pence exactly', async () => {
    const csv = [
      'subcontractor_ref,invoice_ref,invoice_date,paid_date,amount',
      'OD-1,OD-0100,2026-04-02,2026-04-20,12345.67',
      'MC-1,MC-0001,2026-04-15,2026-06-30,0.10',
      'NS-1,"NS-02,00",2026-05-10,2026-05-11,1000.00',
      '',
    ].join('\n');
    const response = await api.call('PUT', `/contracts/${contractId}/spend-returns/2026-Q2`, {
      token: primeOwner,
      rawBody: csv,
      headers: { 'content-type': 'text/csv; charset=utf-8' },
    });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ version: 1, format: 'csv', totalPence: 1_234_567 + 10 + 100_000 });
    expect((response.body as { lines: Line[] }).lines.map((l) => l.invoiceRef)).toEqual([
      'OD-0100',
      'MC-0001',
      'NS-02,00',
    ]);
  });

  it('stores an amendment as version 2, keeping version 1', async () => {
    const amended = [
      { ...q1Lines[0], amountPence: 1_500_000 },
      q1Lines[1],
      // NS-77 dropped; a new micro line instead.
      {
        subcontractorRef: 'MC-1',
        invoiceRef: 'MC-0000',
        invoiceDate: '2026-03-01',
        paidDate: '2026-03-31',
        amountPence: 500_000,
      },
    ];
    const response = await api.call('PUT', `/contracts/${contractId}/spend-returns/2026-Q1`, {
      token: primeOwner,
      body: { lines: amended },
    });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ version: 2, totalPence: 2_800_000 });
    const lines = (response.body as { lines: Line[] }).lines;
    // The same invoice keeps its line id across versions.
    expect(lines[0]?.lineId).toBe(q1.lines[0]?.lineId);

    const v1 = await api.call('GET', `/contracts/${contractId}/spend-returns/2026-Q1?version=1`, {
      token: commissioner,
    });
    expect(v1.status).toBe(200);
    expect(v1.body).toMatchObject({ version: 1, latestVersion: 2, totalPence: 5_000_000 });
    const latest = await api.call('GET', `/contracts/${contractId}/spend-returns/2026-Q1`, {
      token: primeMember,
    });
    expect(latest.body).toMatchObject({ version: 2, latestVersion: 2, totalPence: 2_800_000 });
    const missing = await api.call('GET', `/contracts/${contractId}/spend-returns/2026-Q1?version=3`, {
      token: primeMember,
    });
    expect(missing.status).toBe(404);
  });
});

describe('figures', () => {
  it("counts the latest version of every return against the contract's value and targets", async () => {
    const response = await api.call('GET', `/contracts/${contractId}/subcontracting`, { token: primeMember });
    expect(response.status).toBe(200);
    const figures = response.body as Figures & { periods: (Figures & { period: string })[]; returns: number };
    // Q1 v2: OD 1,500,000 + 800,000 (voluntary small), MC 500,000 (voluntary micro).
    // Q2 v1: OD 1,234,567, MC 10, NS 100,000 (private large).
    const voluntary = 1_500_000 + 800_000 + 500_000 + 1_234_567 + 10;
    const total = voluntary + 100_000;
    expect(figures.contractValuePence).toBe(200_000_000);
    expect(figures.subcontractedPence).toBe(total);
    expect(figures.subcontractedPercent).toBe(Math.round((total / 200_000_000) * 10000) / 100);
    expect(figures.voluntaryPercent).toBe(Math.round((voluntary / total) * 10000) / 100);
    expect(figures.smePercent).toBe(figures.voluntaryPercent);
    expect(figures.bySize.large?.pence).toBe(100_000);
    expect(figures.bySector.private?.pence).toBe(100_000);
    // Days: 14, 45, 30 (Q1 v2) and 18, 76, 1 (Q2): 4 of 6 within 30 days.
    expect(figures.promptPayment).toMatchObject({
      invoices: 6,
      paidWithin30DaysPercent: 66.67,
      averageDaysToPay: Math.round(((14 + 45 + 30 + 18 + 76 + 1) / 6) * 100) / 100,
    });
    expect(figures.target).toMatchObject({ percent: 10, pence: 20_000_000, met: false });
    expect(figures.returns).toBe(2);
    expect(figures.periods.map((p) => [p.period, p.subcontractedPence])).toEqual([
      ['2026-Q1', 2_800_000],
      ['2026-Q2', 1_334_577],
    ]);
    expect(
      (await api.call('GET', `/contracts/${contractId}/subcontracting`, { token: subOwner })).status,
    ).toBe(404);
  });
});

describe('sub-contractor view and disputes', () => {
  let disputedLine: string;

  it('shows a registered sub-contractor only the lines reported as paid to it, in the latest versions', async () => {
    const response = await api.call('GET', `/providers/${subId}/subcontract-payments?limit=2`, {
      token: subOwner,
    });
    expect(response.status).toBe(200);
    const page = response.body as {
      items: (Line & { period: string; version: number })[];
      nextCursor: string;
    };
    expect(page.items).toHaveLength(2);
    expect(page.nextCursor).not.toBeNull();
    const rest = await api.call(
      'GET',
      `/providers/${subId}/subcontract-payments?limit=2&cursor=${page.nextCursor}`,
      { token: subOwner },
    );
    const all = [...page.items, ...(rest.body as { items: typeof page.items }).items];
    expect((rest.body as { nextCursor: unknown }).nextCursor).toBeNull();
    expect(all.map((l) => [l.period, l.version, l.invoiceRef, l.amountPence])).toEqual([
      ['2026-Q2', 1, 'OD-0100', 1_234_567],
      ['2026-Q1', 2, 'OD-0001', 1_500_000],
      ['2026-Q1', 2, 'OD-0002', 800_000],
    ]);
    disputedLine = all[1]?.lineId as string;
    expect(
      (await api.call('GET', `/providers/${subId}/subcontract-payments`, { token: stranger })).status,
    ).toBe(404);
    expect(
      (await api.call('GET', `/providers/${subId}/subcontract-payments`, { token: primeOwner })).status,
    ).toBe(404);
    expect(
      (await api.call('GET', `/providers/${subId}/subcontract-payments`, { token: commissioner })).status,
    ).toBe(403);
  });

  it('lets the sub-contractor dispute its line, and nobody else', async () => {
    const path = `/contracts/${contractId}/spend-returns/2026-Q1/lines/${disputedLine}/disputes`;
    for (const token of [primeOwner, stranger, commissioner]) {
      const refused = await api.call('POST', path, { token, body: { reason: 'Not ours' } });
      expect(refused.status).toBe(404);
    }
    const response = await api.call('POST', path, {
      token: subOwner,
      body: { reason: 'We invoiced £15,000 but were paid £12,000.' },
    });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({
      contractId,
      period: '2026-Q1',
      lineId: disputedLine,
      version: 2,
      providerId: subId,
      status: 'open',
      line: { invoiceRef: 'OD-0001', amountPence: 1_500_000 },
    });
    // One open dispute per line: a second is refused, and the payments view marks the line.
    const again = await api.call('POST', path, { token: subOwner, body: { reason: 'Still wrong.' } });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ type: '/problems/conflict' });
    expect((again.body as Problem).detail).toMatch(/OD-0001 in the 2026-Q1 return is already disputed/);
    const payments = await api.call('GET', `/providers/${subId}/subcontract-payments`, { token: subOwner });
    const marked = (payments.body as { items: { lineId: string; dispute: { id: string } | null }[] }).items;
    expect(marked.find((p) => p.lineId === disputedLine)?.dispute).toMatchObject({
      id: (response.body as { id: string }).id,
    });
    expect(marked.filter((p) => p.lineId !== disputedLine).every((p) => p.dispute === null)).toBe(true);
    const nsLine = (
      (
        await api.call('GET', `/contracts/${contractId}/spend-returns/2026-Q1?version=1`, {
          token: primeOwner,
        })
      ).body as { lines: Line[] }
    ).lines.find((l) => l.invoiceRef === 'NS-77');
    const other = await api.call(
      'POST',
      `/contracts/${contractId}/spend-returns/2026-Q1/lines/${nsLine?.lineId}/disputes`,
      { token: subOwner, body: { reason: 'x' } },
    );
    expect(other.status).toBe(404);
  });

  it("shows disputes on the prime's return and to commissioners", async () => {
    for (const token of [primeOwner, commissioner]) {
      const view = await api.call('GET', `/contracts/${contractId}/spend-returns/2026-Q1`, { token });
      expect(view.body).toMatchObject({ disputes: [{ lineId: disputedLine, providerId: subId }] });
      const list = await api.call('GET', `/contracts/${contractId}/disputes`, { token });
      expect(list.body).toMatchObject({ items: [{ lineId: disputedLine }], nextCursor: null });
    }
    const figures = await api.call('GET', `/contracts/${contractId}/subcontracting`, { token: commissioner });
    expect(figures.body).toMatchObject({ disputes: 1 });
  });
});

describe('national report', () => {
  it('sums the regional figures for commissioners, admins and auditors', async () => {
    for (const token of [primeOwner, subOwner]) {
      expect((await api.call('GET', '/reports/subcontracting', { token })).status).toBe(403);
    }
    const response = await api.call('GET', '/reports/subcontracting', { token: auditor });
    expect(response.status).toBe(200);
    const report = response.body as Figures & { byRegion: (Figures & { region: string })[] };
    expect(report.subcontractedPence).toBe(2_800_000 + 1_334_577);
    expect(report.contractValuePence).toBe(200_000_000);
    expect(report.promptPayment.invoices).toBe(6);
    expect(report.byRegion).toHaveLength(11);
    const used = report.byRegion.filter((r) => r.subcontractedPence > 0).map((r) => r.region);
    expect(used).toEqual(['north_west', 'yorkshire_humber']);
    const sum = report.byRegion.reduce((s, r) => s + r.subcontractedPence, 0);
    expect(sum).toBe(report.subcontractedPence);
    // A region where no contract has filed has nothing to judge: "no data", never "target met".
    const empty = report.byRegion.filter((r) => r.contractValuePence === 0);
    expect(empty.length).toBeGreaterThan(0);
    for (const region of empty) expect(region.target.met, region.region).toBeNull();
    for (const region of report.byRegion.filter((r) => r.contractValuePence > 0)) {
      expect(typeof region.target.met, region.region).toBe('boolean');
    }
    const nobody = await api.call('GET', '/reports/subcontracting?region=london', { token: commissioner });
    expect(nobody.body).toMatchObject({
      contractValuePence: 0,
      subcontractedPercent: 0,
      target: { met: null },
    });

    const q1 = await api.call('GET', '/reports/subcontracting?period=2026-Q1&region=north_west', {
      token: commissioner,
    });
    expect(q1.status).toBe(200);
    expect(q1.body).toMatchObject({ period: '2026-Q1', region: 'north_west' });
    expect((q1.body as Figures).subcontractedPence).toBe(1_400_000);

    const bad = await api.call('GET', '/reports/subcontracting?period=2026-Q9&region=mars', { token: admin });
    expect(bad.status).toBe(400);
    expect((bad.body as Problem).errors?.map((e) => e.path)).toEqual(['query.period', 'query.region']);
  });
});
