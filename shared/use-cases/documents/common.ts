/**
 * What the tender document use cases share: their dependencies and settings, the lead's permission to
 * change documents (through the wall, refusals audited), taking a version number for an upload (pending),
 * and making a version current with its audit event, telling the organisations taking part.
 */
import { ulid } from 'ulid';
import type { CompetitionState } from '../../db/competitions';
import type { DocumentRepository, PendingVersion } from '../../db/documents';
import { documentKeys } from '../../db/keys';
import type { NotificationRepository } from '../../db/notifications';
import type { Competition } from '../../domain/competitions';
import { govukDateTime } from '../../domain/dates';
import {
  assertDocumentsChangeable,
  type DocumentKind,
  type DocumentVersion,
  documentsArePublic,
  type TenderDocument,
} from '../../domain/documents';
import { ConflictError, DeadlinePassedError } from '../../domain/errors';
import type { Principal, UserPrincipal } from '../../domain/principal';
import type { DocumentStorage } from '../../storage/documents';
import { loadCompetitionState, passWall, recordChange, type WallDeps } from '../competitions/wall';
import { notifyAfterCommit } from '../notify-after-commit';

/** What the document use cases need. */
export interface DocumentDeps extends WallDeps {
  documents: DocumentRepository;
  notifications: NotificationRepository;
  storage: DocumentStorage;
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
  deps: DocumentDeps,
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
  deps: DocumentDeps,
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

/**
 * Makes a version current: the document (created, or moved forward to the new version), the version item,
 * the documents' revision, a guard that the competition still takes changes at the request time, and the
 * audit event, in one transaction. Then tells every organisation taking part in a published competition.
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
  const options = { confirming: record.confirming === true };
  const items = record.existing
    ? deps.documents.versionItems(document, record.version, options)
    : deps.documents.createItems(document, record.version, options);
  await recordChange(
    deps,
    competition.id,
    {
      at,
      actor,
      action: record.existing ? 'document.version' : 'document.create',
      resource: `documents/${record.documentId}/versions/${record.version.version}`,
    },
    {
      items: [deps.documents.changeableCheck(competition.id, at), ...items],
      onRefused: (codes) =>
        codes[0] === 'ConditionalCheckFailed'
          ? new DeadlinePassedError(
              'The tender deadline passed (or the competition moved on) before the document was stored.',
            )
          : new ConflictError('Another upload of this document was stored meanwhile; reload and try again.'),
    },
  );
  if (documentsArePublic(competition)) await tellOrganisationsTakingPart(deps, competition, document, now);
  return document;
}

/**
 * Tells every organisation connected to the competition (it applied, drafted or submitted a bid, or is
 * named in one) that a document was added or changed: a bid submitted earlier answered the versions current
 * then, and its bidder may want to resubmit. Who is connected comes from the connection markers the wall
 * reads anyway; no bid is read, and no provider-facing role is given anything.
 */
async function tellOrganisationsTakingPart(
  deps: DocumentDeps,
  competition: Competition,
  document: TenderDocument,
  now: Date,
): Promise<void> {
  const at = now.toISOString();
  const added = document.currentVersion === 1;
  await notifyAfterCommit(
    deps.notifications,
    { action: 'document.upload', competitionId: competition.id },
    async () =>
      [...new Set(await deps.documents.connectedOrganisations(competition.id))].map((providerId) => ({
        id: ulid(now.getTime()),
        providerId,
        type: 'document-changed',
        title: added
          ? `New tender document: ${document.title}`
          : `Tender document changed: ${document.title} is now version ${document.currentVersion}`,
        message: `${competition.title}: ${added ? 'a document was added' : 'a new version was published'} on ${govukDateTime(at)}. A bid submitted before then answered the versions current at its submission; check the change and resubmit if you need to, before ${govukDateTime(competition.tenderDeadline)}.`,
        createdAt: at,
        link: `/find-an-opportunity/${competition.id}`,
        competitionId: competition.id,
        competitionTitle: competition.title,
        closes: 'tender' as const,
        closesAt: competition.tenderDeadline,
      })),
  );
}

/** The object key of one version's file. */
export const objectKey = documentKeys.object;
