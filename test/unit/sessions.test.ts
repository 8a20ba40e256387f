/**
 * Web sessions' rules (issue 13, item 12), pure and with in-memory stand-ins for the sessions table and
 * the identity directory: when a session ends, when its user is looked up again, what a look-up changes;
 * and the public provider page's use case (only verified providers, only directory fields).
 */
import { describe, expect, it } from 'vitest';
import type { ProviderRepository } from '../../shared/db/providers';
import type { SessionRepository } from '../../shared/db/sessions';
import { NotFoundError } from '../../shared/domain/errors';
import type { Provider } from '../../shared/domain/providers';
import {
  afterIdentityCheck,
  IDENTITY_RECHECK_SECONDS,
  type Identity,
  type IdentityDirectory,
  isDueForCheck,
  isExpired,
  newSessionRecord,
  SESSION_SECONDS,
  type SessionRecord,
  secondsLeft,
} from '../../shared/domain/sessions';
import { getPublicProvider } from '../../shared/use-cases/get-public-provider';
import { resumeSession } from '../../shared/use-cases/sessions/resume-session';

const T0 = new Date('2026-06-01T09:00:00Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

function record(overrides: Partial<SessionRecord> = {}): SessionRecord {
  return {
    ...newSessionRecord({ id: 'sid', csrf: 'csrf', sub: 'alice', groups: ['commissioner'] }, T0),
    ...overrides,
  };
}

/** An in-memory sessions table; `goneOnCheck` simulates a sign-out in another tab during a look-up. */
function memorySessions(initial: SessionRecord[], options: { goneOnCheck?: boolean } = {}) {
  const stored = new Map(initial.map((r) => [r.id, r]));
  const repository: SessionRepository = {
    get: async (id) => stored.get(id),
    create: async (r) => {
      stored.set(r.id, r);
    },
    recordCheck: async (r) => {
      if (options.goneOnCheck) stored.delete(r.id);
      if (!stored.has(r.id)) return false;
      stored.set(r.id, r);
      return true;
    },
    delete: async (id) => {
      stored.delete(id);
    },
  };
  return { repository, stored };
}

function directory(identity: Identity | undefined): IdentityDirectory & { lookups: number } {
  const counted = {
    lookups: 0,
    find: async () => {
      counted.lookups += 1;
      return identity;
    },
  };
  return counted;
}

describe('session rules', () => {
  it('a session lasts a working day and keeps the groups it was given, known ones only', () => {
    const started = newSessionRecord(
      { id: 'sid', csrf: 'c', sub: 'alice', email: 'a@example.org', groups: '[admin wizard]' },
      T0,
    );
    expect(started).toMatchObject({
      groups: ['admin'],
      startedAt: T0.toISOString(),
      checkedAt: T0.toISOString(),
    });
    expect(started.expiresAt).toBe(at(SESSION_SECONDS).toISOString());
    expect(isExpired(started, at(SESSION_SECONDS - 1))).toBe(false);
    expect(isExpired(started, at(SESSION_SECONDS))).toBe(true);
    expect(secondsLeft(started, at(60))).toBe(SESSION_SECONDS - 60);
    expect(secondsLeft(started, at(SESSION_SECONDS + 60))).toBe(0);
  });

  it('looks the user up again once an hour, and at once when the clock went back', () => {
    const r = record();
    expect(isDueForCheck(r, at(IDENTITY_RECHECK_SECONDS - 1))).toBe(false);
    expect(isDueForCheck(r, at(IDENTITY_RECHECK_SECONDS))).toBe(true);
    expect(isDueForCheck(r, at(-60))).toBe(true);
    expect(isDueForCheck({ checkedAt: 'not a date' }, T0)).toBe(true);
  });

  it('a look-up brings the current groups and email; a disabled, unknown or other user ends the session', () => {
    const r = record({ email: 'old@example.org' });
    const later = at(IDENTITY_RECHECK_SECONDS);
    expect(afterIdentityCheck(r, { sub: 'alice', groups: ['auditor'], enabled: true }, later)).toEqual({
      ...r,
      email: undefined,
      groups: ['auditor'],
      checkedAt: later.toISOString(),
    });
    expect(afterIdentityCheck(r, { sub: 'alice', groups: [], enabled: false }, later)).toBeUndefined();
    expect(afterIdentityCheck(r, undefined, later)).toBeUndefined();
    expect(afterIdentityCheck(r, { sub: 'someone-else', groups: [], enabled: true }, later)).toBeUndefined();
  });
});

describe('resumeSession', () => {
  it('returns the session without a look-up within the hour', async () => {
    const sessions = memorySessions([record()]);
    const identities = directory({ sub: 'alice', groups: [], enabled: true });
    const resumed = await resumeSession({ sessions: sessions.repository, identities }, 'sid', at(600));
    expect(resumed?.groups).toEqual(['commissioner']);
    expect(identities.lookups).toBe(0);
  });

  it('opens nothing for an unknown id, and deletes an expired session', async () => {
    const sessions = memorySessions([record()]);
    const identities = directory({ sub: 'alice', groups: [], enabled: true });
    const deps = { sessions: sessions.repository, identities };
    expect(await resumeSession(deps, 'other', at(60))).toBeUndefined();
    expect(await resumeSession(deps, 'sid', at(SESSION_SECONDS))).toBeUndefined();
    expect(sessions.stored.has('sid')).toBe(false);
    expect(identities.lookups).toBe(0);
  });

  it('after the hour, keeps the session with the groups the directory gives now', async () => {
    const sessions = memorySessions([record()]);
    const identities = directory({ sub: 'alice', groups: [], enabled: true });
    const resumed = await resumeSession(
      { sessions: sessions.repository, identities },
      'sid',
      at(IDENTITY_RECHECK_SECONDS + 1),
    );
    expect(resumed?.groups).toEqual([]);
    expect(sessions.stored.get('sid')?.checkedAt).toBe(at(IDENTITY_RECHECK_SECONDS + 1).toISOString());
  });

  it('ends the session of a disabled user, and never revives one signed out during the look-up', async () => {
    const disabled = memorySessions([record()]);
    expect(
      await resumeSession(
        {
          sessions: disabled.repository,
          identities: directory({ sub: 'alice', groups: [], enabled: false }),
        },
        'sid',
        at(IDENTITY_RECHECK_SECONDS),
      ),
    ).toBeUndefined();
    expect(disabled.stored.size).toBe(0);

    const signedOut = memorySessions([record()], { goneOnCheck: true });
    expect(
      await resumeSession(
        {
          sessions: signedOut.repository,
          identities: directory({ sub: 'alice', groups: [], enabled: true }),
        },
        'sid',
        at(IDENTITY_RECHECK_SECONDS),
      ),
    ).toBeUndefined();
    expect(signedOut.stored.size).toBe(0);
  });
});

describe('getPublicProvider', () => {
  const provider = (status: Provider['status']) =>
    ({
      id: '01J00000000000000000000000',
      name: 'Open Doors',
      status,
      sector: 'voluntary',
      size: 'micro',
      regions: ['london'],
      services: ['health'],
      contact: { name: 'Private Person', email: 'private@example.org' },
      charityNumber: '1234567',
    }) as unknown as Provider;
  const providers = (found: Provider | undefined) =>
    ({ get: async () => found }) as unknown as ProviderRepository;

  it('lists a verified provider with the directory fields only', async () => {
    const listing = await getPublicProvider({ providers: providers(provider('verified')) }, 'x');
    expect(listing).toMatchObject({ name: 'Open Doors', regions: ['london'] });
    expect(JSON.stringify(listing)).not.toContain('private@example.org');
    expect(JSON.stringify(listing)).not.toContain('1234567');
  });

  it('knows no provider that is missing or not verified', async () => {
    for (const found of [undefined, provider('pending'), provider('suspended' as Provider['status'])]) {
      await expect(getPublicProvider({ providers: providers(found) }, 'x')).rejects.toBeInstanceOf(
        NotFoundError,
      );
    }
  });
});
