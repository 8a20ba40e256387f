/**
 * The commissioner's payment-by-results pages in a real browser (issue 18): the contract page links to
 * them; with no mechanism the page says so; a mechanism form with a bad figure is shown again with the error
 * summary and nothing written; the mechanism is set, a quarter's cohort and then its results entered, and
 * the statement and the re-offending charts follow; a claim the prime submitted is validated in part (two
 * of its three participants) and the statement's validated proxy figure changes; the statement downloads
 * as CSV. A commissioner connected to the prime (one of its owners) gets the ethical wall's refusal and
 * writes nothing. Every page is checked with axe.
 */
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { config } from '../../shared/config';
import { repositories } from '../../shared/db/repositories';
import type { UserPrincipal } from '../../shared/domain/principal';
import { submitOutcomeClaim } from '../../shared/use-cases/payment-by-results/claims';
import { registerContract } from '../../shared/use-cases/subcontracting/contracts';
import { CLAIMS_PAGE_SIZE } from '../../shared/web/pages/outcomes/commissioner';
import type { TestApi } from '../support/api';
import { uniqueDigits } from '../support/fixtures';
import { commissioner, user, verifiedProvider } from '../support/scenario';
import { type Snapshot, tableSnapshots } from '../support/table-snapshot';
import { closeAll, expectAccessible, openOnePage, screenshot } from './support';

let api: TestApi;
let browser: Browser;
let page: Page;
let problems: string[];

const owner = user(`pbr-comm-owner-${uniqueDigits(6)}`);
const validator = commissioner(`pbr-comm-validator-${uniqueDigits(6)}`);
let contractId = '';
let claimId = '';
const snapshots = tableSnapshots();
const REFS = ['PRV-004217', 'PRV-004218', 'PRV-004219'];

const outcomesPath = () => `/commissioning/contracts/${contractId}/outcomes`;

/** Signs in on the local sign-in page (as a commissioner when asked), landing on `returnTo`. */
async function signInAs(who: UserPrincipal, asCommissioner: boolean, returnTo: string): Promise<void> {
  await page.goto(returnTo);
  if (!page.url().includes('/local/sign-in')) {
    await page.click('button:has-text("Sign out")');
    await page.goto(returnTo);
  }
  await page.waitForURL(/\/local\/sign-in/);
  await page.fill('#sub', who.sub);
  await page.fill('#email', `${who.sub}@example.org`);
  if (asCommissioner) await page.check('input[name="groups"][value="commissioner"]');
  await page.click('button:has-text("Sign in")');
  await page.waitForURL((url) => url.pathname === returnTo.split('?')[0]);
}

/**
 * Presses a form's button and waits for the page it leads to; returns the status of the POST's answer (303
 * to the next page when the change was made, 400 with the form again when it was not).
 */
async function press(button: string): Promise<number> {
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().isNavigationRequest() && r.request().method() === 'POST'),
    page.click(`button:has-text("${button}")`),
  ]);
  if (response.status() === 303) await page.waitForURL((url) => url.search.includes('done='));
  await page.waitForLoadState('domcontentloaded');
  return response.status();
}

/** The subcontracting and audit tables once every audit event is chained. */
async function settled(): Promise<Snapshot> {
  await api.drainAudit();
  return snapshots.take(['subcontracting', 'audit']);
}

/** A row of the statement's totals by its key. */
async function total(key: string): Promise<string> {
  const row = page.locator('#statement-totals .govuk-summary-list__row', { hasText: key });
  return ((await row.locator('.govuk-summary-list__value').textContent()) ?? '').trim();
}

beforeAll(async () => {
  ({ api, browser, page, problems } = await openOnePage());
  const where = { region: 'north_west', service: 'children_families' } as const;
  const primeId = await verifiedProvider(owner.sub, `Outcome Works ${uniqueDigits(4)}`, where);
  const contract = await registerContract(
    repositories(),
    commissioner('pbr-comm-registrar'),
    {
      title: 'Resettlement by results, North West',
      primeProviderId: primeId,
      valuePence: 10_000_000_00,
      startDate: '2024-01-01',
      endDate: '2029-12-31',
      regions: ['north_west'],
      services: ['children_families'],
    },
    new Date(),
    config().rules,
  );
  contractId = contract.id;
}, 180_000);

afterAll(async () => {
  snapshots.close();
  await closeAll(browser, api);
});

