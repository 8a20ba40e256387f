/**
 * The transparency pages in a real browser (issue 16), for an anonymous visitor: the published notices
 * newest first, a competition's page and a directly registered contract's page (its payments to
 * sub-contractors summed), and the contracts CSV downloaded from the list's link and read back with
 * csv-parse. Every page checked with axe-core, with no CSP violation or script error, and at 375 pixels
 * wide without the page scrolling sideways (a long unbroken word in a title wraps).
 */
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { config } from '../../shared/config';
import { repositories } from '../../shared/db/repositories';
import type { Principal } from '../../shared/domain/principal';
import { ocidOf } from '../../shared/domain/publication/releases';
import { registerContract } from '../../shared/use-cases/subcontracting/contracts';
import { fileSpendReturn } from '../../shared/use-cases/subcontracting/spend-returns';
import { putSupplyChain } from '../../shared/use-cases/subcontracting/supply-chain';
import { uniqueDigits } from '../support/fixtures';
import { openCompetition, user, verifiedProvider } from '../support/scenario';
import { closeAll, expectAccessible, lastQuarter, type OnePage, openOnePage, screenshot } from './support';

let one: OnePage;
const run = uniqueDigits(6);
/** A title with a word longer than a phone screen is wide: it must wrap, not push the page sideways. */
const COMPETITION = `Wellbeing support ${run} Northumberlandandtynesidecommunityrehabilitationpartnership`;
const CONTRACT = `Resettlement, "through the gate" ${run}`;
const PRIME = `Tyne Resettlement Trust ${run}`;
const SUB = `Wearside Mentors ${run}`;
const commissioner: Principal = {
  kind: 'user',
  sub: `tr-commissioner-${run}`,
  email: undefined,
  groups: ['commissioner'],
};
let competitionId = '';
let contractId = '';

beforeAll(async () => {
  one = await openOnePage();
  const owner = user(`tr-owner-${run}`);
  const prime = await verifiedProvider(owner.sub, PRIME, { region: 'north_east', service: 'accommodation' });
  const sub = await verifiedProvider(`tr-sub-${run}`, SUB, {
    region: 'north_east',
    service: 'accommodation',
  });
  const { period, day } = lastQuarter();
  const contract = await registerContract(
    repositories(),
    commissioner,
    {
      title: CONTRACT,
      primeProviderId: prime,
      valuePence: 240_000_50,
      startDate: day(1),
      endDate: '2029-03-31',
      regions: ['north_east'],
      services: ['accommodation'],
    },
    new Date(),
    config().rules,
  );
  contractId = contract.id;
  await putSupplyChain(
    repositories(),
    owner,
    contractId,
    { subcontractors: [{ ref: 'WM', providerId: sub, services: ['accommodation'], plannedValuePence: 1 }] },
    new Date(),
  );
  await fileSpendReturn(
    repositories(),
    owner,
    contractId,
    period,
    {
      format: 'json',
      issues: [],
      lines: [
        {
          position: 0,
          subcontractorRef: 'WM',
          invoiceRef: 'A1',
          invoiceDate: day(2),
          paidDate: day(9),
          amountPence: 1_200_00,
        },
        {
          position: 1,
          subcontractorRef: 'WM',
          invoiceRef: 'A2',
          invoiceDate: day(3),
          paidDate: day(20),
          amountPence: 300_25,
        },
      ],
    },
    new Date(),
    config().rules,
  );
  // Published last: the newest notice.
  competitionId = await openCompetition({
    title: COMPETITION,
    region: 'north_east',
    service: 'accommodation',
  });
}, 120_000);

afterAll(async () => {
  await closeAll(one?.browser, one?.api);
});

/** How wide the page is, and the elements that stick out of a 375-pixel viewport outside a scroll box. */
async function overflow(): Promise<{ width: number; wide: string[] }> {
  // Evaluated in the page (a string: this project's TypeScript has no DOM types).
  return (await one.page.evaluate(
    `({ width: document.documentElement.scrollWidth,
        wide: [...document.querySelectorAll('body *')]
          .filter((e) => !e.closest('.app-table-scroll') && e.getBoundingClientRect().right > 376)
          .map((e) => e.tagName + '.' + e.className) })`,
  )) as { width: number; wide: string[] };
}

