/**
 * The prime's payment-by-results pages in a real browser (issue 18): the contract page links to them; the
 * outcomes page shows the mechanism in force, the statement and the claims; an owner claims an outcome for
 * two participants and sees it awaiting a decision; a participant already claimed for the outcome is refused
 * with the conflict's message on the form, and a reference that looks like a name is refused – in both cases
 * nothing is written and the reference appears nowhere but in the text box given back; the statement
 * downloads as CSV; a plain member sees the pages, is told why they cannot claim, and a claim they post
 * anyway is refused. Every page is checked with axe.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { config } from '../../shared/config';
import { repositories } from '../../shared/db/repositories';
import type { MechanismInput } from '../../shared/domain/payment-by-results/mechanism';
import type { UserPrincipal } from '../../shared/domain/principal';
import { isoDay, periodOf } from '../../shared/domain/subcontracting/dates';
import { answerInvitation, inviteMember } from '../../shared/use-cases/memberships';
import { decideOutcomeClaim, listOutcomeClaims } from '../../shared/use-cases/payment-by-results/claims';
import { setPaymentMechanism } from '../../shared/use-cases/payment-by-results/mechanism';
import { registerContract } from '../../shared/use-cases/subcontracting/contracts';
import type { TestApi } from '../support/api';
import { uniqueDigits } from '../support/fixtures';
import { commissioner, user, verifiedProvider } from '../support/scenario';
import { type Snapshot, tableSnapshots } from '../support/table-snapshot';
import { closeAll, expectAccessible, openOnePage, screenshot } from './support';

let api: TestApi;
let browser: Browser;
let page: Page;
let problems: string[];

const owner = user(`pbr-pages-owner-${uniqueDigits(6)}`);
const member = user(`pbr-pages-member-${uniqueDigits(6)}`);
let contractId = '';
let primeId = '';
const today = isoDay(new Date());
const quarter = periodOf(today);
const snapshots = tableSnapshots();

const MECHANISM: MechanismInput = {
  fromPeriod: '2024-Q1',
  upfrontPercent: 10,
  proxyOutcomes: [
    { id: 'accommodation', name: 'Settled accommodation at 3 months', tariffPence: 50_000 },
    { id: 'ete', name: 'Into employment or training', tariffPence: 75_000 },
  ],
  reoffending: {
    binary: { baselineRatePercent: 45.5, tariffPence: 200_000 },
    followUpMonths: 12,
  },
  tierMultipliers: { low: 0.5, medium: 1, high: 1.5, very_high: 2.25 },
  capPencePerYear: 5_000_000_00,
};

async function signInAs(who: UserPrincipal, returnTo: string): Promise<void> {
  await page.goto(returnTo);
  if (!page.url().includes('/local/sign-in')) {
    await page.click('button:has-text("Sign out")');
    await page.goto(returnTo);
  }
  await page.waitForURL(/\/local\/sign-in/);
  await page.fill('#sub', who.sub);
  await page.fill('#email', `${who.sub}@example.org`);
  await page.click('button:has-text("Sign in")');
  await page.waitForURL((url) => url.pathname === returnTo.split('?')[0]);
}

/** The subcontracting and audit tables once every audit event is chained. */
async function settled(): Promise<Snapshot> {
  await api.drainAudit();
  return snapshots.take(['subcontracting', 'audit']);
}

/** Fills the claim form and sends it; returns the status of the answer. */
async function claim(outcome: string, tier: string, rows: string[]): Promise<number> {
  await page.goto(`/your-contracts/${contractId}/outcomes/claim`);
  // No quarter is chosen for the user: one left on a default would be filed under it by mistake.
  expect(await page.inputValue('#period')).toBe('');
  await page.selectOption('#outcomeId', outcome);
  await page.selectOption('#period', quarter);
  await page.check(`input[name="tier"][value="${tier}"]`);
  await page.fill('#participants', rows.join('\n'));
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().isNavigationRequest() && r.request().method() === 'POST'),
    page.click('button:has-text("Submit claim")'),
  ]);
  await page.waitForLoadState('domcontentloaded');
  return response.status();
}

beforeAll(async () => {
  ({ api, browser, page, problems } = await openOnePage());
  const where = { region: 'north_west', service: 'children_families' } as const;
  primeId = await verifiedProvider(owner.sub, `Outcome Partners ${uniqueDigits(4)}`, where);
  const invitation = await inviteMember(
    repositories(),
    owner,
    primeId,
    { sub: member.sub, role: 'member' },
    new Date(),
    config().rules.invitationValidDays,
  );
  await answerInvitation(repositories(), member, invitation.id, 'accepted', new Date());
  const contract = await registerContract(
    repositories(),
    commissioner('pbr-pages-registrar'),
    {
      title: 'Through the gate, North West',
      primeProviderId: primeId,
      valuePence: 20_000_000_00,
      startDate: '2024-01-01',
      endDate: '2029-12-31',
      regions: ['north_west'],
      services: ['children_families'],
    },
    new Date(),
    config().rules,
  );
  contractId = contract.id;
  await setPaymentMechanism(
    repositories(),
    commissioner('pbr-pages-validator'),
    contractId,
    MECHANISM,
    new Date(),
  );
}, 180_000);

