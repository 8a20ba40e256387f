/**
 * `GET /competitions/{id}/documents`: every document with its current version and every earlier one, each
 * with a short-lived presigned GET for its own object (the copy its confirmation made, which no upload URL
 * writes). Versions handed out for upload and not confirmed are never listed (`shared/db/documents.ts`):
 * every version listed has its file; the lead's documents page shows them apart, as uploads not finished.
 * Public once the competition is published (documents are published with it); a draft's documents are for
 * its insiders only, and anyone else is told the competition does not exist, as `GET /competitions/{id}`
 * tells them.
 */
import type { CompetitionState } from '../../db/competitions';
import type { PendingVersion } from '../../db/documents';
import { type Competition, effectiveStatus } from '../../domain/competitions';
import {
  assertDocumentsChangeable,
  contentDisposition,
  type DocumentContentType,
  type DocumentKind,
  type DocumentVersion,
  documentsArePublic,
  type TenderDocument,
  type TenderDocumentWithVersions,
  type UploadRejection,
} from '../../domain/documents';
import { type DomainError, NotFoundError } from '../../domain/errors';
import { decideCompetitionAccess, decideDocumentsRead } from '../../domain/policy';
import type { Principal } from '../../domain/principal';
import { loadCompetitionState, passWall, wallFacts } from '../competitions/wall';
import type { DocumentReadDeps, DocumentRules } from './common';
import { versionObjectKey } from './common';

/** One version as listed, with its download URL. */
export interface ListedVersion {
  version: number;
  fileName: string;
  contentType: string;
  sizeBytes: number;
  uploadedAt: string;
  downloadUrl: string;
}

/** One document as listed: its current version's fields, and every version newest first. */
export interface ListedDocument {
  documentId: string;
  title: string;
  kind: DocumentKind;
  version: number;
  fileName: string;
  contentType: string;
  sizeBytes: number;
  uploadedAt: string;
  downloadUrl: string;
  versions: ListedVersion[];
}

/** The listing, and when its download URLs stop working. */
export interface DocumentListing {
  items: ListedDocument[];
  downloadUrlsExpireAt: string;
}

/** Presigns a GET for every version of every document. */
export async function withDownloadUrls(
  deps: Pick<DocumentReadDeps, 'storage'>,
  competitionId: string,
  documents: readonly TenderDocumentWithVersions[],
  now: Date,
  rules: Pick<DocumentRules, 'downloadUrlSeconds'>,
): Promise<DocumentListing> {
  const options = { now, expiresSeconds: rules.downloadUrlSeconds };
  const expiresAt = new Date(now.getTime() + rules.downloadUrlSeconds * 1000).toISOString();
  const listVersion = async (documentId: string, v: DocumentVersion): Promise<ListedVersion> => ({
    version: v.version,
    fileName: v.fileName,
    contentType: v.contentType,
    sizeBytes: v.sizeBytes,
    uploadedAt: v.uploadedAt,
    downloadUrl: (
      await deps.storage.downloadUrl(
        {
          key: versionObjectKey(competitionId, documentId, v),
          contentDisposition: contentDisposition(v.fileName),
          contentType: v.contentType,
        },
        options,
      )
    ).url,
  });
  const items = await Promise.all(
    documents
      .filter((d) => d.versions.length > 0)
      .map(async (d) => {
        const versions = await Promise.all(d.versions.map((v) => listVersion(d.documentId, v)));
        const current =
          versions.find((v) => v.version === d.currentVersion) ?? (versions[0] as ListedVersion);
        return {
          documentId: d.documentId,
          title: d.title,
          kind: d.kind,
          version: current.version,
          fileName: current.fileName,
          contentType: current.contentType,
          sizeBytes: current.sizeBytes,
          uploadedAt: current.uploadedAt,
          downloadUrl: current.downloadUrl,
          versions,
        };
      }),
  );
  return { items, downloadUrlsExpireAt: expiresAt };
}

/**
 * Decides whether the caller may list the documents of a competition whose state is loaded: yes for anyone
 * once it is published; for a draft, through the wall (the lead, declared panel members). Anyone without a
 * seat asking about a draft learns nothing (not found); a seat holder refused is refused by the wall, and
 * the refusal audited.
 */
export async function assertCanListDocuments(
  deps: DocumentReadDeps,
  principal: Principal,
  state: CompetitionState,
  now: Date,
): Promise<void> {
  const { competition } = state;
  if (documentsArePublic(competition)) return;
  const notFound = () => new NotFoundError(`No competition ${competition.id}.`);
  if (principal.kind !== 'user') throw notFound();
  const facts = await wallFacts(deps, principal, state, now);
  const seated =
    facts.leadSub === principal.sub ||
    facts.evaluators.includes(principal.sub) ||
    facts.moderator === principal.sub;
  const decision = decideDocumentsRead(principal, facts, false);
  if (!decision.allowed && !seated) throw notFound();
  // Through the wall: a refusal is audited (and alerted if outside it); an allowed read of a draft's
  // documents, before anyone outside may see them, is recorded too.
  await passWall(
    deps,
    principal,
    state,
    {
      resource: 'documents',
      action: facts.leadSub === principal.sub ? 'manage' : 'read',
      auditAction: 'documents.read',
      auditAllowed: true,
    },
    now,
    facts,
  );
}