describe('an anonymous visitor', () => {
  it('reads the notices newest first, each with its date, what happened and a link to its page', async () => {
    const { page } = one;
    await page.goto('/transparency');
    expect(await page.locator('h1').textContent()).toBe('Published tenders and contracts');
    expect(await page.locator('h1').count()).toBe(1);
    const notices = page.locator('#notices > li');
    expect(await notices.count()).toBe(2);
    const first = notices.nth(0);
    expect(await first.locator('.govuk-tag').textContent()).toBe('Tender published');
    expect(await first.locator('h3 a').textContent()).toBe(COMPETITION);
    expect(await first.locator('time').getAttribute('datetime')).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    const second = notices.nth(1);
    expect(await second.locator('.govuk-tag').textContent()).toBe('Payments to sub-contractors');
    expect(await second.textContent()).toContain('1 sub-contractor paid £1,500.25');
    await expectAccessible(page, 'published notices');
    await screenshot(page, 'transparency-notices');
  }, 60_000);

  it('opens a competition’s page, and a directly registered contract’s with its payments summed', async () => {
    const { page } = one;
    await page.goto('/transparency');
    await Promise.all([
      page.waitForURL(`**/transparency/${ocidOf(config().publication, competitionId)}`),
      page.locator('#notices a', { hasText: COMPETITION }).click(),
    ]);
    expect(await page.locator('h1').textContent()).toBe(COMPETITION);
    expect(await page.locator('#process').textContent()).toContain('Tender in progress');
    expect(await page.locator(`a[href="/find-an-opportunity/${competitionId}"]`).count()).toBe(1);
    await expectAccessible(page, 'a competition as published');
    await screenshot(page, 'transparency-competition');

    await page.goto('/transparency');
    await Promise.all([
      page.waitForURL(`**/transparency/${ocidOf(config().publication, contractId)}`),
      page.locator('#notices a', { hasText: CONTRACT }).click(),
    ]);
    expect(await page.locator('h1').textContent()).toBe(CONTRACT);
    const text = await page.locator('main').textContent();
    expect(text).toContain('£240,000.50');
    expect(text).toContain(PRIME);
    const rows = await page.locator('#payments tbody tr').allTextContents();
    expect(rows.map((r) => r.replace(/\s+/g, ' ').trim())).toEqual([
      `${SUB} Micro, voluntary or community £1,500.25`,
    ]);
    await expectAccessible(page, 'a contract as published');
    await screenshot(page, 'transparency-contract');
  }, 60_000);

  it('downloads the contracts over £10,000 as CSV from the list’s link', async () => {
    const { page } = one;
    await page.goto('/transparency');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click('a[href="/transparency/contracts.csv"]'),
    ]);
    expect(download.suggestedFilename()).toBe('contracts-over-10000-pounds.csv');
    const csv = readFileSync(String(await download.path()), 'utf8');
    const [header, ...rows] = parse(csv, { bom: true }) as string[][];
    expect(header?.slice(0, 5)).toEqual([
      'Title',
      'Supplier',
      'Supplier sector',
      'Supplier size',
      'Value (GBP)',
    ]);
    expect(rows.find((r) => r[8] === contractId)?.slice(0, 5)).toEqual([
      CONTRACT,
      PRIME,
      'Voluntary, community or social enterprise',
      'Micro (fewer than 10 staff)',
      '240000.50',
    ]);
  }, 60_000);

  it('fits a 375-pixel screen: the list and both pages, with no sideways scrolling', async () => {
    const { page } = one;
    await page.setViewportSize({ width: 375, height: 812 });
    try {
      for (const [path, name] of [
        ['/transparency', 'notices'],
        [`/transparency/${ocidOf(config().publication, competitionId)}`, 'competition'],
        [`/transparency/${ocidOf(config().publication, contractId)}`, 'contract'],
      ] as const) {
        await page.goto(path);
        const { width, wide } = await overflow();
        expect(wide, name).toEqual([]);
        expect(width, name).toBeLessThanOrEqual(375);
        await expectAccessible(page, `${name} at 375 pixels`);
        await screenshot(page, `transparency-${name}-375`);
      }
    } finally {
      await page.setViewportSize({ width: 1024, height: 768 });
    }
    expect(one.problems).toEqual([]);
  }, 90_000);
});
