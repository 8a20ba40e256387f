/**
 * Provider side of pre-qualification. Least privilege: it may put responses into the sealed table but not
 * read them, and append to the audit log without reading it.
 */
import { repositories } from '../../shared/db/repositories';
import { dispatch } from '../../shared/http/dispatch';
import { json } from '../../shared/http/response';
import { defineRoute } from '../../shared/http/route';
import { prequalificationSchemas as s } from '../../shared/http/schemas/prequalification';
import { submitResponse } from '../../shared/use-cases/prequalification/submit-response';

export const handler = dispatch({
  'POST /competitions/{id}/prequalification-responses': defineRoute(
    'POST /competitions/{id}/prequalification-responses',
    s['POST /competitions/{id}/prequalification-responses'],
    async ({ principal, params, body, receivedAt }) =>
      json(201, await submitResponse(repositories(), principal, params.id, body, receivedAt)),
  ),
});
