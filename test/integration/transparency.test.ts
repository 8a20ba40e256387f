/**
 * The transparency pages and the contracts CSV (issue 16), over DynamoDB Local, through the real handlers:
 * `/transparency` and `/transparency/{ocid}` (the `webTransparency` function) and `GET /transparency/contracts.csv`
 * (the `publication` function).
 *
 * - Nothing the wall protects shows: one competition is taken from publication to a let contract and a
 *   spend return with the real use cases, every protected value a random token or an amount no other figure
 *   shares (the confidential section, the panel, the bids and the losing prices, scores, moderation, the
 *   award's rationale), and after each stage every page of the notices, the process's page and the CSV are
 *   scanned for them; the tenderers are named only from the award decision. What may show is asserted to.
 * - The notices are newest first and page without repeating or skipping one.
 * - The CSV opens in a spreadsheet: a header row, RFC 4180 quoting (a title with a comma, a quote and a
 *   line break reads back whole), pence to pounds exactly, £10,000.00 left out and £10,000.01 listed, and
 *   a file cut short names the next one in its Link header.
 */
import { randomBytes } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { handler as publicationHandler } from '../../functions/publication/index';
import { handler as publicWebHandler } from '../../functions/web/index';
import { handler as webHandler } from '../../functions/web/transparency';
import { config } from '../../shared/config';
import { withSharedProviderData } from '../../shared/db/provider-data';
import { repositories, transparencyRepository } from '../../shared/db/repositories';
import type { UserPrincipal } from '../../shared/domain/principal';
import { ocidOf } from '../../shared/domain/publication/releases';
import { periodOf } from '../../shared/domain/subcontracting/dates';
import { createCompetition } from '../../shared/use-cases/competitions/create-competition';
import { publishCompetition } from '../../shared/use-cases/competitions/publish-competition';
import { declare, setPanel } from '../../shared/use-cases/competitions/wall-management';
import {
  listListedContracts,
  listNotices,
  MAX_NOTICES_PER_PAGE,
} from '../../shared/use-cases/publication/transparency';
import { registerContract } from '../../shared/use-cases/subcontracting/contracts';
import { fileSpendReturn } from '../../shared/use-cases/subcontracting/spend-returns';
import { putSupplyChain } from '../../shared/use-cases/subcontracting/supply-chain';
import { saveDraft, submitBid } from '../../shared/use-cases/tenders/bidder';
import { confirmAward, decideAward, moderateBid, scoreBid } from '../../shared/use-cases/tenders/evaluation';
import { contractsCsvResponse } from '../../shared/web/pages/transparency/contracts-csv';
import { competitionBody } from '../support/competitions';
import { httpEvent, lambdaContext } from '../support/events';
import { readWholeFeed } from '../support/publication';
import { accredit, user, verifiedProvider } from '../support/scenario';
import { useTestTables } from '../support/tables';
import { callPage, pageText, paginationHref, tableRows } from '../support/workspace';

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
const REGION = 'south_west' as const;
const SERVICE = 'health' as const;

const token = (label: string) => `${label}${randomBytes(6).toString('hex')}`;
/** An amount of pence in [from, from + £1,000), random, so no other figure shares it. */
const amount = (fromPence: number) => fromPence + 1 + Math.floor(Math.random() * 99_998);

const TITLE = `Health in the community ${token('Title')}`;
const SECRET = {
  notes: token('CONFNOTES'),
  budgetCeilingPence: amount(712_000_00),
  preTenderEstimatePence: amount(687_000_00),
  awardRationale: token('AWARDWHY'),
} as const;
const insider = (label: string): UserPrincipal => ({
  kind: 'user',
  sub: token(`${label}sub`),
  email: `${token(`${label}mail`)}@justice.example.gov.uk`,
  groups: ['commissioner'],
});
const LEAD = insider('lead');
const E1 = insider('evaluatorone');
const E2 = insider('evaluatortwo');
const MOD = insider('moderator');

