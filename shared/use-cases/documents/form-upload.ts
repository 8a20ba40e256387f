/**
 * Uploading a tender document from a web page without script (the commissioning documents page): the lead
 * says what the document is and its file type; this signs a browser POST form that sends the file straight
 * to S3 – for one object key (this upload's own), that content type, and at most the size limit, all
 * conditions S3 checks – and S3 sends the browser back to the page, which records the version once the file
 * is there (`recordFormUpload`), checked and copied to the version's own key as the JSON route's
 * confirmation does (`acceptUploadedFile`): a browser sends whatever file is chosen under the type chosen
 * before, so a file that is not of that type is refused there, and the form, which S3 accepts again for its
 * 15 minutes, cannot change the version afterwards. A file never passes through a Lambda function, and
 * nothing is recorded for an upload that did not happen.
 */
import { ulid } from 'ulid';
import type { StoredDocument } from '../../db/documents';
import {
  DOCUMENT_KINDS,
  type DocumentContentType,
  type DocumentKind,
  fileNameFor,
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
  acceptUploadedFile,
  authorizeDocumentChange,
  type DocumentDeps,
  type DocumentRules,
  fileKey,
  recordVersion,
  removeUpload,
  uploadKey,
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

/** One form upload as the page's return link carries it: which version, and the key its file went to. */
export interface FormUpload {
  documentId: string;
  version: number;
  title: string;
  kind: DocumentKind;
  contentType: DocumentContentType;
  /** The id of the upload's own object key (`documentKeys.upload`). */
  uploadId: string;
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
  redirectFor: (upload: FormUpload) => string,
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
  const contentType = request.contentType as DocumentContentType;
  // The upload's own key: two forms for the same number never write the same object, and the form, which
  // S3 takes again until it expires, never writes the key the version is read from.
  const uploadId = ulid(now.getTime());
  const form = await deps.storage.uploadForm(
    {
      key: uploadKey(competitionId, documentId, version, uploadId),
      contentType,
      maxBytes: rules.maxBytes,
      metadata: {},
      redirect: redirectFor({ documentId, version, title, kind, contentType, uploadId }),
    },
    { now, expiresSeconds: rules.uploadUrlSeconds },
  );
  return { documentId, version, title, kind, existing, competitionTitle: state.competition.title, form };
}

/**
 * Records a version uploaded through the form, once its file is in the bucket: its size and type are read
 * from S3 (they are what the form's signed conditions let through) and its first bytes must be of the type
 * chosen; the version is the copy the check made. Coming back to the page twice records it once.
 * @throws NotFoundError when no file was uploaded; UploadRejectedError when the file is not of the type
 *   chosen (it is removed: nothing is recorded); ConflictError when another version took its number
 */
export async function recordFormUpload(
  deps: DocumentDeps,
  principal: Principal,
  competitionId: string,
  upload: FormUpload,
  now: Date,
  rules: DocumentRules,
): Promise<{ document: TenderDocument; recorded: boolean }> {
  const { user, state } = await authorizeDocumentChange(deps, principal, competitionId, now);
  const [existing, taken] = await Promise.all([
    deps.documents.get(competitionId, upload.documentId),
    deps.documents.getVersion(competitionId, upload.documentId, upload.version),
  ]);
  const file = fileKey(competitionId, upload.documentId, upload.version, upload.uploadId);
  // Recorded already (coming back to the page again): nothing more. Another form's file recorded under the
  // same number is a clash, told as any other.
  if (existing && taken && !taken.pending && (taken.objectKey ?? file) === file)
    return { document: existing, recorded: false };
  // The number went to another upload meanwhile (an upload URL of the JSON route, or a later version).
  if (taken || upload.version <= (existing?.latestVersion ?? existing?.currentVersion ?? 0)) {
    throw new ConflictError('Another version of this document was uploaded meanwhile; upload yours again.');
  }
  const uploaded = uploadKey(competitionId, upload.documentId, upload.version, upload.uploadId);
  // The cap is checked again here: a form takes no number, so several prepared while one place was left
  // would otherwise all be recorded. Told early here; the count `recordVersion` moves in its transaction
  // holds it when two are recorded at the same instant.
  const documentsBefore = existing ? undefined : (await deps.documents.current(competitionId)).length;
  if (documentsBefore !== undefined && documentsBefore >= MAX_DOCUMENTS_PER_COMPETITION) {
    await removeUpload(deps, uploaded);
    throw new InvalidStateError(
      `A competition can have at most ${MAX_DOCUMENTS_PER_COMPETITION} documents: upload a new version of one instead.`,
    );
  }
  const stored = await acceptUploadedFile(
    deps,
    { upload: uploaded, file },
    { contentType: upload.contentType },
    rules,
  );
  if (!stored)
    throw new NotFoundError('No file arrived for this upload: choose the file and upload it again.');
  const { contentType } = stored;
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
        objectKey: stored.objectKey,
        ...(stored.etag ? { etag: stored.etag } : {}),
      },
      documentsBefore,
    },
    now,
  ).catch(async (error: unknown) => {
    // The last place went to another document meanwhile: nothing of this upload is kept, as when the early
    // check refuses it (its copy is no version's file: the transaction recorded nothing).
    if (error instanceof InvalidStateError)
      await Promise.all([removeUpload(deps, uploaded), removeUpload(deps, stored.objectKey)]);
    throw error;
  });
  await removeUpload(deps, uploaded);
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
