/**
 * The shares of outcome payments in a real browser (issue 18): an owner of the prime records, on
 * `/your-contracts/{id}/outcomes/shares`, the share of each outcome payment it passes to a registered
 * sub-contractor (reached by the outcomes page's link, which tells an owner they record them and a member
 * they see them), and sees what each comes to; a box that is not a percentage, or shares of one outcome over
 * 100%, are refused on the form with nothing written; a plain member sees the shares but not the form; the
 * sub-contractor sees its shares on its payments page, in "Outcome payments shared with you", beside the
 * spend reported to it. Every page is checked with axe.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { config } from '../../shared/config';
import { repositories } from '../../shared/db/repositories';
import type { MechanismInput } from '../../shared/domain/payment-by-results/mechanism';
import type { UserPrincipal } from '../../shared/domain/principal';
import { isoDay, periodOf } from '../../shared/domain/subcontracting/dates';
import { answerInvitation, inviteMember } from '../../shared/use-cases/memberships';
import { decideOutcomeClaim, submitOutcomeClaim } from '../../shared/use-cases/payment-by-results/claims';
import { setPaymentMechanism } from '../../shared/use-cases/payment-by-results/mechanism';
import { registerContract } from '../../shared/use-cases/subcontracting/contracts';
import { putSupplyChain } from '../../shared/use-cases/subcontracting/supply-chain';
import type { TestApi } from '../support/api';
import { uniqueDigits } from '../support/fixtures';
import { commissioner, user, verifiedProvider } from '../support/scenario';
import { type Snapshot, tableSnapshots } from '../support/table-snapshot';
import { closeAll, expectAccessible, openOnePage, screenshot } from './support';

let api: TestApi;
let browser: Browser;
let page: Page;

const owner = user(`pbr-shares-owner-${uniqueDigits(6)}`);
const member = user(`pbr-shares-member-${uniqueDigits(6)}`);
const subOwner = user(`pbr-shares-sub-${uniqueDigits(6)}`);
const subName = `Small Steps ${uniqueDigits(4)}`;
const title = `Through the gate, shares ${uniqueDigits(4)}`;
let contractId = '';
let subId = '';
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
  reoffending: { binary: { baselineRatePercent: 45.5, tariffPence: 200_000 }, followUpMonths: 12 },
  tierMultipliers: { low: 0.5, medium: 1, high: 1.5, very_high: 2.25 },
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

async function settled(): Promise<Snapshot> {
  await api.drainAudit();
  return snapshots.take(['subcontracting', 'audit']);
}

const box = (outcome: string) => `#share-${subId}-${outcome}`;

/** Sends the shares form; returns the status of the answer. */
async function save(): Promise<number> {
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().isNavigationRequest() && r.request().method() === 'POST'),
    page.click('button:has-text("Save shares")'),
  ]);
  await page.waitForLoadState('domcontentloaded');
  return response.status();
}

