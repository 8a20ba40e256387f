/**
 * One-click unsubscribe's key and rule (issue 17). The key: `UNSUBSCRIBE_KEY` (base64, at least 32 bytes)
 * or `UNSUBSCRIBE_KEY_ARN`, never both; a random key per process outside Lambda with neither, none inside;
 * locally kept in the data directory (`local/unsubscribe-key.ts`); in AWS read from Secrets Manager once
 * (`shared/email/unsubscribe-key.ts`). The rule (`stopEmails`): exactly the scope's e-mails stop, and a
 * scope stopped already changes nothing.
 */
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { describe, expect, it } from 'vitest';
import { loadOrCreateUnsubscribeKey, UNSUBSCRIBE_KEY_FILE } from '../../local/unsubscribe-key';
import { mailSettingsFromEnv } from '../../shared/config';
import { defaultSubscriptions, EMAIL_KIND_NAMES } from '../../shared/domain/notifications/subscriptions';
import { scopeWords, stopEmails } from '../../shared/domain/notifications/unsubscribe';
import {
  signUnsubscribeToken,
  verifyUnsubscribeToken,
} from '../../shared/domain/notifications/unsubscribe-token';
import { createUnsubscribeKeyReader, UnsubscribeKeyError } from '../../shared/email/unsubscribe-key';

const ARN = 'arn:aws:secretsmanager:eu-west-2:123456789012:secret:UnsubscribeKey-AbC123';
const GENERATED = 'Abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';

describe('the unsubscribe key setting', () => {
  it('takes base64 or base64url of at least 32 bytes, and refuses anything shorter without echoing it', () => {
    const b64 = Buffer.alloc(48, 250).toString('base64');
    expect(mailSettingsFromEnv({ UNSUBSCRIBE_KEY: b64 }).unsubscribeKey).toHaveLength(48);
    expect(mailSettingsFromEnv({ UNSUBSCRIBE_KEY: GENERATED }).unsubscribeKey).toHaveLength(32);
    for (const bad of ['short', 'not base64 at all!!', Buffer.alloc(31).toString('base64')]) {
      expect(() => mailSettingsFromEnv({ UNSUBSCRIBE_KEY: bad })).toThrow(
        /UNSUBSCRIBE_KEY must be at least 32 bytes/,
      );
      expect(() => mailSettingsFromEnv({ UNSUBSCRIBE_KEY: bad })).not.toThrow(bad);
    }
  });

  it('is a value or an ARN, never both; a random key outside Lambda with neither, none inside', () => {
    expect(() => mailSettingsFromEnv({ UNSUBSCRIBE_KEY: GENERATED, UNSUBSCRIBE_KEY_ARN: ARN })).toThrow(
      /not both/,
    );
    expect(() => mailSettingsFromEnv({ UNSUBSCRIBE_KEY_ARN: 'arn:aws:s3:::bucket' })).toThrow(
      /UNSUBSCRIBE_KEY_ARN/,
    );
    const inAws = mailSettingsFromEnv({
      AWS_LAMBDA_FUNCTION_NAME: 'notifications',
      UNSUBSCRIBE_KEY_ARN: ARN,
    });
    expect(inAws).toMatchObject({ unsubscribeKey: undefined, unsubscribeKeyArn: ARN });
    expect(mailSettingsFromEnv({ AWS_LAMBDA_FUNCTION_NAME: 'x' }).unsubscribeKey).toBeUndefined();
    const a = mailSettingsFromEnv({}).unsubscribeKey;
    expect(a).toHaveLength(32);
    expect(mailSettingsFromEnv({}).unsubscribeKey).not.toEqual(a);
  });
});

