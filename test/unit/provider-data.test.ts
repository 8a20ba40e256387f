/**
 * `assumedRoleProviderData`: what it asks of STS and how long it keeps the answer. STS is faked here (the
 * DynamoDB side runs against DynamoDB Local in `test/integration/bidder-credentials.test.ts`).
 */
import type { AssumeRoleCommand, AssumeRoleCommandInput } from '@aws-sdk/client-sts';
import { describe, expect, it } from 'vitest';
import {
  assumedRoleProviderData,
  ProviderCredentialsError,
  type RoleAssumer,
  sharedProviderData,
  withSharedProviderData,
} from '../../shared/db/provider-data';
import { repositories } from '../../shared/db/repositories';

const ROLE = 'arn:aws:iam::123456789012:role/provider-data';
const TABLES = { sealed: 'sealed', procurement: 'procurement', audit: 'audit', registry: 'registry' };

/** A fake STS whose sessions last `lifetimeMs` from the fake clock; `fail` makes the next call throw. */
function fakeSts(clock: { now: number }, lifetimeMs = 900_000) {
  const calls: AssumeRoleCommandInput[] = [];
  const state = { fail: false as boolean | 'empty', pending: [] as (() => void)[], hold: false };
  const sts: RoleAssumer = {
    async send(command: AssumeRoleCommand) {
      calls.push(command.input);
      if (state.hold) await new Promise<void>((resolve) => state.pending.push(resolve));
      if (state.fail === true) throw new Error('STS is down');
      if (state.fail === 'empty') return { $metadata: {} };
      return {
        $metadata: {},
        Credentials: {
          AccessKeyId: `ASIA${calls.length}`,
          SecretAccessKey: 'secret',
          SessionToken: `token-${calls.length}`,
          Expiration: new Date(clock.now + lifetimeMs),
        },
      };
    },
  };
  return { sts, calls, state };
}

function setUp(options: { maxProviders?: number; lifetimeMs?: number } = {}) {
  const clock = { now: Date.parse('2026-11-22T09:00:00Z') };
  const fake = fakeSts(clock, options.lifetimeMs);
  const access = assumedRoleProviderData({
    roleArn: ROLE,
    sts: fake.sts,
    region: 'eu-west-2',
    tables: TABLES,
    now: () => clock.now,
    ...(options.maxProviders ? { maxProviders: options.maxProviders } : {}),
  });
  return { clock, access, ...fake };
}

describe('assumedRoleProviderData', () => {
  it('assumes the role for the provider, tagged with its id, for 15 minutes', async () => {
    const { access, calls } = setUp();
    const data = await access.forProvider('01JD00000000000000000000AA');
    expect(calls).toEqual([
      {
        RoleArn: ROLE,
        RoleSessionName: 'provider-01JD00000000000000000000AA',
        DurationSeconds: 900,
        Tags: [{ Key: 'providerId', Value: '01JD00000000000000000000AA' }],
      },
    ]);
    expect(Object.keys(data).sort()).toEqual([
      'audit',
      'bids',
      'challenges',
      'partnerships',
      'prequalification',
    ]);
  });

  it('keeps session names within the 64 characters STS accepts', async () => {
    const { access, calls } = setUp();
    await access.forProvider('P'.repeat(80));
    expect(calls[0]?.RoleSessionName).toHaveLength(64);
    expect(calls[0]?.Tags).toEqual([{ Key: 'providerId', Value: 'P'.repeat(80) }]);
  });

  it('reuses a provider’s credentials until a minute before they expire, then renews them', async () => {
    const { access, calls, clock } = setUp();
    const first = await access.forProvider('A');
    clock.now += 13 * 60_000;
    expect(await access.forProvider('A')).toBe(first);
    expect(calls).toHaveLength(1);
    clock.now += 60_000; // 14 minutes: within the last minute of a 15-minute session
    const renewed = await access.forProvider('A');
    expect(renewed).not.toBe(first);
    expect(calls).toHaveLength(2);
  });

  it('never hands one provider’s repositories to another', async () => {
    const { access, calls } = setUp();
    const a = await access.forProvider('A');
    const b = await access.forProvider('B');
    expect(a).not.toBe(b);
    expect(a.bids).not.toBe(b.bids);
    expect(calls.map((c) => c.Tags?.[0]?.Value)).toEqual(['A', 'B']);
  });

  it('makes one STS call for concurrent requests of one provider', async () => {
    const { access, calls, state } = setUp();
    state.hold = true;
    const pending = [access.forProvider('A'), access.forProvider('A'), access.forProvider('A')];
    await Promise.resolve();
    for (const release of state.pending) release();
    const [x, y, z] = await Promise.all(pending);
    expect(calls).toHaveLength(1);
    expect(x).toBe(y);
    expect(y).toBe(z);
  });

  it('does not keep a failed call: the next request asks STS again', async () => {
    const { access, calls, state } = setUp();
    state.fail = true;
    await expect(access.forProvider('A')).rejects.toThrow('STS is down');
    state.fail = false;
    await expect(access.forProvider('A')).resolves.toHaveProperty('bids');
    expect(calls).toHaveLength(2);
  });

  it('refuses an answer without credentials', async () => {
    const { access, state } = setUp();
    state.fail = 'empty';
    await expect(access.forProvider('A')).rejects.toBeInstanceOf(ProviderCredentialsError);
  });

  it('keeps at most maxProviders providers, dropping the least recently used', async () => {
    const { access, calls } = setUp({ maxProviders: 2 });
    await access.forProvider('A');
    await access.forProvider('B');
    await access.forProvider('A'); // A is now the most recently used
    await access.forProvider('C'); // drops B
    expect(calls).toHaveLength(3);
    await access.forProvider('A');
    expect(calls).toHaveLength(3);
    await access.forProvider('B');
    expect(calls.map((c) => c.Tags?.[0]?.Value)).toEqual(['A', 'B', 'C', 'B']);
  });
});

describe('sharedProviderData', () => {
  it('serves every provider the same repositories (no IAM locally)', async () => {
    const repos = repositories();
    const own = {
      bids: repos.bids,
      prequalification: repos.prequalification,
      partnerships: repos.partnerships,
      audit: repos.audit,
    };
    const access = sharedProviderData(own);
    expect(await access.forProvider('A')).toEqual(own);
    const deps = withSharedProviderData(repos);
    expect((await deps.providerData.forProvider('B')).bids).toBe(repos.bids);
  });
});
