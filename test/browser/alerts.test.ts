/**
 * "Your alerts" in a real browser (issue 17): a signed-in user finds the page from their account, adds a
 * saved search (an error summary first, for a form sent empty), sees it listed with the amounts they typed,
 * changes it, switches e-mail kinds off and removes the search. Every page checked with axe-core, with no
 * Content-Security-Policy violation or script error.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../support/api';
import { uniqueDigits } from '../support/fixtures';
import { expectAccessible, launchChromium, screenshot, watchConsole } from './support';

let api: TestApi;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let problems: string[];
const user = `alerts-user-${uniqueDigits(6)}`;

beforeAll(async () => {
  api = await startTestApi();
  browser = await launchChromium();
  context = await browser.newContext({ baseURL: api.url, viewport: { width: 1024, height: 768 } });
  page = await context.newPage();
  problems = watchConsole(page);
  await page.goto('/your-account');
  await page.waitForURL(/\/local\/sign-in/);
  await page.fill('#sub', user);
  await page.fill('#email', `${user}@example.org`);
  await page.click('button:has-text("Sign in")');
  await page.waitForURL((url) => !url.pathname.startsWith('/local/'));
}, 120_000);

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await api?.stop();
});

/** The saved searches as the API has them. */
async function savedSearches() {
  const response = await api.call('GET', '/me/subscriptions', { token: await api.token(user) });
  return response.body as {
    email: { enabled: boolean; kinds: Record<string, boolean> };
    savedSearches: { id: string; regions: string[]; minValuePence?: number; maxValuePence?: number }[];
  };
}

describe('your alerts', () => {
  it('is linked from your account, and starts with no saved searches', async () => {
    await page.goto('/your-account');
    await page.click('a:has-text("Your alerts")');
    await page.waitForURL(/\/your-alerts$/);
    expect(await page.textContent('h1')).toContain('Your alerts');
    expect(await page.textContent('main')).toContain('You have no saved searches');
    await expectAccessible(page, 'your alerts, empty');
    await screenshot(page, 'alerts-empty');
  });

  it('shows every problem of a form sent empty in an error summary', async () => {
    await page.click('a:has-text("Add a saved search")');
    await page.waitForURL(/\/your-alerts\/search$/);
    await expectAccessible(page, 'add a saved search');
    await page.click('button:has-text("Save search")');
    await page.waitForSelector('.govuk-error-summary');
    const summary = await page.textContent('.govuk-error-summary');
    expect(summary).toContain('Choose at least one region, or national');
    expect(summary).toContain('Choose at least one service');
    expect(summary).toContain('Choose how often to get e-mails');
    expect(await page.title()).toMatch(/^Error: /);
    await expectAccessible(page, 'add a saved search, with errors');
    await screenshot(page, 'alerts-search-errors');
    expect((await savedSearches()).savedSearches).toEqual([]);
  });

  it('adds a search, listed with the amounts as typed', async () => {
    await page.check('input[name="regions"][value="london"]');
    await page.check('input[name="regions"][value="south_east"]');
    await page.check('input[name="services"][value="accommodation"]');
    await page.check('input[name="suitableFor"][value="vcse"]');
    await page.fill('#minValue', '10,000');
    await page.fill('#maxValue', '250000.50');
    await page.check('input[name="frequency"][value="daily"]');
    await page.click('button:has-text("Save search")');
    await page.waitForURL(/\/your-alerts\?saved=search/);
    const main = await page.textContent('main');
    expect(main).toContain('Your saved search has been saved');
    expect(main).toContain('London, South East');
    expect(main).toContain('£10,000 to £250,000.50');
    expect(main).toContain('Voluntary, community and social enterprise (VCSE) organisations');
    await expectAccessible(page, 'your alerts, one search');
    await screenshot(page, 'alerts-one-search');
    const stored = await savedSearches();
    expect(stored.savedSearches).toHaveLength(1);
    expect(stored.savedSearches[0]).toMatchObject({ minValuePence: 1_000_000, maxValuePence: 25_000_050 });
  });

  it('changes the search from its Change link', async () => {
    await page.click('a:has-text("Change")');
    await page.waitForURL(/\/your-alerts\/search\?id=/);
    expect(await page.inputValue('#maxValue')).toBe('250000.50');
    await page.uncheck('input[name="regions"][value="south_east"]');
    await page.fill('#maxValue', '');
    await page.click('button:has-text("Save search")');
    await page.waitForURL(/\/your-alerts\?saved=search/);
    expect(await page.textContent('main')).toContain('£10,000 or more');
    expect((await savedSearches()).savedSearches[0]?.regions).toEqual(['london']);
  });

  it('switches kinds of e-mail off', async () => {
    await page.uncheck('input[name="kinds"][value="deadline-reminder"]');
    await page.uncheck('input[name="kinds"][value="award"]');
    await page.click('button:has-text("Save e-mail settings")');
    await page.waitForURL(/\/your-alerts\?saved=email/);
    expect(await page.isChecked('input[name="kinds"][value="award"]')).toBe(false);
    expect(await page.isChecked('input[name="kinds"][value="shortlisting"]')).toBe(true);
    const { email } = await savedSearches();
    expect(email.kinds.award).toBe(false);
    expect(email.kinds['deadline-reminder']).toBe(false);
    expect(email.kinds.shortlisting).toBe(true);
    await expectAccessible(page, 'your alerts, e-mail settings saved');
  });

  it('removes the search', async () => {
    await page.click('button:has-text("Remove")');
    await page.waitForURL(/\/your-alerts\?saved=removed/);
    expect(await page.textContent('main')).toContain('You have no saved searches');
    expect((await savedSearches()).savedSearches).toEqual([]);
  });

  it('had no script error or Content-Security-Policy violation', () => {
    expect(problems).toEqual([]);
  });
});
