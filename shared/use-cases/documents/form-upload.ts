/**
 * Uploading a tender document from a web page without script (the commissioning documents page): the lead
 * says what the document is and its file type; this signs a browser POST form that sends the file straight
 * to S3 – for one object key (the next version's), that content type, and at most the size limit, all
 * conditions S3 checks – and S3 sends the browser back to the page, which records the version once the file
 * is there (`recordFormUpload`). A file never passes through a Lambda function, and nothing is recorded for
 * an upload that did not happen.
 */
import { ulid } from 'ulid';
import type { StoredDocument } from '../../db/documents';
import {
  DOCUMENT_CONTENT_TYPE_LIST,
  DOCUMENT_KINDS,
  type DocumentKind,
  fileNameFor,
  formatBytes,
  isDocumentContentType,
  MAX_DOCUMENTS_PER_COMPETITION,
  type TenderDocument,
} from '../../domain/documents';
import {
  ConflictError,
  type FieldIssue,
  InvalidStateError,
  NotFoundError,
  ValidationError,
} from '../../domain/errors';
import type { Principal } from '../../domain/principal';
import type { PresignedForm } from '../../storage/documents';
import {
  authorizeDocumentChange,
  type DocumentDeps,
  type DocumentRules,
  objectKey,
  recordVersion,
} from './common';

/** The longest title (as the JSON route's schema). */
const MAX_TITLE = 200;

/** What the lead says about the file to upload. */
export interface FormUploadRequest {
  /** The document a new version is for; absent for a new document. */
  documentId?: string | undefined;
  title: string;
  kind: string;
  contentType: string;
}

/** The upload about to happen: which version of which document, and the form that sends its file. */
export interface PreparedUpload {
  documentId: string;
  version: number;
  title: string;
  kind: DocumentKind;
  existing: TenderDocument | undefined;
  competitionTitle: string;
  form: PresignedForm;
}

/** The problems of an upload request, every one listed (paths are the page's field names). */
export function formUploadIssues(request: FormUploadRequest): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (request.title.trim() === '') issues.push({ path: 'title', message: 'Enter a title for the document' });
  else if (request.title.length > MAX_TITLE)
    issues.push({ path: 'title', message: `The title must be ${MAX_TITLE} characters or fewer` });
  if (!(DOCUMENT_KINDS as readonly string[]).includes(request.kind))
    issues.push({ path: 'kind', message: 'Select what kind of document it is' });
  if (!isDocumentContentType(request.contentType))
    issues.push({ path: 'contentType', message: 'Select the type of file' });
  return issues;
}

/**
 * Checks the lead may change the documents now and signs the upload form for the next version.
 * @param redirectFor where S3 sends the browser after the upload (an absolute URL of the service)
 */
export async function prepareFormUpload(
  deps: DocumentDeps,
  principal: Principal,
  competitionId: string,
  request: FormUploadRequest,
  now: Date,
  rules: DocumentRules,
  redirectFor: (upload: { documentId: string; version: number; title: string; kind: DocumentKind }) => string,
): Promise<PreparedUpload> {
  const { state } = await authorizeDocumentChange(deps, principal, competitionId, now);
  const issues = formUploadIssues(request);
  if (issues.length > 0) throw new ValidationError(`The document has ${issues.length} problem(s).`, issues);
  let existing: StoredDocument | undefined;
  let documentId: string;
  if (request.documentId) {
    existing = await deps.documents.get(competitionId, request.documentId);
    if (!existing) throw new NotFoundError(`No document ${request.documentId} in this competition.`);
    documentId = existing.documentId;
  } else {
    if ((await deps.documents.current(competitionId)).length >= MAX_DOCUMENTS_PER_COMPETITION) {
      throw new InvalidStateError(
        `A competition can have at most ${MAX_DOCUMENTS_PER_COMPETITION} documents: upload a new version of one instead.`,
      );
    }
    documentId = ulid(now.getTime());
  }
  // The number after the last one taken (an upload URL of the JSON route may hold the one after current).
  const version = (existing?.latestVersion ?? existing?.currentVersion ?? 0) + 1;
  const title = request.title.trim();
  const kind = request.kind as DocumentKind;
  const form = await deps.storage.uploadForm(
    {
      key: objectKey(competitionId, documentId, version),
      contentType: request.contentType,
      maxBytes: rules.maxBytes,
      metadata: {},
      redirect: redirectFor({ documentId, version, title, kind }),
    },
    { now, expiresSeconds: rules.uploadUrlSeconds },
  );
  return { documentId, version, title, kind, existing, competitionTitle: state.competition.title, form };
}

