/**
 * The web front door in a real browser: register an organisation (a failed attempt with errors first),
 * find it in the directory once an admin has verified it, file its accreditation; every page checked with
 * axe-core with and without errors shown, no CSP violation or script error anywhere, screenshots of the
 * main pages under test-results/screenshots.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApi } from '../support/api';
import { competitionBody } from '../support/competitions';
import { charityRegistration, uniqueDigits } from '../support/fixtures';
import { closeAll, expectAccessible, lastQuarter, openOnePage, screenshot } from './support';

let api: TestApi;
let browser: Browser;
let page: Page;
let problems: string[];

beforeAll(async () => {
  ({ api, browser, page, problems } = await openOnePage());
}, 120_000);

afterAll(() => closeAll(browser, api));

const owner = `web-owner-${uniqueDigits(6)}`;
const subcontractor = `web-sub-${uniqueDigits(6)}`;
const organisationName = `Open Doors Mentoring ${uniqueDigits(4)}`;
const charityNumber = uniqueDigits(7);
let providerId = '';
let contractId = '';

async function signIn(sub: string): Promise<void> {
  await page.fill('#sub', sub);
  await page.fill('#email', `${sub}@example.org`);
  await page.click('button:has-text("Sign in")');
}

describe('web front door', () => {
  it('shows the start page, the directory and opportunities to anyone', async () => {
    await page.goto('/');
    await expect(page.locator('h1').textContent()).resolves.toContain('provider network');
    await expectAccessible(page, 'start page');
    await screenshot(page, 'start');

    await page.goto('/find-a-provider');
    await expectAccessible(page, 'directory');
    await page.goto('/find-an-opportunity');
    await expectAccessible(page, 'opportunities');
  }, 60_000);

  it('registers an organisation after showing every error against its field', async () => {
    await page.goto('/');
    await page.click('text=Start now');
    // Not signed in: the local developer sign-in page, then straight back to the first question.
    await page.waitForURL(/\/local\/sign-in/);
    await expectAccessible(page, 'local sign-in');
    await signIn(owner);
    await page.waitForURL(/\/register-organisation\/organisation$/);
    await expectAccessible(page, 'registration: organisation');

    // Nothing answered: the error summary lists every question, each linked to its field.
    await page.click('button:has-text("Continue")');
    await page.waitForSelector('.govuk-error-summary');
    const summary = await page.locator('.govuk-error-summary__list a').allTextContents();
    expect(summary.length).toBeGreaterThanOrEqual(4);
    await expect(page.locator('#name-error').textContent()).resolves.toContain(
      'Enter the name of your organisation',
    );
    await expect(page.title()).resolves.toMatch(/^Error: /);
    await expectAccessible(page, 'registration: organisation with errors');
    await screenshot(page, 'register-errors');

    // A charitable incorporated organisation without a charity number breaks a registry rule.
    await page.fill('#name', organisationName);
    await page.selectOption('#legalForm', 'charitable_incorporated_organisation');
    await page.check('#sector');
    await page.check('input[name="size"][value="small"]');
    await page.click('button:has-text("Continue")');
    await page.waitForSelector('#charityNumber-error');
    await expect(page.locator('#name').inputValue()).resolves.toBe(organisationName);
    await page.fill('#charityNumber', charityNumber);
    await page.click('button:has-text("Continue")');

    await page.waitForURL(/\/register-organisation\/services$/);
    await page.click('button:has-text("Continue")');
    await page.waitForSelector('#regions-error');
    await expectAccessible(page, 'registration: services with errors');
    await page.check('input[name="regions"][value="north_west"]');
    await page.check('input[name="services"][value="accommodation"]');
    await page.fill('#description', 'Mentoring and move-on accommodation for people leaving prison.');
    await page.click('button:has-text("Continue")');

    await page.waitForURL(/\/register-organisation\/contact$/);
    await page.fill('#contact-name', 'Sam Okafor');
    await page.fill('#contact-email', 'not-an-email');
    await page.click('button:has-text("Continue")');
    await page.waitForSelector('#contact-email-error');
    await expectAccessible(page, 'registration: contact with errors');
    await page.fill('#contact-email', 'sam@example.org');
    await page.click('button:has-text("Continue")');

    await page.waitForURL(/\/register-organisation\/check-your-answers$/);
    await expect(page.locator('.govuk-summary-list').textContent()).resolves.toContain(organisationName);
    await expectAccessible(page, 'check your answers');
    await screenshot(page, 'check-your-answers');
    await page.click('button:has-text("Register organisation")');

    await page.waitForURL(/\/register-organisation\/confirmation\?id=/);
    await expect(page.locator('.govuk-panel__title').textContent()).resolves.toContain(
      'Registration complete',
    );
    await expectAccessible(page, 'confirmation');
    await screenshot(page, 'confirmation');
    providerId = new URL(page.url()).searchParams.get('id') ?? '';
    expect(providerId).toMatch(/^[0-9A-Z]{26}$/);
  }, 120_000);

  it('refuses the same charity number twice, against the field, changing nothing', async () => {
    await page.goto('/register-organisation/organisation');
    await page.fill('#name', 'A Copycat Charity');
    await page.selectOption('#legalForm', 'charitable_incorporated_organisation');
    await page.fill('#charityNumber', charityNumber);
    await page.check('#sector');
    await page.check('input[name="size"][value="micro"]');
    await page.click('button:has-text("Continue")');
    await page.check('input[name="regions"][value="london"]');
    await page.check('input[name="services"][value="health"]');
    await page.click('button:has-text("Continue")');
    await page.fill('#contact-name', 'Kim Lee');
    await page.fill('#contact-email', 'kim@example.org');
    await page.click('button:has-text("Continue")');
    await page.click('button:has-text("Register organisation")');
    await page.waitForSelector('.govuk-error-summary');
    const link = page.locator('.govuk-error-summary__list a').first();
    await expect(link.getAttribute('href')).resolves.toBe(
      '/register-organisation/organisation?change=true#charityNumber',
    );
    await expectAccessible(page, 'check your answers with errors');
  }, 60_000);

  it('lists the organisation in the directory once an admin verifies it', async () => {
    const admin = await api.token('web-admin', ['admin']);
    const verified = await api.call('POST', `/providers/${providerId}/verify`, { token: admin });
    expect(verified.status).toBe(200);

    await page.goto('/find-a-provider');
    await page.selectOption('#region', 'north_west');
    await page.selectOption('#service', 'accommodation');
    await page.click('button:has-text("Apply filters")');
    await page.waitForURL(/region=north_west/);
    await page.click(`#results a:has-text("${organisationName}")`);
    await page.waitForURL(new RegExp(`/find-a-provider/${providerId}$`));
    await expect(page.locator('h1').textContent()).resolves.toBe(organisationName);
    // Public fields only: no contact details or registration numbers.
    await expect(page.content()).resolves.not.toContain('sam@example.org');
    await expect(page.content()).resolves.not.toContain(charityNumber);
    await expectAccessible(page, 'provider page');
    await screenshot(page, 'provider');
  }, 60_000);

  it('shows a published opportunity, never its confidential section', async () => {
    const lead = await api.token('web-lead', ['commissioner']);
    const created = await api.call('POST', '/competitions', {
      token: lead,
      body: competitionBody({ title: 'Move-on accommodation, North West' }),
    });
    expect(created.status).toBe(201);
    const id = (created.body as { id: string }).id;
    expect((await api.call('POST', `/competitions/${id}/publish`, { token: lead })).status).toBe(200);
    await page.goto('/find-an-opportunity?region=north_west');
    await page.click('a:has-text("Move-on accommodation, North West")');
    await page.waitForURL(new RegExp(`/find-an-opportunity/${id}$`));
    await expect(page.locator('h1').textContent()).resolves.toBe('Move-on accommodation, North West');
    await expect(page.content()).resolves.not.toContain('Incumbent contract ends');
    await expectAccessible(page, 'opportunity');
    await screenshot(page, 'opportunity');
  }, 60_000);

  it('files the accreditation, showing the form errors first', async () => {
    await page.goto(`/your-organisation/${providerId}/accreditation`);
    await expectAccessible(page, 'accreditation');
    await page.fill('#turnover', 'lots');
    await page.click('button:has-text("File accreditation")');
    await page.waitForSelector('.govuk-error-summary');
    await expect(page.locator('#turnover-error').textContent()).resolves.toContain(
      'Enter your annual turnover as an amount in pounds',
    );
    await expectAccessible(page, 'accreditation with errors');
    await screenshot(page, 'accreditation-errors');

    await page.fill('#turnover', '250,000');
    await page.fill('#accountsYearEnd-day', '31');
    await page.fill('#accountsYearEnd-month', '3');
    await page.fill('#accountsYearEnd-year', String(new Date().getUTCFullYear() - 1));
    await page.fill('#employersLiability', '5000000');
    await page.fill('#publicLiability', '5000000');
    await page.check('input[name="policies"][value="equality"]');
    await page.check('input[name="policies"][value="safeguarding"]');
    await page.check('input[name="policies"][value="healthAndSafety"]');
    await page.click('button:has-text("File accreditation")');
    await page.waitForSelector('.govuk-summary-list');
    await expect(page.locator('.govuk-summary-list').textContent()).resolves.toContain('Current');
  }, 60_000);

  it('files a spend return: every bad row in a table and nothing stored, then a good one', async () => {
    // A verified sub-contractor, a contract with our organisation as prime, and its supply chain.
    const admin = await api.token('web-admin', ['admin']);
    const subToken = await api.token(subcontractor);
    const registered = await api.call('POST', '/providers', {
      token: subToken,
      body: charityRegistration({ name: `Small Steps ${uniqueDigits(4)}`, size: 'micro' }),
    });
    expect(registered.status).toBe(201);
    const subcontractorId = (registered.body as { id: string }).id;
    expect((await api.call('POST', `/providers/${subcontractorId}/verify`, { token: admin })).status).toBe(
      200,
    );
    const commissioner = await api.token('web-commissioner', ['commissioner']);
    const contract = await api.call('POST', '/contracts', {
      token: commissioner,
      body: {
        title: 'Resettlement support, North West',
        primeProviderId: providerId,
        valuePence: 1_000_000_00,
        startDate: '2024-01-01',
        endDate: '2029-12-31',
        regions: ['north_west'],
        services: ['accommodation'],
      },
    });
    expect(contract.status).toBe(201);
    contractId = (contract.body as { id: string }).id;
    const chain = await api.call('PUT', `/contracts/${contractId}/supply-chain`, {
      token: await api.token(owner),
      body: { subcontractors: [{ ref: 'SUB1', providerId: subcontractorId, plannedValuePence: 100_000_00 }] },
    });
    expect(chain.status).toBe(200);

    await page.goto('/your-contracts');
    await expectAccessible(page, 'your contracts');
    await page.click('a:has-text("Resettlement support, North West")');
    await page.waitForURL(new RegExp(`/your-contracts/${contractId}$`));
    await expectAccessible(page, 'contract');

    const { period, day } = lastQuarter();
    const header = 'subcontractor_ref,invoice_ref,invoice_date,paid_date,amount';
    await page.fill('#period', period);
    await page.fill(
      '#csv',
      [
        header,
        `SUB1,INV-1,${day(2)},${day(20)},1250.00`,
        `NOPE,INV-2,${day(2)},${day(20)},10.00`,
        `SUB1,INV-3,not-a-date,${day(20)},-5`,
      ].join('\n'),
    );
    await page.click('button:has-text("File spend return")');
    await page.waitForSelector('#row-errors');
    const rows = await page.locator('#row-errors tbody tr').allTextContents();
    expect(rows.length).toBeGreaterThanOrEqual(3);
    expect(rows.join(' ')).toMatch(/\b2\b/);
    expect(rows.join(' ')).toMatch(/\b3\b/);
    expect(rows.some((row) => /^\s*1\b/.test(row))).toBe(false);
    await expect(page.locator('#csv').inputValue()).resolves.toContain('INV-3');
    await expectAccessible(page, 'contract with row errors');
    await screenshot(page, 'spend-return-errors');
    // Nothing stored: no return for the period yet.
    const none = await api.call('GET', `/contracts/${contractId}/spend-returns/${period}`, {
      token: await api.token(owner),
    });
    expect(none.status).toBe(404);

    await page.fill(
      '#csv',
      [header, `SUB1,INV-1,${day(2)},${day(20)},1250.00`, `SUB1,INV-4,${day(5)},${day(50)},250.50`].join(
        '\n',
      ),
    );
    await page.click('button:has-text("File spend return")');
    await page.waitForSelector('.govuk-notification-banner--success');
    await expect(page.locator('.govuk-summary-list').textContent()).resolves.toContain('£1,500.50');
    await expectAccessible(page, 'contract after filing');
    await screenshot(page, 'contract');
  }, 90_000);

  it('lets the sub-contractor dispute a payment reported to it', async () => {
    await page.click('button:has-text("Sign out")');
    await page.waitForURL(/\/$/);
    await page.goto('/your-payments');
    await page.waitForURL(/\/local\/sign-in/);
    await signIn(subcontractor);
    await page.waitForURL(/\/your-payments$/);
    await expectAccessible(page, 'payments');
    await page.click('a:has-text("Dispute"):has-text("INV-4")');
    await page.waitForURL(/\/your-payments\/dispute\?/);
    await expectAccessible(page, 'dispute');
    await page.click('button:has-text("Send dispute")');
    await page.waitForSelector('#reason-error');
    await expectAccessible(page, 'dispute with errors');
    await page.fill('#reason', 'We were paid £200.50, not £250.50.');
    await page.click('button:has-text("Send dispute")');
    await page.waitForSelector('.govuk-notification-banner--success');
    await screenshot(page, 'payments');
    const disputes = await api.call('GET', `/contracts/${contractId}/disputes`, {
      token: await api.token(owner),
    });
    expect((disputes.body as { items: { reason: string }[] }).items.map((d) => d.reason)).toEqual([
      'We were paid £200.50, not £250.50.',
    ]);
    // Back as the owner for the last checks.
    await page.click('button:has-text("Sign out")');
    await page.waitForURL(/\/$/);
    await page.goto('/your-organisation');
    await signIn(owner);
    await page.waitForURL(/\/your-organisation$/);
  }, 90_000);

  it('works without JavaScript: sign-in, question page errors, directory filters', async () => {
    const noScript = await browser.newContext({ baseURL: api.url, javaScriptEnabled: false });
    try {
      const plain = await noScript.newPage();
      await plain.goto('/find-a-provider');
      await plain.selectOption('#region', 'north_west');
      await plain.click('button:has-text("Apply filters")');
      await plain.waitForURL(/region=north_west/);
      await expect(plain.locator('#results').textContent()).resolves.toContain(organisationName);
      await plain.goto('/register-organisation/organisation');
      await plain.fill('#sub', `no-js-${uniqueDigits(4)}`);
      await plain.click('button:has-text("Sign in")');
      await plain.waitForURL(/\/register-organisation\/organisation$/);
      await plain.click('button:has-text("Continue")');
      await plain.waitForSelector('.govuk-error-summary');
      await expect(plain.locator('#name-error').textContent()).resolves.toContain('Enter the name');
    } finally {
      await noScript.close();
    }
  }, 60_000);

  it('shows the profile, members and notifications, accessible and free of CSP violations', async () => {
    for (const [path, name] of [
      ['/your-organisation', 'your organisations'],
      [`/your-organisation/${providerId}`, 'profile'],
      [`/your-organisation/${providerId}/members`, 'members'],
      [`/your-organisation/${providerId}/notifications`, 'notifications'],
    ] as const) {
      await page.goto(path);
      await expectAccessible(page, name);
    }
    await expect(page.locator('main').textContent()).resolves.toContain('verified');
    await page.goto(`/your-organisation/${providerId}/members`);
    await page.click('button:has-text("Send invitation")');
    await page.waitForSelector('#sub-error');
    await expectAccessible(page, 'members with errors');
    expect(problems).toEqual([]);
  }, 60_000);
});
