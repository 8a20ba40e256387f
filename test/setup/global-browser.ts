/**
 * Resolves the browser the browser tests drive, once per run: `CHROMIUM_PATH` when set (a system browser,
 * such as Debian's `/usr/bin/chromium`), otherwise the headless Chromium that the npm package
 * `@sparticuz/chromium` ships (brotli-compressed inside the package; unpacked once into the temp
 * directory). Unpacking here, before any worker starts, keeps two test files from unpacking it at once.
 */
import { existsSync } from 'node:fs';
import chromium from '@sparticuz/chromium';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The browser executable, and whether it is the npm package's headless shell. */
    browser: { executablePath: string; packaged: boolean };
  }
}

export default async function setup(project: TestProject): Promise<void> {
  const override = process.env.CHROMIUM_PATH;
  if (override) {
    if (!existsSync(override)) {
      throw new Error(`CHROMIUM_PATH is set to ${override}, which does not exist.`);
    }
    project.provide('browser', { executablePath: override, packaged: false });
    return;
  }
  project.provide('browser', { executablePath: await chromium.executablePath(), packaged: true });
}