/**
 * Records a version uploaded through the form, once its file is in the bucket: its size and type are read
 * from S3 (they are what the form's signed conditions let through). Coming back to the page twice records
 * it once.
 * @throws NotFoundError when no file was uploaded; ConflictError when another version took its number
 */
export async function recordFormUpload(
  deps: DocumentDeps,
  principal: Principal,
  competitionId: string,
  upload: { documentId: string; version: number; title: string; kind: DocumentKind },
  now: Date,
  rules: DocumentRules,
): Promise<{ document: TenderDocument; recorded: boolean }> {
  const { user, state } = await authorizeDocumentChange(deps, principal, competitionId, now);
  const [existing, taken] = await Promise.all([
    deps.documents.get(competitionId, upload.documentId),
    deps.documents.getVersion(competitionId, upload.documentId, upload.version),
  ]);
  // Recorded already (coming back to the page again): nothing more.
  if (existing && taken && !taken.pending) return { document: existing, recorded: false };
  // The number went to another upload meanwhile (an upload URL of the JSON route, or a later version).
  if (taken || upload.version <= (existing?.latestVersion ?? existing?.currentVersion ?? 0)) {
    throw new ConflictError('Another version of this document was uploaded meanwhile; upload yours again.');
  }
  const stored = await deps.storage.head(objectKey(competitionId, upload.documentId, upload.version));
  if (!stored)
    throw new NotFoundError('No file arrived for this upload: choose the file and upload it again.');
  const contentType = stored.contentType ?? '';
  // The form's signed conditions already held these; checked again so nothing off the list is recorded.
  if (!isDocumentContentType(contentType) || stored.sizeBytes < 1 || stored.sizeBytes > rules.maxBytes) {
    throw new ValidationError('The uploaded file cannot be published.', [
      {
        path: 'file',
        message: `The file must be one of ${DOCUMENT_CONTENT_TYPE_LIST.length} types and ${formatBytes(rules.maxBytes)} or smaller`,
      },
    ]);
  }
  const document = await recordVersion(
    deps,
    state.competition,
    user.sub,
    {
      documentId: upload.documentId,
      existing,
      title: existing && !upload.title ? existing.title : upload.title,
      kind: upload.kind,
      version: {
        version: upload.version,
        fileName: fileNameFor(upload.title || existing?.title || 'document', contentType),
        contentType,
        sizeBytes: stored.sizeBytes,
        uploadedAt: now.toISOString(),
        uploadedBy: user.sub,
      },
    },
    now,
  );
  return { document, recorded: true };
}

/**
 * The new version form of one document: for whoever may change the documents now (the lead, through the
 * wall, before the tender deadline).
 * @throws NotFoundError when the competition has no such document
 */
export async function documentForNewVersion(
  deps: DocumentDeps,
  principal: Principal,
  competitionId: string,
  documentId: string,
  now: Date,
): Promise<{ competitionTitle: string; document: TenderDocument }> {
  const { state } = await authorizeDocumentChange(deps, principal, competitionId, now);
  const document = await deps.documents.get(competitionId, documentId);
  if (!document) throw new NotFoundError(`No document ${documentId} in this competition.`);
  return { competitionTitle: state.competition.title, document };
}
