import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadOrCreateSigningKey, mintToken, verifyToken } from '../../local/signing-key';

describe('local signing key', () => {
  it('is created once, kept private on disk and reused', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'key-'));
    const first = await loadOrCreateSigningKey(dir);
    const second = await loadOrCreateSigningKey(dir);
    expect(second.kid).toBe(first.kid);
    const file = join(dir, 'jwt-signing-key.json');
    expect(statSync(file).mode & 0o077).toBe(0);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ kty: 'EC', alg: 'ES256' });
    const token = await mintToken(first, { sub: 'alice', groups: ['admin'], email: 'a@example.org' });
    await expect(verifyToken(second, token)).resolves.toMatchObject({
      sub: 'alice',
      email: 'a@example.org',
      'cognito:groups': ['admin'],
    });
  });

  it('refuses tokens from another data directory', async () => {
    const a = await loadOrCreateSigningKey(mkdtempSync(join(tmpdir(), 'key-')));
    const b = await loadOrCreateSigningKey(mkdtempSync(join(tmpdir(), 'key-')));
    await expect(verifyToken(b, await mintToken(a, { sub: 'x' }))).rejects.toThrow();
  });

  it('refuses expired tokens', async () => {
    const key = await loadOrCreateSigningKey(mkdtempSync(join(tmpdir(), 'key-')));
    const token = await mintToken(key, { sub: 'x' }, { expiresIn: Math.floor(Date.now() / 1000) - 10 });
    await expect(verifyToken(key, token)).rejects.toThrow(/exp/);
  });
});