afterAll(async () => {
  snapshots.close();
  await closeAll(browser, api);
});

describe("the prime's outcome pages", () => {
  it('are linked from the contract page and show the mechanism in force and an empty statement', async () => {
    await signInAs(owner, `/your-contracts/${contractId}`);
    await page.click('a:has-text("Payment by results")');
    await page.waitForURL((url) => url.pathname === `/your-contracts/${contractId}/outcomes`);
    const outcomes = await page.locator('#outcomes-table').textContent();
    expect(outcomes).toContain('Settled accommodation at 3 months');
    expect(outcomes).toContain('£500');
    expect(await page.locator('#tiers-table').textContent()).toContain('× 2.25');
    const mechanism = await page.locator('#mechanism-summary').textContent();
    expect(mechanism).toContain('10% of the contract value');
    expect(mechanism).toContain('£5,000,000 per contract year');
    expect(await page.locator('#statement-totals').textContent()).toContain('of £20,000,000 contract value');
    expect(await page.locator('#statement-table tbody tr').count()).toBeGreaterThan(4);
    expect(await page.locator('body').textContent()).toContain('No claims have been made');
    await expectAccessible(page, 'outcomes page, no claims');
  }, 60_000);

  it('lets an owner claim an outcome for two participants, which then awaits a decision', async () => {
    await page.goto(`/your-contracts/${contractId}/outcomes/claim`);
    await expectAccessible(page, 'claim form');
    const status = await claim('accommodation', 'high', [
      `PRV-004217, ${today}, Tenancy signed`,
      `PRV-004218, ${today}`,
    ]);
    expect(status).toBe(303);
    await page.waitForURL((url) => url.pathname === `/your-contracts/${contractId}/outcomes`);
    expect(await page.locator('.govuk-notification-banner--success').textContent()).toContain(
      'Claim submitted',
    );
    const row = await page.locator('#claims-table tbody tr').first().textContent();
    expect(row).toContain('Settled accommodation at 3 months');
    expect(row).toContain('2 participants');
    expect(row).toContain('Awaiting decision');
    expect(row).toContain(quarter);
    expect(await page.locator('#claim-counts').textContent()).toMatch(/Awaiting a decision\s*1/);
    // £500 × 1.5 for each of two participants, claimed but not yet validated.
    expect(await page.locator('#statement-totals').textContent()).toMatch(/Proxy outcomes claimed\s*£1,500/);
    await expectAccessible(page, 'outcomes page with a claim');
    await screenshot(page, 'outcomes-prime');
  }, 60_000);

  it('refuses a participant already claimed for the outcome with the conflict on the form, writing nothing', async () => {
    const before = await settled();
    const status = await claim('accommodation', 'high', [`PRV-004300, ${today}`, `prv-004217, ${today}`]);
    expect(status).toBe(400);
    const summary = await page.locator('.govuk-error-summary').textContent();
    expect(summary).toContain('Already claimed for this outcome: participant 2 of this claim');
    expect(await page.locator('#participants-error').textContent()).toContain('Already claimed');
    // The box is given back so the claim can be fixed.
    expect(await page.inputValue('#participants')).toContain('PRV-004300');
    expect(await settled()).toEqual(before);
    await expectAccessible(page, 'claim form with a conflict');
  }, 60_000);

  it('refuses a reference that looks like a name without writing it anywhere', async () => {
    const before = await settled();
    const status = await claim('ete', 'medium', [`John Smith, ${today}`]);
    expect(status).toBe(400);
    expect(new URL(page.url()).pathname).toBe(`/your-contracts/${contractId}/outcomes/claim`);
    expect(new URL(page.url()).search).toBe('');
    const summary = await page.locator('.govuk-error-summary').textContent();
    expect(summary).toContain('Line 1 (reference): This looks like a name or a word');
    // The name is only in the text box given back: never in a message, the title, or an address.
    const html = await page.content();
    expect(html.split('John Smith').length - 1).toBe(1);
    expect(await page.inputValue('#participants')).toContain('John Smith');
    expect(await page.getAttribute('#participants', 'autocomplete')).toBe('off');
    expect(await settled()).toEqual(before);
    const claims = await listOutcomeClaims(repositories(), owner, contractId, { limit: 10 });
    expect(claims.items).toHaveLength(1);
    await expectAccessible(page, 'claim form with a refused reference');
  }, 60_000);

  it('reports the form’s own problems in the error summary', async () => {
    await page.goto(`/your-contracts/${contractId}/outcomes/claim`);
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.request().isNavigationRequest() && r.request().method() === 'POST'),
      page.click('button:has-text("Submit claim")'),
    ]);
    expect(response.status()).toBe(400);
    await page.waitForSelector('.govuk-error-summary');
    for (const field of ['outcomeId', 'tier', 'participants']) {
      expect(await page.locator(`.govuk-error-summary a[href="#${field}"]`).count(), field).toBe(1);
    }
    await expectAccessible(page, 'claim form with errors');
  }, 60_000);

  it('downloads the statement as CSV', async () => {
    await page.goto(`/your-contracts/${contractId}/outcomes`);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click('a:has-text("Download the statement (CSV)")'),
    ]);
    expect(download.suggestedFilename()).toMatch(/^outcome-statement-.*\.csv$/);
    const path = await download.path();
    const { readFileSync } = await import('node:fs');
    const csv = readFileSync(path, 'utf8');
    expect(csv.split('\r\n')[0]).toContain('Period,Contract year,Mechanism version');
    expect(csv).toMatch(/Total to date,,,[\d.]+,1500\.00,0\.00/);
  }, 60_000);

  it("shows a commissioner's decision with its reason, and who may be claimed again", async () => {
    const [made] = (await listOutcomeClaims(repositories(), owner, contractId, { limit: 10 })).items;
    await decideOutcomeClaim(
      repositories(),
      commissioner('pbr-pages-validator'),
      contractId,
      made?.id ?? '',
      { decision: 'partly-validated', validatedRefs: ['PRV-004217'], reason: 'No tenancy evidence for one' },
      new Date(),
    );
    await page.goto(`/your-contracts/${contractId}/outcomes`);
    const row = await page.locator('#claims-table tbody tr').first().textContent();
    expect(row).toContain('Partly validated');
    expect(row).toContain('1 of 2 validated');
    expect(row).toContain('Not validated (can be claimed again): PRV-004218');
    expect(row).toContain('No tenancy evidence for one');
    expect(await page.locator('#statement-totals').textContent()).toMatch(/Proxy outcomes validated\s*£750/);
    await expectAccessible(page, 'outcomes page with a decided claim');
  }, 60_000);
});

