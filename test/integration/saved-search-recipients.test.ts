/**
 * Saved searches that find their opportunities (issue 17), over DynamoDB Local: saving subscriptions writes
 * the region index in the same transaction (an item per region named, none left for a region no longer
 * named, nothing written when the change is refused), and `savedSearchRecipients` finds exactly the users
 * whose searches match a new opportunity, once each, by Queries of the index (never a Scan: the setup fails
 * any test that sends one) — checked against every user's searches with `matchesSavedSearch` (fast-check,
 * a model of every user saved in this file's tables).
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { config } from '../../shared/config';
import { documentClient, dynamoDbClient } from '../../shared/db/client';
import { registryKeys } from '../../shared/db/keys';
import { subscriptionRepository } from '../../shared/db/repositories';
import { SEARCH_INDEX_PARTITIONS, type SearchPartition } from '../../shared/db/subscriptions';
import { ConflictError } from '../../shared/domain/errors';
import {
  FREQUENCIES,
  matchesSavedSearch,
  type OpportunityFacts,
  type SavedSearch,
  type SavedSearchInput,
  SUITABLE_FOR,
} from '../../shared/domain/notifications/subscriptions';
import type { UserPrincipal } from '../../shared/domain/principal';
import { type Coverage, NATIONAL, REGIONS, SERVICES } from '../../shared/domain/reference-data';
import { savedSearchRecipients } from '../../shared/use-cases/notifications/saved-search-recipients';
import { changeSubscriptions } from '../../shared/use-cases/notifications/subscriptions';
import { recordCommands } from '../support/command-recorder';
import { useTestTables } from '../support/tables';

const run = Math.random().toString(36).slice(2, 8);
const recorder = recordCommands(dynamoDbClient());
const deps = () => ({ subscriptions: subscriptionRepository() });
/** Every user this file saved, with their searches as stored: the model the index is checked against. */
const model = new Map<string, SavedSearch[]>();

const user = (sub: string): UserPrincipal => ({ kind: 'user', sub, email: undefined, groups: [] });

async function save(sub: string, savedSearches: SavedSearchInput[], version?: number) {
  const current = version ?? (await subscriptionRepository().get(sub)).version;
  const saved = await changeSubscriptions(
    deps(),
    user(sub),
    current,
    { kind: 'replace', email: { enabled: true }, savedSearches },
    new Date(),
  );
  model.set(sub, saved.savedSearches);
  return saved;
}

/** The regions whose index partition holds an item for `sub`, read straight from the table. */
async function indexedRegions(sub: string): Promise<SearchPartition[]> {
  const found: SearchPartition[] = [];
  for (const region of SEARCH_INDEX_PARTITIONS) {
    const { Items = [] } = await documentClient().send(
      new QueryCommand({
        TableName: config().tables.registry,
        KeyConditionExpression: 'pk = :pk AND sk = :sk',
        ExpressionAttributeValues: {
          ':pk': registryKeys.savedSearchPartition(region),
          ':sk': sub,
        },
      }),
    );
    if (Items.length > 0) found.push(region);
  }
  return found;
}

/** What the recipients should be: every user's searches judged by `matchesSavedSearch` alone. */
function expectedRecipients(opportunity: OpportunityFacts) {
  const expected: { sub: string; searchId: string; frequency: string }[] = [];
  for (const [sub, searches] of model) {
    const matching = searches.filter((search) => matchesSavedSearch(search, opportunity));
    const chosen = matching.find((search) => search.frequency === 'immediate') ?? matching[0];
    if (chosen) expected.push({ sub, searchId: chosen.id, frequency: chosen.frequency });
  }
  return expected.sort((a, b) => (a.sub < b.sub ? -1 : a.sub > b.sub ? 1 : 0));
}

const search = (overrides: Partial<SavedSearchInput> = {}): SavedSearchInput => ({
  regions: ['north_west'],
  services: ['accommodation'],
  frequency: 'immediate',
  ...overrides,
});

beforeAll(async () => {
  await useTestTables();
}, 60_000);

describe('the saved-search index, written with the subscriptions', () => {
  const ann = `ssr-ann-${run}`;

  it('has an item for each region a search names and one of all the searches, and none for the other regions', async () => {
    await save(ann, [search({ regions: ['north_west', 'london'] }), search({ regions: [NATIONAL] })]);
    expect((await indexedRegions(ann)).sort()).toEqual(['*', 'london', NATIONAL, 'north_west'].sort());
  });

  it('loses the item of a region no search names any more, in the same change', async () => {
    const { savedSearches } = await subscriptionRepository().get(ann);
    await save(ann, [{ ...savedSearches[0], regions: ['wales'] } as SavedSearchInput]);
    expect(await indexedRegions(ann)).toEqual(['wales', '*']);
    await save(ann, []);
    expect(await indexedRegions(ann)).toEqual([]);
  });

  it('is not touched by a change that is refused (a stale version)', async () => {
    const saved = await save(ann, [search({ regions: ['south_west'] })]);
    await expect(save(ann, [search({ regions: ['london'] })], saved.version - 1)).rejects.toBeInstanceOf(
      ConflictError,
    );
    expect(await indexedRegions(ann)).toEqual(['south_west', '*']);
  });

  it('agrees with the winner when two changes race from the same version', async () => {
    const racer = `ssr-racer-${run}`;
    const outcomes = await Promise.allSettled([
      save(racer, [search({ regions: ['east_midlands'] })], 0),
      save(racer, [search({ regions: ['west_midlands'] })], 0),
    ]);
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
    const stored = await subscriptionRepository().get(racer);
    model.set(racer, stored.savedSearches);
    expect(await indexedRegions(racer)).toEqual([...(stored.savedSearches[0]?.regions ?? []), '*']);
  });
});

