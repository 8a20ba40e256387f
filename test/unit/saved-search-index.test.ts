/**
 * The saved-search index (issue 17), without DynamoDB: its items at the schema's limits stay far under
 * DynamoDB's 400 KB and its transaction within DynamoDB's 100 items and 4 MB; every search is in the
 * partition of each region it names; and the partitions an opportunity's recipients are read from hold every
 * search `matchesSavedSearch` can accept (fast-check), so the index never misses a match. Measured worst
 * case: 11,911 bytes per index item (20 searches naming every region and service), 154,396 bytes for the
 * whole transaction (the subscriptions item and 12 index items), for the longest user id a token carries.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  EVERY_SEARCH,
  SEARCH_INDEX_PARTITIONS,
  savedSearchIndexItems,
  subscriptionItem,
} from '../../shared/db/subscriptions';
import {
  applySubscriptionChange,
  defaultSubscriptions,
  EMAIL_KIND_NAMES,
  FREQUENCIES,
  MAX_SAVED_SEARCHES,
  matchesSavedSearch,
  type OpportunityFacts,
  type SavedSearch,
  SUITABLE_FOR,
} from '../../shared/domain/notifications/subscriptions';
import { type Coverage, NATIONAL, REGIONS, SERVICES } from '../../shared/domain/reference-data';
import { searchPartitionsFor } from '../../shared/use-cases/notifications/saved-search-recipients';
import { itemSize, MAX_ITEM_BYTES } from '../support/item-size';

/** The measured worst cases, with a little room: a limit raised past them fails here first. */
const INDEX_ITEM_BUDGET_BYTES = 12_500;
const TRANSACTION_BUDGET_BYTES = 165_000;
/** DynamoDB's limits on one TransactWriteItems. */
const MAX_TRANSACTION_ITEMS = 100;
const MAX_TRANSACTION_BYTES = 4 * 1024 * 1024;

const coverage = fc.constantFrom<Coverage>(...REGIONS, NATIONAL);
const search = fc.record({
  id: fc.constant('01JCX000000000000000000000'),
  regions: fc.uniqueArray(coverage, { minLength: 1, maxLength: REGIONS.length + 1 }),
  services: fc.uniqueArray(fc.constantFrom(...SERVICES), { minLength: 1, maxLength: SERVICES.length }),
  suitableFor: fc.option(fc.constantFrom(...SUITABLE_FOR), { nil: undefined }),
  minValuePence: fc.option(fc.integer({ min: 0, max: 10_000 }), { nil: undefined }),
  maxValuePence: fc.option(fc.integer({ min: 0, max: 10_000 }), { nil: undefined }),
  frequency: fc.constantFrom(...FREQUENCIES),
}) as fc.Arbitrary<SavedSearch>;
const opportunity: fc.Arbitrary<OpportunityFacts> = fc.record({
  regions: fc.uniqueArray(coverage, { minLength: 1, maxLength: 4 }),
  services: fc.uniqueArray(fc.constantFrom(...SERVICES), { minLength: 1, maxLength: 3 }),
  estimatedValuePence: fc.integer({ min: 0, max: 10_000 }),
  suitableFor: fc.option(fc.uniqueArray(fc.constantFrom(...SUITABLE_FOR)), { nil: undefined }),
});

describe('the saved-search index items', () => {
  const widest = {
    regions: [...REGIONS, NATIONAL],
    services: [...SERVICES],
    suitableFor: 'vcse' as const,
    minValuePence: Number.MAX_SAFE_INTEGER,
    maxValuePence: Number.MAX_SAFE_INTEGER,
    frequency: 'immediate' as const,
  };
  let n = 0;
  const subscriptions = applySubscriptionChange(
    defaultSubscriptions(),
    {
      kind: 'replace',
      email: { enabled: true, kinds: Object.fromEntries(EMAIL_KIND_NAMES.map((kind) => [kind, false])) },
      savedSearches: Array.from({ length: MAX_SAVED_SEARCHES }, () => widest),
    },
    () => `01JCX00000000000000000${String(n++).padStart(4, '0')}`,
  );
  const sub = 'x'.repeat(128);

  it(`each stays under ${INDEX_ITEM_BUDGET_BYTES} bytes at the limits (DynamoDB allows ${MAX_ITEM_BYTES})`, () => {
    const items = savedSearchIndexItems(sub, subscriptions, Number.MAX_SAFE_INTEGER);
    expect([...items.keys()]).toEqual(SEARCH_INDEX_PARTITIONS);
    const sizes = [...items.values()].map(itemSize);
    expect(Math.max(...sizes)).toBeGreaterThan(10_000);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(INDEX_ITEM_BUDGET_BYTES);
  });

  it('with the subscriptions item, fit one transaction: 13 items and far under 4 MB', () => {
    const items = savedSearchIndexItems(sub, subscriptions, Number.MAX_SAFE_INTEGER);
    const main = subscriptionItem(sub, subscriptions, Number.MAX_SAFE_INTEGER, new Date().toISOString());
    // The repository writes the subscriptions item and one put or delete per region, always.
    const count = 1 + SEARCH_INDEX_PARTITIONS.length;
    expect(count).toBe(13);
    expect(count).toBeLessThanOrEqual(MAX_TRANSACTION_ITEMS);
    const bytes = itemSize(main) + [...items.values()].reduce((sum, item) => sum + itemSize(item), 0);
    expect(bytes).toBeLessThanOrEqual(TRANSACTION_BUDGET_BYTES);
    expect(bytes).toBeLessThan(MAX_TRANSACTION_BYTES);
  });

  it("put a search in the partition of each region it names and in every search's, and nowhere else, keeping its place in the list", () => {
    fc.assert(
      fc.property(fc.array(search, { maxLength: MAX_SAVED_SEARCHES }), (searches) => {
        const withIds = searches.map((s, i) => ({ ...s, id: `S${i}` }));
        const items = savedSearchIndexItems('u', { savedSearches: withIds }, 3);
        for (const region of SEARCH_INDEX_PARTITIONS) {
          const held = (items.get(region)?.searches ?? []) as Array<SavedSearch & { position: number }>;
          const expected = withIds
            .map((s, position) => ({ ...s, position }))
            .filter((s) => region === EVERY_SEARCH || s.regions.includes(region));
          expect(held).toEqual(expected);
          if (expected.length === 0) expect(items.has(region)).toBe(false);
        }
      }),
    );
  });
});

describe('the partitions an opportunity is matched from', () => {
  it("hold every search that matches it (a search is in the partition of each region it names, and in every search's)", () => {
    fc.assert(
      fc.property(search, opportunity, (saved, opp) => {
        if (!matchesSavedSearch(saved, opp)) return;
        const read = searchPartitionsFor(opp);
        expect(read.includes(EVERY_SEARCH) || saved.regions.some((region) => read.includes(region))).toBe(
          true,
        );
      }),
      { numRuns: 2_000 },
    );
  });

  it("are every search's alone for a national opportunity (each user once), and its own regions and national otherwise", () => {
    expect(searchPartitionsFor({ regions: [NATIONAL] })).toEqual([EVERY_SEARCH]);
    expect(searchPartitionsFor({ regions: ['london', NATIONAL] })).toEqual([EVERY_SEARCH]);
    expect(searchPartitionsFor({ regions: ['london', 'wales'] }).sort()).toEqual(
      ['london', 'wales', NATIONAL].sort(),
    );
  });
});
