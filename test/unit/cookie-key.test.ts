/**
 * The local web session cookie key (`local/cookie-key.ts`): made once per data directory, kept private,
 * reused, and a damaged file is reported rather than silently replaced.
 */
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COOKIE_KEY_FILE, loadOrCreateCookieKey } from '../../local/cookie-key';
import { configFromEnv } from '../../shared/config';

describe('local web cookie key', () => {
  it('is created once per data directory, private on disk, and accepted as WEB_COOKIE_SECRET', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cookie-key-'));
    const first = loadOrCreateCookieKey(dir);
    expect(loadOrCreateCookieKey(dir)).toBe(first);
    expect(statSync(join(dir, COOKIE_KEY_FILE)).mode & 0o077).toBe(0);
    expect(readFileSync(join(dir, COOKIE_KEY_FILE), 'utf8').trim()).toBe(first);
    const web = configFromEnv({ WEB_COOKIE_SECRET: first }).web;
    expect(Buffer.from(web.cookieSecret ?? []).toString('base64url')).toBe(first);
    expect(loadOrCreateCookieKey(mkdtempSync(join(tmpdir(), 'cookie-key-')))).not.toBe(first);
  });

  it('refuses a file that holds no key, naming it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cookie-key-'));
    writeFileSync(join(dir, COOKIE_KEY_FILE), 'not a key');
    expect(() => loadOrCreateCookieKey(dir)).toThrow(new RegExp(`${COOKIE_KEY_FILE}.*Delete it`));
  });
});
