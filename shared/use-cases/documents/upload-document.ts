/**
 * `POST /competitions/{id}/documents` and `POST /competitions/{id}/documents/{documentId}/versions`: the
 * lead describes a file (name, type, size) and gets a presigned PUT for it; then
 * `POST /competitions/{id}/documents/{documentId}/versions/{version}/confirm` once the file is uploaded.
 *
 * Handing out the URL takes the version's number and records it pending (audited): the URL is signed for
 * exactly that version's object key, content type and length, so S3 refuses any other file. The version is
 * made current only by the confirmation, which finds the file in the bucket (HeadObject) first: an upload
 * never made leaves no version that cannot be downloaded, and no bid records it or bidder is told of it.
 */
import { ulid } from 'ulid';
import type { PendingVersion, StoredDocument } from '../../db/documents';
import {
  type DocumentContentType,
  type DocumentKind,
  documentUploadIssues,
  isDocumentContentType,
  MAX_DOCUMENTS_PER_COMPETITION,
  type TenderDocument,
} from '../../domain/documents';
import { ConflictError, InvalidStateError, NotFoundError, ValidationError } from '../../domain/errors';
import type { Principal } from '../../domain/principal';
import {
  authorizeDocumentChange,
  type DocumentDeps,
  type DocumentRules,
  objectKey,
  recordVersion,
  reserveVersion,
} from './common';

/** The body of both routes. */
export interface DocumentUploadInput {
  title: string;
  kind: DocumentKind;
  fileName: string;
  contentType: string;
  sizeBytes: number;
}

/** What the lead gets back: the version and where to PUT its file. */
export interface UploadTicket {
  documentId: string;
  version: number;
  uploadUrl: string;
  expiresAt: string;
}

/** A version made current by its confirmation. */
export interface ConfirmedVersion {
  documentId: string;
  title: string;
  kind: DocumentKind;
  version: number;
  status: 'current';
  fileName: string;
  contentType: string;
  sizeBytes: number;
  uploadedAt: string;
}

function validate(input: DocumentUploadInput, rules: DocumentRules): void {
  const issues = documentUploadIssues(input, rules.maxBytes);
  if (issues.length > 0) throw new ValidationError(`The document has ${issues.length} problem(s).`, issues);
}

/** Takes `version` of `documentId` pending and answers the URL its file goes to. */
async function ticket(
  deps: DocumentDeps,
  state: Awaited<ReturnType<typeof authorizeDocumentChange>>,
  documentId: string,
  version: number,
  previous: StoredDocument | undefined,
  input: DocumentUploadInput,
  now: Date,
  rules: DocumentRules,
): Promise<UploadTicket> {
  const competitionId = state.state.competition.id;
  const pending: PendingVersion = {
    documentId,
    title: input.title,
    kind: input.kind,
    version,
    fileName: input.fileName,
    contentType: input.contentType as DocumentContentType,
    sizeBytes: input.sizeBytes,
    uploadedAt: now.toISOString(),
    uploadedBy: state.user.sub,
    uploadExpiresAt: new Date(now.getTime() + rules.uploadUrlSeconds * 1000).toISOString(),
  };
  // The number is taken before any URL for its key exists: no URL can write a version someone else took.
  await reserveVersion(deps, state.state.competition, state.user.sub, pending, previous, now);
  const { url, expiresAt } = await deps.storage.uploadUrl(
    {
      key: objectKey(competitionId, documentId, version),
      contentType: input.contentType,
      sizeBytes: input.sizeBytes,
    },
    { now, expiresSeconds: rules.uploadUrlSeconds },
  );
  return { documentId, version, uploadUrl: url, expiresAt };
}

/**
 * How many documents the competition has or may soon have: those with a current version, and new ones
 * whose upload URL still works (an abandoned one stops counting once its URL has expired).
 */
async function documentsCounted(deps: DocumentDeps, competitionId: string, now: Date): Promise<number> {
  const { documents, pending } = await deps.documents.listWithPending(competitionId);
  const known = new Set(documents.map((d) => d.documentId));
  const arriving = pending.filter(
    (p) => p.version === 1 && !known.has(p.documentId) && Date.parse(p.uploadExpiresAt) > now.getTime(),
  );
  return documents.length + new Set(arriving.map((p) => p.documentId)).size;
}

