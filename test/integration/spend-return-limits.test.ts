/**
 * Spend returns at their limits, through the HTTP route on the local gateway and DynamoDB Local (tables of
 * this file's own, so the national figures are this file's alone):
 *
 * - a 5 MB CSV of junk and a JSON return of junk lines are answered 400 with at most 100 problems and one
 *   line saying how many more, and nothing stored;
 * - amounts past £1,000,000,000.00 are refused 400 (they used to reach DynamoDB past 2^53: a 500);
 * - a filing that would take a region's figures past their bound is refused 409 by the condition in its
 *   own transaction, nothing of it written;
 * - a figure stored past 2^53 is never read as 0 (the national report used to drop it silently);
 * - two sub-contractors' lines may share an invoice ref: two lines, two ids, each disputable, ids stable.
 */
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { config } from '../../shared/config';
import { dynamoDbClient } from '../../shared/db/client';
import { subcontractingKeys } from '../../shared/db/keys';
import { startTestApi, type TestApi } from '../support/api';
import { charityRegistration } from '../support/fixtures';

let api: TestApi;
let commissioner: string;
let admin: string;
let primeOwner: string;
let subOwner: string;
let primeId: string;
let subId: string;

type Problem = {
  type: string;
  status: number;
  detail: string;
  errors: { path?: string; row?: number; field?: string; message: string }[];
};
type Line = { lineId: string; subcontractorRef: string; invoiceRef: string; amountPence: number };

const CSV_HEADER = 'subcontractor_ref,invoice_ref,invoice_date,paid_date,amount';

async function registerVerified(token: string, overrides: Record<string, unknown>): Promise<string> {
  const created = await api.call('POST', '/providers', { token, body: charityRegistration(overrides) });
  expect(created.status).toBe(201);
  const id = (created.body as { id: string }).id;
  expect((await api.call('POST', `/providers/${id}/verify`, { token: admin })).status).toBe(200);
  return id;
}

/** A contract of the prime with a supply chain of a registered sub-contractor (REG) and another (PRI). */
async function contract(valuePence: number, regions: string[] = ['national']): Promise<string> {
  const created = await api.call('POST', '/contracts', {
    token: commissioner,
    body: {
      title: 'Limits',
      primeProviderId: primeId,
      valuePence,
      startDate: '2025-01-01',
      endDate: '2026-06-30',
      regions,
      services: ['accommodation'],
      subcontracting: { targetPercent: 10 },
    },
  });
  expect(created.status).toBe(201);
  const id = (created.body as { id: string }).id;
  const chain = await api.call('PUT', `/contracts/${id}/supply-chain`, {
    token: primeOwner,
    body: {
      subcontractors: [
        { ref: 'REG', providerId: subId, services: [], plannedValuePence: 0 },
        {
          ref: 'PRI',
          name: 'Private Co',
          sector: 'private',
          size: 'large',
          services: [],
          plannedValuePence: 0,
        },
      ],
    },
  });
  expect(chain.status).toBe(200);
  return id;
}

const file = (contractId: string, period: string, body: { lines: unknown[] } | string) =>
  api.call('PUT', `/contracts/${contractId}/spend-returns/${period}`, {
    token: primeOwner,
    ...(typeof body === 'string' ? { rawBody: body, headers: { 'content-type': 'text/csv' } } : { body }),
  });

const jsonLine = (i: number, amountPence: number, subcontractorRef = 'PRI') => ({
  subcontractorRef,
  invoiceRef: `INV-${i}`,
  invoiceDate: '2025-04-01',
  paidDate: '2025-04-15',
  amountPence,
});

beforeAll(async () => {
  api = await startTestApi();
  commissioner = await api.token('lim-commissioner', ['commissioner']);
  admin = await api.token('lim-admin', ['admin']);
  primeOwner = await api.token('lim-prime');
  subOwner = await api.token('lim-sub');
  primeId = await registerVerified(primeOwner, { name: 'Limits Prime', size: 'large' });
  subId = await registerVerified(subOwner, { name: 'Limits Sub', sector: 'voluntary', size: 'small' });
});

afterAll(async () => {
  await api?.stop();
});

