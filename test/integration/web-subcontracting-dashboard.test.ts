/**
 * The sub-contracting dashboard (issue 16) over DynamoDB Local: the per-quarter series and the region
 * listings kept on write in the filing's transaction (amendments move the series by their difference; a
 * refused filing lists nothing), and the pages and CSV downloads (served by `functions/web/oversight.ts`) for
 * commissioners, auditors and admins – the same figures as `GET /reports/subcontracting`, a region's
 * contracts a page at a time, CSVs that read back exactly – with a provider and an anonymous visitor
 * refused.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteCommand, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { handler } from '../../functions/web/oversight';
import { LAYOUT_VERSION, migrateLocalData, recordedLayout } from '../../local/migrate';
import { config } from '../../shared/config';
import { createDynamoDbClient, documentClient } from '../../shared/db/client';
import { subcontractingKeys } from '../../shared/db/keys';
import { repositories, subcontractingDashboardRepository } from '../../shared/db/repositories';
import { InvalidStateError } from '../../shared/domain/errors';
import type { Principal } from '../../shared/domain/principal';
import type { Coverage } from '../../shared/domain/reference-data';
import { completeQuarters } from '../../shared/domain/return-periods';
import { quarterWords, trendWindow } from '../../shared/domain/subcontracting/dashboard';
import type { Period } from '../../shared/domain/subcontracting/dates';
import {
  addSums,
  type FigureRegion,
  type FigureSums,
  MAX_FIGURE_VALUE,
  zeroSums,
} from '../../shared/domain/subcontracting/figure-sums';
import { formatPounds } from '../../shared/domain/subcontracting/money';
import { splitAcross } from '../../shared/domain/subcontracting/rollups';
import { registerProvider } from '../../shared/use-cases/register-provider';
import { registerContract } from '../../shared/use-cases/subcontracting/contracts';
import { getSubcontractingReport } from '../../shared/use-cases/subcontracting/figures';
import {
  fileSpendReturn,
  type SpendReturnSubmission,
} from '../../shared/use-cases/subcontracting/spend-returns';
import { putSupplyChain } from '../../shared/use-cases/subcontracting/supply-chain';
import { verifyProvider } from '../../shared/use-cases/verify-provider';
import { uniqueDigits } from '../support/fixtures';
import { useTestTables } from '../support/tables';
import { type SignedIn, signedIn } from '../support/web-session';
import { callPage, h1Count, pageText, tableRows } from '../support/workspace';

// Real time: the pages read the request's time, and the web session is checked against the clock.
const NOW = new Date();
/** The last three complete quarters, oldest first: the returns filed (inside the trend window). */
const [P1, P2, P3] = completeQuarters(NOW, 3) as [Period, Period, Period];
const YEAR = NOW.getUTCFullYear();
const RULES = {
  promptPaymentDays: 30,
  defaultSubcontractingTargetPercent: 10,
  vcseShareTargetPercent: 25,
  smeShareTargetPercent: 33,
};
const user = (sub: string, groups: ('commissioner' | 'admin')[] = []): Principal => ({
  kind: 'user',
  sub,
  email: undefined,
  groups,
});
const commissioner = user('dash-commissioner', ['commissioner']);
const admin = user('dash-admin', ['admin']);

/** A title a spreadsheet would run as a formula, with a comma and quotes: the CSV must defuse and quote it. */
const TRICKY_TITLE = '=Housing, London "pilot" <b>';

interface Fixture {
  id: string;
  title: string;
  regions: Coverage[];
  owner: Principal;
}

