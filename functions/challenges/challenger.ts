/**
 * Bidders' side of standstill challenges: raising one. Least privilege, as the JSON `tenders` function: its
 * own role reads competitions and the registry; the bidder's debrief and challenge (its own bid partition),
 * the guard on the competition and the audit event go through the role assumed for that bidder
 * (`shared/db/provider-data.ts`), so it cannot read another bid, list bids, or read scores or the ranking.
 */
import { providerData } from '../../shared/db/provider-data';
import {
  auditRepository,
  bidRepository,
  challengeRepository,
  competitionRepository,
  membershipRepository,
  partnershipRepository,
  prequalificationRepository,
  providerRepository,
} from '../../shared/db/repositories';
import { dispatch } from '../../shared/http/dispatch';
import { idempotentWhenKeyPresent } from '../../shared/http/middleware/idempotency';
import { json } from '../../shared/http/response';
import { routesWith } from '../../shared/http/route-stack';
import { challengesRoutes } from '../../shared/http/route-table/challenges';
import { challengeSchemas as s } from '../../shared/http/schemas/challenges';
import { type ChallengerDeps, raiseChallenge } from '../../shared/use-cases/challenges/challenger';

// One idempotent route, not public: no optional-token verifier in this bundle.
const defineRoute = routesWith(challengesRoutes, { idempotency: idempotentWhenKeyPresent });

/** Registry and competition reads on the function's own credentials; the bidder's own data per bidder. */
function repositories(): ChallengerDeps {
  return {
    competitions: competitionRepository(),
    memberships: membershipRepository(),
    providers: providerRepository(),
    providerData: providerData(() => ({
      bids: bidRepository(),
      prequalification: prequalificationRepository(),
      partnerships: partnershipRepository(),
      audit: auditRepository(),
      challenges: challengeRepository(),
    })),
    // Used only locally, where providerData shares the process's repositories (see ChallengerDeps).
    challenges: challengeRepository(),
  };
}

export const handler = dispatch({
  'POST /competitions/{id}/challenges': defineRoute(
    'POST /competitions/{id}/challenges',
    s['POST /competitions/{id}/challenges'],
    async ({ principal, params, body, receivedAt }) =>
      json(201, await raiseChallenge(repositories(), principal, params.id, body, receivedAt)),
  ),
});
