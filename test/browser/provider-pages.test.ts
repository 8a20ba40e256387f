/**
 * The provider pages as a newcomer meets them (issue 11): registration that comes back to check your
 * answers after "Change", pre-fills the contact email and survives Back after registering; the directory
 * with its number of results, "Previous" and providers' websites; an opportunity that says what to do
 * next; accreditation in the Procurement Act's words, with a success message and everything filed; the
 * profile changed on the web; notifications with GOV.UK dates and links to pages. Every page is checked
 * with axe-core; no CSP violation or script error anywhere.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApi } from '../support/api';
import { competitionBody, inSeconds } from '../support/competitions';
import { charityRegistration, uniqueDigits } from '../support/fixtures';
import { startTestDelivery, type TestDelivery } from '../support/outbox';
import { closeAll, expectAccessible, openOnePage, screenshot } from './support';

let api: TestApi;
/** The outbox delivery (issue 17): it writes the organisation's notification of a new opportunity. */
let delivery: TestDelivery;
let browser: Browser;
let page: Page;
let problems: string[];

const owner = `pages-owner-${uniqueDigits(6)}`;
const ownerEmail = `${owner}@example.org`;
const organisationName = `Bridges Resettlement ${uniqueDigits(4)}`;
const charityNumber = uniqueDigits(7);
let providerId = '';

/** ISO timestamps must never reach a page. */
const ISO = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

beforeAll(async () => {
  ({ api, browser, page, problems } = await openOnePage());
  delivery = await startTestDelivery();
}, 120_000);

afterAll(async () => {
  await delivery?.stop();
  await closeAll(browser, api);
});

/** Signs in on the local developer page, wherever the visitor was sent from. */
async function signIn(target: Page, sub: string, email: string): Promise<void> {
  await target.waitForURL(/\/local\/sign-in/);
  await target.fill('#sub', sub);
  await target.fill('#email', email);
  await target.click('button:has-text("Sign in")');
}

async function mainText(target: Page = page): Promise<string> {
  return (await target.locator('main').textContent()) ?? '';
}

describe('registration', () => {
  it('starts at the first question from /register-organisation', async () => {
    await page.goto('/register-organisation');
    await signIn(page, owner, ownerEmail);
    await page.waitForURL(/\/register-organisation\/organisation$/);
    await page.goto('/register-organisation');
    await page.waitForURL(/\/register-organisation\/organisation$/);
  }, 60_000);

  it('pre-fills the contact email, agrees with itself about websites and comes back to check your answers after Change', async () => {
    await page.goto('/register-organisation/organisation');
    await page.fill('#name', organisationName);
    await page.selectOption('#legalForm', 'charitable_incorporated_organisation');
    await page.fill('#charityNumber', charityNumber);
    await page.check('#sector');
    await page.check('input[name="size"][value="small"]');
    await page.click('button:has-text("Continue")');
    await page.waitForURL(/\/services$/);
    await page.check('input[name="regions"][value="south_east"]');
    await page.check('input[name="services"][value="custodial_services"]');
    await page.click('button:has-text("Continue")');
    await page.waitForURL(/\/contact$/);

    // The signed-in user's email is the starting answer.
    await expect(page.locator('#contact-email').inputValue()).resolves.toBe(ownerEmail);
    // The hint and the error say the same thing about websites.
    await expect(page.locator('#website-hint').textContent()).resolves.toContain('http:// or https://');
    await page.fill('#contact-name', 'Priya Shah');
    await page.fill('#website', 'bridges.example.org');
    await page.click('button:has-text("Continue")');
    await page.waitForSelector('#website-error');
    await expect(page.locator('#website-error').textContent()).resolves.toContain('http:// or https://');
    await page.fill('#website', 'http://bridges.example.org');
    await page.click('button:has-text("Continue")');
    await page.waitForURL(/\/check-your-answers$/);

    // Change the name: back to check your answers, not on through the questions.
    await page.click('a:has-text("Change"):has-text("name")');
    await page.waitForURL(/\/organisation\?change=true/);
    await expectAccessible(page, 'registration: changing an answer');
    await page.fill('#name', `${organisationName} CIO`);
    await page.click('button:has-text("Continue")');
    await page.waitForURL(/\/check-your-answers$/);
    await expect(page.locator('.govuk-summary-list').textContent()).resolves.toContain(
      `${organisationName} CIO`,
    );

    // A change that breaks a rule stays on its page with the error, then comes back.
    await page.click('a:has-text("Change"):has-text("contact email")');
    await page.fill('#contact-email', 'not-an-email');
    await page.click('button:has-text("Continue")');
    await page.waitForSelector('#contact-email-error');
    await page.fill('#contact-email', 'priya@bridges.example.org');
    await page.click('button:has-text("Continue")');
    await page.waitForURL(/\/check-your-answers$/);
  }, 90_000);

  it('fits the reference in the panel and survives Back after registering', async () => {
    await page.click('button:has-text("Register organisation")');
    await page.waitForURL(/\/confirmation\?id=/);
    providerId = new URL(page.url()).searchParams.get('id') ?? '';
    expect(providerId).toMatch(/^[0-9A-Z]{26}$/);

    // On a small phone the 26-character reference wraps inside the panel instead of overflowing it.
    await page.setViewportSize({ width: 320, height: 640 });
    const overflow = await page
      .locator('.govuk-panel')
      .evaluate((panel) => panel.scrollWidth - panel.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, 'confirmation-narrow');
    await page.setViewportSize({ width: 1024, height: 768 });

    // Back: the confirmation again, never an empty check page that fails with 8 errors.
    await page.goBack();
    await page.waitForURL(/\/confirmation\?id=/);
    await expect(page.locator('.govuk-panel__title').textContent()).resolves.toContain(
      'Registration complete',
    );
    // Sending the check page again registers nothing twice.
    const me = await api.call('GET', '/me', { token: await api.token(owner) });
    expect((me.body as { organisations: unknown[] }).organisations).toHaveLength(1);
    // A new registration starts empty.
    await page.goto('/register-organisation/organisation');
    await expect(page.locator('#name').inputValue()).resolves.toBe('');
  }, 60_000);
});

