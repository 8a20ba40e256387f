/**
 * The verification queue in a real browser (issue 16): an admin signs in, walks the queue (longest waiting
 * first, numbers linked to the public registers, paged), opens a registration, verifies it after the
 * confirmation page, rejects another with a reason (the error summary first, for a blank one), and lands
 * back on the queue with a success banner each time; the rejected organisation's owner reads the reason and
 * what to do next on their organisation page. Someone without the admin role is refused. Every page checked
 * with axe-core, with no CSP violation or script error.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../support/api';
import { charityRegistration, uniqueDigits } from '../support/fixtures';
import { expectAccessible, launchChromium, screenshot, watchConsole } from './support';

let api: TestApi;
let browser: Browser;
const contexts: BrowserContext[] = [];
const problems: string[][] = [];

const run = uniqueDigits(6);
const admin = `queue-admin-${run}`;
const owner = `queue-owner-${run}`;
const commissioner = `queue-commissioner-${run}`;
const names = [`Harbourside Trust ${run}`, `Firth Recovery ${run}`, `Quayside Mentoring ${run}`];
const ids: string[] = [];
const REASON =
  'Your charity number belongs to another charity on the Charity Commission register. Check it and correct it.';

beforeAll(async () => {
  api = await startTestApi();
  browser = await launchChromium();
  const token = await api.token(owner);
  for (const [i, name] of names.entries()) {
    const registered = await api.call('POST', '/providers', {
      token,
      body: charityRegistration({
        name,
        ...(i === 1
          ? {
              legalForm: 'charitable_company',
              companyNumber: `SC${uniqueDigits(6)}`,
              charityNumber: `SC${uniqueDigits(6)}`,
            }
          : {}),
      }),
    });
    expect(registered.status).toBe(201);
    ids.push((registered.body as { id: string }).id);
  }
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await api?.stop();
});

/** A browser of its own for one person, signed in (with `groups`) through the local sign-in page. */
async function signedIn(sub: string, groups: string[], path: string): Promise<Page> {
  const context = await browser.newContext({ baseURL: api.url, viewport: { width: 1024, height: 768 } });
  contexts.push(context);
  const page = await context.newPage();
  problems.push(watchConsole(page));
  await page.goto(path);
  await page.waitForURL(/\/local\/sign-in/);
  await page.fill('#sub', sub);
  await page.fill('#email', `${sub}@example.org`);
  for (const group of groups) await page.check(`input[name="groups"][value="${group}"]`);
  await page.click('button:has-text("Sign in")');
  await page.waitForURL((url) => !url.pathname.startsWith('/local/'));
  return page;
}

/** The organisation names in the queue's table, in order. */
const queueNames = async (page: Page) =>
  (await page.locator('#queue tbody tr td:first-child a').allTextContents()).map((text) => text.trim());

let adminPage: Page;

