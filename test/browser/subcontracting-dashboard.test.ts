/**
 * The sub-contracting dashboard in a real browser (issue 16), over the demo data (the demo providers, the
 * three demo contracts and the six regional ones): a commissioner opens `/commissioning/subcontracting`,
 * sees ten charts with no accessibility problem axe can find and no Content-Security-Policy violation,
 * drills down to a region and to a contract, downloads a table as CSV, and reads the same page on a
 * 375 px phone without the page scrolling sideways. The charts are screenshotted into
 * `docs/subcontracting-dashboard.png`.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedProviders } from '../../local/demo/providers';
import { seedSubcontracting } from '../../local/demo/subcontracting';
import { seedSubcontractingSpread } from '../../local/demo/subcontracting-dashboard';
import { config } from '../../shared/config';
import { repositories } from '../../shared/db/repositories';
import { startTestApi, type TestApi } from '../support/api';
import { expectAccessible, launchChromium, screenshot, watchConsole } from './support';

const DOCS = resolve(import.meta.dirname, '../../docs');
const COMMISSIONER = 'dashboard-browser-commissioner';

let api: TestApi;
let browser: Browser;
const contexts: BrowserContext[] = [];
const problems: string[][] = [];

/** A signed-in commissioner's tab at this width, on `path`. */
async function commissionerAt(width: number, path: string): Promise<Page> {
  const context = await browser.newContext({ baseURL: api.url, viewport: { width, height: 900 } });
  contexts.push(context);
  const page = await context.newPage();
  problems.push(watchConsole(page));
  await page.goto(`/local/sign-in?returnTo=${encodeURIComponent(path)}`);
  await page.fill('#sub', COMMISSIONER);
  await page.fill('#email', `${COMMISSIONER}@example.org`);
  await page.check('input[name="groups"][value="commissioner"]');
  await Promise.all([
    page.waitForURL((url) => url.pathname === path),
    page.click('button:has-text("Sign in")'),
  ]);
  return page;
}

beforeAll(async () => {
  api = await startTestApi();
  // The demo data, as `npm start` loads it (fewer providers: enough primes and sub-contractors).
  await seedProviders(repositories(), 30);
  expect(await seedSubcontracting(repositories(), config().rules)).toMatch(/^3 contracts/);
  expect(await seedSubcontractingSpread(repositories(), config().rules)).toMatch(/^6 regional contracts/);
  browser = await launchChromium();
}, 300_000);

afterAll(async () => {
  for (const context of contexts) await context.close();
  await browser?.close();
  await api?.stop();
});

describe('the sub-contracting dashboard in a browser', () => {
  let page: Page;

  it('shows the network’s figures as numbers and ten accessible charts, screenshotted into docs/', async () => {
    page = await commissionerAt(1024, '/commissioning/subcontracting');
    expect(await page.locator('h1').textContent()).toBe('Sub-contracting across the network');
    expect(await page.locator('svg[role="img"][aria-labelledby]').count()).toBe(10);
    // Every chart is named and described, and has its figures as a table a screen reader can reach.
    for (const chart of await page.locator('figure').all()) {
      expect(await chart.locator('svg title').count()).toBe(1);
      expect(await chart.locator('svg desc').count()).toBe(1);
      expect(await chart.locator('.govuk-visually-hidden table tbody tr').count()).toBeGreaterThan(0);
    }
    // Most regions have bars: the demo spreads contracts over them; six quarters have a trend.
    const regions = await page.locator('#regions-table tbody tr').allTextContents();
    expect(regions.filter((row) => !row.includes('No data')).length).toBeGreaterThanOrEqual(8);
    const quarters = await page.locator('#quarters-table tbody tr').allTextContents();
    expect(quarters.filter((row) => !/No data\s*No data/.test(row)).length).toBeGreaterThanOrEqual(6);
    await expectAccessible(page, 'the dashboard');

    // The first two measures' charts (bars by region, trend by quarter) into the README's screenshot.
    const first = await page.locator('#measure-subcontracted').boundingBox();
    const second = await page.locator('#measure-vcse').boundingBox();
    if (!first || !second) throw new Error('the measures are not on the page');
    mkdirSync(DOCS, { recursive: true });
    await page.screenshot({
      path: join(DOCS, 'subcontracting-dashboard.png'),
      fullPage: true,
      clip: { x: 0, y: first.y - 10, width: 1024, height: second.y + second.height - first.y + 20 },
    });
    await screenshot(page, 'subcontracting-dashboard');
  });

  it('chooses a quarter, drills down to a region and a contract, and downloads a table as CSV', async () => {
    const chosen = await page.locator('#period option').nth(1).getAttribute('value');
    await page.selectOption('#period', chosen ?? '');
    await Promise.all([page.waitForURL(/period=/), page.click('button:has-text("Show figures")')]);
    expect(page.url()).toContain(`period=${chosen}`);
    expect(await page.locator('#summary').textContent()).toMatch(/^Figures in (Jan|Apr|Jul|Oct) to /);

    await page.goto('/commissioning/subcontracting');
    await Promise.all([
      page.waitForURL((url) => url.pathname === '/commissioning/subcontracting/wales'),
      page.click('#regions-table a:has-text("Wales")'),
    ]);
    expect(await page.locator('h1').textContent()).toBe('Wales');
    expect(await page.locator('#contracts-table tbody tr').count()).toBeGreaterThanOrEqual(1);
    await expectAccessible(page, 'a region');
    await screenshot(page, 'subcontracting-dashboard-region');

    const csvHref = await page
      .locator('a:has-text("Download every contract in Wales (CSV)")')
      .getAttribute('href');
    const csv = await page.request.get(csvHref ?? '');
    expect(csv.status()).toBe(200);
    expect(csv.headers()['content-type']).toBe('text/csv; charset=utf-8');
    expect((await csv.text()).replace(/^\ufeff/, '').split('\r\n')[0]).toMatch(/^contract_id,title,/);

    await Promise.all([
      page.waitForURL(/\/commissioning\/contracts\//),
      page.click('#contracts-table a:has-text("Family support, Wales")'),
    ]);
    expect(await page.locator('h1').textContent()).toBe('Family support, Wales');
  });

  it('fits a 375 px phone: the charts scale, only the wide tables scroll inside their box', async () => {
    const phone = await commissionerAt(375, '/commissioning/subcontracting');
    const overflow = await phone.evaluate<number>('document.documentElement.scrollWidth');
    const wide = await phone.evaluate<string[]>(
      // What sticks out of the page, leaving out what is clipped (hidden tables, the tables' own scroll boxes).
      `[...document.querySelectorAll('body *')].filter((e) => !e.closest('.govuk-visually-hidden, .app-table-scroll') && e.getBoundingClientRect().right > 376).slice(0, 8).map((e) => e.tagName + '.' + e.className + '#' + e.id + ' ' + Math.round(e.getBoundingClientRect().right))`,
    );
    expect(wide).toEqual([]);
    expect(overflow).toBeLessThanOrEqual(375);
    const widths = await phone
      .locator('svg[role="img"][aria-labelledby]')
      .evaluateAll((charts) => charts.map((chart) => chart.getBoundingClientRect().width));
    expect(widths.every((width) => width > 250 && width <= 375)).toBe(true);
    await expectAccessible(phone, 'the dashboard on a phone');
    await screenshot(phone, 'subcontracting-dashboard-375');
  });

  it('raised no console error or Content-Security-Policy violation', () => {
    expect(problems.flat()).toEqual([]);
  });
});