describe('directory', () => {
  it('shows the number of results, pages back with Previous and links websites safely', async () => {
    const admin = await api.token('pages-admin', ['admin']);
    expect((await api.call('POST', `/providers/${providerId}/verify`, { token: admin })).status).toBe(200);
    // 21 more in the same lists: two pages of 20.
    const other = await api.token(`pages-other-${uniqueDigits(4)}`);
    for (let i = 0; i < 21; i += 1) {
      const registered = await api.call('POST', '/providers', {
        token: other,
        body: charityRegistration({
          name: `Custody Partner ${String(i).padStart(2, '0')}`,
          regions: ['south_east'],
          services: ['custodial_services'],
          website: i === 0 ? 'https://partner.example.org/' : undefined,
        }),
      });
      expect(registered.status).toBe(201);
      const id = (registered.body as { id: string }).id;
      expect((await api.call('POST', `/providers/${id}/verify`, { token: admin })).status).toBe(200);
    }

    await page.goto('/find-a-provider?region=south_east&service=custodial_services');
    await expect(page.locator('#result-count').textContent()).resolves.toContain(
      '22 providers match these filters',
    );
    await expect(page.locator('#results > li').count()).resolves.toBe(20);
    const website = page.locator('#results a[href="https://partner.example.org/"]');
    await expect(website.getAttribute('rel')).resolves.toBe('noopener noreferrer external');
    await expect(page.locator('.govuk-pagination__prev').count()).resolves.toBe(0);
    await expectAccessible(page, 'directory with count');

    await page.click('.govuk-pagination__next a');
    await page.waitForURL(/cursor=/);
    await expect(page.locator('#results > li').count()).resolves.toBe(2);
    await expect(page.locator('#result-count').textContent()).resolves.toContain('22 providers');
    await screenshot(page, 'directory-second-page');
    await page.click('.govuk-pagination__prev a');
    await page.waitForURL(/before=/);
    await expect(page.locator('#results > li').count()).resolves.toBe(20);
    await expect(page.locator('#results > li').first().textContent()).resolves.toContain(organisationName);
    // Back on the first page: no Previous.
    await expect(page.locator('.govuk-pagination__prev').count()).resolves.toBe(0);
    await expectAccessible(page, 'directory after Previous');

    await page.click(`#results a:has-text("${organisationName}")`);
    await page.waitForURL(new RegExp(`/find-a-provider/${providerId}$`));
    const link = page.locator('.govuk-summary-list a[href="http://bridges.example.org/"]');
    await expect(link.getAttribute('rel')).resolves.toBe('noopener noreferrer external');
    await expectAccessible(page, 'provider page with website');
  }, 120_000);
});

