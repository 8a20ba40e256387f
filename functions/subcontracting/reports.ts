/**
 * The national sub-contracting report: read-only, from the regional figure items maintained on write.
 */
import { config } from '../../shared/config';
import { subcontractingRepository } from '../../shared/db/repositories';
import { dispatch } from '../../shared/http/dispatch';
import { json } from '../../shared/http/response';
import { routesOf } from '../../shared/http/route';
import { subcontractingRoutes } from '../../shared/http/route-table/subcontracting';
import { subcontractingSchemas as s } from '../../shared/http/schemas/subcontracting';
import { getSubcontractingReport } from '../../shared/use-cases/subcontracting/figures';

const defineRoute = routesOf(subcontractingRoutes);

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
