/**
 * The inside of standstill challenges: the list (every challenge for declared insiders and auditors,
 * audited; the challenger's own for its members) and the lead's decision. Every inside access is decided by
 * the ethical-wall policy and audited.
 */
import {
  auditRepository,
  bidRepository,
  challengeRepository,
  competitionRepository,
  membershipRepository,
  notificationRepository,
  outboxWriter,
  publicationRepository,
} from '../../shared/db/repositories';
import { dispatch } from '../../shared/http/dispatch';
import { idempotentWhenKeyPresent } from '../../shared/http/middleware/idempotency';
import { json } from '../../shared/http/response';
import { routesWith } from '../../shared/http/route-stack';
import { challengesRoutes } from '../../shared/http/route-table/challenges';
import { challengeSchemas as s } from '../../shared/http/schemas/challenges';
import {
  type ChallengeInsideDeps,
  decideChallenge,
  listChallenges,
} from '../../shared/use-cases/challenges/inside';

// Idempotent routes, none public: no optional-token verifier in this bundle.
const defineRoute = routesWith(challengesRoutes, { idempotency: idempotentWhenKeyPresent });

/** The repositories this module's use cases need, and no others: a smaller bundle. */
function repositories(): ChallengeInsideDeps {
  return {
    competitions: competitionRepository(),
    memberships: membershipRepository(),
    audit: auditRepository(),
    bids: bidRepository(),
    challenges: challengeRepository(),
    notifications: notificationRepository(),
    publication: publicationRepository(),
    outbox: outboxWriter(),
  };
}

export const handler = dispatch({
  'GET /competitions/{id}/challenges': defineRoute(
    'GET /competitions/{id}/challenges',
    s['GET /competitions/{id}/challenges'],
    async ({ principal, params, query, receivedAt }) => {
      const { items, nextCursor } = await listChallenges(
        repositories(),
        principal,
        params.id,
        query,
        receivedAt,
      );
      return json(200, { items, nextCursor });
    },
  ),
  'POST /competitions/{id}/challenges/{challengeId}/decision': defineRoute(
    'POST /competitions/{id}/challenges/{challengeId}/decision',
    s['POST /competitions/{id}/challenges/{challengeId}/decision'],
    async ({ principal, params, body, receivedAt }) =>
      json(
        200,
        await decideChallenge(repositories(), principal, params.id, params.challengeId, body, receivedAt),
      ),
  ),
});
