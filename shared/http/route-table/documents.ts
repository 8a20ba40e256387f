/**
 * Tender document routes (issue 15). Part of the route table (`shared/http/routes.ts`).
 *
 * Three functions, so that each holds only the S3 permission it needs: `documents` (the lead's uploads) may
 * put upload keys and not read anything; `documentConfirmations` (making an uploaded version current, once
 * its file is found, checked and copied to the version's own key) may read, write the copies, and delete
 * uploads, and is the one that publishes the version's OCDS release; `documentDownloads` (the listing with
 * presigned GETs) may only read. All face the inside: uploading and confirming are inside actions through the wall, and a draft's
 * documents are listed to its insiders only (who they are needs the connection markers); once published, the
 * listing is public.
 */
import type { FunctionSpec, RouteSpec } from '../route-types';

/** Functions of this context. */
export const documentsFunctions = {
  documents: {
    entry: 'functions/documents/index.ts',
    description:
      "The lead's tender document uploads: takes each version's number, pending (audited), and answers a presigned S3 PUT for its upload's own key.",
    // The competition and the document metadata (procurement); connection markers (sealed, read: the wall,
    // and who is told of a change); memberships and the notifications written (registry); audit appends.
    tables: { procurement: 'readWrite', sealed: 'read', registry: 'readWrite', audit: 'append' },
    documentsBucket: 'upload',
    facing: 'inside',
  },
  documentConfirmations: {
    entry: 'functions/documents/confirm.ts',
    description:
      "Makes an uploaded tender document version current once its file is in the bucket, checked against what was declared and copied to the version's own key: audited, released to the OCDS feed once published, and the organisations taking part told.",
    // As `documents` (the wall, the metadata, who is told, the notifications, audit appends), and the
    // OCDS release of a published competition's new version (publication, issue 16), in the same
    // transaction, with its outbox event (issue 17: the delivery tells the organisations taking part). On
    // the files: reads them (HeadObject, the first bytes), writes the version's copy, and deletes the
    // upload (refused or copied); the upload function never reads a document.
    tables: {
      procurement: 'readWrite',
      sealed: 'read',
      registry: 'readWrite',
      audit: 'append',
      publication: 'readWrite',
      outbox: 'enqueue',
    },
    documentsBucket: 'confirm',
    facing: 'inside',
  },
  documentDownloads: {
    entry: 'functions/documents/downloads.ts',
    description:
      "Lists a competition's tender documents with every version and short-lived presigned S3 GETs: public once published, insiders only before.",
    // The competition and document metadata (procurement, read); for a draft, the wall: connection markers
    // (sealed, read) and memberships (registry, read); a refused or allowed read of a draft's documents is
    // audited.
    tables: { procurement: 'read', sealed: 'read', registry: 'read', audit: 'append' },
    documentsBucket: 'download',
    facing: 'inside',
  },
} as const satisfies Record<string, FunctionSpec>;

/** Routes of this context. */
export const documentsRoutes = [
  {
    method: 'POST',
    path: '/competitions/{id}/documents',
    function: 'documents',
    access: ['commissioner'],
    summary:
      'Add a tender document (lead, until the tender deadline): version 1 is recorded and a presigned S3 PUT for its file answered',
    tag: 'documents',
    idempotent: true,
  },
  {
    method: 'POST',
    path: '/competitions/{id}/documents/{documentId}/versions',
    function: 'documents',
    access: ['commissioner'],
    summary:
      'Upload the next version of a tender document (lead, until the tender deadline); earlier versions stay downloadable',
    tag: 'documents',
    idempotent: true,
  },
  {
    method: 'POST',
    path: '/competitions/{id}/documents/{documentId}/versions/{version}/confirm',
    function: 'documentConfirmations',
    access: ['commissioner'],
    summary:
      'Confirm an upload (lead, until the tender deadline): once its file is in the bucket the version becomes current, listed and recorded by bids submitted after',
    tag: 'documents',
    idempotent: true,
  },
  {
    method: 'GET',
    path: '/competitions/{id}/documents',
    function: 'documentDownloads',
    access: 'public',
    summary:
      "A competition's tender documents, every version with a short-lived download URL (public once published; a draft's to its insiders)",
    tag: 'documents',
  },
] as const satisfies readonly RouteSpec[];
