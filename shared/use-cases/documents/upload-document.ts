/**
 * `POST /competitions/{id}/documents` and `POST /competitions/{id}/documents/{documentId}/versions`: the
 * lead describes a file (name, type, size) and gets a presigned PUT for it; then
 * `POST /competitions/{id}/documents/{documentId}/versions/{version}/confirm` once the file is uploaded.
 *
 * Handing out the URL takes the version's number and records it pending (audited): the URL is signed for
 * exactly that upload's own object key, content type and length, so S3 refuses any other file. The version
 * is made current only by the confirmation, which finds the file in the bucket (HeadObject) first, checks
 * it against what was declared, and copies it to the version's file, a key no URL is signed for
 * (`acceptUploadedFile`): an upload never made leaves no version that cannot be downloaded, no bid records
 * it or bidder is told of it, and the URL, still working for its 15 minutes, cannot change the version.
 */
import { ulid } from 'ulid';
import type { PendingVersion, StoredDocument } from '../../db/documents';
import {
  type DocumentContentType,
  type DocumentKind,
  documentUploadIssues,
  MAX_DOCUMENTS_PER_COMPETITION,
  type TenderDocument,
  UploadRejectedError,
  uploadRejectionMessage,
} from '../../domain/documents';
import { ConflictError, InvalidStateError, NotFoundError, ValidationError } from '../../domain/errors';
import type { Principal } from '../../domain/principal';
import { recordChange } from '../competitions/wall';
import {
  acceptUploadedFile,
  authorizeDocumentChange,
  type DocumentDeps,
  type DocumentReadDeps,
  type DocumentRules,
  fileKey,
  objectKey,
  recordVersion,
  removeUpload,
  reserveVersion,
  uploadKey,
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
  deps: DocumentReadDeps,
  state: Awaited<ReturnType<typeof authorizeDocumentChange>>,
  documentId: string,
  version: number,
  previous: StoredDocument | undefined,
  input: DocumentUploadInput,
  now: Date,
  rules: DocumentRules,
): Promise<UploadTicket> {
  const competitionId = state.state.competition.id;
  // The upload's own key: its URL never reaches the key the confirmed version is read from.
  const uploadId = ulid(now.getTime());
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
    uploadId,
  };
  // The number is taken before any URL for its key exists: no URL can write a version someone else took.
  await reserveVersion(deps, state.state.competition, state.user.sub, pending, previous, now);
  const { url, expiresAt } = await deps.storage.uploadUrl(
    {
      key: uploadKey(competitionId, documentId, version, uploadId),
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
async function documentsCounted(deps: DocumentReadDeps, competitionId: string, now: Date): Promise<number> {
  const { documents, pending } = await deps.documents.listWithPending(competitionId);
  const known = new Set(documents.map((d) => d.documentId));
  const arriving = pending.filter(
    (p) => p.version === 1 && !known.has(p.documentId) && Date.parse(p.uploadExpiresAt) > now.getTime(),
  );
  return documents.length + new Set(arriving.map((p) => p.documentId)).size;
}

/** A new document: version 1, pending until its file is uploaded and confirmed. */
export async function addDocument(
  deps: DocumentReadDeps,
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
  deps: DocumentReadDeps,
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
 * bucket, the pending version becomes current (audited, released to the OCDS feed once the competition is
 * published; the organisations taking part are told). The file must be the one declared – its size and
 * type as S3 stored them, and its first bytes those of its type – and the version becomes the copy of it
 * the check made (`acceptUploadedFile`). Confirming a version already current answers it again and changes
 * nothing.
 * @throws NotFoundError when no such version was handed out; InvalidStateError when its file has not
 *   arrived; UploadRejectedError (400) when the file is not the one declared: it is removed and the version
 *   stays pending; ConflictError when a later version is current already; DeadlinePassedError after the
 *   deadline
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
  // A new document's upload may have been handed out while a web form's document took the last place:
  // told early here, and held by the count `recordVersion` moves in its transaction.
  const documentsBefore = existing ? undefined : (await deps.documents.current(competitionId)).length;
  if (documentsBefore !== undefined && documentsBefore >= MAX_DOCUMENTS_PER_COMPETITION) {
    throw new InvalidStateError(
      `A competition can have at most ${MAX_DOCUMENTS_PER_COMPETITION} documents: discard this upload and upload a new version of one instead.`,
    );
  }
  // A version handed out before uploads had keys of their own was written to the version's old key.
  const upload = stored.uploadId
    ? uploadKey(competitionId, documentId, version, stored.uploadId)
    : objectKey(competitionId, documentId, version);
  let object: Awaited<ReturnType<typeof acceptUploadedFile>>;
  try {
    object = await acceptUploadedFile(
      deps,
      { upload, file: fileKey(competitionId, documentId, version, stored.uploadId ?? ulid(now.getTime())) },
      { contentType: stored.contentType, sizeBytes: stored.sizeBytes },
      rules,
    );
  } catch (error) {
    // Said on the pending version, so the lead's documents page tells why it is still not finished.
    if (error instanceof UploadRejectedError)
      await deps.documents.recordProblem(competitionId, documentId, version, error.reason);
    throw error;
  }
  if (!object) {
    const refused = stored.problem
      ? ` (the last file uploaded was refused: ${uploadRejectionMessage(stored.problem, stored, rules.maxBytes)})`
      : '';
    throw new InvalidStateError(
      Date.parse(stored.uploadExpiresAt) > now.getTime()
        ? `The file of version ${version} has not arrived${refused}: PUT it to the upload URL, then confirm it.`
        : `The file of version ${version} never arrived${refused} and its upload URL has expired: ask for a new upload URL.`,
    );
  }
  const current = {
    version,
    fileName: stored.fileName,
    contentType: object.contentType,
    sizeBytes: object.sizeBytes,
    uploadedAt: now.toISOString(),
    uploadedBy: stored.uploadedBy,
    objectKey: object.objectKey,
    ...(object.etag ? { etag: object.etag } : {}),
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
      documentsBefore,
    },
    now,
  );
  if (stored.uploadId) await removeUpload(deps, upload);
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

/**
 * Discards a version handed out for upload and not confirmed (the lead's documents page, for an upload
 * abandoned or refused): its pending item goes (audited), its uploaded object if any, and it stops
 * counting towards the documents a competition may have. Its number stays taken, so no other file is
 * ever given it (a URL still working for it writes only its own upload key, which nothing reads).
 * @throws NotFoundError when no such upload was handed out; InvalidStateError when it is current already
 */
export async function discardUpload(
  deps: DocumentDeps,
  principal: Principal,
  competitionId: string,
  documentId: string,
  version: number,
  now: Date,
): Promise<void> {
  const { user } = await authorizeDocumentChange(deps, principal, competitionId, now);
  const stored = await deps.documents.getVersion(competitionId, documentId, version);
  if (!stored) throw new NotFoundError(`No upload of version ${version} of document ${documentId}.`);
  if (!stored.pending)
    throw new InvalidStateError(`Version ${version} is published already: it cannot be discarded.`);
  const at = now.toISOString();
  await recordChange(
    deps,
    competitionId,
    {
      at,
      actor: user.sub,
      action: 'document.discard',
      resource: `documents/${documentId}/versions/${version}`,
    },
    {
      items: deps.documents.discardItems(competitionId, documentId, version),
      onRefused: () =>
        new ConflictError('The upload was confirmed or discarded meanwhile; reload the documents.'),
    },
  );
  if (stored.uploadId)
    await removeUpload(deps, uploadKey(competitionId, documentId, version, stored.uploadId));
}