describe('a contract with no payment mechanism yet', () => {
  it('says so on the outcomes page, and the claim page offers no form', async () => {
    const other = await registerContract(
      repositories(),
      commissioner('pbr-pages-registrar'),
      {
        title: 'Mentoring, North West',
        primeProviderId: primeId,
        valuePence: 1_000_000_00,
        startDate: '2025-01-01',
        endDate: '2028-12-31',
        regions: ['north_west'],
        services: ['children_families'],
      },
      new Date(),
      config().rules,
    );
    await page.goto(`/your-contracts/${other.id}/outcomes`);
    expect(await page.locator('body').textContent()).toContain('No payment mechanism has been set');
    await expectAccessible(page, 'outcomes page, no mechanism');
    const response = await page.goto(`/your-contracts/${other.id}/outcomes/claim`);
    expect(response?.status()).toBe(200);
    expect(await page.locator('#cannot-claim').textContent()).toContain('No payment mechanism');
    expect(await page.locator('form[action$="/outcomes/claim"]').count()).toBe(0);
  }, 60_000);
});

describe('a member of the prime who is not an owner', () => {
  it('sees the outcomes, is told why they cannot claim, and a claim posted anyway is refused', async () => {
    await signInAs(member, `/your-contracts/${contractId}/outcomes`);
    expect(await page.locator('#claims-table tbody tr').count()).toBe(1);
    await page.goto(`/your-contracts/${contractId}/outcomes/claim`);
    expect(await page.locator('#cannot-claim').textContent()).toContain(
      'Only an owner of the prime provider can claim outcome payments',
    );
    expect(await page.locator('form[action$="/outcomes/claim"]').count()).toBe(0);
    await expectAccessible(page, 'claim page for a member');

    const csrfToken = await page.inputValue('input[name="csrfToken"] >> nth=0');
    const before = await settled();
    const posted = await page.request.post(`/your-contracts/${contractId}/outcomes/claim`, {
      form: {
        csrfToken,
        outcomeId: 'ete',
        period: quarter,
        tier: 'low',
        participants: `PRV-009001, ${today}`,
      },
      headers: { origin: new URL(page.url()).origin },
      maxRedirects: 0,
    });
    expect(posted.status()).toBe(403);
    expect(await posted.text()).toContain('Only an owner of the prime provider can claim outcome payments');
    expect(await settled()).toEqual(before);
    expect(problems).toEqual([]);
  }, 60_000);
});
