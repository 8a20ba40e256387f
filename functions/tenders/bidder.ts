/**
 * Bidders' side of a tender. Least privilege: this function's own role cannot touch the sealed table or the
 * audit log; each request reaches its bidder's own bid partition (and audit appends) with credentials for
 * that bidder alone (`shared/db/provider-data.ts`), so it cannot read another bid, list bids or read scores,
 * moderation, responses or confidential sections.
 */
import { providerData } from '../../shared/db/provider-data';
import {
  auditRepository,
  bidRepository,
  competitionRepository,
  documentRepository,
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
import { tendersRoutes } from '../../shared/http/route-table/tenders';
import { partnershipSchemas } from '../../shared/http/schemas/partnerships';
import { tenderSchemas as s } from '../../shared/http/schemas/tenders';
import {
  type BidderDeps,
  getDebrief,
  getOwnBid,
  saveDraft,
  submitBid,
  withdrawBid,
} from '../../shared/use-cases/tenders/bidder';
import { agreeToBeNamed } from '../../shared/use-cases/tenders/partnerships';

// Idempotent routes; none public, so no token verification (jose) in the bundle.
const defineRoute = routesWith(tendersRoutes, { idempotency: idempotentWhenKeyPresent });

/** Registry and competition reads on the function's own credentials; bid data per bidder. */
function repositories(): BidderDeps {
  return {
    competitions: competitionRepository(),
    memberships: membershipRepository(),
    providers: providerRepository(),
    outbox: outboxWriter(),
    // The documents' current versions, which a submitted bid records (procurement, read).
    documents: documentRepository(),
    providerData: providerData(() => ({
      bids: bidRepository(),
      prequalification: prequalificationRepository(),
      partnerships: partnershipRepository(),
      audit: auditRepository(),
    })),
  };
}

export const handler = dispatch({
  'PUT /competitions/{id}/bid': defineRoute(
    'PUT /competitions/{id}/bid',
    s['PUT /competitions/{id}/bid'],
    async ({ principal, params, body, receivedAt }) =>
      json(200, await saveDraft(repositories(), principal, params.id, body, receivedAt)),
  ),
  'POST /competitions/{id}/bid/submit': defineRoute(
    'POST /competitions/{id}/bid/submit',
    s['POST /competitions/{id}/bid/submit'],
    async ({ principal, params, query, receivedAt }) =>
      json(200, await submitBid(repositories(), principal, params.id, query.providerId, receivedAt)),
  ),
  'POST /competitions/{id}/partnerships': defineRoute(
    'POST /competitions/{id}/partnerships',
    partnershipSchemas['POST /competitions/{id}/partnerships'],
    async ({ principal, params, body, receivedAt }) => {
      const { partnership, created } = await agreeToBeNamed(
        repositories(),
        principal,
        params.id,
        body,
        receivedAt,
      );
      return json(created ? 201 : 200, partnership);
    },
  ),
  'POST /competitions/{id}/bid/withdraw': defineRoute(
    'POST /competitions/{id}/bid/withdraw',
    s['POST /competitions/{id}/bid/withdraw'],
    async ({ principal, params, query, receivedAt }) =>
      json(200, await withdrawBid(repositories(), principal, params.id, query.providerId, receivedAt)),
  ),
  'GET /competitions/{id}/bid': defineRoute(
    'GET /competitions/{id}/bid',
    s['GET /competitions/{id}/bid'],
    async ({ principal, params, query }) =>
      json(200, await getOwnBid(repositories(), principal, params.id, query.providerId)),
  ),
  'GET /competitions/{id}/debrief': defineRoute(
    'GET /competitions/{id}/debrief',
    s['GET /competitions/{id}/debrief'],
    async ({ principal, params, query }) =>
      json(200, await getDebrief(repositories(), principal, params.id, query.providerId)),
  ),
});
