/**
 * `POST /competitions/{id}/documents` and `POST /competitions/{id}/documents/{documentId}/versions`: the
 * lead describes a file (name, type, size) and gets a presigned PUT for it. The version is recorded (and
 * audited) here, with its own object key, and the URL is signed for exactly that key, content type and
 * length: S3 refuses any other file, so the size and type checked here are the ones stored.
 */
import { ulid } from 'ulid';
import {
  type DocumentContentType,
  type DocumentKind,
  documentUploadIssues,
  MAX_DOCUMENTS_PER_COMPETITION,
} from '../../domain/documents';
import { InvalidStateError, NotFoundError, ValidationError } from '../../domain/errors';
import type { Principal } from '../../domain/principal';
import {
  authorizeDocumentChange,
  type DocumentDeps,
  type DocumentRules,
  objectKey,
  recordVersion,
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

function validate(input: DocumentUploadInput, rules: DocumentRules): void {
  const issues = documentUploadIssues(input, rules.maxBytes);
  if (issues.length > 0) throw new ValidationError(`The document has ${issues.length} problem(s).`, issues);
}

async function ticket(
  deps: DocumentDeps,
  competitionId: string,
  documentId: string,
  version: number,
  input: DocumentUploadInput,
  now: Date,
  rules: DocumentRules,
): Promise<UploadTicket> {
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

/** A new document: version 1. */
export async function addDocument(
  deps: DocumentDeps,
  principal: Principal,
  competitionId: string,
  input: DocumentUploadInput,
  now: Date,
  rules: DocumentRules,
): Promise<UploadTicket> {
  const { user, state } = await authorizeDocumentChange(deps, principal, competitionId, now);
  validate(input, rules);
  const existing = await deps.documents.current(competitionId);
  if (existing.length >= MAX_DOCUMENTS_PER_COMPETITION) {
    throw new InvalidStateError(
      `A competition can have at most ${MAX_DOCUMENTS_PER_COMPETITION} documents: upload a new version of one instead.`,
    );
  }
  const documentId = ulid(now.getTime());
  await recordVersion(
    deps,
    state.competition,
    user.sub,
    {
      documentId,
      existing: undefined,
      title: input.title,
      kind: input.kind,
      version: {
        version: 1,
        fileName: input.fileName,
        contentType: input.contentType as DocumentContentType,
        sizeBytes: input.sizeBytes,
        uploadedAt: now.toISOString(),
        uploadedBy: user.sub,
      },
    },
    now,
  );
  return ticket(deps, competitionId, documentId, 1, input, now, rules);
}

/** The next version of a document; the earlier ones stay. */
export async function addDocumentVersion(
  deps: DocumentDeps,
  principal: Principal,
  competitionId: string,
  documentId: string,
  input: DocumentUploadInput,
  now: Date,
  rules: DocumentRules,
): Promise<UploadTicket> {
  const { user, state } = await authorizeDocumentChange(deps, principal, competitionId, now);
  validate(input, rules);
  const existing = await deps.documents.get(competitionId, documentId);
  if (!existing) throw new NotFoundError(`No document ${documentId} in this competition.`);
  const version = existing.currentVersion + 1;
  await recordVersion(
    deps,
    state.competition,
    user.sub,
    {
      documentId,
      existing,
      title: input.title,
      kind: input.kind,
      version: {
        version,
        fileName: input.fileName,
        contentType: input.contentType as DocumentContentType,
        sizeBytes: input.sizeBytes,
        uploadedAt: now.toISOString(),
        uploadedBy: user.sub,
      },
    },
    now,
  );
  return ticket(deps, competitionId, documentId, version, input, now, rules);
}
