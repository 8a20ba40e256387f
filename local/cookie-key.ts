/**
 * The local web session cookie key: 32 random bytes kept in the data directory beside the token signing
 * key, so a browser stays signed in across restarts of `npm start` with the same `DATA_DIR` (and is signed
 * out by another one). In AWS the key is a Secrets Manager secret the web functions read at run time
 * (`WEB_COOKIE_SECRET_ARN`, `shared/web/cookie-key.ts`); its value is never in their configuration.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The key's file name in the data directory. */
export const COOKIE_KEY_FILE = 'web-cookie-key';

/**
 * Loads the key from `<dataDir>/web-cookie-key`, creating it on first use (readable by its owner only).
 * Returns it as `WEB_COOKIE_SECRET` spells it: base64url of 32 bytes.
 * @throws Error when the file exists but does not hold such a key, rather than replace it silently (which
 * would sign everyone out without saying why).
 */
export function loadOrCreateCookieKey(dataDir: string): string {
  const file = join(dataDir, COOKIE_KEY_FILE);
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    // `wx`: two processes starting on one fresh data directory cannot both write a key.
    try {
      writeFileSync(file, `${randomBytes(32).toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  const key = readFileSync(file, 'utf8').trim();
  if (Buffer.from(key, 'base64url').length !== 32 || !/^[A-Za-z0-9_-]+$/.test(key)) {
    throw new Error(
      `${file} does not hold a web cookie key (32 bytes, base64url). Delete it to make a new one (this signs out every browser).`,
    );
  }
  return key;
}