beforeAll(async () => {
  ({ api, browser, page } = await openOnePage());
  const where = { region: 'north_west', service: 'children_families' } as const;
  const primeId = await verifiedProvider(owner.sub, `Outcome Partners ${uniqueDigits(4)}`, where);
  subId = await verifiedProvider(subOwner.sub, subName, where);
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
    commissioner('pbr-shares-registrar'),
    {
      title,
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
  await putSupplyChain(
    repositories(),
    owner,
    contractId,
    { subcontractors: [{ ref: 'SUB1', providerId: subId, services: [], plannedValuePence: 100_000_00 }] },
    new Date(),
  );
  const validator = commissioner('pbr-shares-validator');
  await setPaymentMechanism(repositories(), validator, contractId, MECHANISM, new Date());
  // Two participants validated for accommodation in the medium tier: £500 × 1 each, £1,000 in all.
  const claim = await submitOutcomeClaim(
    repositories(),
    owner,
    contractId,
    {
      outcomeId: 'accommodation',
      period: quarter,
      tier: 'medium',
      participants: [
        { ref: 'PRV-104217', evidenceDate: today },
        { ref: 'PRV-104218', evidenceDate: today },
      ],
    },
    new Date(),
  );
  await decideOutcomeClaim(
    repositories(),
    validator,
    contractId,
    claim.id,
    { decision: 'validated', reason: 'Tenancies evidenced' },
    new Date(),
  );
}, 180_000);

afterAll(async () => {
  snapshots.close();
  await closeAll(browser, api);
});

describe('the shares of outcome payments', () => {
  it('lets an owner record shares and shows what each comes to', async () => {
    // Found from the outcomes page, by the link that says what an owner does there.
    await signInAs(owner, `/your-contracts/${contractId}/outcomes`);
    const link = page.locator('#shares-link');
    expect((await link.textContent())?.trim()).toBe(
      'Record the shares of outcome payments you pass on to sub-contractors',
    );
    await link.click();
    await page.waitForURL((url) => url.pathname === `/your-contracts/${contractId}/outcomes/shares`);
    const payments = await page.locator('#outcome-payments').textContent();
    expect(payments).toContain('Settled accommodation at 3 months');
    expect(payments).toContain('£1,000');
    expect(payments).toContain('Reduced re-offending');
    expect(await page.locator('body').textContent()).toContain('You have not recorded any shares');
    await expectAccessible(page, 'shares form, no shares');
    await page.fill(box('accommodation'), '40');
    await page.fill(box('reoffending'), '25.5');
    expect(await save()).toBe(303);
    await page.waitForURL((url) => url.pathname === `/your-contracts/${contractId}/outcomes/shares`);
    expect(await page.locator('.govuk-notification-banner--success').textContent()).toContain('Shares saved');
    const shares = await page.locator('#shares-table').textContent();
    expect(shares).toContain(subName);
    expect(shares).toContain('40%');
    expect(shares).toContain('£400');
    expect(shares).toContain('25.5%');
    expect(await page.inputValue(box('accommodation'))).toBe('40');
    await expectAccessible(page, 'shares form with shares');
    await screenshot(page, 'outcomes-shares');
  }, 60_000);

  it('refuses a box that is not a percentage, and shares over 100%, writing nothing', async () => {
    const before = await settled();
    await page.goto(`/your-contracts/${contractId}/outcomes/shares`);
    await page.fill(box('ete'), 'lots');
    expect(await save()).toBe(400);
    expect(await page.locator('.govuk-error-summary').textContent()).toContain(
      'Enter a percentage from 0 to 100',
    );
    expect(await page.locator(`${box('ete')}-error`).textContent()).toContain('Enter a percentage');
    expect(await page.inputValue(box('ete'))).toBe('lots');
    await expectAccessible(page, 'shares form with an error');
    await page.fill(box('ete'), '100.5');
    expect(await save()).toBe(400);
    expect(await page.locator('.govuk-error-summary').textContent()).toContain(
      'Must be a percentage from 0 to 100',
    );
    expect(await settled()).toEqual(before);
  }, 60_000);

  it('shows a plain member the shares but not the form', async () => {
    await signInAs(member, `/your-contracts/${contractId}/outcomes`);
    const link = page.locator('#shares-link');
    expect((await link.textContent())?.trim()).toBe(
      'See the shares of outcome payments passed on to sub-contractors',
    );
    await expectAccessible(page, 'outcomes page with the shares link, member');
    await link.click();
    await page.waitForURL((url) => url.pathname === `/your-contracts/${contractId}/outcomes/shares`);
    expect(await page.locator('#shares-table').textContent()).toContain('40%');
    expect(await page.locator('#cannot-share').textContent()).toContain('Only an owner');
    expect(await page.locator('button:has-text("Save shares")').count()).toBe(0);
    await expectAccessible(page, 'shares page, member');
  }, 60_000);

  it('shows the sub-contractor its shares on its payments page', async () => {
    await signInAs(subOwner, '/your-payments');
    const section = page.locator(`#shares-${contractId}`);
    const text = await section.textContent();
    expect(text).toContain(title);
    expect(text).toContain('Settled accommodation at 3 months');
    expect(text).toContain('40%');
    expect(text).toContain('£1,000');
    expect(text).toContain('£400');
    expect(text).toContain('Reduced re-offending');
    expect(await page.locator('#outcome-shares').textContent()).toContain('Outcome payments shared with you');
    await expectAccessible(page, 'payments page with outcome shares');
    await screenshot(page, 'payments-outcome-shares');
  }, 60_000);
});
