/**
 * Notification routes (issue 17): the caller's e-mail preferences and saved searches.
 */
import { subscriptionRepository } from '../../shared/db/repositories';
import { dispatch } from '../../shared/http/dispatch';
import { idempotentWhenKeyPresent } from '../../shared/http/middleware/idempotency';
import { json } from '../../shared/http/response';
import { routesWith } from '../../shared/http/route-stack';
import { notificationsRoutes } from '../../shared/http/route-table/notifications';
import { notificationSchemas as s } from '../../shared/http/schemas/notifications';
import { changeSubscriptions, getSubscriptions } from '../../shared/use-cases/notifications/subscriptions';

// PUT is idempotent with a key (a retried PUT gets its first answer, not a 409); nothing is public.
const defineRoute = routesWith(notificationsRoutes, { idempotency: idempotentWhenKeyPresent });

/** The repositories this module's use cases need, and no others: a smaller bundle. */
function repositories() {
  return { subscriptions: subscriptionRepository() };
}

export const handler = dispatch({
  'GET /me/subscriptions': defineRoute(
    'GET /me/subscriptions',
    s['GET /me/subscriptions'],
    async ({ principal }) => json(200, await getSubscriptions(repositories(), principal)),
  ),
  'PUT /me/subscriptions': defineRoute(
    'PUT /me/subscriptions',
    s['PUT /me/subscriptions'],
    async ({ principal, body, receivedAt }) => {
      const { version, email, savedSearches } = body;
      return json(
        200,
        await changeSubscriptions(
          repositories(),
          principal,
          version,
          { kind: 'replace', email, savedSearches },
          receivedAt,
        ),
      );
    },
  ),
});
