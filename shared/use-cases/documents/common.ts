/**
 * What the tender document use cases share: their dependencies and settings, the lead's permission to
 * change documents (through the wall, refusals audited), taking a version number for an upload (pending),
 * checking an uploaded file and copying it to the version's own key (`acceptUploadedFile`), and making a
 * version current with its audit event and, once the competition is published, its OCDS `tenderAmendment`
 * release (issue 16) and its `document-changed` outbox event (issue 17) in the same transaction, which tells
 * the organisations taking part.
 */
import { ulid } from 'ulid';
import type { CompetitionState } from '../../db/competitions';
import type { DocumentRepository, PendingVersion } from '../../db/documents';
import { documentKeys } from '../../db/keys';
import type { OutboxRepository } from '../../db/outbox';
import type { Competition } from '../../domain/competitions';
import { govukDateTime } from '../../domain/dates';
import {
  assertDocumentsChangeable,
  type DocumentContentType,
  type DocumentKind,
  type DocumentVersion,
  documentsArePublic,
  FILE_SIGNATURE_BYTES,
  fileMatchesType,
  MAX_DOCUMENTS_PER_COMPETITION,
  type TenderDocument,
  UploadRejectedError,
  type UploadRejection,
  uploadRejectionMessage,
} from '../../domain/documents';
import { ConflictError, DeadlinePassedError, InvalidStateError } from '../../domain/errors';
import type { OutboxEvent } from '../../domain/notifications/outbox';
import { subjectLine } from '../../domain/notifications/subject-line';
import type { Principal, UserPrincipal } from '../../domain/principal';
import { publicTenderFacts } from '../../domain/publication/projection';
import { tenderAmendmentRelease } from '../../domain/publication/releases';
import { failureReporter } from '../../failure-reporter';
import { type DocumentStorage, ObjectChangedError } from '../../storage/documents';
import { loadCompetitionState, passWall, recordChange, type WallDeps } from '../competitions/wall';
import { commitWithReleases, type PublicationDeps } from '../publication/publish';

/** What the use cases that only read documents need (listing them: no release is ever written). */
export interface DocumentReadDeps extends WallDeps {
  documents: DocumentRepository;
  storage: DocumentStorage;
}

/**
 * What the document use cases that change documents need: a new version is published (OCDS) and told to
 * the organisations taking part (the outbox).
 */
export interface DocumentDeps extends DocumentReadDeps, PublicationDeps {
  outbox: Pick<OutboxRepository, 'eventItems'>;
}

/** The numbers of `config().documents` the use cases apply. */
export interface DocumentRules {
  maxBytes: number;
  uploadUrlSeconds: number;
  downloadUrlSeconds: number;
}

/**
 * The lead may change the documents: through the wall (`documents`/`manage`: the lead, not connected, not
 * excluded, no declared conflict; a refusal is audited, and alerted when the caller is outside the wall),
 * and only until the tender deadline.
 */
export async function authorizeDocumentChange(
  deps: DocumentReadDeps,
  principal: Principal,
  competitionId: string,
  now: Date,
): Promise<{ user: UserPrincipal; state: CompetitionState }> {
  const state = await loadCompetitionState(deps, competitionId);
  await passWall(
    deps,
    principal,
    state,
    { resource: 'documents', action: 'manage', auditAction: 'document.upload', auditAllowed: false },
    now,
  );
  assertDocumentsChangeable(state.competition, now);
  return { user: principal as UserPrincipal, state };
}

/** A document's version to make current: a new document (`kind` and `title` given) or a later version. */
export interface VersionToRecord {
  documentId: string;
  /** The document as it is now, or undefined for a new one. */
  existing: TenderDocument | undefined;
  title: string;
  kind: DocumentKind;
  version: DocumentVersion;
  /**
   * The version's number was taken when its upload URL was handed out (`reserveVersion`) and its item is
   * pending: it is replaced. Otherwise (a browser form upload) the number must be one nobody has taken.
   */
  confirming?: boolean;
  /**
   * For a new document: how many documents the competition had when the caller checked the limit. The
   * transaction's own count decides; this is where it starts for a competition that kept none yet.
   */
  documentsBefore?: number;
}

/**
 * Takes a version number for an upload about to be made and records it pending, with the audit event of
 * the upload URL handed out, in one transaction guarded like every document change. Nobody sees a pending
 * version and no bid records it: `recordVersion` makes it current once its file is in the bucket.
 * @param previous the document as read, or undefined for a new document
 * @throws DeadlinePassedError when the deadline passed or the competition moved on meanwhile;
 *   ConflictError when another upload took the number first
 */
