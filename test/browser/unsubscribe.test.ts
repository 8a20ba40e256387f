/**
 * The unsubscribe pages in a real browser (issue 17): someone who is not signed in follows an e-mail's
 * unsubscribe link, sees what it stops and a button (the visit alone stops nothing), presses it and gets
 * the confirmation with a link to Your alerts; a link the service did not sign is the Page not found page.
 * Every page checked with axe-core, with no Content-Security-Policy violation or script error.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { subscriptionRepository } from '../../shared/db/repositories';
import { signUnsubscribeToken } from '../../shared/domain/notifications/unsubscribe-token';
import { unsubscribeKey } from '../../shared/email/unsubscribe-key';
import type { TestApi } from '../support/api';
import { uniqueDigits } from '../support/fixtures';
import { closeAll, expectAccessible, openOnePage, screenshot } from './support';

let api: TestApi;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let problems: string[];
const user = `unsubscribe-user-${uniqueDigits(6)}`;

beforeAll(async () => {
  ({ api, browser, context, page, problems } = await openOnePage());
}, 120_000);

afterAll(async () => {
  await context?.close();
  await closeAll(browser, api);
});

describe('an e-mail’s unsubscribe link', () => {
  it('shows what it stops and a button, and stops nothing by being visited', async () => {
    const token = signUnsubscribeToken({ sub: user, scope: 'deadline-reminder' }, await unsubscribeKey());
    await page.goto(`/unsubscribe/${token}`);
    expect(await page.textContent('h1')).toContain('Stop these e-mails?');
    expect(await page.textContent('main')).toContain('Deadline reminders');
    expect(await page.textContent('main')).not.toContain(user);
    await expectAccessible(page, 'unsubscribe: stop these e-mails?');
    await screenshot(page, 'unsubscribe-confirm');
    expect((await subscriptionRepository().get(user)).version).toBe(0);
  });

  it('stops them when the button is pressed, and confirms with a link to Your alerts', async () => {
    await page.click('button:has-text("Stop these e-mails")');
    await page.waitForSelector('.govuk-panel');
    expect(await page.textContent('.govuk-panel')).toContain('You have unsubscribed');
    expect(await page.getAttribute('a[href="/your-alerts"]', 'href')).toBe('/your-alerts');
    await expectAccessible(page, 'unsubscribe: done');
    await screenshot(page, 'unsubscribe-done');
    const after = await subscriptionRepository().get(user);
    expect(after.email.kinds['deadline-reminder']).toBe(false);
    expect(after.email.kinds.award).toBe(true);
  });

  it('is the Page not found page for a link the service did not sign', async () => {
    const forged = signUnsubscribeToken({ sub: user, scope: 'award' }, Buffer.alloc(32, 7));
    const response = await page.goto(`/unsubscribe/${forged}`);
    expect(response?.status()).toBe(404);
    expect(await page.textContent('h1')).toContain('Page not found');
    await expectAccessible(page, 'unsubscribe: link not valid');
    expect((await subscriptionRepository().get(user)).email.kinds.award).toBe(true);
  });

  it('raised no console error or Content-Security-Policy violation', () => {
    // The 404 page's own load is reported by the browser as a failed resource: that one is expected.
    expect(problems.filter((problem) => !/404/.test(problem))).toEqual([]);
  });
});