/** A new document: version 1, pending until its file is uploaded and confirmed. */
export async function addDocument(
  deps: DocumentDeps,
  principal: Principal,
  competitionId: string,
  input: DocumentUploadInput,
  now: Date,
  rules: DocumentRules,
): Promise<UploadTicket> {
  const authorized = await authorizeDocumentChange(deps, principal, competitionId, now);
  validate(input, rules);
  if ((await documentsCounted(deps, competitionId, now)) >= MAX_DOCUMENTS_PER_COMPETITION) {
    throw new InvalidStateError(
      `A competition can have at most ${MAX_DOCUMENTS_PER_COMPETITION} documents: upload a new version of one instead.`,
    );
  }
  return ticket(deps, authorized, ulid(now.getTime()), 1, undefined, input, now, rules);
}

/**
 * The next version of a document, pending until its file is uploaded and confirmed; the earlier ones stay.
 * Its number follows the last one handed out, so an abandoned upload's number is never given to another
 * file (a URL still working for it could otherwise replace that file).
 */
export async function addDocumentVersion(
  deps: DocumentDeps,
  principal: Principal,
  competitionId: string,
  documentId: string,
  input: DocumentUploadInput,
  now: Date,
  rules: DocumentRules,
): Promise<UploadTicket> {
  const authorized = await authorizeDocumentChange(deps, principal, competitionId, now);
  validate(input, rules);
  const existing = await deps.documents.get(competitionId, documentId);
  if (!existing) {
    const first = await deps.documents.getVersion(competitionId, documentId, 1);
    if (first?.pending) {
      throw new InvalidStateError(
        'Version 1 of this document is not confirmed yet: upload its file and confirm it before adding another version.',
      );
    }
    throw new NotFoundError(`No document ${documentId} in this competition.`);
  }
  const version = (existing.latestVersion ?? existing.currentVersion) + 1;
  return ticket(deps, authorized, documentId, version, existing, input, now, rules);
}

/**
 * `POST /competitions/{id}/documents/{documentId}/versions/{version}/confirm`: once the file is in the
 * bucket, the pending version becomes current (audited; the organisations taking part are told). Its size
 * and type are read from S3 – what the presigned PUT let through – and checked again. Confirming a version
 * already current answers it again and changes nothing.
 * @throws NotFoundError when no such version was handed out; InvalidStateError when its file has not
 *   arrived; ConflictError when a later version is current already; DeadlinePassedError after the deadline
 */
export async function confirmUpload(
  deps: DocumentDeps,
  principal: Principal,
  competitionId: string,
  documentId: string,
  version: number,
  now: Date,
  rules: DocumentRules,
): Promise<ConfirmedVersion> {
  const { user, state } = await authorizeDocumentChange(deps, principal, competitionId, now);
  const [stored, existing] = await Promise.all([
    deps.documents.getVersion(competitionId, documentId, version),
    deps.documents.get(competitionId, documentId),
  ]);
  if (!stored) throw new NotFoundError(`No upload of version ${version} of document ${documentId}.`);
  if (!stored.pending) {
    if (!existing) throw new NotFoundError(`No document ${documentId} in this competition.`);
    return confirmed(existing, stored);
  }
  if (existing && existing.currentVersion > version) {
    throw new ConflictError(
      `Version ${existing.currentVersion} of this document is current already: upload this file again as a new version.`,
    );
  }
  const object = await deps.storage.head(objectKey(competitionId, documentId, version));
  if (!object) {
    throw new InvalidStateError(
      Date.parse(stored.uploadExpiresAt) > now.getTime()
        ? `The file of version ${version} has not arrived: PUT it to the upload URL, then confirm it.`
        : `The file of version ${version} never arrived and its upload URL has expired: ask for a new upload URL.`,
    );
  }
  const contentType = object.contentType ?? '';
  // The presigned PUT was signed for the declared type and length; checked again so nothing else is published.
  if (!isDocumentContentType(contentType) || object.sizeBytes < 1 || object.sizeBytes > rules.maxBytes) {
    throw new InvalidStateError('The uploaded file is not one that can be published.');
  }
  const current = {
    version,
    fileName: stored.fileName,
    contentType,
    sizeBytes: object.sizeBytes,
    uploadedAt: now.toISOString(),
    uploadedBy: stored.uploadedBy,
  };
  const document = await recordVersion(
    deps,
    state.competition,
    user.sub,
    {
      documentId,
      existing,
      title: stored.title,
      kind: stored.kind,
      version: current,
      confirming: true,
    },
    now,
  );
  return confirmed(document, current);
}

function confirmed(
  document: TenderDocument,
  version: { version: number; fileName: string; contentType: string; sizeBytes: number; uploadedAt: string },
): ConfirmedVersion {
  return {
    documentId: document.documentId,
    title: document.title,
    kind: document.kind,
    version: version.version,
    status: 'current',
    fileName: version.fileName,
    contentType: version.contentType,
    sizeBytes: version.sizeBytes,
    uploadedAt: version.uploadedAt,
  };
}