export async function reserveVersion(
  deps: DocumentReadDeps,
  competition: Competition,
  actor: string,
  pending: PendingVersion,
  previous: TenderDocument | undefined,
  now: Date,
): Promise<void> {
  const at = now.toISOString();
  await recordChange(
    deps,
    competition.id,
    {
      at,
      actor,
      action: 'document.upload',
      resource: `documents/${pending.documentId}/versions/${pending.version}`,
    },
    {
      items: [
        deps.documents.changeableCheck(competition.id, at),
        ...deps.documents.reserveItems(competition.id, pending, previous),
      ],
      onRefused: (codes) =>
        codes[0] === 'ConditionalCheckFailed'
          ? new DeadlinePassedError(
              'The tender deadline passed (or the competition moved on) before the upload was recorded.',
            )
          : new ConflictError('Another upload of this document took that version meanwhile; try again.'),
    },
  );
}

/** What the lead is told when a competition has as many documents as it may. */
export const documentLimitMessage = `A competition can have at most ${MAX_DOCUMENTS_PER_COMPETITION} documents: upload a new version of one instead.`;

/**
 * Makes a version current: the document (created, or moved forward to the new version), the version item,
 * the documents' revision, a guard that the competition still takes changes at the request time, the
 * audit event and, for a published competition, its release and the event that tells every organisation
 * taking part, in one transaction.
 * @throws DeadlinePassedError when the deadline passed or the competition moved on meanwhile;
 *   ConflictError when another upload took the version number first, or a later version is current
 */
export async function recordVersion(
  deps: DocumentDeps,
  competition: Competition,
  actor: string,
  record: VersionToRecord,
  now: Date,
): Promise<TenderDocument> {
  const at = now.toISOString();
  const document: TenderDocument = {
    competitionId: competition.id,
    documentId: record.documentId,
    title: record.title,
    kind: record.kind,
    currentVersion: record.version.version,
    createdAt: record.existing?.createdAt ?? at,
    updatedAt: at,
  };
  const confirming = record.confirming === true;
  const items = record.existing
    ? deps.documents.versionItems(document, record.version, { confirming })
    : deps.documents.createItems(document, record.version, {
        confirming,
        documentsBefore: record.documentsBefore ?? 0,
        maxDocuments: MAX_DOCUMENTS_PER_COMPETITION,
      });
  // A new document's items end with the count of documents (the guard first, so its code is at this index).
  const countIndex = items.length;
  // Published with the competition: the new version is a public change of the tender, released in the
  // transaction that makes it current (a draft's documents are published with the draft's `tender`).
  const releases = documentsArePublic(competition)
    ? [
        tenderAmendmentRelease(deps.publication.context, publicTenderFacts(competition), {
          kind: 'document',
          document: {
            documentId: document.documentId,
            title: document.title,
            kind: document.kind,
            version: record.version.version,
            uploadedAt: at,
          },
        }),
      ]
    : [];
  const told = documentsArePublic(competition)
    ? deps.outbox.eventItems(documentChangedEvent(competition, document, ulid(now.getTime()), now))
    : [];
  await commitWithReleases(deps, releases, now, (published) =>
    recordChange(
      deps,
      competition.id,
      {
        at,
        actor,
        action: record.existing ? 'document.version' : 'document.create',
        resource: `documents/${record.documentId}/versions/${record.version.version}`,
      },
      {
        // The event after the items whose refusal codes are read below by their place.
        items: [deps.documents.changeableCheck(competition.id, at), ...items, ...published, ...told],
        onRefused: (codes) => {
          if (codes[0] === 'ConditionalCheckFailed')
            return new DeadlinePassedError(
              'The tender deadline passed (or the competition moved on) before the document was stored.',
            );
          // Another new document took the last place between the caller's count and this transaction.
          if (!record.existing && codes[countIndex] === 'ConditionalCheckFailed')
            return new InvalidStateError(documentLimitMessage);
          return new ConflictError(
            'Another upload of this document was stored meanwhile; reload and try again.',
          );
        },
      },
    ),
  );
  return document;
}

/** What was declared of a file about to be checked: its type, and its exact size when it was given. */
export interface DeclaredFile {
  contentType: DocumentContentType;
  /** The exact size the lead declared (the JSON route); a browser form declares none, only the limit. */
  sizeBytes?: number | undefined;
}

/** An uploaded file found, checked and copied to the version's own key. */
export interface AcceptedFile {
  objectKey: string;
  etag: string | undefined;
  sizeBytes: number;
  contentType: DocumentContentType;
}

/** Why an object is not the file declared, or undefined when it is (as far as its metadata tells). */
function metadataProblem(
  stored: { sizeBytes: number; contentType: string | undefined },
  declared: DeclaredFile,
  maxBytes: number,
): UploadRejection | undefined {
  if (stored.sizeBytes < 1) return 'empty';
  if (stored.contentType !== declared.contentType) return 'type';
  if (declared.sizeBytes !== undefined && stored.sizeBytes !== declared.sizeBytes) return 'size';
  if (stored.sizeBytes > maxBytes) return 'size';
  return undefined;
}

