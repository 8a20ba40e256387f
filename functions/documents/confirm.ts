/**
 * Confirming a tender document upload (issue 15): once the lead's file is in the bucket, the version handed
 * out pending becomes current (audited, through the wall) and the organisations taking part are told. This
 * function may read document files' metadata (HeadObject needs `s3:GetObject`) and put none: the upload
 * function, which signs the PUTs, reads no document.
 */
import { config } from '../../shared/config';
import {
  auditRepository,
  competitionRepository,
  documentRepository,
  membershipRepository,
  outboxWriter,
  publicationRepository,
} from '../../shared/db/repositories';
import { dispatch } from '../../shared/http/dispatch';
import { idempotentWhenKeyPresent } from '../../shared/http/middleware/idempotency';
import { json } from '../../shared/http/response';
import { routesWith } from '../../shared/http/route-stack';
import { documentsRoutes } from '../../shared/http/route-table/documents';
import { documentSchemas as s } from '../../shared/http/schemas/documents';
import { documentStorage } from '../../shared/storage/documents';
import { confirmUpload } from '../../shared/use-cases/documents/upload-document';

// Idempotent (and so is confirming itself: a version current already is answered again); not public.
const defineRoute = routesWith(documentsRoutes, { idempotency: idempotentWhenKeyPresent });

const ROUTE = 'POST /competitions/{id}/documents/{documentId}/versions/{version}/confirm';

export const handler = dispatch({
  [ROUTE]: defineRoute(ROUTE, s[ROUTE], async ({ principal, params, receivedAt }) =>
    json(
      200,
      await confirmUpload(
        {
          competitions: competitionRepository(),
          memberships: membershipRepository(),
          audit: auditRepository(),
          documents: documentRepository(),
          storage: documentStorage(),
          // The OCDS release of a new version of a published competition's document (issue 16).
          publication: publicationRepository(),
          outbox: outboxWriter(),
        },
        principal,
        params.id,
        params.documentId,
        params.version,
        receivedAt,
        config().documents,
      ),
    ),
  ),
});
