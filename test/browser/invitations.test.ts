/**
 * Membership by invitation in a real browser (issue 12, item 2): an owner invites someone from the members
 * page; the invited user signs in, finds the invitation, accepts and sees the organisation's workspace; a
 * declined invitation makes nobody a member; someone else cannot accept an invitation that is not theirs.
 * Every page checked with axe-core, with no CSP violation or script error.
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
const owner = `inv-owner-${run}`;
const joiner = `inv-joiner-${run}`;
const decliner = `inv-decliner-${run}`;
const invitee = `inv-invitee-${run}`;
const stranger = `inv-stranger-${run}`;
const organisationName = `Second Chances ${run}`;
let providerId = '';

beforeAll(async () => {
  api = await startTestApi();
  browser = await launchChromium();
  const token = await api.token(owner);
  const registered = await api.call('POST', '/providers', {
    token,
    body: charityRegistration({ name: organisationName }),
  });
  providerId = (registered.body as { id: string }).id;
  await api.call('POST', `/providers/${providerId}/verify`, {
    token: await api.token('inv-admin', ['admin']),
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await api?.stop();
});

/** A browser of its own for one person (its own session cookie), signed in as `sub` via `path`. */
async function signedIn(sub: string, path: string): Promise<Page> {
  const context = await browser.newContext({ baseURL: api.url, viewport: { width: 1024, height: 768 } });
  contexts.push(context);
  const page = await context.newPage();
  problems.push(watchConsole(page));
  await page.goto(path);
  await page.waitForURL(/\/local\/sign-in/);
  await page.fill('#sub', sub);
  await page.fill('#email', `${sub}@example.org`);
  await page.click('button:has-text("Sign in")');
  await page.waitForURL((url) => !url.pathname.startsWith('/local/'));
  return page;
}

async function invite(page: Page, sub: string): Promise<void> {
  await page.goto(`/your-organisation/${providerId}/members`);
  await page.fill('#sub', sub);
  await page.check('input[name="role"][value="member"]');
  await page.click('button:has-text("Send invitation")');
  await page.waitForURL(/\/members\?invited=/);
}

async function openInvitationId(sub: string): Promise<string> {
  const open = await api.call('GET', `/providers/${providerId}/invitations`, {
    token: await api.token(owner),
  });
  const found = (open.body as { items: { id: string; sub: string }[] }).items.find((i) => i.sub === sub);
  if (!found) throw new Error(`no open invitation for ${sub}`);
  return found.id;
}

let ownerPage: Page;

describe('inviting from the members page', () => {
  it('shows errors against the form, then sends an invitation that makes nobody a member yet', async () => {
    ownerPage = await signedIn(owner, `/your-organisation/${providerId}/members`);
    await ownerPage.waitForURL(/\/members$/);
    await expectAccessible(ownerPage, 'members');
    await ownerPage.click('button:has-text("Send invitation")');
    await ownerPage.waitForSelector('#sub-error');
    await expect(ownerPage.locator('#sub-error').textContent()).resolves.toContain('user id');
    await expectAccessible(ownerPage, 'members with errors');

    await invite(ownerPage, joiner);
    const banner = await ownerPage.locator('.govuk-notification-banner').textContent();
    expect(banner).toContain(`Invitation sent to ${joiner}`);
    expect(banner).toContain('only when they sign in and accept');
    const tables = ownerPage.locator('table');
    await expect(tables.nth(0).textContent()).resolves.not.toContain(joiner);
    await expect(tables.nth(1).textContent()).resolves.toContain(joiner);
    await expectAccessible(ownerPage, 'members with an open invitation');
    await screenshot(ownerPage, 'members-invited');

    // A second invitation to the same person is refused against the field.
    await ownerPage.fill('#sub', joiner);
    await ownerPage.check('input[name="role"][value="member"]');
    await ownerPage.click('button:has-text("Send invitation")');
    await ownerPage.waitForSelector('#sub-error');
    await expect(ownerPage.locator('#sub-error').textContent()).resolves.toContain('open invitation');
  }, 90_000);
});

