/**
 * Browser test support: headless Chromium (from npm, or `CHROMIUM_PATH`) driven by playwright-core against the in-process local gateway,
 * axe-core checks and screenshots.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { expect, inject } from 'vitest';

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