let counter = 0;
async function contract(
  title: string,
  regions: Coverage[],
  valuePence: number,
  vcse?: number,
): Promise<Fixture> {
  counter += 1;
  const owner = user(`dash-prime-${counter}`);
  const prime = await registerProvider(
    repositories(),
    owner,
    {
      name: `Dashboard prime ${counter}`,
      legalForm: 'charitable_incorporated_organisation',
      charityNumber: uniqueDigits(7),
      sector: 'private',
      size: 'large',
      regions: ['london'],
      services: ['health'],
      contact: { name: 'A', email: 'a@example.org' },
    },
    NOW,
  );
  await verifyProvider(repositories(), admin, prime.id, NOW);
  const created = await registerContract(
    repositories(),
    commissioner,
    {
      title,
      primeProviderId: prime.id,
      valuePence,
      startDate: `${YEAR - 3}-01-01`,
      endDate: `${YEAR + 3}-12-31`,
      regions,
      services: ['health'],
      subcontracting: {
        targetPercent: 12.5,
        ...(vcse !== undefined ? { voluntarySectorTargetPercent: vcse } : {}),
      },
    },
    NOW,
    RULES,
  );
  await putSupplyChain(
    repositories(),
    owner,
    created.id,
    {
      subcontractors: [
        {
          ref: 'VOL',
          name: 'Mentors Trust',
          sector: 'voluntary',
          size: 'small',
          services: [],
          plannedValuePence: 0,
        },
        { ref: 'PRI', name: 'Big Co', sector: 'private', size: 'large', services: [], plannedValuePence: 0 },
      ],
    },
    NOW,
  );
  return { id: created.id, title, regions, owner };
}