type Bidder = 'W' | 'R' | 'V';
const BIDDERS: Bidder[] = ['W', 'R', 'V'];
const ORG = {
  W: { name: `${token('WinnerOrg')} Health Trust`, owner: user(token('wowner')) },
  R: { name: `${token('RivalOrg')} Health Trust`, owner: user(token('rowner')) },
  V: { name: `${token('OtherOrg')} Health Trust`, owner: user(token('vowner')) },
} as const;
const orgIds: Record<Bidder, string> = { W: '', R: '', V: '' };
const BIDS = {
  W: { quality: token('WBIDQUALITY'), pricePence: amount(55_000_00), score: 5 },
  R: { quality: token('RBIDQUALITY'), pricePence: amount(57_000_00), score: 4 },
  V: { quality: token('VBIDQUALITY'), pricePence: amount(59_000_00), score: 3 },
} as const;
const JUSTIFICATION = token('JUSTIFY');
const MODERATION = token('MODERATED');

const STAGES = ['tendering', 'award', 'contract', 'returns'] as const;
type Stage = (typeof STAGES)[number];
const fromAward = (stage: Stage) => STAGES.indexOf(stage) >= STAGES.indexOf('award');

/** How an amount may be written: pence, pounds with or without pence or separators. */
function amountNeedles(pence: number): RegExp[] {
  const pounds = pence / 100;
  const forms = new Set([
    String(pence),
    String(pounds),
    pounds.toFixed(2),
    pounds.toLocaleString('en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 2 }),
    String(Math.round(pounds)),
    // Whole pounds as the pages write them (£55,226); never matched inside £55,226.37 (see below).
    Math.round(pounds).toLocaleString('en-GB'),
  ]);
  return [...forms].map(
    (form) => new RegExp(`(?<![\\w.,-])${form.replace(/[.,]/g, '\\$&')}(?![\\w-]|[.,]\\d)`),
  );
}

/** The protected values at `stage`: always the inside information; the bidders until the award. */
function secrets(stage: Stage): { label: string; needles: (string | RegExp)[] }[] {
  return [
    { label: 'confidential notes', needles: [SECRET.notes] },
    { label: 'budget ceiling', needles: amountNeedles(SECRET.budgetCeilingPence) },
    { label: 'pre-tender estimate', needles: amountNeedles(SECRET.preTenderEstimatePence) },
    { label: 'award rationale', needles: [SECRET.awardRationale] },
    { label: 'justification', needles: [JUSTIFICATION] },
    { label: 'moderation', needles: [MODERATION] },
    ...[LEAD, E1, E2, MOD].flatMap((p, i) => [
      { label: `insider ${i}`, needles: [p.sub, String(p.email).split('@')[0] as string] },
    ]),
    ...BIDDERS.flatMap((b) => [
      { label: `${b}'s bid`, needles: [BIDS[b].quality] },
      // The winner's price is the award's value, published with the decision.
      ...(b !== 'W' || !fromAward(stage)
        ? [{ label: `${b}'s price`, needles: amountNeedles(BIDS[b].pricePence) }]
        : []),
      ...(!fromAward(stage)
        ? [{ label: `${b}'s name`, needles: [ORG[b].name.split(' ')[0] as string, orgIds[b]] }]
        : []),
    ]),
  ];
}

function leaks(text: string, stage: Stage): string[] {
  const found: string[] = [];
  for (const secret of secrets(stage)) {
    for (const needle of secret.needles) {
      const index = typeof needle === 'string' ? text.indexOf(needle) : text.search(needle);
      if (index >= 0)
        found.push(`${stage}: ${secret.label}: …${text.slice(Math.max(0, index - 80), index + 80)}…`);
    }
  }
  return found;
}

/** `GET /transparency/contracts.csv` through the publication function. */
async function getCsv(query: Record<string, string> = {}) {
  const result = await publicationHandler(
    httpEvent({
      routeKey: 'GET /transparency/contracts.csv',
      path: '/transparency/contracts.csv',
      headers: { accept: 'text/csv' },
      ...(Object.keys(query).length > 0 ? { query } : {}),
    }),
    lambdaContext(),
  );
  return { ...result, body: String(result.body ?? '') };
}

/** The CSV's records, header first (csv-parse, as a spreadsheet would read them). */
const records = (csv: string): string[][] => parse(csv, { bom: true }) as string[][];

/** Every page of `/transparency` from the first, following "Next". */
async function noticePages(): Promise<string[]> {
  const pages: string[] = [];
  let query: Record<string, string> | undefined;
  for (;;) {
    const page = await callPage(webHandler, 'GET /transparency', query ? { query } : {});
    expect(page.statusCode, page.body).toBe(200);
    pages.push(page.body);
    const next = paginationHref(page.body, 'next');
    if (!next) return pages;
    query = Object.fromEntries(new URL(next, 'http://localhost').searchParams);
  }
}

let T0 = 0;
let competitionId = '';
let contractId = '';
const bidIds: Record<Bidder, string> = { W: '', R: '', V: '' };
const at = (ms: number) => new Date(T0 + ms);
const rules = () => config().rules;
const providerData = () => withSharedProviderData(repositories());
const processPath = () => `/transparency/${ocidOf(config().publication, competitionId)}`;

/** Reads every notice page, the process's page and the CSV, fails on any protected value, answers the text. */
async function scan(stage: Stage) {
  const list = await noticePages();
  const ocid = ocidOf(config().publication, competitionId);
  const process = await callPage(webHandler, 'GET /transparency/{ocid}', { params: { ocid } });
  expect(process.statusCode, process.body).toBe(200);
  const csv = await getCsv();
  expect(csv.statusCode, csv.body).toBe(200);
  const html = [...list, process.body].join('\n');
  expect(leaks([html, pageText(html), csv.body].join('\n'), stage)).toEqual([]);
  return { list: list.join('\n'), process: process.body, csv: csv.body };
}

beforeAll(async () => {
  await useTestTables();
  T0 = Date.now();
  for (const b of BIDDERS) {
    orgIds[b] = await verifiedProvider(ORG[b].owner.sub, ORG[b].name, { region: REGION, service: SERVICE });
    await accredit(ORG[b].owner.sub, orgIds[b]);
  }
});

describe('the transparency pages never show what the wall protects', { timeout: 120_000 }, () => {
  it('while tendering: the tender, and no bidder, bid or inside information', async () => {
    const created = await createCompetition(
      repositories(),
      LEAD,
      competitionBody({
        title: TITLE,
        regions: [REGION],
        services: [SERVICE],
        estimatedValuePence: 60_000_00,
        termMonths: 12,
        risk: 'low',
        prequalificationDeadline: undefined,
        tenderDeadline: at(2 * DAY).toISOString(),
        confidential: {
          budgetCeilingPence: SECRET.budgetCeilingPence,
          preTenderEstimatePence: SECRET.preTenderEstimatePence,
          notes: SECRET.notes,
        },
      }) as never,
      at(0),
      rules(),
    );
    competitionId = created.id;
    expect(created.prequalificationTier).toBe('none');
    await setPanel(
      repositories(),
      LEAD,
      competitionId,
      { evaluators: [E1.sub, E2.sub], moderator: MOD.sub },
      at(0),
      rules().evaluation,
    );
    await publishCompetition(repositories(), LEAD, competitionId, at(0), rules());
    for (const person of [LEAD, E1, E2, MOD])
      await declare(repositories(), person, competitionId, [], at(MINUTE));
    for (const b of BIDDERS) {
      await saveDraft(
        providerData(),
        ORG[b].owner,
        competitionId,
        {
          pricePence: BIDS[b].pricePence,
          qualityResponses: { quality: BIDS[b].quality, 'social-value': BIDS[b].quality },
          subcontractors: [],
          consortium: [],
        },
        at(HOUR),
      );
      bidIds[b] = (await submitBid(providerData(), ORG[b].owner, competitionId, undefined, at(HOUR))).bidId;
    }
    const { list, process } = await scan('tendering');
    expect(pageText(list)).toContain('Tender published');
    expect(list).toContain(`href="${processPath()}"`);
    expect(pageText(process)).toContain(TITLE);
    expect(pageText(process)).toContain('Tender in progress');
    expect(pageText(process)).toContain('£60,000');
    expect(process).toContain(`href="/find-an-opportunity/${competitionId}"`);
    expect(process).toContain(`href="/ocds/records/${ocidOf(config().publication, competitionId)}"`);
  });

  it('at the award decision: the tenderers, the supplier and its price, and nothing of the evaluation', async () => {
    const scoredAt = at(2 * DAY + HOUR);
    for (const b of BIDDERS) {
      for (const evaluator of [E1, E2]) {
        await scoreBid(
          repositories(),
          evaluator,
          competitionId,
          bidIds[b],
          ['quality', 'social-value'].map((criterionId) => ({
            criterionId,
            score: BIDS[b].score,
            justification: JUSTIFICATION,
          })),
          scoredAt,
        );
      }
      await moderateBid(
        repositories(),
        MOD,
        competitionId,
        bidIds[b],
        ['quality', 'social-value'].map((criterionId) => ({
          criterionId,
          score: BIDS[b].score,
          rationale: MODERATION,
        })),
        scoredAt,
        rules().evaluation,
      );
    }
    await decideAward(
      repositories(),
      LEAD,
      competitionId,
      { bidId: bidIds.W, rationale: SECRET.awardRationale },
      at(2 * DAY + 2 * HOUR),
      { standstillDays: 10 },
    );
    const { list, process } = await scan('award');
    const text = pageText(process);
    expect(pageText(list)).toContain('Award decided');
    for (const b of BIDDERS) expect(text).toContain(ORG[b].name);
    expect(amountNeedles(BIDS.W.pricePence).some((needle) => needle.test(text))).toBe(true);
    expect(text).toContain('Decided, in the standstill period');
  });

  it('when the contract is let, and when the prime pays its sub-contractors: summed, never invoices', async () => {
    const confirmed = await confirmAward(repositories(), LEAD, competitionId, at(13 * DAY));
    contractId = confirmed.contractId;
    const letting = await scan('contract');
    expect(pageText(letting.list)).toContain('Contract signed');
    expect(pageText(letting.process)).toContain('Contract signed');
    const [header, ...rows] = records(letting.csv);
    const row = rows.find((r) => r[8] === contractId);
    expect(header?.[0]).toBe('Title');
    expect(row?.slice(0, 5)).toEqual([
      TITLE,
      ORG.W.name,
      'Voluntary, community or social enterprise',
      'Micro (fewer than 10 staff)',
      (BIDS.W.pricePence / 100).toFixed(2),
    ]);

    const contract = await repositories().contracts.get(contractId);
    const start = contract?.startDate as string;
    const period = periodOf(start);
    await putSupplyChain(
      repositories(),
      ORG.W.owner,
      contractId,
      {
        subcontractors: [
          { ref: 'R', providerId: orgIds.R, services: [SERVICE], plannedValuePence: 10_000_00 },
          {
            ref: 'LOCAL',
            name: 'Local Health Collective',
            sector: 'voluntary',
            size: 'micro',
            services: [SERVICE],
            plannedValuePence: 5_000_00,
          },
        ],
      },
      at(13 * DAY),
    );
    const quarterEnd = new Date(Date.UTC(Number(period.slice(0, 4)), Number(period.slice(-1)) * 3, 1));
    const line = (ref: string, invoice: string, pence: number) => ({
      position: 0,
      subcontractorRef: ref,
      invoiceRef: invoice,
      invoiceDate: start,
      paidDate: start,
      amountPence: pence,
    });
    await fileSpendReturn(
      repositories(),
      ORG.W.owner,
      contractId,
      period,
      {
        format: 'json',
        issues: [],
        lines: [line('R', 'INV-A1', 1_000_00), line('R', 'INV-A2', 234_56), line('LOCAL', 'INV-A3', 500_00)],
      },
      new Date(quarterEnd.getTime() + DAY),
      rules(),
    );
    const { list, process } = await scan('returns');
    const firstNotice = /<ol class="govuk-list" id="notices">([\s\S]*?)<\/li>/.exec(list)?.[1] ?? '';
    expect(pageText(firstNotice)).toContain('Payments to sub-contractors');
    expect(pageText(firstNotice)).toContain('2 sub-contractors paid £1,734.56');
    expect(pageText(process)).toContain('£1,734.56');
    expect(tableRows(process, 'payments')).toEqual([
      [ORG.R.name, 'Micro, voluntary or community', '£1,234.56'],
      ['Local Health Collective', 'Micro, voluntary or community', '£500'],
    ]);
    expect(process).not.toContain('INV-A1');
    // The scan finds what it looks for: judged as if before the award, the bidders and the price show.
    const before = leaks([list, process].join('\n'), 'tendering').join('\n');
    for (const label of ["W's name", "R's name", "W's price"]) expect(before).toContain(label);
  });
});

describe('the notices', () => {
  it('are linked from the footer of every page, so a visitor can find them', async () => {
    for (const routeKey of ['GET /', 'GET /find-an-opportunity']) {
      const page = await callPage(publicWebHandler, routeKey, {});
      expect(page.statusCode, routeKey).toBe(200);
      const footer = page.body.slice(page.body.indexOf('govuk-footer'));
      expect(footer, routeKey).toContain('href="/transparency"');
    }
  });

  it('are newest first and page without repeating or skipping one', async () => {
    const feed = (await readWholeFeed()).releases.map((r) => r.id);
    const seen: string[] = [];
    let cursor: string | undefined;
    for (;;) {
      const page = await listNotices({ transparency: transparencyRepository() }, { cursor, limit: 2 });
      seen.push(...page.items.map((n) => n.release.id));
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    expect(seen).toEqual([...feed].reverse());
    expect(seen.length).toBe(4);
    const one = await listNotices({ transparency: transparencyRepository() }, { limit: 1 });
    const second = await callPage(webHandler, 'GET /transparency', {
      query: { cursor: one.nextCursor as string },
    });
    // A later page's title differs from the first's, so a newcomer's history and tabs tell them apart.
    expect(second.statusCode, second.body).toBe(200);
    expect(second.body).toMatch(/<title>Published tenders and contracts: earlier notices – /);
    const bounded = await listNotices({ transparency: transparencyRepository() }, { limit: 10_000 });
    expect(bounded.items.length).toBeLessThanOrEqual(MAX_NOTICES_PER_PAGE);
  });

  it('answer a GOV.UK 404 for an ocid with nothing published, and a 400 for a cursor from elsewhere', async () => {
    const missing = await callPage(webHandler, 'GET /transparency/{ocid}', {
      params: { ocid: ocidOf(config().publication, '01JD0000000000000000000001') },
    });
    expect(missing.statusCode).toBe(404);
    const odd = await callPage(webHandler, 'GET /transparency/{ocid}', { params: { ocid: 'not an ocid!' } });
    expect(odd.statusCode).toBe(404);
    const forged = await callPage(webHandler, 'GET /transparency', { query: { cursor: 'abc' } });
    expect(forged.statusCode).toBe(400);
  });
});

describe('GET /transparency/contracts.csv', () => {
  const commissioner: UserPrincipal = {
    kind: 'user',
    sub: 'csv-commissioner',
    email: undefined,
    groups: ['commissioner'],
  };
  const register = (title: string, valuePence: number) =>
    registerContract(
      repositories(),
      commissioner,
      {
        title,
        primeProviderId: orgIds.V,
        valuePence,
        startDate: '2025-01-01',
        endDate: '2026-12-31',
        regions: ['south_west', 'wales'],
        services: [SERVICE],
      },
      new Date(),
      config().rules,
    );
  const TRICKY = 'Health, "wellbeing" and\nrecovery';
  const ids = { exact: '', over: '', tricky: '' };

  beforeAll(async () => {
    ids.exact = (await register('Exactly ten thousand pounds', 1_000_000)).id;
    ids.over = (await register('A penny over ten thousand pounds', 1_000_001)).id;
    ids.tricky = (await register(TRICKY, 12_345_67)).id;
  });

  it('reads back in a spreadsheet: header, quoting, pence to pounds exactly, contracts over £10,000 only', async () => {
    const answer = await getCsv();
    expect(answer.statusCode).toBe(200);
    expect(answer.headers?.['content-type']).toBe('text/csv; charset=utf-8');
    expect(answer.headers?.['content-disposition']).toBe(
      'attachment; filename="contracts-over-10000-pounds.csv"',
    );
    expect(answer.headers?.link).toBeUndefined();
    expect(answer.body.startsWith('\ufeffTitle,Supplier,')).toBe(true);
    const [header, ...rows] = records(answer.body);
    expect(header).toEqual([
      'Title',
      'Supplier',
      'Supplier sector',
      'Supplier size',
      'Value (GBP)',
      'Start date',
      'End date',
      'Regions',
      'Contract ID',
    ]);
    const byId = new Map(rows.map((r) => [r[8], r]));
    expect(byId.has(ids.exact)).toBe(false);
    expect(byId.get(ids.over)?.[4]).toBe('10000.01');
    expect(byId.get(ids.tricky)).toEqual([
      TRICKY,
      ORG.V.name,
      'Voluntary, community or social enterprise',
      'Micro (fewer than 10 staff)',
      '12345.67',
      '2025-01-01',
      '2026-12-31',
      'South West; Wales',
      ids.tricky,
    ]);
    // The contract the award let (above) is listed too: contracts are in the order they were let, and that
    // one was let at the test's simulated time, days from now.
    expect(rows.map((r) => r[8])).toEqual([ids.over, ids.tricky, contractId]);
  });

  it('pages: a file cut short by its rows or its size names the next in its Link header', async () => {
    const first = await listListedContracts({ transparency: transparencyRepository() }, {}, 2);
    expect(first.items.map((i) => i.contract.contractId)).toEqual([ids.over, ids.tricky]);
    expect(first.nextCursor).not.toBeNull();
    const rest = await getCsv({ cursor: first.nextCursor as string });
    expect(
      records(rest.body)
        .slice(1)
        .map((r) => r[8]),
    ).toEqual([contractId]);

    // A byte budget that holds one row: the file stops after it, and the link goes on from there.
    const cut = contractsCsvResponse(
      await listListedContracts({ transparency: transparencyRepository() }, {}),
      10,
    );
    expect(
      records(String(cut.body))
        .slice(1)
        .map((r) => r[8]),
    ).toEqual([ids.over]);
    const link = String(cut.headers?.link);
    const next = /^<\/transparency\/contracts\.csv\?cursor=([^>]+)>; rel="next"$/.exec(link)?.[1];
    expect(next).toBeDefined();
    const following = await getCsv({ cursor: decodeURIComponent(next as string) });
    expect(
      records(following.body)
        .slice(1)
        .map((r) => r[8]),
    ).toEqual([ids.tricky, contractId]);

    const forged = await getCsv({ cursor: 'abc' });
    expect(forged.statusCode).toBe(400);
  });

  it('a directly registered contract has its own page once a spend return publishes it', async () => {
    await putSupplyChain(
      repositories(),
      ORG.V.owner,
      ids.tricky,
      { subcontractors: [{ ref: 'W', providerId: orgIds.W, services: [SERVICE], plannedValuePence: 1 }] },
      new Date(),
    );
    await fileSpendReturn(
      repositories(),
      ORG.V.owner,
      ids.tricky,
      '2025-Q1',
      {
        format: 'json',
        issues: [],
        lines: [
          {
            position: 0,
            subcontractorRef: 'W',
            invoiceRef: 'I1',
            invoiceDate: '2025-01-10',
            paidDate: '2025-02-01',
            amountPence: 2_500_00,
          },
        ],
      },
      new Date(),
      config().rules,
    );
    const ocid = ocidOf(config().publication, ids.tricky);
    const page = await callPage(webHandler, 'GET /transparency/{ocid}', { params: { ocid } });
    expect(page.statusCode, page.body).toBe(200);
    const text = pageText(page.body);
    expect(text).toContain('Health, "wellbeing" and recovery');
    expect(text).toContain('Contract signed');
    expect(text).toContain('£12,345.67');
    expect(text).toContain('1 January 2025 to 31 December 2026');
    expect(tableRows(page.body, 'payments')).toEqual([
      [ORG.W.name, 'Micro, voluntary or community', '£2,500'],
    ]);
    // No competition: no opportunity page to link to.
    expect(page.body).not.toContain('/find-an-opportunity/');
    const list = pageText((await noticePages()).join('\n'));
    expect(list).toContain('Health, "wellbeing" and recovery');
  });
});
