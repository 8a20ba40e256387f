/**
 * Notification routes (issue 17): the caller's e-mail preferences and saved searches, and one-click
 * unsubscribe (RFC 8058), which a mail provider posts on a reader's behalf with no credentials.
 */
import { subscriptionRepository } from '../../shared/db/repositories';
import { unsubscribeKey } from '../../shared/email/unsubscribe-key';
import { dispatch } from '../../shared/http/dispatch';
import { idempotentWhenKeyPresent } from '../../shared/http/middleware/idempotency';
import { optionalToken } from '../../shared/http/middleware/optional-token';
import { json } from '../../shared/http/response';
import { routesWith } from '../../shared/http/route-stack';
import { notificationsRoutes } from '../../shared/http/route-table/notifications';
import { notificationSchemas as s } from '../../shared/http/schemas/notifications';
import { changeSubscriptions, getSubscriptions } from '../../shared/use-cases/notifications/subscriptions';
import { unsubscribe } from '../../shared/use-cases/notifications/unsubscribe';

// PUT is idempotent with a key (a retried PUT gets its first answer, not a 409). The unsubscribe route is
// public (its token is its authority) and idempotent by nature, needing no key.
const defineRoute = routesWith(notificationsRoutes, {
  idempotency: idempotentWhenKeyPresent,
  optionalToken,
});

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
  'POST /unsubscribe/{token}': defineRoute(
    'POST /unsubscribe/{token}',
    s['POST /unsubscribe/{token}'],
    async ({ params, receivedAt }) => {
      // RFC 8058's body (`List-Unsubscribe=One-Click`) says only that this is a one-click unsubscribe,
      // which the route is anyway: it is left unread, so a client sending none is served alike.
      const { scope } = await unsubscribe(repositories(), params.token, await unsubscribeKey(), receivedAt);
      return json(200, { stopped: scope });
    },
  ),
});
