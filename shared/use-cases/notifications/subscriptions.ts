/**
 * A user's e-mail preferences and saved searches (issue 17): `GET /me/subscriptions`, `PUT
 * /me/subscriptions` and the `/your-alerts` pages, which change one part at a time through the same
 * `changeSubscriptions`. Every change names the version it was made from; a change from an older version
 * is refused (409), so two tabs or clients never silently undo each other. The repository writes the
 * saved-search index by region in the same transaction (`SEARCHES#<region>`), so a new opportunity finds
 * the searches it matches without reading every user's (`saved-search-recipients.ts`).
 */
import { ulid } from 'ulid';
import type { SubscriptionRepository } from '../../db/subscriptions';
import { ConflictError } from '../../domain/errors';
import {
  applySubscriptionChange,
  type SubscriptionChange,
  type VersionedSubscriptions,
} from '../../domain/notifications/subscriptions';
import { assertCanManageOwnSubscriptions } from '../../domain/policy';
import type { Principal } from '../../domain/principal';

/** What these use cases need. */
export interface SubscriptionDeps {
  subscriptions: SubscriptionRepository;
}

/** The caller's subscriptions (the defaults, at version 0, until they save any). */
export async function getSubscriptions(
  deps: SubscriptionDeps,
  principal: Principal,
): Promise<VersionedSubscriptions> {
  const user = assertCanManageOwnSubscriptions(principal);
  return deps.subscriptions.get(user.sub);
}

/**
 * Changes the caller's subscriptions, made from `expectedVersion`: the whole document (`replace`), the
 * e-mail switches, one saved search saved or removed. New saved searches get ULIDs here.
 * @throws ConflictError when they changed since `expectedVersion` (checked on read for a clear answer, and
 *   again by the write's condition, which decides a race).
 * @throws ValidationError for an unknown or repeated saved search id, an inverted value range or more
 *   saved searches than allowed; nothing is written.
 */
export async function changeSubscriptions(
  deps: SubscriptionDeps,
  principal: Principal,
  expectedVersion: number,
  change: SubscriptionChange,
  now: Date,
): Promise<VersionedSubscriptions> {
  const user = assertCanManageOwnSubscriptions(principal);
  const current = await deps.subscriptions.get(user.sub);
  if (current.version !== expectedVersion) {
    throw new ConflictError(
      `These alerts are at version ${current.version}, not ${expectedVersion}: read them again and make the change to what they are now.`,
    );
  }
  const next = applySubscriptionChange(current, change, () => ulid(now.getTime()));
  return deps.subscriptions.put(user.sub, next, expectedVersion, now);
}
