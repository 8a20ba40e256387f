/**
 * The directory's number of results and its "Previous" page against DynamoDB Local: counts kept on write
 * (verification and edits, in the same transaction as the entries) always equal what paging through the
 * directory finds, cost a fixed number of GetItems, and the directory pages backwards exactly as forwards.
 */

import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { config } from '../../shared/config';
import { documentClient, dynamoDbClient } from '../../shared/db/client';
import { registryKeys } from '../../shared/db/keys';
import { createMembershipRepository } from '../../shared/db/memberships';
import { createNotificationRepository } from '../../shared/db/notifications';
import { createProviderRepository, type DirectoryQuery } from '../../shared/db/providers';
import { auditRepository } from '../../shared/db/repositories';
import { ValidationError } from '../../shared/domain/errors';
import type { Principal } from '../../shared/domain/principal';
import type { ProviderDetails } from '../../shared/domain/providers';
import { registerProvider } from '../../shared/use-cases/register-provider';
import { searchDirectory } from '../../shared/use-cases/search-directory';
import { updateProvider } from '../../shared/use-cases/update-provider';
import { verifyProvider } from '../../shared/use-cases/verify-provider';
import { recordCommands } from '../support/command-recorder';
import { uniqueDigits } from '../support/fixtures';
import { useTestTables } from '../support/tables';

const recorder = recordCommands(dynamoDbClient());
const deps = () => {
  const registry = { client: documentClient(), tableName: config().tables.registry };
  return {
    providers: createProviderRepository(registry),
    memberships: createMembershipRepository(registry),
    // Verifying writes a notification and its audit event with it.
    notifications: createNotificationRepository(registry),
    audit: auditRepository(),
  };
};
const owner: Principal = { kind: 'user', sub: 'count-owner', email: undefined, groups: [] };
const admin: Principal = { kind: 'user', sub: 'count-admin', email: undefined, groups: ['admin'] };

const details = (overrides: Partial<ProviderDetails> = {}): ProviderDetails => ({
  name: 'Hope Street',
  legalForm: 'unincorporated_association',
  sector: 'voluntary',
  size: 'small',
  regions: ['south_west'],
  services: ['victim_services'],
  contact: { name: 'A', email: 'a@example.org' },
  ...overrides,
});

/** Every listing a query finds, paging forwards. */
async function everything(query: Omit<DirectoryQuery, 'limit'>): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps().providers.directory({ ...query, limit: 100, cursor });
    ids.push(...page.items.map((item) => item.id));
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return ids;
}

const QUERIES: Omit<DirectoryQuery, 'limit'>[] = [
  {},
  { region: 'south_west' },
  { region: 'wales' },
  { region: 'national' },
  { service: 'victim_services' },
  { region: 'south_west', service: 'victim_services' },
  { region: 'south_west', service: 'health' },
  { region: 'wales', sector: 'private' },
  { size: 'micro' },
  { region: 'south_west', service: 'victim_services', sector: 'voluntary', size: 'small' },
  { region: 'wales', service: 'health', sector: 'private', size: 'large' },
];

async function expectCountsMatchListings(): Promise<void> {
  for (const query of QUERIES) {
    const listed = await everything(query);
    expect(await deps().providers.directoryCount(query), JSON.stringify(query)).toBe(listed.length);
  }
}

beforeAll(async () => {
  await useTestTables();
});

