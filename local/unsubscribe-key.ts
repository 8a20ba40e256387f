/**
 * The local one-click unsubscribe key (issue 17): 32 random bytes kept in the data directory beside the web
 * cookie key, so the unsubscribe links in e-mail the local mail catcher caught keep working across restarts
 * of `npm start` with the same `DATA_DIR`. In AWS the key is a Secrets Manager secret the functions read at
 * run time (`UNSUBSCRIBE_KEY_ARN`, `shared/email/unsubscribe-key.ts`); its value is never in their
 * configuration.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The key's file name in the data directory. */
export const UNSUBSCRIBE_KEY_FILE = 'unsubscribe-key';

/**
 * Loads the key from `<dataDir>/unsubscribe-key`, creating it on first use (readable by its owner only).
 * Returns it as `UNSUBSCRIBE_KEY` spells it: base64url of 32 bytes.
 * @throws Error when the file exists but does not hold such a key, rather than replace it silently (which
 * would break every unsubscribe link already sent without saying why).
 */
export function loadOrCreateUnsubscribeKey(dataDir: string): string {
  const file = join(dataDir, UNSUBSCRIBE_KEY_FILE);
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
  if (!/^[A-Za-z0-9_-]+$/.test(key) || Buffer.from(key, 'base64url').length < 32) {
    throw new Error(
      `${file} does not hold an unsubscribe key (at least 32 bytes, base64url). Delete it to make a new one (this breaks the unsubscribe links of e-mail already sent).`,
    );
  }
  return key;
}