describe('opportunities', () => {
  it('say what the tier means, what closes when and what a provider does next', async () => {
    const lead = await api.token('pages-lead', ['commissioner']);
    // A small low-risk contract: no pre-qualification.
    const created = await api.call('POST', '/competitions', {
      token: lead,
      body: competitionBody({
        title: 'Custody visits, South East',
        regions: ['south_east'],
        services: ['custodial_services'],
        estimatedValuePence: 20_000_00,
        termMonths: 12,
        risk: 'low',
        prequalificationDeadline: undefined,
        tenderDeadline: inSeconds(40 * 86_400),
      }),
    });
    expect(created.status).toBe(201);
    const id = (created.body as { id: string; prequalificationTier: string }).id;
    expect((created.body as { prequalificationTier: string }).prequalificationTier).toBe('none');
    expect((await api.call('POST', `/competitions/${id}/publish`, { token: lead })).status).toBe(200);

    await page.goto('/find-an-opportunity?region=south_east');
    const table = (await page.locator('table').textContent()) ?? '';
    expect(table).toContain('No pre-qualification');
    expect(table).toContain('Tenders close');
    expect(table).not.toMatch(ISO);
    await page.click('a:has-text("Custody visits, South East")');
    await page.waitForURL(new RegExp(`/find-an-opportunity/${id}$`));
    const text = await mainText();
    expect(text).toContain('No pre-qualification: any verified provider may bid.');
    expect(text).toContain('Tenders close');
    expect(text).toContain('How to take part');
    expect(text).not.toMatch(ISO);
    expect(text).not.toMatch(/Prequalification/);
    await expect(page.locator('a[href="/register-organisation"]').count()).resolves.toBe(1);
    await expect(page.locator('a[href="/openapi.json"]').count()).resolves.toBe(1);
    await expect(page.locator('main .govuk-summary-list .govuk-tag').textContent()).resolves.toContain(
      'Tendering',
    );
    await expectAccessible(page, 'opportunity with next steps');
    await screenshot(page, 'opportunity-next-steps');

    // The new opportunity reaches the organisation's notifications, dated and linked for people.
    await delivery.drain();
    await page.goto(`/your-organisation/${providerId}/notifications`);
    const inbox = await mainText();
    expect(inbox).toContain('New opportunity: Custody visits, South East');
    expect(inbox).toContain('Tenders close on');
    expect(inbox).not.toMatch(ISO);
    await expect(page.locator(`main a[href="/find-an-opportunity/${id}"]`).count()).resolves.toBe(1);
    await expect(
      page.locator('main a[href^="/competitions/"], main a[href^="/providers/"]').count(),
    ).resolves.toBe(0);
    await expectAccessible(page, 'notifications');
  }, 90_000);
});

