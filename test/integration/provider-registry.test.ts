/**
 * The provider registry against DynamoDB Local: unique registration numbers under races, edits that move
 * number claims and directory entries, optimistic concurrency, directory paging and notification inboxes.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { config } from '../../shared/config';
import { documentClient } from '../../shared/db/client';
import { createMembershipRepository } from '../../shared/db/memberships';
import { createNotificationRepository } from '../../shared/db/notifications';
import { createProviderRepository } from '../../shared/db/providers';
import { auditRepository } from '../../shared/db/repositories';
import { ConflictError, DuplicateRegistrationError } from '../../shared/domain/errors';
import type { Principal } from '../../shared/domain/principal';
import type { ProviderDetails } from '../../shared/domain/providers';
import { registerProvider } from '../../shared/use-cases/register-provider';
import { updateProvider } from '../../shared/use-cases/update-provider';
import { verifyProvider } from '../../shared/use-cases/verify-provider';
import { uniqueDigits } from '../support/fixtures';
import { useTestTables } from '../support/tables';

const deps = () => {
  const registry = { client: documentClient(), tableName: config().tables.registry };
  return {
    providers: createProviderRepository(registry),
    memberships: createMembershipRepository(registry),
    notifications: createNotificationRepository(registry),
    // Verifying records its audit event with it.
    audit: auditRepository(),
  };
};
const user = (sub: string): Principal => ({ kind: 'user', sub, email: undefined, groups: [] });
const admin: Principal = { kind: 'user', sub: 'admin', email: undefined, groups: ['admin'] };

const details = (overrides: Partial<ProviderDetails> = {}): ProviderDetails => ({
  name: 'Hope Street',
  legalForm: 'charitable_incorporated_organisation',
  charityNumber: uniqueDigits(7),
  sector: 'voluntary',
  size: 'small',
  regions: ['london'],
  services: ['accommodation'],
  contact: { name: 'A', email: 'a@example.org' },
  ...overrides,
});

beforeAll(async () => {
  await useTestTables();
});

describe('unique registration numbers', () => {
  it('lets exactly one of many simultaneous registrations of a number win', async () => {
    const charityNumber = uniqueDigits(8);
    const attempts = await Promise.allSettled(
      Array.from({ length: 12 }, (_, i) =>
        registerProvider(
          deps(),
          user(`racer-${i}`),
          details({ name: `Racer ${i}`, charityNumber }),
          new Date(),
        ),
      ),
    );
    const won = attempts.filter((a) => a.status === 'fulfilled');
    const lost = attempts.filter((a): a is PromiseRejectedResult => a.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(11);
    for (const loss of lost) {
      // A loser either saw the claim taken, or collided with the winner's transaction in flight.
      expect(loss.reason instanceof DuplicateRegistrationError || loss.reason instanceof ConflictError).toBe(
        true,
      );
    }
    // Whatever raced, afterwards the number is taken for good.
    await expect(
      registerProvider(deps(), user('late'), details({ charityNumber }), new Date()),
    ).rejects.toBeInstanceOf(DuplicateRegistrationError);
  });

  it('moves the claim when an owner changes the number, freeing the old one', async () => {
    const oldNumber = uniqueDigits(8);
    const newNumber = uniqueDigits(8);
    const provider = await registerProvider(
      deps(),
      user('mover'),
      details({ charityNumber: oldNumber }),
      new Date(),
    );
    await updateProvider(deps(), user('mover'), provider.id, { charityNumber: newNumber }, new Date());
    await expect(
      registerProvider(deps(), user('other'), details({ charityNumber: oldNumber }), new Date()),
    ).resolves.toMatchObject({ charityNumber: oldNumber });
    await expect(
      registerProvider(deps(), user('other'), details({ charityNumber: newNumber }), new Date()),
    ).rejects.toBeInstanceOf(DuplicateRegistrationError);
  });

  it('refuses to change a number to one another organisation holds, and changes nothing', async () => {
    const theirs = uniqueDigits(8);
    await registerProvider(deps(), user('holder'), details({ charityNumber: theirs }), new Date());
    const mine = await registerProvider(deps(), user('grabber'), details({ name: 'Mine' }), new Date());
    await expect(
      updateProvider(
        deps(),
        user('grabber'),
        mine.id,
        { charityNumber: theirs, name: 'Renamed' },
        new Date(),
      ),
    ).rejects.toBeInstanceOf(DuplicateRegistrationError);
    expect(await deps().providers.get(mine.id)).toMatchObject({
      name: 'Mine',
      charityNumber: mine.charityNumber,
      version: 1,
    });
  });
});

describe('optimistic concurrency', () => {
  it('lets one of two edits from the same version win and refuses the other', async () => {
    const provider = await registerProvider(deps(), user('editor'), details(), new Date());
    const repo = deps().providers;
    const a = { ...provider, name: 'A', version: 2 };
    const b = { ...provider, name: 'B', version: 2 };
    const results = await Promise.allSettled([repo.update(provider, a), repo.update(provider, b)]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(failure?.reason).toBeInstanceOf(ConflictError);
  });
});

describe('directory', () => {
  const region = 'east_midlands';
  const service = 'restorative_justice';
  const names: string[] = [];

  beforeAll(async () => {
    const now = new Date();
    const specs = Array.from({ length: 23 }, (_, i) => ({
      name: `Provider ${String.fromCharCode(65 + ((i * 7) % 26))}${i}`,
      regions: (i % 4 === 0 ? ['national'] : [region]) as ProviderDetails['regions'],
      sector: (i % 3 === 0 ? 'private' : 'voluntary') as ProviderDetails['sector'],
      size: (i % 2 === 0 ? 'large' : 'micro') as ProviderDetails['size'],
    }));
    for (const spec of specs) {
      const provider = await registerProvider(
        deps(),
        user('dir-owner'),
        details({
          ...spec,
          services: [service],
          legalForm: 'unincorporated_association',
          charityNumber: undefined,
        }),
        now,
      );
      await verifyProvider(deps(), admin, provider.id, now);
      names.push(spec.name);
    }
    // A pending provider in the same partition must never show.
    await registerProvider(
      deps(),
      user('dir-owner'),
      details({ name: 'AAA Pending', regions: [region], services: [service] }),
      now,
    );
  });

  async function all(query: Parameters<ReturnType<typeof deps>['providers']['directory']>[0]) {
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < 50; i += 1) {
      const page = await deps().providers.directory({ ...query, cursor });
      expect(page.items.length).toBeGreaterThan(0);
      expect(page.items.length).toBeLessThanOrEqual(query.limit);
      seen.push(...page.items.map((p) => p.name));
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    return seen;
  }

  it('pages a region, national providers included, in name order without gaps, repeats or empty pages', async () => {
    const seen = await all({ region, service, limit: 4 });
    expect(seen).toEqual([...names].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())));
  });

  it('filters by sector and size from their own index partitions', async () => {
    const privateLarge = await all({ region, service, sector: 'private', size: 'large', limit: 3 });
    expect(privateLarge.length).toBeGreaterThan(0);
    const everything = await all({ region, service, limit: 100 });
    const listings = (await deps().providers.directory({ region, service, limit: 100 })).items;
    const expected = listings.filter((p) => p.sector === 'private' && p.size === 'large').map((p) => p.name);
    expect(privateLarge).toEqual(expected);
    expect(everything).toHaveLength(names.length);
  });

  it('lists only national providers under region=national', async () => {
    const national = (await deps().providers.directory({ region: 'national', service, limit: 100 })).items;
    expect(national.length).toBe(names.filter((_, i) => i % 4 === 0).length);
    expect(national.every((p) => p.regions.includes('national'))).toBe(true);
  });
});

describe('notifications', () => {
  it('merges the inboxes of several organisations, newest first, page by page', async () => {
    const repo = deps().notifications;
    const make = (providerId: string, n: number) => ({
      id: `01JD${String(n).padStart(22, '0')}`,
      providerId,
      type: 'test',
      title: `n${n}`,
      message: 'hello',
      createdAt: new Date(1_700_000_000_000 + n).toISOString(),
    });
    await repo.addMany([
      ...[1, 3, 5, 7].map((n) => make('ORG-A', n)),
      ...[2, 4, 6].map((n) => make('ORG-B', n)),
      make('ORG-C', 8),
    ]);
    const first = await repo.listForProviders(['ORG-A', 'ORG-B'], 4, undefined);
    expect(first.items.map((n) => n.title)).toEqual(['n7', 'n6', 'n5', 'n4']);
    const second = await repo.listForProviders(['ORG-A', 'ORG-B'], 4, first.nextCursor ?? undefined);
    expect(second.items.map((n) => n.title)).toEqual(['n3', 'n2', 'n1']);
    expect(second.nextCursor).toBeNull();
  });
});