/** Lists a competition's documents with download URLs. */
export async function listDocuments(
  deps: DocumentReadDeps,
  principal: Principal,
  competitionId: string,
  now: Date,
  rules: Pick<DocumentRules, 'downloadUrlSeconds'>,
): Promise<DocumentListing> {
  const state = await loadCompetitionState(deps, competitionId);
  await assertCanListDocuments(deps, principal, state, now);
  return withDownloadUrls(deps, competitionId, await deps.documents.list(competitionId), now, rules);
}

/**
 * The documents of a published competition, for the public opportunity page: drafts are not found, without
 * looking at who asks (the page is the same for everyone). A page that has read the competition already
 * passes it (its id and status: the public view will do), so it is not read twice.
 */
export async function listPublishedDocuments(
  deps: Pick<DocumentReadDeps, 'documents' | 'storage' | 'competitions'>,
  competitionOrId: string | Pick<Competition, 'id' | 'status'>,
  now: Date,
  rules: Pick<DocumentRules, 'downloadUrlSeconds'>,
): Promise<DocumentListing> {
  const competition =
    typeof competitionOrId === 'string' ? await deps.competitions.get(competitionOrId) : competitionOrId;
  const competitionId = typeof competitionOrId === 'string' ? competitionOrId : competitionOrId.id;
  if (!competition || !documentsArePublic(competition))
    throw new NotFoundError(`No competition ${competitionId}.`);
  return withDownloadUrls(deps, competitionId, await deps.documents.list(competitionId), now, rules);
}

/**
 * A version handed out for upload and not confirmed (an upload URL of the JSON route, its file not yet
 * there or not yet confirmed, or refused): shown to the lead so it is not forgotten.
 */
export interface UnfinishedUpload {
  documentId: string;
  version: number;
  title: string;
  kind: DocumentKind;
  fileName: string;
  contentType: DocumentContentType;
  sizeBytes: number;
  /** When the upload URL was handed out, and when it stops working. */
  requestedAt: string;
  uploadExpiresAt: string;
  /** Why the last file uploaded for it was refused, if one was. */
  problem: UploadRejection | undefined;
  /** A later version is current already: it can only be discarded (confirming it would go back). */
  superseded: boolean;
}

/** The commissioning documents page: the competition, its listing, and whether the viewer may change it. */
export interface DocumentsWorkspace {
  competition: Pick<Competition, 'id' | 'title' | 'status' | 'tenderDeadline'>;
  listing: DocumentListing;
  /** The viewer may upload now (the lead, through the wall, before the tender deadline). */
  canChange: boolean;
  /** Why the lead cannot change them any more (the deadline passed, cancelled), if so. */
  closedReason: string | undefined;
  /** Uploads handed out and not confirmed, oldest first: for the lead only (none for anyone else). */
  unfinished: UnfinishedUpload[];
}

/** The pending versions as the lead's page lists them (pure). */
export function unfinishedUploads(
  documents: readonly Pick<TenderDocument, 'documentId' | 'currentVersion'>[],
  pending: readonly PendingVersion[],
): UnfinishedUpload[] {
  const current = new Map(documents.map((d) => [d.documentId, d.currentVersion]));
  return pending
    .map((p) => ({
      documentId: p.documentId,
      version: p.version,
      title: p.title,
      kind: p.kind,
      fileName: p.fileName,
      contentType: p.contentType,
      sizeBytes: p.sizeBytes,
      requestedAt: p.uploadedAt,
      uploadExpiresAt: p.uploadExpiresAt,
      problem: p.problem,
      superseded: (current.get(p.documentId) ?? 0) > p.version,
    }))
    .sort((a, b) => a.requestedAt.localeCompare(b.requestedAt) || a.version - b.version);
}

/**
 * The documents page of the commissioning workspace: the same listing as the JSON route (and the same
 * decision on who may see it), and whether the viewer may upload – asked of the policy without recording
 * anything, as the page only decides whether to show the form; the upload itself goes through the wall.
 */
export async function documentsWorkspace(
  deps: DocumentReadDeps,
  principal: Principal,
  competitionId: string,
  now: Date,
  rules: Pick<DocumentRules, 'downloadUrlSeconds'>,
): Promise<DocumentsWorkspace> {
  const state = await loadCompetitionState(deps, competitionId);
  await assertCanListDocuments(deps, principal, state, now);
  // The same Query as the listing: the pending versions come with it.
  const { documents, pending } = await deps.documents.listWithPending(competitionId);
  const listing = await withDownloadUrls(deps, competitionId, documents, now, rules);
  const { competition } = state;
  const isLead = principal.kind === 'user' && principal.sub === competition.leadSub;
  let canChange = false;
  let closedReason: string | undefined;
  if (isLead) {
    const facts = await wallFacts(deps, principal, state, now);
    if (decideCompetitionAccess(principal, facts, 'documents', 'manage').allowed) {
      try {
        assertDocumentsChangeable(competition, now);
        canChange = true;
      } catch (error) {
        closedReason = (error as DomainError).message;
      }
    }
  }
  return {
    competition: {
      id: competition.id,
      title: competition.title,
      status: effectiveStatus(competition, now),
      tenderDeadline: competition.tenderDeadline,
    },
    listing,
    canChange,
    closedReason,
    // What the lead started: nobody else uploads, and a panel member has no use for it.
    unfinished: isLead ? unfinishedUploads(documents, pending) : [],
  };
}
