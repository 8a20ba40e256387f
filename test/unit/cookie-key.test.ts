/**
 * The web cookie key. Locally (`local/cookie-key.ts`): made once per data directory, kept private, reused,
 * and a damaged file is reported rather than silently replaced. In AWS (`shared/web/cookie-key.ts`): read
 * from Secrets Manager by ARN once, never from the function's configuration.
 */
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { describe, expect, it } from 'vitest';
import { COOKIE_KEY_FILE, loadOrCreateCookieKey } from '../../local/cookie-key';
import { configFromEnv } from '../../shared/config';
import { CookieKeyError, createCookieKeyReader } from '../../shared/web/cookie-key';

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

/** A stand-in for Secrets Manager (there is no local one): answers GetSecretValue and records each call. */
function fakeSecretsManager(answer: () => Promise<{ SecretString?: string }>) {
  const calls: GetSecretValueCommand[] = [];
  return {
    calls,
    client: {
      send: async (command: GetSecretValueCommand) => {
        calls.push(command);
        return answer();
      },
    },
  };
}

describe('the web cookie key at run time (shared/web/cookie-key.ts)', () => {
  const arn = 'arn:aws:secretsmanager:eu-west-2:123456789012:secret:WebCookieSecret-AbC123';
  // What the CDK app has Secrets Manager generate: 43 characters of [A-Za-z0-9].
  const generated = 'Abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';
  const inAws = { secret: undefined, secretArn: arn, region: 'eu-west-2' };

  it('in AWS: reads the secret named by the ARN once, with GetSecretValue, and keeps the key', async () => {
    const fake = fakeSecretsManager(async () => ({ SecretString: generated }));
    const read = createCookieKeyReader(fake.client);
    const [first, second] = await Promise.all([read(inAws), read(inAws)]);
    expect(first).toEqual(Buffer.from(generated, 'base64url'));
    expect(first?.length).toBe(32);
    expect(second).toEqual(first);
    expect(await read(inAws)).toEqual(first);
    expect(fake.calls).toHaveLength(1);
    expect(fake.calls[0]).toBeInstanceOf(GetSecretValueCommand);
    expect(fake.calls[0]?.input).toEqual({ SecretId: arn });
  });

  it('forgets a failed read, so the next request tries again', async () => {
    let failures = 1;
    const fake = fakeSecretsManager(async () => {
      if (failures-- > 0) throw new Error('ThrottlingException');
      return { SecretString: generated };
    });
    const read = createCookieKeyReader(fake.client);
    await expect(read(inAws)).rejects.toThrow('ThrottlingException');
    expect((await read(inAws)).length).toBe(32);
    expect(fake.calls).toHaveLength(2);
  });

  it.each([
    ['no text', {}],
    ['a short value', { SecretString: 'too-short' }],
  ])('refuses a secret holding %s, without putting the value in the message', async (_name, answer) => {
    const read = createCookieKeyReader(fakeSecretsManager(async () => answer).client);
    const failure = read(inAws);
    await expect(failure).rejects.toThrow(CookieKeyError);
    await expect(failure).rejects.toThrow(new RegExp(`${arn}.*32 bytes`));
    await expect(failure).rejects.not.toThrow(/too-short/);
  });

  it('locally: the configured value, and Secrets Manager is never asked', async () => {
    const local = loadOrCreateCookieKey(mkdtempSync(join(tmpdir(), 'cookie-key-')));
    const fake = fakeSecretsManager(async () => ({ SecretString: generated }));
    const read = createCookieKeyReader(fake.client);
    const { web, region } = configFromEnv({ WEB_COOKIE_SECRET: local });
    const source = { secret: web.cookieSecret, secretArn: web.cookieSecretArn, region };
    expect((await read(source)).toString('base64url')).toBe(local);
    expect(fake.calls).toEqual([]);
  });

  it('with neither a value nor an ARN (a web function in Lambda without its settings): refuses', async () => {
    const { web, region } = configFromEnv({ AWS_LAMBDA_FUNCTION_NAME: 'web' });
    const read = createCookieKeyReader(fakeSecretsManager(async () => ({ SecretString: generated })).client);
    await expect(read({ secret: web.cookieSecret, secretArn: web.cookieSecretArn, region })).rejects.toThrow(
      /WEB_COOKIE_SECRET_ARN/,
    );
  });
});