describe('bad input is answered briefly, and nothing is stored', () => {
  it('answers a 5 MB CSV of junk with 400: 100 problems and one line saying how many more', async () => {
    const id = await contract(1_000_000_00);
    // Rows of junk with the wrong number of values, and a few that look like lines: 5 MB in all.
    const noise = ['x;y;z', 'a,b', '"q","r",s,t,u,v', 'PRI,INV,not-a-date,2025-04-02,12.5', ',,,'];
    const rows: string[] = [];
    let bytes = CSV_HEADER.length;
    for (let i = 0; bytes < 5_000_000; i += 1) {
      const row = `${noise[i % noise.length]}${i}`;
      rows.push(row);
      bytes += row.length + 1;
    }
    const text = [CSV_HEADER, ...rows].join('\n');
    expect(Buffer.byteLength(text)).toBeGreaterThanOrEqual(5_000_000);
    const response = await file(id, '2025-Q2', text);
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const problem = response.body as Problem;
    expect(problem.type).toBe('/problems/validation');
    expect(problem.errors).toHaveLength(101);
    expect(problem.errors[0]).toEqual({ row: 1, field: 'row', message: 'Expected 5 values, found 1' });
    expect(problem.errors.slice(0, 100).every((e) => typeof e.row === 'number')).toBe(true);
    expect(problem.errors[100]).toEqual({
      path: '',
      message: expect.stringMatching(/more problems? up to row \d+ \(line \d+ of the file\) .*not listed/),
    });
    expect(problem.detail).toMatch(
      /^The return has at least \d+ problems up to row \d+ .*Nothing was stored\.$/,
    );
    const stored = await api.call('GET', `/contracts/${id}/spend-returns/2025-Q2`, { token: primeOwner });
    expect(stored.status).toBe(404);
  });

  it('refuses a JSON return of more than 10,000 lines at once, and lists at most 100 problems of junk lines', async () => {
    const id = await contract(1_000_000_00);
    const tooMany = await file(id, '2025-Q2', { lines: Array.from({ length: 10_001 }, () => ({})) });
    expect(tooMany.status).toBe(400);
    expect((tooMany.body as Problem).errors).toEqual([
      { path: 'lines', message: 'A return may have at most 10000 lines' },
    ]);
    const junk = await file(id, '2025-Q2', { lines: Array.from({ length: 5_000 }, (_, i) => ({ junk: i })) });
    expect(junk.status).toBe(400);
    const problem = junk.body as Problem;
    expect(problem.errors).toHaveLength(101);
    expect(problem.errors[0]?.path).toBe('lines.0');
    expect(problem.errors[100]).toEqual({
      path: 'lines',
      message: expect.stringMatching(/^[\d,]+ more problems are not listed/),
    });
    expect(problem.detail).toMatch(/^The return has [\d,]+ problems; the first 100 are listed/);
  });

  it('refuses amounts past £1,000,000,000.00 with 400 (they reached DynamoDB past 2^53: a 500)', async () => {
    const id = await contract(1_000_000_00);
    // £1 trillion each: allowed per line before, and 100 of them total 10^16 pence, past 2^53.
    const response = await file(id, '2025-Q2', {
      lines: Array.from({ length: 100 }, (_, i) => jsonLine(i, 100_000_000_000_000)),
    });
    expect(response.status).toBe(400);
    const problem = response.body as Problem;
    expect(problem.errors[0]).toEqual({
      path: 'lines.0.amountPence',
      message: 'Too large for one invoice: at most £1,000,000,000.00',
    });
    expect(
      (await api.call('GET', `/contracts/${id}/spend-returns/2025-Q2`, { token: primeOwner })).status,
    ).toBe(404);
  });
});

