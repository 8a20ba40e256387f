/**
 * Provider side of pre-qualification. Least privilege: this function's own role cannot touch the sealed
 * table or the audit log; each request puts its applicant's own response (and connection markers and the
 * audit event) with credentials for that applicant alone (`shared/db/provider-data.ts`), and can read none
 * of it back.
 */
import { providerData } from '../../shared/db/provider-data';
import { repositories as allRepositories } from '../../shared/db/repositories';
import { dispatch } from '../../shared/http/dispatch';
import { json } from '../../shared/http/response';
import { defineRoute } from '../../shared/http/route';
import { prequalificationSchemas as s } from '../../shared/http/schemas/prequalification';
import { submitResponse } from '../../shared/use-cases/prequalification/submit-response';

/** Registry and competition reads on the function's own credentials; the response per applicant. */
function repositories() {
  const all = allRepositories();
  return {
    competitions: all.competitions,
    providers: all.providers,
    memberships: all.memberships,
    accreditations: all.accreditations,
    providerData: providerData(() => all),
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