describe('the invited user', () => {
  it('finds the invitation after signing in, accepts it and gets the organisation’s workspace', async () => {
    const page = await signedIn(joiner, '/your-organisation');
    // Not a member yet: the header offers "Your account", not the organisation workspace.
    await expect(page.locator('.govuk-service-navigation').textContent()).resolves.not.toContain(
      'Your organisations',
    );
    await expect(page.locator('.govuk-notification-banner').textContent()).resolves.toContain(
      'You have an invitation',
    );
    await expectAccessible(page, 'your organisations with an invitation');
    await page.click('text=See your invitations');
    await page.waitForURL(/\/your-invitations$/);
    await expect(page.locator('.govuk-summary-card__title').textContent()).resolves.toContain(
      organisationName,
    );
    await expectAccessible(page, 'your invitations');
    await screenshot(page, 'your-invitations');

    await page.click('button:has-text("Accept")');
    await page.waitForURL(new RegExp(`/your-organisation/${providerId}\\?joined=true$`));
    await expect(page.locator('.govuk-notification-banner').textContent()).resolves.toContain(
      `You are now a member of ${organisationName}`,
    );
    await expect(page.locator('.govuk-service-navigation').textContent()).resolves.toContain(
      'Your organisations',
    );
    await expectAccessible(page, 'profile after joining');
    await page.goto('/your-invitations');
    await expect(page.locator('main').textContent()).resolves.toContain('You have no open invitations');
    await expectAccessible(page, 'no invitations');
  }, 90_000);

  it('declines, and does not become a member', async () => {
    await invite(ownerPage, decliner);
    const page = await signedIn(decliner, '/your-invitations');
    await page.click('button:has-text("Decline")');
    await page.waitForURL(/\/your-invitations\?declined=/);
    await expect(page.locator('.govuk-notification-banner').textContent()).resolves.toContain(
      `You declined the invitation to join ${organisationName}`,
    );
    await expectAccessible(page, 'declined');
    const profile = await page.goto(`/your-organisation/${providerId}`);
    expect(profile?.status()).toBe(404);
  }, 90_000);
});

describe('someone else', () => {
  it('cannot see or accept an invitation that is not theirs', async () => {
    await invite(ownerPage, invitee);
    const id = await openInvitationId(invitee);
    const page = await signedIn(stranger, '/your-invitations');
    await expect(page.locator('main').textContent()).resolves.toContain('You have no open invitations');
    // A forged accept with the stranger's own session and CSRF token (the browser context's request
    // carries its cookies): the invitation "does not exist" for them.
    const csrfToken = await page.locator('input[name="csrfToken"]').first().inputValue();
    const answer = await page.request.post(`/your-invitations/${id}/accept`, {
      form: { csrfToken },
      headers: { accept: 'text/html' },
      maxRedirects: 0,
    });
    expect(answer.status()).toBe(404);
    expect(await answer.text()).toContain('Page not found');
    const inviteeToken = await api.token(invitee);
    expect((await api.call('GET', `/providers/${providerId}`, { token: inviteeToken })).status).toBe(404);
    expect(await openInvitationId(invitee)).toBe(id);
  }, 90_000);
});

describe('removing and leaving', () => {
  it('lets the owner remove a member after confirming, and refuses the last owner leaving', async () => {
    await ownerPage.goto(`/your-organisation/${providerId}/members`);
    await ownerPage.click(`button:has-text("Remove"):has-text("${joiner}")`);
    await ownerPage.waitForSelector('h1:has-text("Are you sure you want to remove")');
    await expectAccessible(ownerPage, 'remove confirmation');
    await ownerPage.click(`button:has-text("Remove ${joiner}")`);
    await ownerPage.waitForURL(/\/members\?removed=/);
    await expect(ownerPage.locator('table').nth(0).textContent()).resolves.not.toContain(joiner);

    await ownerPage.click('button:has-text("Leave")');
    await ownerPage.waitForSelector('.govuk-error-summary');
    await expect(ownerPage.locator('.govuk-error-summary').textContent()).resolves.toContain('last owner');
    await expectAccessible(ownerPage, 'last owner cannot leave');
    expect(problems.flat()).toEqual([]);
  }, 90_000);
});