describe("the commissioner's outcome pages", () => {
  it('are linked from the contract page, and say when no mechanism is set', async () => {
    await signInAs(validator, true, `/commissioning/contracts/${contractId}`);
    await page.click('a:has-text("Payment by results")');
    await page.waitForURL((url) => url.pathname === outcomesPath());
    expect(await page.locator('#no-mechanism').textContent()).toContain('No payment mechanism is set');
    expect(await page.locator('#no-charts').count()).toBe(1);
    await expectAccessible(page, 'outcomes with no mechanism');
  }, 60_000);

  it('shows a mechanism form with a bad figure again with the error summary, and writes nothing', async () => {
    await page.click('a:has-text("Set the payment mechanism")');
    await page.waitForURL((url) => url.pathname === `${outcomesPath()}/mechanism`);
    // The first version may start in the contract's first quarter; the form starts there.
    expect(await page.inputValue('#fromPeriod')).toBe('2024-Q1');
    await page.fill('#upfrontPercent', '10');
    await page.fill('#proxyOutcomes-0-id', 'housing');
    await page.fill('#proxyOutcomes-0-name', 'Settled accommodation');
    await page.fill('#proxyOutcomes-0-tariffPence', 'lots');
    await page.fill('#reoffending-binary-baselineRatePercent', '40');
    await page.fill('#reoffending-binary-tariffPence', '1000');
    const before = await settled();
    expect(await press('Set this version')).toBe(400);
    const summary = await page.locator('.govuk-error-summary').textContent();
    expect(summary).toContain('Enter an amount in pounds');
    expect(await page.getAttribute('.govuk-error-summary a', 'href')).toBe('#proxyOutcomes-0-tariffPence');
    expect(await page.inputValue('#proxyOutcomes-0-name')).toBe('Settled accommodation');
    expect(await settled()).toEqual(before);
    await expectAccessible(page, 'mechanism form with errors');
    await screenshot(page, 'outcomes-commissioner-mechanism-errors');
  }, 60_000);

  it('sets the mechanism, and shows it in force', async () => {
    await page.fill('#proxyOutcomes-0-tariffPence', '500');
    expect(await press('Set this version')).toBe(303);
    expect(page.url()).toContain(`${outcomesPath()}?done=mechanism`);
    expect(await page.locator('.govuk-notification-banner').textContent()).toContain('payment mechanism set');
    const terms = await page.locator('#mechanism-terms').textContent();
    expect(terms).toContain('Settled accommodation (housing): £500');
    expect(terms).toContain('Baseline 40%; £1,000 per reoffender prevented');
    await expectAccessible(page, 'outcomes with a mechanism');
  }, 60_000);

  it("enters a quarter's cohort, then its results: the statement and the charts follow", async () => {
    await page.click('a:has-text("Enter a quarter\'s cohort")');
    await page.fill('#period', '2024-Q1');
    await page.fill('#tiers-low-size', '10');
    await page.fill('#tiers-high-size', 'five');
    expect(await press('Save cohort')).toBe(400);
    expect(await page.locator('.govuk-error-summary').textContent()).toContain('whole number');
    await expectAccessible(page, 'cohort form with errors');
    await page.fill('#tiers-high-size', '5');
    expect(await press('Save cohort')).toBe(303);
    const cohorts = await page.locator('#cohorts-table').textContent();
    expect(cohorts).toContain('2024-Q1');
    expect(cohorts).toContain('Results due (from 1 April 2025)');
    expect(await total('Reduced re-offending')).toBe('£0');

    await page.click('a:has-text("Enter results")');
    await page.waitForURL((url) => url.pathname === `${outcomesPath()}/results`);
    // The cohort's sizes are given; the results are for the same people.
    expect(await page.inputValue('#tiers-low-size')).toBe('10');
    await expectAccessible(page, 'results form');
    await page.fill('#tiers-low-reoffenders', '2');
    await page.fill('#tiers-low-reoffences', '3');
    await page.fill('#tiers-high-reoffenders', '3');
    await page.fill('#tiers-high-reoffences', '7');
    expect(await press('Save results')).toBe(303);
    expect(await page.locator('#cohorts-table').textContent()).toContain('Results in (version 1)');
    // Low risk: 20% against a 40% baseline, 2 of 10 fewer reoffenders at £1,000; high risk: above it.
    expect(await total('Reduced re-offending')).toBe('£2,000');
    expect(await page.locator('figure[id^="chart-"] svg[role="img"]').count()).toBe(2);
    expect(await page.locator('#chart-low-binary svg title').textContent()).toContain('Low risk');
    expect(await page.locator('#chart-low-binary .govuk-visually-hidden table').textContent()).toContain(
      '20%',
    );
    await expectAccessible(page, 'outcomes with results and charts');
  }, 90_000);

  it('refuses a commissioner connected to the prime with the ethical wall, writing nothing', async () => {
    const claim = await submitOutcomeClaim(
      repositories(),
      owner,
      contractId,
      {
        outcomeId: 'housing',
        period: '2024-Q1',
        tier: 'low',
        participants: REFS.map((ref, i) => ({ ref, evidenceDate: `2024-02-1${i}` })),
      },
      new Date(),
    );
    claimId = claim.id;
    // One of the prime's owners who is also a commissioner.
    await signInAs(owner, true, `${outcomesPath()}/claims/${claimId}`);
    await page.check('input[name="decision"][value="validated"]');
    await page.fill('#reason', 'Evidence seen');
    await api.drainAudit();
    const before = await snapshots.take(['subcontracting']);
    expect(await press('Record decision')).toBe(403);
    expect(await page.locator('h1').textContent()).toContain('ethical wall');
    expect(await page.locator('main').textContent()).toContain('connected to the prime provider');
    // Nothing of the claim changed; the attempt itself is in the audit table (a denied event and an alert).
    await api.drainAudit();
    expect(await snapshots.take(['subcontracting'])).toEqual(before);
    await expectAccessible(page, 'wall refusal');
  }, 60_000);

  it("refuses the commissioner's pages to the prime's owner who is not a commissioner, before any form", async () => {
    for (const path of [
      outcomesPath(),
      `${outcomesPath()}/mechanism`,
      `${outcomesPath()}/claims/${claimId}`,
    ]) {
      await signInAs(owner, false, path);
      const answer = await page.goto(path);
      expect(answer?.status(), path).toBe(403);
      expect(await page.locator('main').textContent()).toContain('pages are for commissioners');
      expect(await page.locator('form textarea, input[name="decision"]').count()).toBe(0);
    }
    await expectAccessible(page, 'not a commissioner');
  }, 60_000);

  it('validates part of a claim, and the statement changes', async () => {
    await signInAs(validator, true, outcomesPath());
    expect(await total('Proxy outcomes claimed')).toBe('£1,500');
    expect(await total('Proxy outcomes validated')).toBe('£0');
    const before = await total('Total to date');
    await page.click(`#claims-table a[href$="/claims/${claimId}"]`);
    await page.waitForURL((url) => url.pathname === `${outcomesPath()}/claims/${claimId}`);
    const participants = await page.locator('#participants').textContent();
    for (const ref of REFS) expect(participants).toContain(ref);
    expect(participants).toContain('10 February 2024');
    expect(await page.locator('#participants thead').textContent()).toContain('Evidence dated');
    await expectAccessible(page, 'claim to decide');
    // Part of it with every box ticked is not "part": shown again, nothing written.
    await page.check('input[name="decision"][value="partly-validated"]');
    for (const ref of REFS) await page.check(`input[name="validatedRefs"][value="${ref}"]`);
    await page.fill('#reason', 'Two tenancies evidenced; the third is a hostel place');
    const unchanged = await settled();
    expect(await press('Record decision')).toBe(400);
    expect(await page.locator('.govuk-error-summary').textContent()).toContain('not none or all');
    expect(await settled()).toEqual(unchanged);
    await expectAccessible(page, 'claim decision with errors');
    await screenshot(page, 'outcomes-commissioner-claim-errors');
    await page.uncheck(`input[name="validatedRefs"][value="${REFS[2]}"]`);
    // Two ticked but "validate the whole claim" chosen: refused, never paid for all three.
    await page.check('input[name="decision"][value="validated"]');
    expect(await press('Record decision')).toBe(400);
    expect(await page.locator('.govuk-error-summary').textContent()).toContain('choose partly validated');
    expect(await settled()).toEqual(unchanged);
    await page.check('input[name="decision"][value="partly-validated"]');
    expect(await press('Record decision')).toBe(303);
    expect(page.url()).toContain(`${outcomesPath()}?done=claim`);
    expect(await total('Proxy outcomes validated')).toBe('£1,000');
    expect(await total('Total to date')).not.toBe(before);
    expect(await page.locator('#claims-table').count()).toBe(0);
    const counts = await page.locator('#claim-counts').textContent();
    expect(counts).toMatch(/Partly validated\s*1/);
    await screenshot(page, 'outcomes-commissioner');
    // The decided claim: which participants were validated, the reason, and no form to decide it again.
    await page.goto(`${outcomesPath()}/claims/${claimId}`);
    const decided = await page.locator('#participants tbody').textContent();
    expect(decided).toMatch(/PRV-004217.*Validated/s);
    expect(decided).toMatch(/PRV-004219.*Not validated/s);
    expect(await page.locator('#claim-summary').textContent()).toContain('Two tenancies evidenced');
    expect(await page.locator('button:has-text("Record decision")').count()).toBe(0);
    await expectAccessible(page, 'decided claim');
    await page.goto(outcomesPath());
  }, 90_000);

  it('sets a second version only from a quarter not begun, and lists every version', async () => {
    await page.click('a:has-text("Set a new version of the mechanism")');
    await page.waitForURL((url) => url.pathname === `${outcomesPath()}/mechanism`);
    // Prefilled from version 1, starting next quarter.
    expect(await page.inputValue('#proxyOutcomes-0-name')).toBe('Settled accommodation');
    const next = await page.inputValue('#fromPeriod');
    expect(next).toMatch(/^\d{4}-Q[1-4]$/);
    await page.fill('#fromPeriod', '2024-Q2');
    await page.fill('#reoffending-binary-baselineRatePercent', '38');
    const before = await settled();
    expect(await press('Set this version')).toBe(400);
    expect(await page.locator('.govuk-error-summary').textContent()).toContain(
      'a quarter that has not begun',
    );
    expect(await page.getAttribute('.govuk-error-summary a', 'href')).toBe('#fromPeriod');
    expect(await settled()).toEqual(before);
    await page.fill('#fromPeriod', next);
    expect(await press('Set this version')).toBe(303);
    const versions = await page.locator('#mechanism-versions tbody').textContent();
    expect(versions).toContain('2024-Q1');
    expect(versions).toContain(next);
    expect(await page.locator('#mechanism-terms').textContent()).toContain('Baseline 38%');
    // The quarter with results keeps the baseline of the version in force for it.
    expect(await page.locator('#chart-low-binary svg desc').textContent()).toContain('the baseline, 40%');
    await expectAccessible(page, 'outcomes with two versions');
  }, 90_000);

  it('downloads the statement as CSV', async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click('a:has-text("Download the statement (CSV)")'),
    ]);
    const path = await download.path();
    const csv = readFileSync(path, 'utf8');
    expect(csv).toContain('Period,Contract year');
    expect(csv).toMatch(/2024-Q1,1,1,[\d.]+,1500\.00,1000\.00,2000\.00,0\.00,no,/);
    for (const ref of REFS) expect(csv).not.toContain(ref);
    expect(download.suggestedFilename()).toMatch(
      new RegExp(`^outcome-statement-${contractId}-\\d{4}-Q[1-4]\\.csv$`),
    );
  }, 60_000);

  it('pages the claims awaiting a decision with the repository cursor', async () => {
    for (let i = 0; i < CLAIMS_PAGE_SIZE + 1; i += 1) {
      await submitOutcomeClaim(
        repositories(),
        owner,
        contractId,
        {
          outcomeId: 'housing',
          period: '2024-Q1',
          tier: 'medium',
          participants: [{ ref: `PRV-${String(5000 + i).padStart(6, '0')}`, evidenceDate: '2024-03-01' }],
        },
        new Date(),
      );
    }
    await page.goto(outcomesPath());
    expect(await page.locator('#claims-table tbody tr').count()).toBe(CLAIMS_PAGE_SIZE);
    await page.click('.govuk-pagination a:has-text("More claims")');
    await page.waitForURL((url) => url.searchParams.has('cursor'));
    expect(await page.locator('#claims-table tbody tr').count()).toBe(1);
    expect(await page.locator('.govuk-pagination a:has-text("More claims")').count()).toBe(0);
    await expectAccessible(page, 'second page of claims');
    await page.click('.govuk-pagination a:has-text("First claims")');
    await page.waitForURL((url) => !url.searchParams.has('cursor'));
    expect(await page.locator('#claims-table tbody tr').count()).toBe(CLAIMS_PAGE_SIZE);
  }, 120_000);

  it('had no console errors', () => {
    expect(problems).toEqual([]);
  });
});
