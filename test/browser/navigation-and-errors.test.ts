/**
 * Issue 11, in a real browser: mistyped addresses and errors of the JSON API answer browsers with GOV.UK
 * pages (API clients keep problem+json); the signed-in header is the GOV.UK service navigation with "Sign
 * out" as its last item, at desktop and phone widths; the organisation workspace shows only to people who
 * belong to an organisation (at once after they register one); commissioners, admins and auditors land on
 * "Your account"; `/sign-out` is a page too, so its form's address is never a dead end.
 */

import { join } from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../support/api';
import { charityRegistration, uniqueDigits } from '../support/fixtures';
import { expectAccessible, launchChromium, SCREENSHOTS, screenshot } from './support';

let api: TestApi;
let browser: Browser;

beforeAll(async () => {
  api = await startTestApi();
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await api?.stop();
});

/**
 * Console errors and page errors (CSP violations among them), leaving out Chromium's line for every 4xx
 * document: these tests open error pages on purpose.
 */
function watch(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    if (/Failed to load resource: the server responded with a status of 4\d\d/.test(message.text())) return;
    problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  return problems;
}

async function newPage(width = 1024): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
  const context = await browser.newContext({ baseURL: api.url, viewport: { width, height: 800 } });
  const page = await context.newPage();
  return { context, page, problems: watch(page) };
}

/**
 * Signs in on the local developer page from `/sign-in`, where the header's "Sign in" link goes (with no
 * page to return to, so the user lands on their landing page).
 */
async function signIn(page: Page, sub: string, groups: string[] = []): Promise<void> {
  await page.goto('/sign-in');
  await page.waitForURL(/\/local\/sign-in$/);
  await page.fill('#sub', sub);
  await page.fill('#email', `${sub}@example.org`);
  for (const group of groups) await page.check(`input[name="groups"][value="${group}"]`);
  await page.click('button:has-text("Sign in")');
  await page.waitForLoadState();
}

/** A computed style of the element (evaluated in the page; the tests compile without the DOM library). */
function style(locator: Locator, property: 'fontFamily' | 'fontSize'): Promise<string> {
  return locator.evaluate((element, name) => {
    const view = globalThis as unknown as { getComputedStyle(e: unknown): Record<string, string> };
    return view.getComputedStyle(element)[name] ?? '';
  }, property);
}

/** The service navigation's items, in order, as their text. */
async function navigation(page: Page): Promise<string[]> {
  const items = await page.locator('.govuk-service-navigation__item').allTextContents();
  return items.map((text) => text.replace(/\s+/g, ' ').trim());
}

describe('addresses that match no page', () => {
  it.each([
    ['/admin', 'GET'],
    ['/competitions', 'GET'], // POST only: a known path with another method
    ['/nonsense/deeper?x=1', 'GET'],
  ])(
    '%s in a browser is the GOV.UK 404 page with the service layout',
    async (path) => {
      const { context, page, problems } = await newPage();
      try {
        const response = await page.goto(path);
        expect(response?.status()).toBe(404);
        expect(response?.headers()['content-type']).toContain('text/html');
        await expect(page.locator('h1').textContent()).resolves.toBe('Page not found');
        await expect(page.title()).resolves.toContain('Page not found');
        // The normal layout: GOV.UK header, service navigation, footer, the service's stylesheet applied.
        await expect(page.locator('.govuk-header').count()).resolves.toBe(1);
        await expect(navigation(page)).resolves.toEqual([
          'Find a provider',
          'Find an opportunity',
          'Sign in',
        ]);
        await expect(page.locator('.govuk-footer').count()).resolves.toBe(1);
        const font = await style(page.locator('h1'), 'fontFamily');
        expect(font).toContain('GDS Transport');
        await expectAccessible(page, `404 ${path}`);
        expect(problems).toEqual([]);
        if (path === '/admin') await screenshot(page, 'not-found');
      } finally {
        await context.close();
      }
    },
    60_000,
  );

  it('answers API clients (JSON, */* or no Accept) with a 404 problem+json, whatever the method', async () => {
    for (const [method, path, accept] of [
      ['GET', '/admin', 'application/json'],
      ['GET', '/competitions', '*/*'],
      ['DELETE', '/me', undefined],
      ['GET', '/nonsense', 'application/json, text/html'],
    ] as const) {
      const response = await api.call(method, path, accept ? { headers: { accept } } : {});
      expect(response.status, `${method} ${path}`).toBe(404);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
      expect(response.body).toMatchObject({
        type: '/problems/not-found',
        status: 404,
        detail: `No route matches ${method} ${path}.`,
      });
    }
    // A browser's wrong method on a known path gets the page.
    const browserDelete = await api.call('DELETE', '/me', {
      headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' },
    });
    expect(browserDelete.status).toBe(404);
    expect(browserDelete.headers.get('content-type')).toContain('text/html');
    expect(browserDelete.text).toContain('Page not found');
  });
});