describe('accreditation', () => {
  it('uses the Act’s words, names the field of a bad amount, confirms filing and shows everything filed', async () => {
    await page.goto(`/your-organisation/${providerId}/accreditation`);
    const form = await mainText();
    expect(form).toContain('Labour market, slavery and human trafficking offences');
    expect(form).not.toContain('Child labour human trafficking');
    expect(form).not.toContain('Tax non payment');

    await page.fill('#turnover', '250,000');
    await page.fill('#employersLiability', 'five million');
    await page.click('button:has-text("File accreditation")');
    await page.waitForSelector('.govuk-error-summary');
    await expect(page.locator('#employersLiability-error').textContent()).resolves.toContain(
      'Enter your employer’s liability cover as an amount in pounds',
    );
    await expectAccessible(page, 'accreditation with a money error');

    await page.check('input[name="discretionary"][value="bankruptcy_insolvency"]');
    await page.fill('#groundsDetails', 'A subsidiary entered administration in 2023.');
    await page.fill('#selfCleaning', 'The subsidiary was wound up and new financial controls are in place.');
    await page.fill('#accountsYearEnd-day', '31');
    await page.fill('#accountsYearEnd-month', '3');
    await page.fill('#accountsYearEnd-year', String(new Date().getUTCFullYear() - 1));
    await page.fill('#employersLiability', '5000000');
    await page.fill('#publicLiability', '2000000');
    await page.check('input[name="policies"][value="equality"]');
    await page.check('input[name="policies"][value="safeguarding"]');
    await page.click('button:has-text("File accreditation")');
    await page.waitForSelector('.govuk-notification-banner--success');
    await expect(page.locator('.govuk-notification-banner').textContent()).resolves.toContain(
      'Accreditation filed',
    );
    const filed = (await page.locator('.govuk-summary-list').textContent()) ?? '';
    for (const words of [
      'Insolvency or bankruptcy',
      'A subsidiary entered administration in 2023.',
      'new financial controls',
      '£250,000',
      '£5,000,000',
      '£2,000,000',
      'Accounts year end',
      'Equality and diversity',
      'Safeguarding',
      'Not held',
    ]) {
      expect(filed).toContain(words);
    }
    expect(filed).not.toMatch(ISO);
    await expectAccessible(page, 'accreditation filed');
    await screenshot(page, 'accreditation-filed');
  }, 60_000);
});

describe('profile', () => {
  it('is changed by its owner on the web, a taken charity number shown against its field', async () => {
    // Another organisation holds this charity number.
    const taken = uniqueDigits(7);
    const rival = await api.call('POST', '/providers', {
      token: await api.token(`pages-rival-${uniqueDigits(4)}`),
      body: charityRegistration({ name: 'Rival Trust', charityNumber: taken }),
    });
    expect(rival.status).toBe(201);

    await page.goto(`/your-organisation/${providerId}`);
    await page.click('a:has-text("Change your organisation’s details")');
    await page.waitForURL(new RegExp(`/your-organisation/${providerId}/edit$`));
    await expect(page.locator('#name').inputValue()).resolves.toBe(`${organisationName} CIO`);
    await expectAccessible(page, 'profile form');

    await page.fill('#charityNumber', taken);
    await page.click('button:has-text("Save changes")');
    await page.waitForSelector('#charityNumber-error');
    await expect(page.locator('#charityNumber-error').textContent()).resolves.toContain('already registered');
    await expect(page.locator('.govuk-error-summary a').first().getAttribute('href')).resolves.toBe(
      '#charityNumber',
    );
    await expectAccessible(page, 'profile form with errors');
    const unchanged = await api.call('GET', `/providers/${providerId}`, { token: await api.token(owner) });
    expect((unchanged.body as { charityNumber: string }).charityNumber).toBe(charityNumber);

    await page.fill('#charityNumber', charityNumber);
    await page.fill('#name', `${organisationName} Trust`);
    await page.uncheck('input[name="regions"][value="south_east"]');
    await page.check('input[name="regions"][value="london"]');
    await page.click('button:has-text("Save changes")');
    await page.waitForURL(new RegExp(`/your-organisation/${providerId}\\?updated=true$`));
    await expect(page.locator('.govuk-notification-banner').textContent()).resolves.toContain('saved');
    await expect(page.locator('.govuk-summary-list').textContent()).resolves.toContain('London');
    // The directory follows the edit: listed under London now, and counted there.
    await page.goto('/find-a-provider?region=london&service=custodial_services');
    await expect(page.locator('#results').textContent()).resolves.toContain(`${organisationName} Trust`);
    await expect(page.locator('#result-count').textContent()).resolves.toContain(
      '1 provider matches these filters',
    );
  }, 60_000);

  it('cannot be changed by anyone but an owner', async () => {
    const stranger = await browser.newContext({ baseURL: api.url });
    try {
      const other = await stranger.newPage();
      await other.goto(`/your-organisation/${providerId}/edit`);
      await signIn(other, `pages-stranger-${uniqueDigits(4)}`, 'stranger@example.org');
      await other.waitForLoadState();
      expect(await mainText(other)).not.toContain('Save changes');
    } finally {
      await stranger.close();
    }
    expect(problems).toEqual([]);
  }, 60_000);
});