describe('savedSearchRecipients', () => {
  const bea = `ssr-bea-${run}`;
  const cal = `ssr-cal-${run}`;
  const dee = `ssr-dee-${run}`;

  beforeAll(async () => {
    await save(bea, [
      search({ regions: ['yorkshire_humber'], frequency: 'daily' }),
      search({ regions: ['yorkshire_humber', 'north_east'], services: ['health'], frequency: 'immediate' }),
    ]);
    await save(cal, [search({ regions: ['north_east'], services: ['health'], minValuePence: 5_000_000 })]);
    await save(dee, [
      search({ regions: [NATIONAL], services: ['health'], suitableFor: 'vcse', frequency: 'daily' }),
    ]);
  });

  it('finds users whose searches name one of its regions, once each, preferring a search sent at once', async () => {
    const found = await savedSearchRecipients(deps(), {
      regions: ['yorkshire_humber', 'north_east'],
      services: ['accommodation', 'health'],
      estimatedValuePence: 1_000_000,
    });
    const [daily, immediate] = model.get(bea) ?? [];
    expect(found.filter((r) => [bea, cal, dee].includes(r.sub))).toEqual([
      { sub: bea, searchId: immediate?.id, frequency: 'immediate' },
    ]);
    expect(daily?.frequency).toBe('daily');
  });

  it('takes the first matching search when none is sent at once', async () => {
    const found = await savedSearchRecipients(deps(), {
      regions: ['yorkshire_humber'],
      services: ['accommodation'],
      estimatedValuePence: 1,
    });
    expect(found.find((r) => r.sub === bea)).toEqual({
      sub: bea,
      searchId: model.get(bea)?.[0]?.id,
      frequency: 'daily',
    });
  });

  it('reaches every region and national search for a national opportunity, with value and suitability applied', async () => {
    recorder.clear();
    const found = await savedSearchRecipients(deps(), {
      regions: [NATIONAL],
      services: ['health'],
      estimatedValuePence: 6_000_000,
      suitableFor: ['vcse'],
    });
    expect(found.filter((r) => [bea, cal, dee].includes(r.sub)).map((r) => r.sub)).toEqual(
      [bea, cal, dee].sort(),
    );
    // Every search's partition alone (each user once), not every region's.
    expect(recorder.commands()).toEqual(['QueryCommand']);
    const notSuitable = await savedSearchRecipients(deps(), {
      regions: [NATIONAL],
      services: ['health'],
      estimatedValuePence: 1,
    });
    // Cal wants £50,000 or more; Dee only opportunities suitable for VCSE organisations.
    expect(notSuitable.filter((r) => [bea, cal, dee].includes(r.sub)).map((r) => r.sub)).toEqual([bea]);
  });

  it('reads the index with Queries of the partitions the opportunity touches, and nothing else', async () => {
    recorder.clear();
    await savedSearchRecipients(deps(), {
      regions: ['london'],
      services: ['health'],
      estimatedValuePence: 1,
    });
    // London's partition and national's, one page each.
    expect(recorder.commands()).toEqual(['QueryCommand', 'QueryCommand']);
  });

  it('matches what matchesSavedSearch says of every user, as users change their searches (fast-check)', async () => {
    const coverage = fc.constantFrom<Coverage>(...REGIONS, NATIONAL);
    const fewServices = fc.constantFrom(...SERVICES.slice(0, 3));
    const searchArb: fc.Arbitrary<SavedSearchInput> = fc.record({
      regions: fc.uniqueArray(coverage, { minLength: 1, maxLength: 3 }),
      services: fc.uniqueArray(fewServices, { minLength: 1, maxLength: 2 }),
      suitableFor: fc.option(fc.constantFrom(...SUITABLE_FOR), { nil: undefined }),
      minValuePence: fc.option(fc.integer({ min: 0, max: 100 }), { nil: undefined }),
      frequency: fc.constantFrom(...FREQUENCIES),
    });
    const opportunityArb: fc.Arbitrary<OpportunityFacts> = fc.record({
      regions: fc.uniqueArray(coverage, { minLength: 1, maxLength: 2 }),
      services: fc.uniqueArray(fewServices, { minLength: 1, maxLength: 2 }),
      estimatedValuePence: fc.integer({ min: 0, max: 100 }),
      suitableFor: fc.option(fc.uniqueArray(fc.constantFrom(...SUITABLE_FOR)), { nil: undefined }),
    });
    const users = ['p0', 'p1', 'p2', 'p3', 'p4'].map((name) => `ssr-${name}-${run}`);
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.constantFrom(...users), fc.array(searchArb, { maxLength: 4 })), {
          maxLength: 3,
        }),
        opportunityArb,
        async (changes, opportunity) => {
          for (const [sub, searches] of changes) await save(sub, searches);
          expect(await savedSearchRecipients(deps(), opportunity)).toEqual(expectedRecipients(opportunity));
        },
      ),
      { numRuns: 25 },
    );
  }, 120_000);
});