describe('the figures stay exact', () => {
  it("refuses with 409 a filing that would take a region's figures past their bound, writing nothing", async () => {
    // Each contract alone is within the bound (about £8.19 trillion per figure); the two together are not.
    const value = 600_000_000_000_000;
    const first = await contract(value);
    const second = await contract(value);
    const lines = { lines: [jsonLine(1, 1_000_00)] };
    expect((await file(first, '2025-Q2', lines)).status).toBe(201);
    const refused = await file(second, '2025-Q2', lines);
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({
      type: '/problems/invalid-state',
      detail: expect.stringMatching(/would take the figures of the national region past [\d,]+/),
    });
    // Nothing of the refused filing was written: no return, no figures, the report only the first's.
    expect(
      (await api.call('GET', `/contracts/${second}/spend-returns/2025-Q2`, { token: primeOwner })).status,
    ).toBe(404);
    const figures = await api.call('GET', `/contracts/${second}/subcontracting`, { token: commissioner });
    expect(figures.body).toMatchObject({ returns: 0, subcontractedPence: 0 });
    const report = await api.call('GET', '/reports/subcontracting?region=national', { token: commissioner });
    expect(report.status).toBe(200);
    expect(report.body).toMatchObject({ contractValuePence: value, subcontractedPence: 1_000_00 });
  });

  it('never reads a figure past 2^53 as 0: the report fails loudly instead of dropping the spend', async () => {
    // A regional item as the figures could be left before they were bounded: 2^53 + 2 pence.
    await dynamoDbClient().send(
      new PutItemCommand({
        TableName: config().tables.subcontracting,
        Item: {
          pk: { S: subcontractingKeys.regionFigures('wales', undefined).pk },
          sk: { S: subcontractingKeys.regionFigures('wales', undefined).sk },
          entity: { S: 'region-figures' },
          region: { S: 'wales' },
          period: { S: 'ALL' },
          subcontractedPence: { N: '9007199254740994' },
          contractValuePence: { N: '10000' },
        },
      }),
    );
    const report = await api.call('GET', '/reports/subcontracting?region=wales', { token: commissioner });
    // Before: 200 with subcontractedPence 0 (the BigInt the SDK returned was read as no value).
    expect(report.status).toBe(500);
    expect(report.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });
});

describe('line identity: sub-contractor and invoice ref', () => {
  it('files two sub-contractors’ lines with one invoice ref as two lines, each with its own stable, disputable id', async () => {
    const id = await contract(1_000_000_00, ['london']);
    const shared = [jsonLine(7, 1_000_00, 'REG'), jsonLine(7, 2_000_00, 'PRI')];
    const filed = await file(id, '2025-Q3', {
      lines: shared.map((l) => ({ ...l, invoiceDate: '2025-07-01', paidDate: '2025-07-10' })),
    });
    expect(filed.status).toBe(201);
    const lines = (filed.body as { lines: Line[] }).lines;
    expect(lines.map((l) => [l.subcontractorRef, l.invoiceRef, l.amountPence])).toEqual([
      ['REG', 'INV-7', 1_000_00],
      ['PRI', 'INV-7', 2_000_00],
    ]);
    const [reg, pri] = lines as [Line, Line];
    expect(reg.lineId).not.toBe(pri.lineId);

    // The same sub-contractor twice with one invoice ref is still refused.
    const twice = await file(id, '2025-Q3', {
      lines: [shared[0], { ...shared[0], amountPence: 5 }].map((l) => ({
        ...l,
        invoiceDate: '2025-07-01',
        paidDate: '2025-07-10',
      })),
    });
    expect(twice.status).toBe(400);
    expect((twice.body as Problem).errors).toEqual([
      {
        path: 'lines.1.invoiceRef',
        message: 'Invoice ref "INV-7" of sub-contractor "REG" is already on lines.0',
      },
    ]);

    // An amendment keeps both ids; the registered sub-contractor disputes its own line.
    const amended = await file(id, '2025-Q3', {
      lines: [...shared].reverse().map((l) => ({
        ...l,
        amountPence: l.amountPence + 1,
        invoiceDate: '2025-07-01',
        paidDate: '2025-07-10',
      })),
    });
    expect(amended.status).toBe(201);
    const again = (amended.body as { lines: Line[] }).lines;
    expect(new Map(again.map((l) => [l.subcontractorRef, l.lineId]))).toEqual(
      new Map([
        ['REG', reg.lineId],
        ['PRI', pri.lineId],
      ]),
    );
    const payments = await api.call('GET', `/providers/${subId}/subcontract-payments`, { token: subOwner });
    expect((payments.body as { items: Line[] }).items.map((p) => [p.invoiceRef, p.lineId])).toEqual([
      ['INV-7', reg.lineId],
    ]);
    const base = `/contracts/${id}/spend-returns/2025-Q3/lines`;
    const dispute = await api.call('POST', `${base}/${reg.lineId}/disputes`, {
      token: subOwner,
      body: { reason: 'Paid less than invoiced.' },
    });
    expect(dispute.status).toBe(201);
    expect(dispute.body).toMatchObject({
      lineId: reg.lineId,
      line: { subcontractorRef: 'REG', invoiceRef: 'INV-7' },
    });
    // The other sub-contractor's line with the same invoice ref is not the registered one's to dispute.
    const other = await api.call('POST', `${base}/${pri.lineId}/disputes`, {
      token: subOwner,
      body: { reason: 'Not ours.' },
    });
    expect(other.status).toBe(404);
  });
});
