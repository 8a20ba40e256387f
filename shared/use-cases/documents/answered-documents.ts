/**
 * The tender documents a submitted bid answered, by title and kind, and whether each has changed since: what
 * the bid pages (task list, check, receipt) show so a bidder knows to resubmit after a document changes.
 *
 * A bid records only `{ documentId: version }` (at submission, `submitBid`); titles come from the documents'
 * current listing, read with one Query of the competition's document partition (`DocumentRepository.current`),
 * never a read per document. Documents are public once the competition is published, so reading them needs
 * no decision beyond the bid's own, which the caller has already read through its use case.
 */
import type { DocumentRepository } from '../../db/documents';
import type { DocumentKind, TenderDocument } from '../../domain/documents';

/** One document a bid answered. */
export interface AnsweredDocument {
  documentId: string;
  /** Its title now (undefined only if the listing no longer has it). */
  title: string | undefined;
  kind: DocumentKind | undefined;
  /** The version the bid answered. */
  answered: number;
  /** The current version, when newer than the one answered. */
  newerVersion: number | undefined;
}

/** A document published after the bid was submitted, which it therefore did not answer. */
export interface AddedDocument {
  documentId: string;
  title: string;
  kind: DocumentKind;
  version: number;
}

/** What the bid answered, and what was published since. */
export interface AnsweredDocuments {
  answered: AnsweredDocument[];
  added: AddedDocument[];
  /** Whether anything changed since the bid was submitted (a newer version, or a new document). */
  changed: boolean;
}

const NONE: AnsweredDocuments = { answered: [], added: [], changed: false };

/**
 * Joins the versions a bid answered with the competition's current documents (pure).
 * @param answered the bid's `documentVersions`
 */
export function joinAnswered(
  answered: Readonly<Record<string, number>>,
  current: readonly Pick<TenderDocument, 'documentId' | 'title' | 'kind' | 'currentVersion'>[],
): AnsweredDocuments {
  const byId = new Map(current.map((d) => [d.documentId, d]));
  const listed = Object.entries(answered).map(([documentId, version]): AnsweredDocument => {
    const now = byId.get(documentId);
    return {
      documentId,
      title: now?.title,
      kind: now?.kind,
      answered: version,
      newerVersion: now && now.currentVersion > version ? now.currentVersion : undefined,
    };
  });
  // In the order the listing has them (oldest document first), any the listing lacks last.
  const order = new Map(current.map((d, i) => [d.documentId, i]));
  listed.sort(
    (a, b) => (order.get(a.documentId) ?? current.length) - (order.get(b.documentId) ?? current.length),
  );
  const added = current
    .filter((d) => !Object.hasOwn(answered, d.documentId))
    .map((d) => ({ documentId: d.documentId, title: d.title, kind: d.kind, version: d.currentVersion }));
  return {
    answered: listed,
    added,
    changed: added.length > 0 || listed.some((d) => d.newerVersion !== undefined),
  };
}

/**
 * The documents a submitted bid answered, with their titles, kinds and any newer version, and the documents
 * published since. One Query of the competition's documents; none when no bid was submitted.
 * @param answered the submitted bid's `documentVersions`, undefined when there is no submitted bid
 */
export async function documentsAnswered(
  deps: { documents: Pick<DocumentRepository, 'current'> },
  competitionId: string,
  answered: Readonly<Record<string, number>> | undefined,
): Promise<AnsweredDocuments> {
  if (!answered) return NONE;
  return joinAnswered(answered, await deps.documents.current(competitionId));
}