describe('errors of the JSON API opened in a browser', () => {
  it('GET /competitions/not-an-id is a GOV.UK-styled error page, not raw JSON', async () => {
    const { context, page, problems } = await newPage();
    try {
      const response = await page.goto('/competitions/not-an-id');
      const status = response?.status() ?? 0;
      expect(status).toBeGreaterThanOrEqual(400);
      expect(status).toBeLessThan(500);
      expect(response?.headers()['content-type']).toContain('text/html');
      expect(response?.headers()['content-security-policy']).toContain("default-src 'none'");
      const api404 = await api.call('GET', '/competitions/not-an-id', {
        headers: { accept: 'application/json' },
      });
      // The same problem, by title, as API clients get.
      await expect(page.locator('h1').textContent()).resolves.toBe((api404.body as { title: string }).title);
      expect(api404.status).toBe(status);
      expect(api404.headers.get('content-type')).toBe('application/problem+json');
      const font = await style(page.locator('h1'), 'fontFamily');
      expect(font).toContain('GDS Transport');
      await expect(page.locator('a:has-text("Go to the start page")').getAttribute('href')).resolves.toBe(
        '/',
      );
      await expectAccessible(page, 'JSON route error in a browser');
      expect(problems).toEqual([]);
      await screenshot(page, 'api-error-in-browser');
    } finally {
      await context.close();
    }
  }, 60_000);

  it('GET /me without a token in a browser is a page that offers sign-in (locally; see the report on AWS)', async () => {
    const { context, page, problems } = await newPage();
    try {
      const response = await page.goto('/me');
      expect(response?.status()).toBe(401);
      expect(response?.headers()['content-type']).toContain('text/html');
      await expect(page.locator('h1').textContent()).resolves.toBe('You need to sign in');
      await expect(page.locator('main a:has-text("sign in")').getAttribute('href')).resolves.toBe('/sign-in');
      await expectAccessible(page, '/me without a token');
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
    const client = await api.call('GET', '/me');
    expect(client.status).toBe(401);
    expect(client.headers.get('content-type')).toBe('application/problem+json');
  }, 60_000);
});

describe('the signed-in header', () => {
  it('a commissioner with no organisation lands on Your account and sees no organisation workspace', async () => {
    const sub = `nav-commissioner-${uniqueDigits(6)}`;
    const { context, page, problems } = await newPage();
    try {
      await signIn(page, sub, ['commissioner']);
      await page.waitForURL(/\/your-account$/);
      await expect(page.locator('h1').textContent()).resolves.toBe('Your account');
      await expect(navigation(page)).resolves.toEqual([
        'Find a provider',
        'Find an opportunity',
        'Commissioning',
        'Your account',
        'Sign out',
      ]);
      const text = await page.locator('main').textContent();
      expect(text).toContain(sub);
      expect(text).toContain('Commissioner');
      await expect(page.locator('main a[href="/commissioning"]').count()).resolves.toBe(1);
      await expect(page.locator('main a[href="/openapi.json"]').count()).resolves.toBe(1);
      await expect(page.locator('a[href="/your-contracts"]').count()).resolves.toBe(0);
      await expect(page.locator('a[href="/register-organisation"]').count()).resolves.toBe(0);
      await expectAccessible(page, 'your account (commissioner)');
      await screenshot(page, 'your-account-commissioner');
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  }, 60_000);

  it.each([['admin'], ['auditor']])(
    'an %s with no organisation lands on Your account too',
    async (group) => {
      const { context, page } = await newPage();
      try {
        await signIn(page, `nav-${group}-${uniqueDigits(6)}`, [group]);
        await page.waitForURL(/\/your-account$/);
        await expect(page.locator('main').textContent()).resolves.toContain(
          group === 'admin' ? 'Administrator' : 'Auditor',
        );
      } finally {
        await context.close();
      }
    },
    60_000,
  );

  it('a provider user sees the workspace the moment they belong to an organisation, worded as its pages', async () => {
    const sub = `nav-provider-${uniqueDigits(6)}`;
    const { context, page, problems } = await newPage();
    try {
      await signIn(page, sub);
      // No organisation yet: providers land on Your organisations, which offers registration.
      await page.waitForURL(/\/your-organisation$/);
      await expect(page.locator('a[href="/register-organisation"]').count()).resolves.toBe(1);
      await expect(navigation(page)).resolves.toEqual([
        'Find a provider',
        'Find an opportunity',
        'Your account',
        'Sign out',
      ]);

      // Registered (the use case behind the registration pages) in the same session: the next page shows it.
      const created = await api.call('POST', '/providers', {
        token: await api.token(sub),
        body: charityRegistration({ charityNumber: uniqueDigits(7) }),
      });
      expect(created.status).toBe(201);
      await page.goto('/find-a-provider');
      await expect(navigation(page)).resolves.toEqual([
        'Find a provider',
        'Find an opportunity',
        'Your organisations',
        'Your competitions',
        'Your contracts',
        'Your payments',
        'Sign out',
      ]);
      await page.click('.govuk-service-navigation a:has-text("Your organisations")');
      await page.waitForURL(/\/your-organisation$/);
      // The navigation says what the page's heading says.
      const heading = (await page.locator('h1').textContent())?.trim();
      const active = await page.locator('.govuk-service-navigation__item--active').textContent();
      expect(active?.trim()).toBe(heading);
      await expect(page.locator('a[href="/your-contracts"]').count()).resolves.toBeGreaterThan(0);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  }, 60_000);

  it('keeps "Sign out" in line with the navigation at 1024 px and in the menu at 375 px', async () => {
    const sub = `nav-layout-${uniqueDigits(6)}`;
    await api.call('POST', '/providers', {
      token: await api.token(sub),
      body: charityRegistration({ charityNumber: uniqueDigits(7) }),
    });
    for (const width of [1024, 375]) {
      const { context, page, problems } = await newPage(width);
      try {
        await signIn(page, sub);
        await page.goto('/find-a-provider');
        const signOut = page.locator('.govuk-service-navigation__list button:has-text("Sign out")');
        if (width === 375) {
          // GOV.UK Frontend collapses the navigation behind its menu button on narrow screens.
          await expect(signOut.isVisible()).resolves.toBe(false);
          await page.click('.govuk-service-navigation__toggle');
        }
        await expect(signOut.isVisible()).resolves.toBe(true);
        // The button sits in the list like the links: same font size, same baseline as its neighbour.
        const payments = page.locator('.govuk-service-navigation__list a:has-text("Your payments")');
        const [button, link] = await Promise.all([signOut.boundingBox(), payments.boundingBox()]);
        const [buttonFont, linkFont] = await Promise.all([
          style(signOut, 'fontSize'),
          style(payments, 'fontSize'),
        ]);
        expect(buttonFont).toBe(linkFont);
        expect(button && link).toBeTruthy();
        if (button && link) {
          if (width === 375) expect(Math.abs(button.x - link.x)).toBeLessThanOrEqual(1);
          else
            expect(Math.abs(button.y + button.height / 2 - (link.y + link.height / 2))).toBeLessThanOrEqual(
              2,
            );
        }
        await expectAccessible(page, `header at ${width} px`);
        await page.screenshot({ path: join(SCREENSHOTS, `header-${width}.png`), fullPage: false });
        expect(problems).toEqual([]);

        await signOut.click();
        await page.waitForURL(/\/$/);
        await expect(navigation(page)).resolves.toContain('Sign in');
      } finally {
        await context.close();
      }
    }
  }, 90_000);
});

describe('sign-out', () => {
  it('GET /sign-out is a page with the button (the address of the header form is never a dead end)', async () => {
    const { context, page, problems } = await newPage();
    try {
      // Signed out: there is nothing to do there, so the start page.
      await page.goto('/sign-out');
      await page.waitForURL(/\/$/);

      await signIn(page, `nav-signout-${uniqueDigits(6)}`);
      const response = await page.goto('/sign-out');
      expect(response?.status()).toBe(200);
      await expect(page.locator('h1').textContent()).resolves.toBe('Sign out');
      await expectAccessible(page, 'sign-out page');
      await page.click('main button:has-text("Sign out")');
      await page.waitForURL(/\/$/);
      await expect(navigation(page)).resolves.toContain('Sign in');
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  }, 60_000);
});