describe('directory counts', () => {
  it('equal what the directory lists, through verification and every kind of edit', async () => {
    const now = new Date();
    const ids: string[] = [];
    for (const [i, spec] of [
      { regions: ['south_west'], services: ['victim_services'] },
      { regions: ['south_west', 'wales'], services: ['victim_services', 'health'], sector: 'private' },
      { regions: ['national'], services: ['health'], size: 'large', sector: 'private' },
      { regions: ['wales'], services: ['health'], size: 'micro' },
    ].entries()) {
      const provider = await registerProvider(
        deps(),
        owner,
        details({ name: `Counted ${i}`, ...(spec as Partial<ProviderDetails>) }),
        now,
      );
      ids.push(provider.id);
      await verifyProvider(deps(), admin, provider.id, now);
    }
    // Pending providers are not counted.
    await registerProvider(deps(), owner, details({ name: 'Not yet verified' }), now);
    await expectCountsMatchListings();
    expect(await deps().providers.directoryCount({ region: 'south_west' })).toBe(3);

    // Moves between regions and services, a new sector and size, a rename: counts follow every one.
    await updateProvider(deps(), owner, ids[0] as string, { regions: ['wales'], size: 'micro' }, now);
    await updateProvider(deps(), owner, ids[1] as string, { services: ['health'], sector: 'voluntary' }, now);
    await updateProvider(deps(), owner, ids[2] as string, { regions: ['south_west'] }, now);
    await updateProvider(deps(), owner, ids[3] as string, { name: 'Renamed' }, now);
    await expectCountsMatchListings();
  });

  it('can be rebuilt from the entries, for data written before counts were kept', async () => {
    // Counts lost or wrong, as in a data directory from before they existed.
    await documentClient().send(
      new PutCommand({
        TableName: config().tables.registry,
        Item: { ...registryKeys.directoryCounts('*'), '*|*|*': 999 },
      }),
    );
    await documentClient().send(
      new DeleteCommand({ TableName: config().tables.registry, Key: registryKeys.directoryCounts('wales') }),
    );
    const counted = await deps().providers.rebuildDirectoryCounts();
    expect(counted).toBe((await everything({})).length);
    await expectCountsMatchListings();
  });

  it('cost the same few GetItems however many providers match', async () => {
    recorder.clear();
    await deps().providers.directoryCount({ region: 'south_west', service: 'health', sector: 'private' });
    expect(recorder.commands()).toEqual(['GetItemCommand', 'GetItemCommand']);
    recorder.clear();
    await deps().providers.directoryCount({});
    expect(recorder.commands()).toEqual(['GetItemCommand']);
  });

  it('refuse an edit too large for one transaction with a clear error, changing nothing', async () => {
    const now = new Date();
    const threeRegions: ProviderDetails['regions'] = ['north_east', 'north_west', 'london'];
    const tenServices: ProviderDetails['services'] = [
      'accommodation',
      'education_training_employment',
      'health',
      'drugs_alcohol',
      'finance_benefit_debt',
      'children_families',
      'attitudes_thinking_behaviour',
      'unpaid_work',
      'offender_management',
      'victim_services',
    ];
    const provider = await registerProvider(
      deps(),
      owner,
      details({
        name: 'Everywhere At Once',
        legalForm: 'charitable_company',
        charityNumber: uniqueDigits(7),
        companyNumber: uniqueDigits(8),
        regions: threeRegions,
        services: tenServices,
      }),
      now,
    );
    await verifyProvider(deps(), admin, provider.id, now);
    const before = await deps().providers.get(provider.id);
    const counted = await deps().providers.directoryCount({ region: 'london' });
    const edit = updateProvider(
      deps(),
      owner,
      provider.id,
      {
        charityNumber: uniqueDigits(7),
        companyNumber: uniqueDigits(8),
        regions: [
          'london',
          'yorkshire_humber',
          'east_midlands',
          'west_midlands',
          'east_of_england',
          'south_east',
          'south_west',
          'wales',
        ],
        services: ['restorative_justice', 'approved_premises', 'electronic_monitoring', 'custodial_services'],
      },
      now,
    );
    await expect(edit).rejects.toBeInstanceOf(ValidationError);
    await expect(edit).rejects.toMatchObject({ issues: [{ path: 'regions' }] });
    expect(await deps().providers.get(provider.id)).toEqual(before);
    expect(await deps().providers.directoryCount({ region: 'london' })).toBe(counted);
  });
});

describe('directory pages both ways', () => {
  it('goes back page by page to the first, which has no previous page', async () => {
    const now = new Date();
    const service = 'electronic_monitoring' as const;
    for (let i = 0; i < 11; i += 1) {
      const provider = await registerProvider(
        deps(),
        owner,
        details({
          name: `Pager ${String.fromCharCode(75 - i)}`,
          regions: [i % 3 ? 'east_midlands' : 'national'],
          services: [service],
        }),
        now,
      );
      await verifyProvider(deps(), admin, provider.id, now);
    }
    const query = { region: 'east_midlands' as const, service, limit: 3 };
    const forwards: string[][] = [];
    let page = await searchDirectory(deps(), query);
    expect(page.previousCursor).toBeNull();
    expect(page.total).toBe(11);
    forwards.push(page.items.map((item) => item.name));
    while (page.nextCursor) {
      page = await searchDirectory(deps(), { ...query, cursor: page.nextCursor });
      expect(page.previousCursor).not.toBeNull();
      forwards.push(page.items.map((item) => item.name));
    }
    expect(forwards.flat()).toHaveLength(11);

    const backwards: string[][] = [forwards.at(-1) as string[]];
    while (page.previousCursor) {
      page = await searchDirectory(deps(), { ...query, before: page.previousCursor });
      backwards.unshift(page.items.map((item) => item.name));
      // Every page read backwards leads forwards again.
      expect(page.nextCursor).not.toBeNull();
    }
    expect(backwards).toEqual(forwards);
  });

  it('refuses cursor and before together', async () => {
    await expect(
      searchDirectory(deps(), {
        limit: 3,
        cursor: 'eyJ2IjoxLCJhZnRlciI6ImEifQ',
        before: 'eyJ2IjoxLCJhZnRlciI6ImEifQ',
      }),
    ).rejects.toBeInstanceOf(ValidationError);
  });
});