describe('the admin', () => {
  it('walks the queue: longest waiting first, numbers linked to the registers, a page at a time', async () => {
    adminPage = await signedIn(admin, ['admin'], '/admin/providers');
    await adminPage.waitForURL(/\/admin\/providers$/);
    expect(await adminPage.locator('h1').textContent()).toBe('Verification queue');
    expect(await adminPage.locator('h1').count()).toBe(1);
    expect(await queueNames(adminPage)).toEqual(names);
    const registerLinks = adminPage.locator('#queue a[target="_blank"]');
    expect(await registerLinks.count()).toBe(4);
    const hrefs = await registerLinks.evaluateAll((links) =>
      links.map((l) => (l as unknown as { href: string }).href),
    );
    expect(hrefs[0]).toMatch(
      /^https:\/\/register-of-charities\.charitycommission\.gov\.uk\/charity-search\/-\/charity-details\/\d{7}$/,
    );
    expect(hrefs).toContainEqual(
      expect.stringMatching(
        /^https:\/\/www\.oscr\.org\.uk\/about-charities\/search-the-register\/charity-details\?number=SC\d{6}$/,
      ),
    );
    expect(hrefs).toContainEqual(
      expect.stringMatching(
        /^https:\/\/find-and-update\.company-information\.service\.gov\.uk\/company\/SC\d{6}$/,
      ),
    );
    expect(await registerLinks.first().textContent()).toContain('(opens in new tab)');
    await expectAccessible(adminPage, 'verification queue');
    await screenshot(adminPage, 'admin-providers-queue');

    await adminPage.goto('/admin/providers?limit=2');
    expect(await queueNames(adminPage)).toEqual(names.slice(0, 2));
    await Promise.all([adminPage.waitForURL(/cursor=/), adminPage.click('.govuk-pagination__next a')]);
    expect(await queueNames(adminPage)).toEqual(names.slice(2));
    await expectAccessible(adminPage, 'verification queue, second page');
  }, 90_000);

  it('verifies one after the confirmation page, and is back on the queue with a banner', async () => {
    await adminPage.goto('/admin/providers');
    await Promise.all([
      adminPage.waitForURL(new RegExp(`/admin/providers/${ids[0]}$`)),
      adminPage.click(`a:has-text("${names[0]}")`),
    ]);
    expect(await adminPage.locator('h1').textContent()).toBe(names[0]);
    await expectAccessible(adminPage, 'a registration');
    await screenshot(adminPage, 'admin-providers-registration');
    await Promise.all([
      adminPage.waitForURL(/\/verify$/),
      adminPage.click('a.govuk-button:has-text("Verify")'),
    ]);
    expect(await adminPage.locator('h1').textContent()).toBe('Verify this organisation?');
    await expectAccessible(adminPage, 'verify confirmation');
    await Promise.all([
      adminPage.waitForURL(new RegExp(`/admin/providers\\?verified=${ids[0]}$`)),
      adminPage.click(`button:has-text("Verify ${names[0]}")`),
    ]);
    const banner = await adminPage.locator('.govuk-notification-banner--success').textContent();
    expect(banner).toContain(`${names[0]} is verified`);
    expect(await queueNames(adminPage)).toEqual(names.slice(1));
    await expectAccessible(adminPage, 'queue after verifying');
    // Listed in the public directory now.
    const directory = await api.call('GET', '/directory?limit=100');
    expect((directory.body as { items: { id: string }[] }).items.map((p) => p.id)).toContain(ids[0]);
  }, 90_000);

  it('rejects another with a reason, after the error summary for a blank one', async () => {
    await adminPage.goto(`/admin/providers/${ids[1]}`);
    await Promise.all([
      adminPage.waitForURL(/\/reject$/),
      adminPage.click('a.govuk-button:has-text("Reject")'),
    ]);
    await expectAccessible(adminPage, 'reject form');
    await adminPage.click(`button:has-text("Reject ${names[1]}")`);
    await adminPage.waitForSelector('.govuk-error-summary');
    expect(await adminPage.locator('.govuk-error-summary').textContent()).toContain(
      'Enter why the registration is rejected',
    );
    expect(await adminPage.title()).toMatch(/^Error: /);
    await expectAccessible(adminPage, 'reject form with an error');
    await screenshot(adminPage, 'admin-providers-reject-error');
    // The summary's link takes the keyboard to the field.
    await adminPage.click('.govuk-error-summary a[href="#reason"]');
    expect(
      await adminPage.evaluate(
        () =>
          (globalThis as unknown as { document: { activeElement: { id: string } | null } }).document
            .activeElement?.id,
      ),
    ).toBe('reason');
    await adminPage.fill('#reason', REASON);
    await Promise.all([
      adminPage.waitForURL(new RegExp(`/admin/providers\\?rejected=${ids[1]}$`)),
      adminPage.click(`button:has-text("Reject ${names[1]}")`),
    ]);
    expect(await adminPage.locator('.govuk-notification-banner--success').textContent()).toContain(
      `${names[1]} is rejected`,
    );
    expect(await queueNames(adminPage)).toEqual(names.slice(2));
    await expectAccessible(adminPage, 'queue after rejecting');
    await screenshot(adminPage, 'admin-providers-after-reject');
  }, 90_000);
});

describe('the rejected organisation’s owner', () => {
  it('reads the reason and what to do next, and sends corrected details back to the queue', async () => {
    const page = await signedIn(owner, [], `/your-organisation/${ids[1]}`);
    await page.waitForURL(new RegExp(`/your-organisation/${ids[1]}$`));
    const banner = await page.locator('.govuk-notification-banner').textContent();
    expect(banner).toContain('Your registration was not verified');
    expect(banner).toContain(REASON);
    expect(banner).toContain('What to do next');
    await expectAccessible(page, 'organisation page, rejected');
    await screenshot(page, 'organisation-rejected');
    await Promise.all([
      page.waitForURL(/\/edit$/),
      page.click('.govuk-notification-banner a:has-text("Change your organisation’s details")'),
    ]);
    await page.fill('#charityNumber', `SC${uniqueDigits(6)}`);
    await Promise.all([
      page.waitForURL(/\?updated=resubmitted$/),
      page.click('button:has-text("Save and send for verification")'),
    ]);
    expect(await page.locator('.govuk-notification-banner--success').textContent()).toContain(
      'sent for verification',
    );
    await expectAccessible(page, 'organisation page, resubmitted');
    await adminPage.goto('/admin/providers');
    expect(await queueNames(adminPage)).toEqual([names[2], names[1]]);
  }, 90_000);
});

describe('someone without the admin role', () => {
  it('is refused the queue', async () => {
    const page = await signedIn(commissioner, ['commissioner'], '/commissioning');
    const response = await page.goto('/admin/providers');
    expect(response?.status()).toBe(403);
    expect(await page.locator('main').textContent()).toContain(
      'Only an admin can see the verification queue.',
    );
    expect(await page.locator('main').textContent()).not.toContain(names[2]);
    await expectAccessible(page, 'queue refused');
    expect(problems.flat()).toEqual([]);
  }, 90_000);
});
