/**
 * `GET /me/notifications`: notifications for every organisation the caller belongs to, newest first.
 */
import type { MembershipRepository } from '../db/memberships';
import type { Notification, NotificationRepository } from '../db/notifications';
import type { Page } from '../db/pagination';
import { requireUser } from '../domain/policy';
import type { Principal } from '../domain/principal';

/** One page of the caller's notifications. */
export async function listNotifications(
  deps: { memberships: MembershipRepository; notifications: NotificationRepository },
  principal: Principal,
  page: { limit: number; cursor?: string | undefined },
): Promise<Page<Notification>> {
  const user = requireUser(principal);
  const memberships = await deps.memberships.listForUser(user.sub);
  if (memberships.length === 0) return { items: [], nextCursor: null };
  return deps.notifications.listForProviders(
    memberships.map((m) => m.providerId),
    page.limit,
    page.cursor,
  );
}