describe('the local unsubscribe key', () => {
  it('is made once per data directory, private, and accepted as UNSUBSCRIBE_KEY', () => {
    const dir = mkdtempSync(join(tmpdir(), 'unsubscribe-key-'));
    const first = loadOrCreateUnsubscribeKey(dir);
    expect(loadOrCreateUnsubscribeKey(dir)).toBe(first);
    expect(statSync(join(dir, UNSUBSCRIBE_KEY_FILE)).mode & 0o077).toBe(0);
    expect(
      Buffer.from(mailSettingsFromEnv({ UNSUBSCRIBE_KEY: first }).unsubscribeKey ?? []).toString('base64url'),
    ).toBe(first);
  });

  it('refuses a damaged file rather than silently replace it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'unsubscribe-key-'));
    writeFileSync(join(dir, UNSUBSCRIBE_KEY_FILE), 'not a key');
    expect(() => loadOrCreateUnsubscribeKey(dir)).toThrow(new RegExp(`${UNSUBSCRIBE_KEY_FILE}.*Delete it`));
  });
});

describe('the unsubscribe key at run time', () => {
  const fake = (answer: () => Promise<{ SecretString?: string }>) => {
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
  };
  const inAws = { key: undefined, keyArn: ARN, region: 'eu-west-2' };

  it('reads the secret by ARN once and keeps it; a failed read is forgotten', async () => {
    let failures = 1;
    const secrets = fake(async () => {
      if (failures-- > 0) throw new Error('ThrottlingException');
      return { SecretString: GENERATED };
    });
    const read = createUnsubscribeKeyReader(secrets.client);
    await expect(read(inAws)).rejects.toThrow('ThrottlingException');
    const [a, b] = await Promise.all([read(inAws), read(inAws)]);
    expect(a).toEqual(Buffer.from(GENERATED, 'base64url'));
    expect(b).toEqual(a);
    expect(secrets.calls.map((c) => c.input)).toEqual([{ SecretId: ARN }, { SecretId: ARN }]);
  });

  it('refuses a secret with no key, or no source at all, without the value in the message', async () => {
    const read = createUnsubscribeKeyReader(fake(async () => ({ SecretString: 'too-short' })).client);
    await expect(read(inAws)).rejects.toThrow(UnsubscribeKeyError);
    await expect(read(inAws)).rejects.not.toThrow(/too-short/);
    await expect(read({ key: undefined, keyArn: undefined, region: 'eu-west-2' })).rejects.toThrow(
      /Neither UNSUBSCRIBE_KEY nor UNSUBSCRIBE_KEY_ARN/,
    );
  });

  it('a token made with the generated key verifies with it and with no other', () => {
    const key = Buffer.from(GENERATED, 'base64url');
    const token = signUnsubscribeToken({ sub: 'u', scope: 'award' }, key);
    expect(verifyUnsubscribeToken(token, key)).toEqual({ sub: 'u', scope: 'award' });
    expect(verifyUnsubscribeToken(token, Buffer.alloc(32))).toBeUndefined();
  });
});

describe('stopEmails', () => {
  const search = { id: '01JD0000000000000000000001', regions: [], services: [], frequency: 'daily' as const };
  const start = { ...defaultSubscriptions(), savedSearches: [search] };

  it.each(EMAIL_KIND_NAMES)('%s: switches that kind off and nothing else; again, nothing', (kind) => {
    const next = stopEmails(start, kind);
    expect(next?.email.enabled).toBe(true);
    expect(EMAIL_KIND_NAMES.filter((k) => !next?.email.kinds[k])).toEqual([kind]);
    expect(next?.savedSearches).toEqual([search]);
    expect(next && stopEmails(next, kind)).toBeUndefined();
    expect(scopeWords(kind)).not.toBe('');
  });

  it('all: the master switch off, each kind as it was; a saved search: removed; again, nothing', () => {
    const all = stopEmails(start, 'all');
    expect(all?.email).toEqual({ enabled: false, kinds: start.email.kinds });
    expect(all && stopEmails(all, 'all')).toBeUndefined();
    const removed = stopEmails(start, `saved-search:${search.id}`);
    expect(removed?.savedSearches).toEqual([]);
    expect(removed?.email).toEqual(start.email);
    expect(removed && stopEmails(removed, `saved-search:${search.id}`)).toBeUndefined();
    expect(scopeWords('all')).toContain('All');
    expect(scopeWords(`saved-search:${search.id}`)).not.toContain(search.id);
  });
});
