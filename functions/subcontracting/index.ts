/**
 * Contracts and sub-contracting: contracts, supply chains, spend returns (JSON or CSV), a contract's
 * figures, disputes and the sub-contractor's view of what it was paid.
 */
import { config } from '../../shared/config';
import {
  contractRepository,
  membershipRepository,
  outboxWriter,
  providerRepository,
  publicationRepository,
  subcontractingRepository,
} from '../../shared/db/repositories';
import { dispatch } from '../../shared/http/dispatch';
import { idempotentWhenKeyPresent } from '../../shared/http/middleware/idempotency';
import { json } from '../../shared/http/response';
import { routesWith } from '../../shared/http/route-stack';
import { subcontractingRoutes } from '../../shared/http/route-table/subcontracting';
import { subcontractingSchemas as s } from '../../shared/http/schemas/subcontracting';
import {
  getContract,
  listContracts,
  listContractsOfPrime,
  registerContract,
} from '../../shared/use-cases/subcontracting/contracts';
import { disputeLine, listDisputes } from '../../shared/use-cases/subcontracting/disputes';
import { getContractFigures } from '../../shared/use-cases/subcontracting/figures';
import { listSubcontractPayments } from '../../shared/use-cases/subcontracting/payments';
import { fileSpendReturn, getSpendReturn } from '../../shared/use-cases/subcontracting/spend-returns';
import { getSupplyChain, putSupplyChain } from '../../shared/use-cases/subcontracting/supply-chain';
import { spendReturnSubmission } from './spend-return-body';

// Idempotent routes; none public, so no token verification (jose) in the bundle.
const defineRoute = routesWith(subcontractingRoutes, { idempotency: idempotentWhenKeyPresent });

/** The repositories this module's use cases need, and no others: a smaller bundle. */
function repositories() {
  return {
    contracts: contractRepository(),
    providers: providerRepository(),
    memberships: membershipRepository(),
    subcontracting: subcontractingRepository(),
    publication: publicationRepository(),
    outbox: outboxWriter(),
  };
}

const PUT_RETURN = 'PUT /contracts/{id}/spend-returns/{period}';

export const handler = dispatch({
  'POST /contracts': defineRoute(
    'POST /contracts',
    s['POST /contracts'],
    async ({ principal, body, receivedAt }) =>
      json(201, await registerContract(repositories(), principal, body, receivedAt, config().rules)),
  ),
  'GET /contracts': defineRoute('GET /contracts', s['GET /contracts'], async ({ principal, query }) =>
    json(200, await listContracts(repositories(), principal, query)),
  ),
  'GET /contracts/{id}': defineRoute(
    'GET /contracts/{id}',
    s['GET /contracts/{id}'],
    async ({ principal, params }) => json(200, await getContract(repositories(), principal, params.id)),
  ),
  'GET /providers/{id}/contracts': defineRoute(
    'GET /providers/{id}/contracts',
    s['GET /providers/{id}/contracts'],
    async ({ principal, params, query }) =>
      json(200, await listContractsOfPrime(repositories(), principal, params.id, query)),
  ),
  'PUT /contracts/{id}/supply-chain': defineRoute(
    'PUT /contracts/{id}/supply-chain',
    s['PUT /contracts/{id}/supply-chain'],
    async ({ principal, params, body, receivedAt }) =>
      json(200, await putSupplyChain(repositories(), principal, params.id, body, receivedAt)),
  ),
  'GET /contracts/{id}/supply-chain': defineRoute(
    'GET /contracts/{id}/supply-chain',
    s['GET /contracts/{id}/supply-chain'],
    async ({ principal, params }) => json(200, await getSupplyChain(repositories(), principal, params.id)),
  ),
  // No body schema in the stack: JSON or CSV, read by the media type.
  [PUT_RETURN]: defineRoute(
    PUT_RETURN,
    { params: s[PUT_RETURN].params },
    async ({ principal, params, event, receivedAt }) => {
      const result = await fileSpendReturn(
        repositories(),
        principal,
        params.id,
        params.period,
        spendReturnSubmission(event),
        receivedAt,
        config().rules,
      );
      return json(result.created ? 201 : 200, result.spendReturn);
    },
  ),
  'GET /contracts/{id}/spend-returns/{period}': defineRoute(
    'GET /contracts/{id}/spend-returns/{period}',
    s['GET /contracts/{id}/spend-returns/{period}'],
    async ({ principal, params, query }) =>
      json(200, await getSpendReturn(repositories(), principal, params.id, params.period, query.version)),
  ),
  'GET /contracts/{id}/subcontracting': defineRoute(
    'GET /contracts/{id}/subcontracting',
    s['GET /contracts/{id}/subcontracting'],
    async ({ principal, params }) =>
      json(200, await getContractFigures(repositories(), principal, params.id, config().rules)),
  ),
  'POST /contracts/{id}/spend-returns/{period}/lines/{lineId}/disputes': defineRoute(
    'POST /contracts/{id}/spend-returns/{period}/lines/{lineId}/disputes',
    s['POST /contracts/{id}/spend-returns/{period}/lines/{lineId}/disputes'],
    async ({ principal, params, body, receivedAt }) =>
      json(
        201,
        await disputeLine(
          repositories(),
          principal,
          { contractId: params.id, period: params.period, lineId: params.lineId },
          body.reason,
          receivedAt,
        ),
      ),
  ),
  'GET /contracts/{id}/disputes': defineRoute(
    'GET /contracts/{id}/disputes',
    s['GET /contracts/{id}/disputes'],
    async ({ principal, params, query }) =>
      json(200, await listDisputes(repositories(), principal, params.id, query)),
  ),
  'GET /providers/{id}/subcontract-payments': defineRoute(
    'GET /providers/{id}/subcontract-payments',
    s['GET /providers/{id}/subcontract-payments'],
    async ({ principal, params, query }) =>
      json(200, await listSubcontractPayments(repositories(), principal, params.id, query)),
  ),
});
