/**
 * Demo data for e-mail alerts (issue 17): `demo-owner` has saved a search of opportunities – housing and
 * employment support in the North West or across the country, worth £10,000 or more, e-mailed at once – and
 * switched deadline reminders off, through the same use case as `/your-alerts` and `PUT /me/subscriptions`.
 * Seeded before the competitions, so the ones published after it that match arrive as e-mail in the local
 * mail catcher (to `DEMO_OWNER_EMAIL`, the address the local identity store holds for `demo-owner`).
 */
import { localIdentityStore, subscriptionRepository } from '../../shared/db/repositories';
import type { UserPrincipal } from '../../shared/domain/principal';
import { changeSubscriptions } from '../../shared/use-cases/notifications/subscriptions';
import { DEMO_OWNER } from './providers';

/** The address `demo-owner`'s e-mail goes to (the developer sign-in records another if one is typed there). */
export const DEMO_OWNER_EMAIL = 'demo-owner@example.org';

/** Seeds `demo-owner`'s address and alerts; a one-line summary. */
export async function seedAlerts(now = new Date()): Promise<string> {
  const owner: UserPrincipal = { kind: 'user', sub: DEMO_OWNER, email: DEMO_OWNER_EMAIL, groups: [] };
  // As the developer sign-in records a user: where the delivery finds the address (Cognito in AWS).
  await localIdentityStore().save(
    { sub: DEMO_OWNER, email: DEMO_OWNER_EMAIL, groups: [], enabled: true },
    now,
  );
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
  return `"${DEMO_OWNER}" has ${saved.savedSearches.length} saved search (North West or national, housing or employment, £10,000 or more, e-mailed at once to ${DEMO_OWNER_EMAIL})`;
}
