/**
 * Demo data for e-mail alerts (issue 17): `demo-owner` has saved a search of opportunities – housing and
 * employment support in the North West or across the country, worth £10,000 or more, e-mailed at once – and
 * switched deadline reminders off, through the same use case as `/your-alerts` and `PUT /me/subscriptions`.
 */
import { subscriptionRepository } from '../../shared/db/repositories';
import type { UserPrincipal } from '../../shared/domain/principal';
import { changeSubscriptions } from '../../shared/use-cases/notifications/subscriptions';
import { DEMO_OWNER } from './providers';

/** Seeds `demo-owner`'s alerts; a one-line summary. */
export async function seedAlerts(now = new Date()): Promise<string> {
  const owner: UserPrincipal = { kind: 'user', sub: DEMO_OWNER, email: undefined, groups: [] };
  const saved = await changeSubscriptions(
    { subscriptions: subscriptionRepository() },
    owner,
    0,
    {
      kind: 'replace',
      email: { enabled: true, kinds: { 'deadline-reminder': false } },
      savedSearches: [
        {
          regions: ['north_west', 'national'],
          services: ['accommodation', 'education_training_employment'],
          minValuePence: 1_000_000,
          frequency: 'immediate',
        },
      ],
    },
    now,
  );
  return `"${DEMO_OWNER}" has ${saved.savedSearches.length} saved search (North West or national, housing or employment, £10,000 or more, e-mailed at once)`;
}