/** A return of two lines: `vol` pence to the charity paid in 10 days, `pri` to the firm paid in `wait`. */
function lines(period: string, vol: number, pri: number, wait = 40): SpendReturnSubmission {
  const [year, q] = period.split('-Q').map(Number) as [number, number];
  const paid = new Date(Date.UTC(year, (q - 1) * 3 + 1, 20)).toISOString().slice(0, 10);
  const before = (days: number) =>
    new Date(Date.parse(`${paid}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);
  return {
    format: 'json',
    issues: [],
    lines: [
      {
        position: 0,
        subcontractorRef: 'VOL',
        invoiceRef: `V-${period}`,
        invoiceDate: before(10),
        paidDate: paid,
        amountPence: vol,
      },
      {
        position: 1,
        subcontractorRef: 'PRI',
        invoiceRef: `P-${period}`,
        invoiceDate: before(wait),
        paidDate: paid,
        amountPence: pri,
      },
    ],
  };
}

const file = (f: Fixture, period: string, submission: SpendReturnSubmission) =>
  fileSpendReturn(repositories(), f.owner, f.id, period, submission, NOW, RULES);

let a: Fixture;
let b: Fixture;
let c: Fixture;
const sessions: Record<string, SignedIn> = {};

beforeAll(async () => {
  await useTestTables();
  for (const [sub, groups] of [
    ['dash-commissioner', ['commissioner']],
    ['dash-auditor', ['auditor']],
    ['dash-admin', ['admin']],
    ['dash-provider', []],
  ] as const) {
    sessions[sub] = await signedIn(sub, { groups: [...groups] });
  }
  a = await contract('Resettlement in London and Wales', ['london', 'wales'], 10_000_000_00, 25);
  b = await contract(TRICKY_TITLE, ['london'], 2_000_000_00);
  c = await contract('Wellbeing, national', ['national'], 30_000_000_00);
  await file(a, P1, lines(P1, 100_000_00, 300_000_00));
  await file(a, P2, lines(P2, 50_000_00, 50_000_00, 20));
  // An amendment: version 2 of P1 replaces version 1 in every figure, the series included.
  await file(a, P1, lines(P1, 120_000_00, 280_000_01));
  await file(b, P2, lines(P2, 10_000_00, 90_000_00));
  await file(b, P3, lines(P3, 40_000_00, 10_000_00, 5));
  await file(c, P3, lines(P3, 1_000_000_00, 500_000_00));
}, 60_000);

const DOWNLOAD = 'GET /commissioning/subcontracting/downloads/{file}';
const page = (
  routeKey: string,
  who: string | undefined,
  options: { params?: Record<string, string>; query?: Record<string, string> } = {},
) => callPage(handler, routeKey, { who: who ? sessions[who] : undefined, ...options });

/** Each region's share of each contract's figures for a period, recomputed from the contracts' own items. */
async function expectedSeries(fixtures: Fixture[], period: string): Promise<Map<FigureRegion, FigureSums>> {
  const out = new Map<FigureRegion, FigureSums>();
  for (const f of fixtures) {
    const items = await repositories().subcontracting.contractFigures(f.id);
    const head = items.periods.find((p) => p.period === period);
    if (!head) continue;
    for (const share of splitAcross({ id: f.id, regions: f.regions }, head.sums)) {
      out.set(share.region, addSums(out.get(share.region) ?? zeroSums(), share.sums));
    }
  }
  return out;
}

describe('figures kept on write for the dashboard', () => {
  it("keeps each region's per-quarter series equal to its contracts' latest versions, amendments included", async () => {
    const regions: FigureRegion[] = ['london', 'wales', 'national'];
    const series = await subcontractingDashboardRepository().regionSeries(regions, P1, P3);
    for (const period of [P1, P2, P3]) {
      const expected = await expectedSeries([a, b, c], period);
      for (const region of regions) {
        expect(series.get(region)?.get(period), `${region} ${period}`).toEqual(expected.get(region));
      }
    }
    // Version 2 of a's P1 counts, not both versions: London and Wales share its £400,000.01 exactly.
    const shares = ['london', 'wales'].map(
      (r) => series.get(r as FigureRegion)?.get(P1)?.subcontractedPence ?? 0,
    );
    expect((shares[0] as number) + (shares[1] as number)).toBe(400_000_01);
    expect(Math.abs((shares[0] as number) - (shares[1] as number))).toBeLessThanOrEqual(1);
    // Quarters with no return are absent.
    expect(series.get('wales')?.has(P3)).toBe(false);
    // Nothing outside the window asked for.
    const narrow = await subcontractingDashboardRepository().regionSeries(['london'], P2, P2);
    expect([...(narrow.get('london')?.keys() ?? [])]).toEqual([P2]);
  });

  it('lists each contract once under each region it counts in, from its first return', async () => {
    const ids = async (region: FigureRegion) =>
      (await subcontractingDashboardRepository().regionContracts(region, { limit: 10 })).items.map(
        (i) => i.contractId,
      );
    expect((await ids('london')).sort()).toEqual([a.id, b.id].sort());
    expect(await ids('wales')).toEqual([a.id]);
    expect(await ids('national')).toEqual([c.id]);
    expect(await ids('north_east')).toEqual([]);
    const [listed] = (await subcontractingDashboardRepository().regionContracts('wales', { limit: 10 }))
      .items;
    expect(listed).toMatchObject({
      title: a.title,
      targets: { targetPercent: 12.5, voluntarySectorTargetPercent: 25 },
      sums: (await repositories().subcontracting.contractFigures(a.id)).cumulative,
    });
  });

  it('pages a region’s contracts with a cursor, and gives a period’s figures where asked', async () => {
    const first = await subcontractingDashboardRepository().regionContracts('london', { limit: 1 });
    expect(first.items).toHaveLength(1);
    expect(first.nextCursor).not.toBeNull();
    const second = await subcontractingDashboardRepository().regionContracts('london', {
      limit: 1,
      cursor: first.nextCursor ?? undefined,
    });
    expect(second.nextCursor).toBeNull();
    expect([first.items[0]?.contractId, second.items[0]?.contractId].sort()).toEqual([a.id, b.id].sort());
    const q3 = await subcontractingDashboardRepository().regionContracts('london', { limit: 10 }, P3);
    const byId = new Map(q3.items.map((i) => [i.contractId, i.sums]));
    expect(byId.get(a.id)).toBeUndefined();
    expect(byId.get(b.id)?.subcontractedPence).toBe(50_000_00);
  });

  it('writes no listing when the first return is refused in its transaction', async () => {
    const client = documentClient();
    const table = config().tables.subcontracting;
    const walesAll = subcontractingKeys.regionFigures('wales', undefined);
    const before = (
      await client.send(new GetCommand({ TableName: table, Key: walesAll, ConsistentRead: true }))
    ).Item;
    // Wales's cumulative spend at the bound: any more refuses the whole filing (figure-sums.ts).
    await client.send(
      new UpdateCommand({
        TableName: table,
        Key: walesAll,
        UpdateExpression: 'SET subcontractedPence = :max',
        ExpressionAttributeValues: { ':max': MAX_FIGURE_VALUE },
      }),
    );
    try {
      const d = await contract('Refused first return', ['wales', 'south_west'], 1_000_000_00);
      await expect(file(d, P2, lines(P2, 1_00, 1_00))).rejects.toBeInstanceOf(InvalidStateError);
      for (const region of ['wales', 'south_west'] as const) {
        const listing = await client.send(
          new GetCommand({
            TableName: table,
            Key: subcontractingKeys.regionContract(region, d.id),
            ConsistentRead: true,
          }),
        );
        expect(listing.Item, region).toBeUndefined();
      }
      expect((await repositories().subcontracting.contractFigures(d.id)).cumulative).toBeUndefined();
    } finally {
      await client.send(
        new UpdateCommand({
          TableName: table,
          Key: walesAll,
          UpdateExpression: 'SET subcontractedPence = :was',
          ExpressionAttributeValues: { ':was': before?.subcontractedPence },
        }),
      );
    }
  });
});

/** The dashboard's charts (the page's other SVGs, the crown in the header, are not). */
const charts = /<svg[^>]*role="img" aria-labelledby/g;

describe('local data from before the region listings (layout 5)', () => {
  it('lists every contract that has filed a return under its regions, once', async () => {
    const client = documentClient();
    const table = config().tables.subcontracting;
    const listingKeys = [
      subcontractingKeys.regionContract('london', a.id),
      subcontractingKeys.regionContract('wales', a.id),
      subcontractingKeys.regionContract('national', c.id),
    ];
    const before = await Promise.all(
      listingKeys.map(async (Key) => (await client.send(new GetCommand({ TableName: table, Key }))).Item),
    );
    for (const Key of listingKeys) await client.send(new DeleteCommand({ TableName: table, Key }));
    const dir = mkdtempSync(join(tmpdir(), 'layout-5-'));
    writeFileSync(join(dir, 'layout-version'), '4\n');
    try {
      // A client of its own: the migration scans (start-up only), which the shared client's recorder forbids.
      const written = await migrateLocalData({
        dataDir: dir,
        client: createDynamoDbClient({ region: config().region, endpoint: config().dynamodbEndpoint }),
        sealedTable: config().tables.sealed,
        fresh: false,
        rebuildDirectoryCounts: () => Promise.reject(new Error('layout 3 is recorded already')),
        log: () => {},
      });
      // a (2 regions), b (1) and c (1) have filed; the refused contract has not.
      expect(written).toBe(4);
      expect(recordedLayout(dir)).toBe(LAYOUT_VERSION);
      const after = await Promise.all(
        listingKeys.map(
          async (Key) =>
            (await client.send(new GetCommand({ TableName: table, Key, ConsistentRead: true }))).Item,
        ),
      );
      // The same listing the first return wrote, but for when: the contract's last filing stands in for it.
      expect(after.map((item) => ({ ...item, firstFiledAt: undefined }))).toEqual(
        before.map((item) => ({ ...item, firstFiledAt: undefined })),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the dashboard page', () => {
  it('shows the network and every region as numbers and charts, the same figures as the JSON report', async () => {
    const result = await page('GET /commissioning/subcontracting', 'dash-commissioner');
    expect(result.statusCode).toBe(200);
    expect(h1Count(result.body)).toBe(1);
    expect(result.body).toContain('<title>Sub-contracting across the network');
    const report = await getSubcontractingReport(repositories(), commissioner, {}, RULES);
    const rows = tableRows(result.body, 'regions-table');
    expect(rows).toHaveLength(12);
    const london = rows.find((r) => r[0] === 'London') as string[];
    const londonFigures = report.byRegion.find((r) => r.region === 'london');
    expect(london[2]).toContain(`${londonFigures?.subcontractedPercent}%`);
    expect(london[3]).toContain(`${londonFigures?.voluntaryPercent}%`);
    expect(london[3]).toMatch(/target 25%, (met|not met)/);
    expect(rows.find((r) => r[0] === 'North East')?.slice(1)).toEqual(Array(6).fill('No data'));
    expect(rows[11]?.[0]).toBe('All regions');
    expect(rows[11]?.[2]).toContain(`${report.subcontractedPercent}%`);
    // Five measures, each a bar chart by region and a trend line, each with its data as a hidden table.
    expect(result.body.match(charts)).toHaveLength(10);
    expect(result.body.match(/<div class="govuk-visually-hidden"><table class="govuk-table">/g)).toHaveLength(
      10,
    );
    expect(result.body).toContain('href="/commissioning/subcontracting/london"');
    expect(result.body).toContain('href="/commissioning/subcontracting/downloads/regions.csv"');
    // The trend: the last eight complete quarters, newest first, those without returns saying so.
    const quarters = tableRows(result.body, 'quarters-table');
    const window = trendWindow(NOW);
    expect(quarters.map((r) => r[0])).toEqual([...window].reverse().map(quarterWords));
    expect(quarters.find((r) => r[0] === quarterWords(window[0] as Period))?.[1]).toBe('No data');
  });

  it('shows one quarter when asked, and a region’s page lists its contracts', async () => {
    const q2 = await page('GET /commissioning/subcontracting', 'dash-auditor', { query: { period: P2 } });
    expect(q2.statusCode).toBe(200);
    const report = await getSubcontractingReport(repositories(), commissioner, { period: P2 }, RULES);
    const rows = tableRows(q2.body, 'regions-table');
    expect(rows[11]?.[2]).toContain(`${report.subcontractedPercent}%`);
    expect(q2.body).toContain(`<option value="${P2}" selected>`);

    const london = await page('GET /commissioning/subcontracting/{region}', 'dash-commissioner', {
      params: { region: 'london' },
    });
    expect(london.statusCode).toBe(200);
    expect(h1Count(london.body)).toBe(1);
    const contracts = tableRows(london.body, 'contracts-table');
    expect(contracts.map((r) => r[0]).sort()).toEqual(
      [a.title, '=Housing, London &quot;pilot&quot; &lt;b&gt;'].sort(),
    );
    // Escaped in the page, and linked to the contract's own page for a commissioner.
    expect(london.body).toContain('=Housing, London &quot;pilot&quot; &lt;b&gt;');
    expect(london.body).toContain(`href="/commissioning/contracts/${b.id}"`);
    expect(london.body.match(charts)).toHaveLength(6);

    // An auditor reads the same page, without links to contracts it may not open.
    const audited = await page('GET /commissioning/subcontracting/{region}', 'dash-auditor', {
      params: { region: 'london' },
    });
    expect(audited.statusCode).toBe(200);
    expect(audited.body).not.toContain('/commissioning/contracts/');
    expect(pageText(audited)).toContain('Contracts themselves are open to commissioners and admins');

    const unknown = await page('GET /commissioning/subcontracting/{region}', 'dash-admin', {
      params: { region: 'atlantis' },
    });
    expect(unknown.statusCode).toBe(404);
  });

  it('refuses a provider user and sends an anonymous visitor to sign in', async () => {
    for (const [routeKey, params] of [
      ['GET /commissioning/subcontracting', {}],
      ['GET /commissioning/subcontracting/{region}', { region: 'london' }],
      [DOWNLOAD, { file: 'regions.csv' }],
      [DOWNLOAD, { file: 'quarters.csv' }],
      [DOWNLOAD, { file: 'london-quarters.csv' }],
      [DOWNLOAD, { file: 'london-contracts.csv' }],
    ] as const) {
      const refused = await page(routeKey, 'dash-provider', { params });
      expect(refused.statusCode, routeKey).toBe(403);
      expect(refused.headers?.['content-type'], routeKey).toMatch(/^text\/html/);
      expect(refused.body, routeKey).not.toContain(a.title);
      const anonymous = await page(routeKey, undefined, { params });
      expect(anonymous.statusCode, routeKey).toBe(303);
      expect(String(anonymous.headers?.location), routeKey).toMatch(/^\/sign-in\?returnTo=/);
    }
  });
});

const csvOf = (result: { body: string; headers?: Record<string, unknown> | undefined }) => {
  expect(result.headers?.['content-type']).toBe('text/csv; charset=utf-8');
  expect(String(result.headers?.['content-disposition'])).toMatch(/^attachment; filename="[\w.-]+\.csv"$/);
  return parse(result.body.replace(/^\ufeff/, '')) as string[][];
};

describe('CSV downloads', () => {
  it('gives the regions table with a header, pounds from pence exactly, and the network last', async () => {
    const rows = csvOf(await page(DOWNLOAD, 'dash-admin', { params: { file: 'regions.csv' } }));
    expect(rows[0]?.slice(0, 6)).toEqual([
      'region',
      'region_name',
      'quarter',
      'contract_value_pounds',
      'subcontracted_pounds',
      'subcontracted_percent',
    ]);
    expect(rows).toHaveLength(1 + 12);
    const header = rows[0] as string[];
    const london = Object.fromEntries(header.map((h, i) => [h, rows.find((r) => r[0] === 'london')?.[i]]));
    const stored = (await repositories().subcontracting.regionFigures(['london'], undefined)).get('london');
    expect(london.subcontracted_pounds).toBe(formatPounds(stored?.subcontractedPence ?? -1));
    expect(london.contract_value_pounds).toBe(formatPounds(stored?.contractValuePence ?? -1));
    expect(london.vcse_target_percent).toBe('25');
    expect(['yes', 'no']).toContain(london.target_met);
    const northEast = rows.find((r) => r[0] === 'north_east') as string[];
    expect(northEast[header.indexOf('subcontracted_percent')]).toBe('');
    expect(northEast[header.indexOf('target_met')]).toBe('');
    expect(rows[12]?.slice(0, 3)).toEqual(['all', 'All regions', 'all']);
  });

  it("gives a region's contracts, titles quoted and defused, and its quarters", async () => {
    const rows = csvOf(
      await page(DOWNLOAD, 'dash-commissioner', { params: { file: 'london-contracts.csv' } }),
    );
    expect(rows[0]?.slice(0, 3)).toEqual(['contract_id', 'title', 'prime_provider_id']);
    const tricky = rows.find((r) => r[0] === b.id) as string[];
    // Read back by a spreadsheet: the comma and quotes intact, the formula defused with a leading quote.
    expect(tricky[1]).toBe(`'${TRICKY_TITLE}`);
    const header = rows[0] as string[];
    const cumulative = (await repositories().subcontracting.contractFigures(b.id)).cumulative;
    expect(tricky[header.indexOf('subcontracted_pounds')]).toBe(
      formatPounds(cumulative?.subcontractedPence ?? -1),
    );

    const quarters = csvOf(await page(DOWNLOAD, 'dash-auditor', { params: { file: 'wales-quarters.csv' } }));
    expect(quarters.slice(1).map((r) => r[0])).toEqual(trendWindow(NOW));
    const q2 = quarters.find((r) => r[0] === P2) as string[];
    const walesQ2 = (await repositories().subcontracting.regionFigures(['wales'], P2)).get('wales');
    expect(q2[(quarters[0] as string[]).indexOf('subcontracted_pounds')]).toBe(
      formatPounds(walesQ2?.subcontractedPence ?? -1),
    );
    expect(
      quarters
        .find((r) => r[0] === P3)
        ?.slice(2)
        .every((cell) => cell === ''),
    ).toBe(true);

    const network = csvOf(await page(DOWNLOAD, 'dash-commissioner', { params: { file: 'quarters.csv' } }));
    expect(network).toHaveLength(1 + 8);
    for (const file of ['atlantis-quarters.csv', 'london-everything.csv', '..%2Fregions.csv']) {
      expect((await page(DOWNLOAD, 'dash-admin', { params: { file } })).statusCode, file).toBe(404);
    }
  });
});
