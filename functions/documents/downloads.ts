/**
 * A competition's tender documents with presigned downloads (issue 15): public once it is published, a
 * draft's to its insiders only (through the wall). This function may read document files and put none.
 */
import { config } from '../../shared/config';
import {
  auditRepository,
  competitionRepository,
  documentRepository,
  membershipRepository,
} from '../../shared/db/repositories';
import { dispatch } from '../../shared/http/dispatch';
import { optionalToken } from '../../shared/http/middleware/optional-token';
import { json } from '../../shared/http/response';
import { routesWith } from '../../shared/http/route-stack';
import { documentsRoutes } from '../../shared/http/route-table/documents';
import { documentSchemas as s } from '../../shared/http/schemas/documents';
import { documentStorage } from '../../shared/storage/documents';
import { listDocuments } from '../../shared/use-cases/documents/list-documents';

// A public route (a token, when sent, still identifies an insider reading a draft's documents).
const defineRoute = routesWith(documentsRoutes, { optionalToken });

export const handler = dispatch({
  'GET /competitions/{id}/documents': defineRoute(
    'GET /competitions/{id}/documents',
    s['GET /competitions/{id}/documents'],
    async ({ principal, params, receivedAt }) =>
      json(
        200,
        await listDocuments(
          {
            competitions: competitionRepository(),
            memberships: membershipRepository(),
            audit: auditRepository(),
            documents: documentRepository(),
            // Listing writes no notification; the type asks for the repository, which is built lazily.
            storage: documentStorage(),
          },
          principal,
          params.id,
          receivedAt,
          config().documents,
        ),
      ),
  ),
});
