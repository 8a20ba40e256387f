/**
 * Browser test support: headless Chromium (from npm, or `CHROMIUM_PATH`) driven by playwright-core against the in-process local gateway,
 * axe-core checks and screenshots.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { expect, inject } from 'vitest';
import { startTestApi, type TestApi } from '../support/api';
import { accreditationAnswers, charityRegistration } from '../support/fixtures';

/** Screenshots land here. */
export const SCREENSHOTS = resolve(import.meta.dirname, '../../test-results/screenshots');

/**
 * Flags for a headless browser on a machine with no display, no GPU and no network but loopback: no
 * sandbox (tests run as root in CI), software rendering, and nothing that phones home (the closed network
 * refuses those connections, noisily).
 */
const COMMON_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--no-default-browser-check',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-domain-reliability',
  '--disable-sync',
  '--no-pings',
];

/**
 * What the npm package's headless shell needs on top: its own flags say it runs with no
 * zygote and SwiftShader for rendering. Its flags that weaken the web's security model
 * (`--disable-web-security`, `--allow-running-insecure-content`) are deliberately not taken: the tests
 * check the pages' Content-Security-Policy, which must be enforced as a user's browser would.
 */
const PACKAGED_ARGS = [
  '--no-zygote',
  '--use-gl=angle',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--font-render-hinting=none',
];

/**
 * Launches headless Chromium: the browser `test/setup/global-browser.ts` resolved (the npm package's, or
 * `CHROMIUM_PATH`). A browser that does not launch fails the test, never skips it.
 */
export async function launchChromium(): Promise<Browser> {
  const { executablePath, packaged } = inject('browser');
  try {
    return await chromium.launch({
      executablePath,
      headless: true,
      args: packaged ? [...COMMON_ARGS, ...PACKAGED_ARGS] : COMMON_ARGS,
    });
  } catch (error) {
    throw new Error(
      `The browser at ${executablePath} did not launch (${(error as Error).message}). The tests use the headless Chromium of the npm package @sparticuz/chromium (npm ci installs it); set CHROMIUM_PATH to use another.`,
    );
  }
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * Runs axe-core on the page and fails on any serious or critical violation. axe is evaluated through the
 * DevTools protocol, which the page's Content-Security-Policy does not govern, so the policy stays on.
 */
export async function expectAccessible(page: Page, name: string): Promise<void> {
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (
      globalThis as unknown as {
        axe: {
          run(): Promise<{
            violations: { id: string; impact: string; help: string; nodes: { target: unknown }[] }[];
          }>;
        };
      }
    ).axe;
    const result = await axe.run();
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.map((n) => n.target),
    }));
  });
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious, `accessibility violations on ${name}`).toEqual([]);
}

/** Saves a full-page screenshot under test-results/screenshots. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/**
 * Collects console errors and page errors (a Content-Security-Policy violation is a console error), so a
 * test can assert there were none. Chromium also logs every 4xx document as an error: a form shown again
 * with its errors answers 400 on purpose, so those lines are left out.
 */
export function watchConsole(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    if (/Failed to load resource: the server responded with a status of 40[034]/.test(message.text())) return;
    problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  return problems;
}

/** The in-process gateway and a browser with one page (1024 × 768) whose console is watched. */
export interface OnePage {
  api: TestApi;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** The page's console errors and page errors (`watchConsole`). */
  problems: string[];
}

/**
 * Starts the gateway and the browser, and opens one page on it: the set-up of a test file that follows one
 * visitor. A browser that does not launch stops the gateway again before failing.
 */
export async function openOnePage(): Promise<OnePage> {
  const api = await startTestApi();
  let browser: Browser;
  try {
    browser = await launchChromium();
  } catch (error) {
    await api.stop();
    throw error;
  }
  const context = await browser.newContext({ baseURL: api.url, viewport: { width: 1024, height: 768 } });
  const page = await context.newPage();
  return { api, browser, context, page, problems: watchConsole(page) };
}

/** Closes the browser, then stops the gateway: either may be missing when the set-up failed early. */
export async function closeAll(browser: Browser | undefined, api: TestApi | undefined): Promise<void> {
  await browser?.close();
  await api?.stop();
}

/** The last complete calendar quarter, and a day inside it: spend returns may not be filed for the future. */
export function lastQuarter(): { period: string; day: (n: number) => string } {
  const now = new Date();
  const current = Math.floor(now.getUTCMonth() / 3);
  const year = current === 0 ? now.getUTCFullYear() - 1 : now.getUTCFullYear();
  const quarter = current === 0 ? 4 : current;
  const day = (n: number) => new Date(Date.UTC(year, (quarter - 1) * 3, n)).toISOString().slice(0, 10);
  return { period: `${year}-Q${quarter}`, day };
}

/** Someone who signs in on the local developer sign-in page, or calls the API with a token. */
export interface Person {
  sub: string;
  email: string;
  groups: string[];
}

/** People whose e-mail addresses are at `domain`. */
export const peopleAt =
  (domain: string) =>
  (sub: string, groups: string[]): Person => ({ sub, email: `${sub}@${domain}`, groups });

/** Waits until a moment has passed (a deadline), with a little to spare. */
export async function waitUntil(at: number): Promise<void> {
  const wait = at - Date.now() + 500;
  if (wait > 0) await new Promise((done) => setTimeout(done, wait));
}

/** Where a page is: its path and query. */
export const whereIs = (url: URL) => `${url.pathname}${url.search}`;

