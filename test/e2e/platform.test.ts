import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { generateKeyPair, SignJWT, UnsecuredJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_AUDIENCE, LOCAL_ISSUER, loadOrCreateSigningKey, mintToken } from '../../local/signing-key';
import { startTestApi, type TestApi } from '../support/api';

let api: TestApi;

beforeAll(async () => {
  api = await startTestApi();
});

afterAll(async () => {
  await api.stop();
});

describe('GET /health', () => {
  it('answers 200 without a token, with security headers', async () => {
    const response = await api.call('GET', '/health');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ok' });
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('strict-transport-security')).toContain('max-age=');
  });
});

describe('GET /me', () => {
  it('returns the principal from a minted token', async () => {
    const token = await api.token('alice', ['commissioner', 'admin'], 'alice@example.org');
    const response = await api.call('GET', '/me', { token });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      sub: 'alice',
      email: 'alice@example.org',
      groups: ['commissioner', 'admin'],
      organisations: [],
    });
  });

  it('refuses a missing token with 401 problem+json', async () => {
    const response = await api.call('GET', '/me');
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(response.body).toMatchObject({ type: '/problems/unauthenticated', status: 401 });
  });

  const forged: [string, () => Promise<string>][] = [
    [
      'signed by another key',
      async () => {
        const { privateKey } = await generateKeyPair('ES256');
        return new SignJWT({ 'cognito:groups': ['admin'] })
          .setProtectedHeader({ alg: 'ES256' })
          .setSubject('mallory')
          .setIssuer(LOCAL_ISSUER)
          .setAudience(LOCAL_AUDIENCE)
          .setExpirationTime('1h')
          .sign(privateKey);
      },
    ],
    [
      'alg none',
      async () =>
        new UnsecuredJWT({ 'cognito:groups': ['admin'] })
          .setSubject('mallory')
          .setIssuer(LOCAL_ISSUER)
          .setAudience(LOCAL_AUDIENCE)
          .setExpirationTime('1h')
          .encode(),
    ],
    [
      'HS256 with a guessed secret',
      async () =>
        new SignJWT({ 'cognito:groups': ['admin'] })
          .setProtectedHeader({ alg: 'HS256' })
          .setSubject('mallory')
          .setIssuer(LOCAL_ISSUER)
          .setAudience(LOCAL_AUDIENCE)
          .setExpirationTime('1h')
          .sign(new TextEncoder().encode('secret-secret-secret-secret-secret!')),
    ],
    [
      'expired',
      async () =>
        new SignJWT({})
          .setProtectedHeader({ alg: 'ES256', kid: api.signingKey.kid })
          .setSubject('alice')
          .setIssuer(LOCAL_ISSUER)
          .setAudience(LOCAL_AUDIENCE)
          .setIssuedAt(Math.floor(Date.now() / 1000) - 7200)
          .setExpirationTime(Math.floor(Date.now() / 1000) - 3600)
          .sign(api.signingKey.privateKey),
    ],
    [
      'tampered payload',
      async () => {
        const token = await api.token('alice');
        const [header, , signature] = token.split('.');
        const payload = Buffer.from(
          JSON.stringify({
            sub: 'admin-user',
            'cognito:groups': ['admin'],
            iss: LOCAL_ISSUER,
            aud: LOCAL_AUDIENCE,
            exp: 9999999999,
          }),
        ).toString('base64url');
        return `${header}.${payload}.${signature}`;
      },
    ],
    ['not a JWT at all', async () => 'not-a-token'],
  ];

  it.each(forged)('refuses a token %s with 401 problem+json', async (_label, make) => {
    const response = await api.call('GET', '/me', { token: await make() });
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(response.body).toMatchObject({ type: '/problems/unauthenticated', status: 401 });
  });
});

describe('a token minted with another DATA_DIR', () => {
  it('is refused with a 401 that names the key this API checks and how to mint one it accepts', async () => {
    const otherDir = mkdtempSync(join(tmpdir(), 'other-data-'));
    try {
      const otherKey = await loadOrCreateSigningKey(otherDir);
      const response = await api.call('GET', '/me', { token: await mintToken(otherKey, { sub: 'alice' }) });
      expect(response.status).toBe(401);
      const detail = (response.body as { detail: string }).detail;
      expect(detail).toContain('signature verification failed');
      expect(detail).toContain(api.signingKey.file);
      expect(detail).toContain(`DATA_DIR=${dirname(api.signingKey.file)} npm run --silent token`);
    } finally {
      rmSync(otherDir, { recursive: true, force: true });
    }
  });

  it('keeps the plain reason for an expired token signed by the right key', async () => {
    const token = await mintToken(api.signingKey, { sub: 'alice' }, { expiresIn: -10 });
    const response = await api.call('GET', '/me', { token });
    expect(response.status).toBe(401);
    expect((response.body as { detail: string }).detail).not.toContain('DATA_DIR');
  });
});

describe('unknown routes and methods', () => {
  it('answers 404 problem+json for an unknown path', async () => {
    const response = await api.call('GET', '/no/such/thing');
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(response.body).toMatchObject({ type: '/problems/not-found', status: 404 });
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('answers 404 problem+json for a known path with another method', async () => {
    const response = await api.call('DELETE', '/health');
    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({ type: '/problems/not-found' });
  });
});

describe('GET /openapi.json', () => {
  it('serves an OpenAPI 3.1 document listing the routes', async () => {
    const response = await api.call('GET', '/openapi.json');
    expect(response.status).toBe(200);
    const doc = response.body as { openapi: string; paths: Record<string, Record<string, unknown>> };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/health', '/me', '/openapi.json']));
    expect(doc.paths['/me']?.get).toMatchObject({ security: [{ bearer: [] }] });
  });
});
