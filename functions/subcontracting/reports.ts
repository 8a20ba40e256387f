/**
 * The national sub-contracting report: read-only, from the regional figure items maintained on write.
 */
import { config } from '../../shared/config';
import { subcontractingRepository } from '../../shared/db/repositories';
import { dispatch } from '../../shared/http/dispatch';
import { json } from '../../shared/http/response';
import { routesWith } from '../../shared/http/route-stack';
import { subcontractingRoutes } from '../../shared/http/route-table/subcontracting';
import { subcontractingSchemas as s } from '../../shared/http/schemas/subcontracting';
import { getSubcontractingReport } from '../../shared/use-cases/subcontracting/figures';

// No public or idempotent routes: neither optional middleware is bundled.
const defineRoute = routesWith(subcontractingRoutes, {});

/** The repositories this module's use cases need, and no others: a smaller bundle. */
function repositories() {
  return {
    subcontracting: subcontractingRepository(),
  };
}

export const handler = dispatch({
  'GET /reports/subcontracting': defineRoute(
    'GET /reports/subcontracting',
    s['GET /reports/subcontracting'],
    async ({ principal, query }) =>
      json(200, await getSubcontractingReport(repositories(), principal, query, config().rules)),
  ),
});
