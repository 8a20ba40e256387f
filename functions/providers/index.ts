/**
 * National Provider Network routes: registration, profiles, membership, verification, accreditation and
 * notifications.
 */
import { config } from '../../shared/config';
import {
  accreditationRepository,
  auditRepository,
  membershipRepository,
  notificationRepository,
  providerRepository,
} from '../../shared/db/repositories';
import { dispatch } from '../../shared/http/dispatch';
import { idempotentWhenKeyPresent } from '../../shared/http/middleware/idempotency';
import { json } from '../../shared/http/response';
import { routesWith } from '../../shared/http/route-stack';
import { providersRoutes } from '../../shared/http/route-table/providers';
import { providerSchemas as s } from '../../shared/http/schemas/providers';
import { getAccreditation, putAccreditation } from '../../shared/use-cases/accreditation';
import { getProvider } from '../../shared/use-cases/get-provider';
import { listNotifications } from '../../shared/use-cases/list-notifications';
import {
  answerInvitation,
  inviteMember,
  listMyInvitations,
  listProviderInvitations,
  removeMember,
  withdrawInvitation,
} from '../../shared/use-cases/memberships';
import { registerProvider } from '../../shared/use-cases/register-provider';
import { rejectProvider } from '../../shared/use-cases/reject-provider';
import { updateProvider } from '../../shared/use-cases/update-provider';
import { verifyProvider } from '../../shared/use-cases/verify-provider';

// Idempotent routes; none public, so no token verification (jose) in the bundle.
const defineRoute = routesWith(providersRoutes, { idempotency: idempotentWhenKeyPresent });

/** The repositories this module's use cases need, and no others: a smaller bundle. */
function repositories() {
  return {
    providers: providerRepository(),
    memberships: membershipRepository(),
    accreditations: accreditationRepository(),
    notifications: notificationRepository(),
    audit: auditRepository(),
  };
}

export const handler = dispatch({
  'POST /providers': defineRoute(
    'POST /providers',
    s['POST /providers'],
    async ({ principal, body, receivedAt }) =>
      json(201, await registerProvider(repositories(), principal, body, receivedAt)),
  ),
  'GET /providers/{id}': defineRoute(
    'GET /providers/{id}',
    s['GET /providers/{id}'],
    async ({ principal, params }) => json(200, await getProvider(repositories(), principal, params.id)),
  ),
  'PATCH /providers/{id}': defineRoute(
    'PATCH /providers/{id}',
    s['PATCH /providers/{id}'],
    async ({ principal, params, body, receivedAt }) =>
      json(200, await updateProvider(repositories(), principal, params.id, body, receivedAt)),
  ),
  'POST /providers/{id}/members': defineRoute(
    'POST /providers/{id}/members',
    s['POST /providers/{id}/members'],
    async ({ principal, params, body, receivedAt }) =>
      json(
        201,
        await inviteMember(
          repositories(),
          principal,
          params.id,
          body,
          receivedAt,
          config().rules.invitationValidDays,
        ),
      ),
  ),
  'DELETE /providers/{id}/members/{sub}': defineRoute(
    'DELETE /providers/{id}/members/{sub}',
    s['DELETE /providers/{id}/members/{sub}'],
    async ({ principal, params, receivedAt }) =>
      json(200, await removeMember(repositories(), principal, params.id, params.sub, receivedAt)),
  ),
  'GET /providers/{id}/invitations': defineRoute(
    'GET /providers/{id}/invitations',
    s['GET /providers/{id}/invitations'],
    async ({ principal, params, receivedAt }) =>
      json(200, await listProviderInvitations(repositories(), principal, params.id, receivedAt)),
  ),
  'DELETE /providers/{id}/invitations/{invitationId}': defineRoute(
    'DELETE /providers/{id}/invitations/{invitationId}',
    s['DELETE /providers/{id}/invitations/{invitationId}'],
    async ({ principal, params, receivedAt }) =>
      json(
        200,
        await withdrawInvitation(repositories(), principal, params.id, params.invitationId, receivedAt),
      ),
  ),
  'GET /me/invitations': defineRoute(
    'GET /me/invitations',
    s['GET /me/invitations'],
    async ({ principal, receivedAt }) =>
      json(200, await listMyInvitations(repositories(), principal, receivedAt)),
  ),
  'POST /me/invitations/{id}/accept': defineRoute(
    'POST /me/invitations/{id}/accept',
    s['POST /me/invitations/{id}/accept'],
    async ({ principal, params, receivedAt }) =>
      json(200, await answerInvitation(repositories(), principal, params.id, 'accepted', receivedAt)),
  ),
  'POST /me/invitations/{id}/decline': defineRoute(
    'POST /me/invitations/{id}/decline',
    s['POST /me/invitations/{id}/decline'],
    async ({ principal, params, receivedAt }) =>
      json(200, await answerInvitation(repositories(), principal, params.id, 'declined', receivedAt)),
  ),
  'POST /providers/{id}/verify': defineRoute(
    'POST /providers/{id}/verify',
    s['POST /providers/{id}/verify'],
    async ({ principal, params, receivedAt }) =>
      json(200, await verifyProvider(repositories(), principal, params.id, receivedAt)),
  ),
  'POST /providers/{id}/reject': defineRoute(
    'POST /providers/{id}/reject',
    s['POST /providers/{id}/reject'],
    async ({ principal, params, body, receivedAt }) =>
      json(200, await rejectProvider(repositories(), principal, params.id, body.reason, receivedAt)),
  ),
  'PUT /providers/{id}/accreditation': defineRoute(
    'PUT /providers/{id}/accreditation',
    s['PUT /providers/{id}/accreditation'],
    async ({ principal, params, body, receivedAt }) =>
      json(
        200,
        await putAccreditation(
          repositories(),
          principal,
          params.id,
          body,
          receivedAt,
          config().rules.accreditationValidMonths,
        ),
      ),
  ),
  'GET /providers/{id}/accreditation': defineRoute(
    'GET /providers/{id}/accreditation',
    s['GET /providers/{id}/accreditation'],
    async ({ principal, params, receivedAt }) =>
      json(200, await getAccreditation(repositories(), principal, params.id, receivedAt)),
  ),
  'GET /me/notifications': defineRoute(
    'GET /me/notifications',
    s['GET /me/notifications'],
    async ({ principal, query }) => json(200, await listNotifications(repositories(), principal, query)),
  ),
});