/** Presses a button (or link) and waits for the page it leads to: `to` is its path and query, or a pattern. */
export async function submitTo(page: Page, button: string, to: string | RegExp): Promise<void> {
  await Promise.all([
    page.waitForURL((url) => (typeof to === 'string' ? whereIs(url) === to : to.test(whereIs(url)))),
    page.click(button),
  ]);
}

/**
 * A journey several people take on one gateway, each in a browser context of their own (as each has their
 * own browser). Its methods are bound, so a test file may take them out of it (`const { as } = journey`).
 * An accessibility problem is collected rather than thrown, so the journey goes on and its last test lists
 * every page's problems at once (`expectNoProblems`), with every console error of every person.
 */
export class Journey {
  api!: TestApi;
  browser!: Browser;
  private readonly pages = new Map<string, Page>();
  private readonly contexts: BrowserContext[] = [];
  /** The accessibility problems found on the pages visited, each naming its page. */
  readonly accessibility: { page: string; violations: unknown }[] = [];
  /** Each person's console errors and page errors (a Content-Security-Policy violation is one). */
  readonly consoles: { sub: string; problems: string[] }[] = [];

  /** Starts the gateway, then the browser. */
  start = async (): Promise<void> => {
    this.api = await startTestApi();
    this.browser = await launchChromium();
  };

  /** Closes every person's context, the browser and the gateway. */
  close = async (): Promise<void> => {
    for (const context of this.contexts) await context.close().catch(() => undefined);
    await this.browser?.close();
    await this.api?.stop();
  };

  /** An API token for a person. */
  tokenOf = (who: Person): Promise<string> => this.api.token(who.sub, who.groups, who.email);

  /**
   * The person's browser tab, signed in through the local developer sign-in page the first time, at `path`
   * (which must answer 200). `fresh`: a new browser context, as on another device.
   */
  as = async (who: Person, path: string, options: { fresh?: boolean } = {}): Promise<Page> => {
    let page = this.pages.get(who.sub);
    if (page && options.fresh) {
      await page.context().close();
      this.pages.delete(who.sub);
      page = undefined;
    }
    if (!page) {
      const context = await this.browser.newContext({
        baseURL: this.api.url,
        viewport: { width: 1024, height: 768 },
      });
      this.contexts.push(context);
      page = await context.newPage();
      this.consoles.push({ sub: who.sub, problems: watchConsole(page) });
      this.pages.set(who.sub, page);
      await page.goto(`/local/sign-in?returnTo=${encodeURIComponent(path)}`);
      await page.fill('#sub', who.sub);
      await page.fill('#email', who.email);
      for (const group of who.groups) await page.check(`input[name="groups"][value="${group}"]`);
      await submitTo(page, 'button:has-text("Sign in")', path);
    }
    const response = await page.goto(path);
    expect(response?.status(), `${who.sub} opening ${path}`).toBe(200);
    return page;
  };

  /** One `h1`, and no serious or critical accessibility problem (collected, not thrown). */
  checkPage = async (page: Page, name: string): Promise<void> => {
    expect(await page.locator('h1').count(), `one h1 on ${name}`).toBe(1);
    try {
      await expectAccessible(page, name);
    } catch (error) {
      // The assertion's actual value is the list of violations (id, impact, help, targets).
      this.accessibility.push({
        page: name,
        violations: (error as { actual?: unknown }).actual ?? String(error),
      });
    }
  };

  /**
   * Presses a form's button expecting the form back with its problems: a 400, the error summary linking to
   * each field in `fields`, and an accessible page.
   */
  submitWithErrors = async (page: Page, button: string, name: string, fields: string[]): Promise<void> => {
    const response = page.waitForResponse(
      (r) => r.request().isNavigationRequest() && r.request().method() === 'POST',
    );
    await page.click(button);
    expect((await response).status(), `${name} sent with mistakes`).toBe(400);
    await page.waitForSelector('.govuk-error-summary');
    for (const field of fields) {
      expect(
        await page.locator(`.govuk-error-summary a[href$="${field}"]`).count(),
        `${name}: the error summary links to ${field}`,
      ).toBeGreaterThan(0);
    }
    await this.checkPage(page, `${name} with errors`);
  };

  /**
   * Registers a charity owned by `owner` in the North West for accommodation through the API, has the
   * admin (`adminToken`) verify it and the owner accredit it. @returns its id
   */
  verifiedAccreditedProvider = async (owner: Person, name: string, adminToken: string): Promise<string> => {
    const token = await this.tokenOf(owner);
    const registered = await this.api.call('POST', '/providers', {
      token,
      body: charityRegistration({ name, regions: ['north_west'], services: ['accommodation'] }),
    });
    expect(registered.status, `${name} registered`).toBe(201);
    const id = (registered.body as { id: string }).id;
    expect((await this.api.call('POST', `/providers/${id}/verify`, { token: adminToken })).status).toBe(200);
    const accredited = await this.api.call('PUT', `/providers/${id}/accreditation`, {
      token,
      body: accreditationAnswers(),
    });
    expect(accredited.status, `${name} accredited`).toBe(200);
    return id;
  };

  /** No page visited had an accessibility problem (a soft failure listing them all), nor a console error. */
  expectNoProblems = (): void => {
    expect.soft(this.accessibility).toEqual([]);
    expect(this.consoles.flatMap(({ sub, problems }) => problems.map((p) => `${sub}: ${p}`))).toEqual([]);
  };
}
