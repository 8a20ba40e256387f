/**
 * Provider side of pre-qualification. Least privilege: this function's own role cannot touch the sealed
 * table or the audit log; each request puts its applicant's own response (and its connection marker and the
 * audit event) with credentials for that applicant alone (`shared/db/provider-data.ts`), and can read none
 * of it back, only the agreements of the organisations it names.
 */
import { providerData } from '../../shared/db/provider-data';
import {
  accreditationRepository,
  auditRepository,
  bidRepository,
  competitionRepository,
  membershipRepository,
  outboxWriter,
  partnershipRepository,
  prequalificationRepository,
  providerRepository,
} from '../../shared/db/repositories';
import { dispatch } from '../../shared/http/dispatch';
import { idempotentWhenKeyPresent } from '../../shared/http/middleware/idempotency';
import { json } from '../../shared/http/response';
import { routesWith } from '../../shared/http/route-stack';
import { competitionsRoutes } from '../../shared/http/route-table/competitions';
import { prequalificationSchemas as s } from '../../shared/http/schemas/prequalification';
import { submitResponse } from '../../shared/use-cases/prequalification/submit-response';

// Idempotent routes; none public, so no token verification (jose) in the bundle.
const defineRoute = routesWith(competitionsRoutes, { idempotency: idempotentWhenKeyPresent });

/** Registry and competition reads on the function's own credentials; the response per applicant. */
function repositories() {
  return {
    competitions: competitionRepository(),
    providers: providerRepository(),
    memberships: membershipRepository(),
    accreditations: accreditationRepository(),
    outbox: outboxWriter(),
    providerData: providerData(() => ({
      bids: bidRepository(),
      prequalification: prequalificationRepository(),
      partnerships: partnershipRepository(),
      audit: auditRepository(),
    })),
  };
}

export const handler = dispatch({
  'POST /competitions/{id}/prequalification-responses': defineRoute(
    'POST /competitions/{id}/prequalification-responses',
    s['POST /competitions/{id}/prequalification-responses'],
    async ({ principal, params, body, receivedAt }) =>
      json(201, await submitResponse(repositories(), principal, params.id, body, receivedAt)),
  ),
});