/**
 * Checks the file uploaded under `keys.upload` against what was declared and copies it to `keys.file`, the
 * version's own key, which no presigned URL is ever signed for: the upload URL works for its 15 minutes
 * whatever happens, so the version must never be the object that URL writes, or reusing it after the
 * confirmation would change a version bidders read and bids recorded.
 *
 * The object's size and type as S3 stored them must be those declared, and its first bytes those of its
 * type (`fileMatchesType`: a browser form sends whatever file is chosen, with the type chosen before). The
 * read and the copy are both conditioned on the entity tag the check saw, so the copy is the object that
 * was checked even if the upload URL wrote another one meanwhile. The upload itself stays until the
 * version is recorded (`removeUpload`), so a confirmation that fails after the copy can be tried again.
 * @returns undefined when nothing has arrived under the upload key
 * @throws UploadRejectedError when the file is not the one declared (it is removed first);
 *   ConflictError when another file was written under the upload key while this one was checked
 */
export async function acceptUploadedFile(
  deps: Pick<DocumentReadDeps, 'storage'>,
  keys: { upload: string; file: string },
  declared: DeclaredFile,
  rules: Pick<DocumentRules, 'maxBytes'>,
): Promise<AcceptedFile | undefined> {
  const stored = await deps.storage.head(keys.upload);
  if (!stored) return undefined;
  const changed = () =>
    new ConflictError('Another file was uploaded for this version while it was confirmed: confirm it again.');
  try {
    let problem = metadataProblem(stored, declared, rules.maxBytes);
    if (!problem) {
      const start = await deps.storage.readStart(keys.upload, {
        bytes: FILE_SIGNATURE_BYTES,
        etag: stored.etag ?? '*',
      });
      if (!start) return undefined;
      if (!fileMatchesType(declared.contentType, start)) problem = 'type';
    }
    if (problem) {
      await deps.storage.remove(keys.upload);
      throw new UploadRejectedError(problem, uploadRejectionMessage(problem, declared, rules.maxBytes));
    }
    // S3 refuses the copy if the source is no longer the object checked (CopySourceIfMatch; the local
    // server's front holds the same condition). Its own tag is the file's: with SSE-KMS it would differ.
    const copied = await deps.storage.copy({ from: keys.upload, to: keys.file, etag: stored.etag ?? '*' });
    return {
      objectKey: keys.file,
      etag: copied.etag ?? stored.etag,
      sizeBytes: stored.sizeBytes,
      contentType: declared.contentType,
    };
  } catch (error) {
    if (error instanceof ObjectChangedError) throw changed();
    throw error;
  }
}

/**
 * Removes an upload's object once its version is recorded from the copy: nothing is left under the key
 * its URL writes. Best effort – a file left there is never read – so a failure is not the lead's.
 */
export async function removeUpload(deps: Pick<DocumentDeps, 'storage'>, key: string): Promise<void> {
  try {
    await deps.storage.remove(key);
  } catch (error) {
    failureReporter().error('An uploaded document object was not removed after its confirmation', {
      key,
      error,
    });
  }
}

/**
 * The event that tells every organisation taking part (it asked a question, applied, drafted or submitted
 * a bid, or agreed to be named in one: `taking-part`) that a document was added or changed: a bid submitted earlier answered the
 * versions current then, and its bidder may want to resubmit. It says only what every one of them may
 * read (the public document's title and version). It carries the inbox notification the connected
 * organisations were given before the outbox, for the delivery to write where it writes inbox
 * notifications for this audience.
 */
export function documentChangedEvent(
  competition: Competition,
  document: TenderDocument,
  id: string,
  now: Date,
): OutboxEvent {
  const at = now.toISOString();
  const added = document.currentVersion === 1;
  const title = added
    ? `New tender document: ${document.title}`
    : `Tender document changed: ${document.title} is now version ${document.currentVersion}`;
  const change = `${competition.title}: ${added ? 'a document was added' : 'a new version was published'} on ${govukDateTime(at)}.`;
  const advice = `A bid submitted before then answered the versions current at its submission; check the change and resubmit if you need to, before ${govukDateTime(competition.tenderDeadline)}.`;
  return {
    id,
    kind: 'document-changed',
    createdAt: at,
    audience: { type: 'taking-part', competitionId: competition.id },
    message: {
      subject: subjectLine(title),
      paragraphs: [change, advice],
      action: { text: 'Read the tender documents', path: `/find-an-opportunity/${competition.id}` },
    },
    inbox: {
      type: 'document-changed',
      title,
      message: `${change} ${advice}`,
      link: `/find-an-opportunity/${competition.id}`,
      competitionId: competition.id,
      competitionTitle: competition.title,
      closes: 'tender',
      closesAt: competition.tenderDeadline,
    },
  };
}

/** The object key of a version's file confirmed before uploads had keys of their own. */
export const objectKey = documentKeys.object;

/** The key one upload writes (the one its URL or form is signed for). */
export const uploadKey = documentKeys.upload;

/** The key of the confirmed copy of one upload: the version's file. */
export const fileKey = documentKeys.file;

/** The object key of a version's file: the confirmed copy, or the key versions had before. */
export function versionObjectKey(
  competitionId: string,
  documentId: string,
  version: Pick<DocumentVersion, 'version' | 'objectKey'>,
): string {
  return version.objectKey ?? objectKey(competitionId, documentId, version.version);
}
