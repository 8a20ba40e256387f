/**
 * A user's subscriptions are one registry item (issue 17): at the schema's limits – 20 saved searches,
 * each naming every region and service, both value bounds at the money maximum, and every kind switched –
 * the item the repository writes stays far under DynamoDB's 400 KB, measured by DynamoDB's rules
 * (test/support/item-size.ts; numbers counted at their 21-byte maximum). Measured worst case: 11,539 bytes
 * for the longest user id a token carries.
 */
import { describe, expect, it } from 'vitest';
import { subscriptionItem } from '../../shared/db/subscriptions';
import {
  applySubscriptionChange,
  defaultSubscriptions,
  EMAIL_KIND_NAMES,
  MAX_SAVED_SEARCHES,
} from '../../shared/domain/notifications/subscriptions';
import { REGIONS, SERVICES } from '../../shared/domain/reference-data';
import { subscriptionsBody } from '../../shared/http/schemas/notifications';
import { itemSize, MAX_ITEM_BYTES } from '../support/item-size';

/** The measured worst case, with a little room: a limit raised past it fails here first. */
const BUDGET_BYTES = 12_500;

describe("a user's subscriptions item", () => {
  const widest = {
    regions: [...REGIONS, 'national' as const],
    services: [...SERVICES],
    suitableFor: 'vcse' as const,
    minValuePence: Number.MAX_SAFE_INTEGER,
    maxValuePence: Number.MAX_SAFE_INTEGER,
    frequency: 'immediate' as const,
  };
  const body = {
    version: Number.MAX_SAFE_INTEGER - 1,
    email: { enabled: true, kinds: Object.fromEntries(EMAIL_KIND_NAMES.map((kind) => [kind, false])) },
    savedSearches: Array.from({ length: MAX_SAVED_SEARCHES }, () => widest),
  };

  it('is built at the limits the schema accepts, and one search more is refused', () => {
    expect(subscriptionsBody.safeParse(body).success).toBe(true);
    expect(
      subscriptionsBody.safeParse({ ...body, savedSearches: [...body.savedSearches, widest] }).success,
    ).toBe(false);
  });

  it(`stays under ${BUDGET_BYTES} bytes (DynamoDB allows ${MAX_ITEM_BYTES})`, () => {
    let n = 0;
    const subscriptions = applySubscriptionChange(
      defaultSubscriptions(),
      { kind: 'replace', email: body.email, savedSearches: body.savedSearches },
      () => `01JCX00000000000000000${String(n++).padStart(4, '0')}`,
    );
    const item = subscriptionItem(
      'x'.repeat(128),
      subscriptions,
      Number.MAX_SAFE_INTEGER,
      new Date().toISOString(),
    );
    const size = itemSize(item);
    expect(size).toBeGreaterThan(10_000);
    expect(size).toBeLessThanOrEqual(BUDGET_BYTES);
  });
});
