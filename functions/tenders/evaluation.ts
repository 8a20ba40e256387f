/**
 * Insiders' side of a tender: sealed bids after the deadline, scoring, moderation, the ranking, the award
 * and its confirmation. Every call is decided by the ethical-wall policy and audited.
 */
import { config } from '../../shared/config';
import {
  auditRepository,
  bidRepository,
  challengeRepository,
  competitionRepository,
  contractRepository,
  membershipRepository,
  outboxWriter,
  providerRepository,
  publicationRepository,
} from '../../shared/db/repositories';
import { dispatch } from '../../shared/http/dispatch';
import { idempotentWhenKeyPresent } from '../../shared/http/middleware/idempotency';
import { json } from '../../shared/http/response';
import { routesWith } from '../../shared/http/route-stack';
import { tendersRoutes } from '../../shared/http/route-table/tenders';
import { tenderSchemas as s } from '../../shared/http/schemas/tenders';
import {
  confirmAward,
  decideAward,
  getBid,
  getEvaluation,
  listBids,
  moderateBid,
  recordPriceClarification,
  scoreBid,
} from '../../shared/use-cases/tenders/evaluation';

// Idempotent routes; none public, so no token verification (jose) in the bundle.
const defineRoute = routesWith(tendersRoutes, { idempotency: idempotentWhenKeyPresent });

/** The repositories the evaluation use cases need, the award confirmation's contract repository among them. */
function repositories() {
  return {
    competitions: competitionRepository(),
    memberships: membershipRepository(),
    audit: auditRepository(),
    bids: bidRepository(),
    contracts: contractRepository(),
    challenges: challengeRepository(),
    providers: providerRepository(),
    publication: publicationRepository(),
    outbox: outboxWriter(),
  };
}

export const handler = dispatch({
  'GET /competitions/{id}/bids': defineRoute(
    'GET /competitions/{id}/bids',
    s['GET /competitions/{id}/bids'],
    async ({ principal, params, receivedAt }) =>
      json(200, await listBids(repositories(), principal, params.id, receivedAt)),
  ),
  'GET /competitions/{id}/bids/{bidId}': defineRoute(
    'GET /competitions/{id}/bids/{bidId}',
    s['GET /competitions/{id}/bids/{bidId}'],
    async ({ principal, params, receivedAt }) =>
      json(200, await getBid(repositories(), principal, params.id, params.bidId, receivedAt)),
  ),
  'PUT /competitions/{id}/bids/{bidId}/scores': defineRoute(
    'PUT /competitions/{id}/bids/{bidId}/scores',
    s['PUT /competitions/{id}/bids/{bidId}/scores'],
    async ({ principal, params, body, receivedAt }) =>
      json(200, await scoreBid(repositories(), principal, params.id, params.bidId, body.scores, receivedAt)),
  ),
  'PUT /competitions/{id}/bids/{bidId}/moderated-scores': defineRoute(
    'PUT /competitions/{id}/bids/{bidId}/moderated-scores',
    s['PUT /competitions/{id}/bids/{bidId}/moderated-scores'],
    async ({ principal, params, body, receivedAt }) =>
      json(
        200,
        await moderateBid(
          repositories(),
          principal,
          params.id,
          params.bidId,
          body.scores,
          receivedAt,
          config().rules.evaluation,
        ),
      ),
  ),
  'POST /competitions/{id}/bids/{bidId}/price-clarification': defineRoute(
    'POST /competitions/{id}/bids/{bidId}/price-clarification',
    s['POST /competitions/{id}/bids/{bidId}/price-clarification'],
    async ({ principal, params, body, receivedAt }) =>
      json(
        201,
        await recordPriceClarification(
          repositories(),
          principal,
          params.id,
          params.bidId,
          body.note,
          receivedAt,
        ),
      ),
  ),
  'GET /competitions/{id}/evaluation': defineRoute(
    'GET /competitions/{id}/evaluation',
    s['GET /competitions/{id}/evaluation'],
    async ({ principal, params, receivedAt }) =>
      json(200, await getEvaluation(repositories(), principal, params.id, receivedAt)),
  ),
  'POST /competitions/{id}/award': defineRoute(
    'POST /competitions/{id}/award',
    s['POST /competitions/{id}/award'],
    async ({ principal, params, body, receivedAt }) =>
      json(200, await decideAward(repositories(), principal, params.id, body, receivedAt, config().rules)),
  ),
  'POST /competitions/{id}/award/confirm': defineRoute(
    'POST /competitions/{id}/award/confirm',
    s['POST /competitions/{id}/award/confirm'],
    async ({ principal, params, receivedAt }) =>
      json(200, await confirmAward(repositories(), principal, params.id, receivedAt)),
  ),
});
