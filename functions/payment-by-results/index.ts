/**
 * Payment by results (issue 18): the payment mechanism, cohorts and their proven results (JSON or CSV),
 * proxy-outcome claims and decisions, and the outcome statement (JSON, or CSV on request). Thin: each route
 * validates, builds the principal and calls one use case, which decides who may do what. Request bodies
 * name participants by reference and are never logged.
 */
import {
  auditRepository,
  contractRepository,
  membershipRepository,
  outcomeShareRepository,
  paymentByResultsRepository,
  providerRepository,
  subcontractingRepository,
} from '../../shared/db/repositories';
import { dispatch } from '../../shared/http/dispatch';
import { idempotentWhenKeyPresent } from '../../shared/http/middleware/idempotency';
import { json } from '../../shared/http/response';
import { routesWith } from '../../shared/http/route-stack';
import { paymentByResultsRoutes } from '../../shared/http/route-table/payment-by-results';
import { paymentByResultsSchemas as s } from '../../shared/http/schemas/payment-by-results';
import type { OutcomeDeps } from '../../shared/use-cases/payment-by-results/access';
import {
  decideOutcomeClaim,
  getOutcomeClaim,
  listOutcomeClaims,
  submitOutcomeClaim,
} from '../../shared/use-cases/payment-by-results/claims';
import { listCohorts, putCohort, putCohortResults } from '../../shared/use-cases/payment-by-results/cohorts';
import {
  getPaymentMechanism,
  setPaymentMechanism,
} from '../../shared/use-cases/payment-by-results/mechanism';
import {
  getOutcomeShares,
  recordOutcomeShares,
  type ShareDeps,
} from '../../shared/use-cases/payment-by-results/shares';
import { getOutcomeStatement } from '../../shared/use-cases/payment-by-results/statement';
import { statementCsv } from '../../shared/use-cases/payment-by-results/statement-csv';
import { csvResponse } from '../../shared/web/csv';
import { prefersCsv } from './accept';
import { cohortResultsSubmission } from './results-body';

// Idempotent routes; none public, so no token verification (jose) in the bundle.
const defineRoute = routesWith(paymentByResultsRoutes, { idempotency: idempotentWhenKeyPresent });

/** The repositories these use cases need, and no others. */
function repositories(): OutcomeDeps {
  return {
    contracts: contractRepository(),
    memberships: membershipRepository(),
    paymentByResults: paymentByResultsRepository(),
    subcontracting: subcontractingRepository(),
    audit: auditRepository(),
  };
}

/** The shares' use cases also read the prime's name and write the sub-contractors' share items. */
function shareRepositories(): ShareDeps {
  return { ...repositories(), outcomeShares: outcomeShareRepository(), providers: providerRepository() };
}

const PUT_RESULTS = 'PUT /contracts/{id}/cohorts/{period}/results';

export const handler = dispatch({
  'PUT /contracts/{id}/payment-mechanism': defineRoute(
    'PUT /contracts/{id}/payment-mechanism',
    s['PUT /contracts/{id}/payment-mechanism'],
    async ({ principal, params, body, receivedAt }) =>
      json(200, await setPaymentMechanism(repositories(), principal, params.id, body, receivedAt)),
  ),
  'GET /contracts/{id}/payment-mechanism': defineRoute(
    'GET /contracts/{id}/payment-mechanism',
    s['GET /contracts/{id}/payment-mechanism'],
    async ({ principal, params }) =>
      json(200, await getPaymentMechanism(repositories(), principal, params.id)),
  ),
  'GET /contracts/{id}/cohorts': defineRoute(
    'GET /contracts/{id}/cohorts',
    s['GET /contracts/{id}/cohorts'],
    // Bounded by the contract's quarters (at most 100): one page.
    async ({ principal, params }) =>
      json(200, { items: await listCohorts(repositories(), principal, params.id), nextCursor: null }),
  ),
  'PUT /contracts/{id}/cohorts/{period}': defineRoute(
    'PUT /contracts/{id}/cohorts/{period}',
    s['PUT /contracts/{id}/cohorts/{period}'],
    async ({ principal, params, body, receivedAt }) =>
      json(200, await putCohort(repositories(), principal, params.id, params.period, body, receivedAt)),
  ),
  // No body schema in the stack: JSON or CSV, read by the media type.
  [PUT_RESULTS]: defineRoute(
    PUT_RESULTS,
    { params: s[PUT_RESULTS].params },
    async ({ principal, params, event, receivedAt }) =>
      json(
        200,
        await putCohortResults(
          repositories(),
          principal,
          params.id,
          params.period,
          cohortResultsSubmission(event),
          receivedAt,
        ),
      ),
  ),
  'POST /contracts/{id}/outcome-claims': defineRoute(
    'POST /contracts/{id}/outcome-claims',
    s['POST /contracts/{id}/outcome-claims'],
    async ({ principal, params, body, receivedAt }) =>
      json(201, await submitOutcomeClaim(repositories(), principal, params.id, body, receivedAt)),
  ),
  'GET /contracts/{id}/outcome-claims': defineRoute(
    'GET /contracts/{id}/outcome-claims',
    s['GET /contracts/{id}/outcome-claims'],
    async ({ principal, params, query }) =>
      json(
        200,
        await listOutcomeClaims(repositories(), principal, params.id, {
          limit: query.limit,
          cursor: query.cursor,
          awaiting: query.awaiting === 'true',
        }),
      ),
  ),
  'GET /contracts/{id}/outcome-claims/{claimId}': defineRoute(
    'GET /contracts/{id}/outcome-claims/{claimId}',
    s['GET /contracts/{id}/outcome-claims/{claimId}'],
    async ({ principal, params }) =>
      json(200, await getOutcomeClaim(repositories(), principal, params.id, params.claimId)),
  ),
  'POST /contracts/{id}/outcome-claims/{claimId}/decision': defineRoute(
    'POST /contracts/{id}/outcome-claims/{claimId}/decision',
    s['POST /contracts/{id}/outcome-claims/{claimId}/decision'],
    async ({ principal, params, body, receivedAt }) =>
      json(
        200,
        await decideOutcomeClaim(repositories(), principal, params.id, params.claimId, body, receivedAt),
      ),
  ),
  'GET /contracts/{id}/outcome-statement': defineRoute(
    'GET /contracts/{id}/outcome-statement',
    s['GET /contracts/{id}/outcome-statement'],
    async ({ principal, params, headers, receivedAt }) => {
      const view = await getOutcomeStatement(repositories(), principal, params.id, receivedAt);
      return prefersCsv(headers.accept)
        ? csvResponse(`outcome-statement-${params.id}-${view.through}.csv`, statementCsv(view))
        : json(200, view);
    },
  ),
  'PUT /contracts/{id}/outcome-shares': defineRoute(
    'PUT /contracts/{id}/outcome-shares',
    s['PUT /contracts/{id}/outcome-shares'],
    async ({ principal, params, body, receivedAt }) =>
      json(200, await recordOutcomeShares(shareRepositories(), principal, params.id, body, receivedAt)),
  ),
  'GET /contracts/{id}/outcome-shares': defineRoute(
    'GET /contracts/{id}/outcome-shares',
    s['GET /contracts/{id}/outcome-shares'],
    async ({ principal, params, receivedAt }) =>
      json(200, await getOutcomeShares(shareRepositories(), principal, params.id, receivedAt)),
  ),
});
