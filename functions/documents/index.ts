/**
 * The lead's tender document uploads (issue 15): each call records a version (audited, through the wall)
 * and answers a presigned S3 PUT for its file alone. This function may put document files and read none;
 * listing and downloads are `downloads.ts`.
 */
import { config } from '../../shared/config';
import {
  auditRepository,
  competitionRepository,
  documentRepository,
  membershipRepository,
} from '../../shared/db/repositories';
import { dispatch } from '../../shared/http/dispatch';
import { idempotentWhenKeyPresent } from '../../shared/http/middleware/idempotency';
import { json } from '../../shared/http/response';
import { routesWith } from '../../shared/http/route-stack';
import { documentsRoutes } from '../../shared/http/route-table/documents';
import { documentSchemas as s } from '../../shared/http/schemas/documents';
import { documentStorage } from '../../shared/storage/documents';
import type { DocumentReadDeps } from '../../shared/use-cases/documents/common';
import { addDocument, addDocumentVersion } from '../../shared/use-cases/documents/upload-document';

// Idempotent routes; none public.
const defineRoute = routesWith(documentsRoutes, { idempotency: idempotentWhenKeyPresent });

// Handing out upload URLs makes no version current, so it publishes nothing: no publication repository
// (and no grant on its table); the confirmation function publishes.
function deps(): DocumentReadDeps {
  return {
    competitions: competitionRepository(),
    memberships: membershipRepository(),
    audit: auditRepository(),
    documents: documentRepository(),
    storage: documentStorage(),
  };
}

export const handler = dispatch({
  'POST /competitions/{id}/documents': defineRoute(
    'POST /competitions/{id}/documents',
    s['POST /competitions/{id}/documents'],
    async ({ principal, params, body, receivedAt }) =>
      json(201, await addDocument(deps(), principal, params.id, body, receivedAt, config().documents)),
  ),
  'POST /competitions/{id}/documents/{documentId}/versions': defineRoute(
    'POST /competitions/{id}/documents/{documentId}/versions',
    s['POST /competitions/{id}/documents/{documentId}/versions'],
    async ({ principal, params, body, receivedAt }) =>
      json(
        201,
        await addDocumentVersion(
          deps(),
          principal,
          params.id,
          params.documentId,
          body,
          receivedAt,
          config().documents,
        ),
      ),
  ),
});
