/**
 * How tender documents show on a page (issue 15): each document's current version with its download link,
 * and its earlier versions, for the public opportunity page and the lead's documents page alike (both
 * include `tender-documents.njk` with `documents` in the context).
 */
import { config } from '../../config';
import { govukDateTime } from '../../domain/dates';
import {
  DOCUMENT_CONTENT_TYPES,
  DOCUMENT_KIND_LABELS,
  formatBytes,
  isDocumentContentType,
} from '../../domain/documents';
import type { DocumentListing, ListedVersion } from '../../use-cases/documents/list-documents';

/** One version as a page shows it. */
export interface VersionView {
  version: number;
  href: string;
  fileName: string;
  /** "PDF, 1.2 MB". */
  describe: string;
  uploaded: string;
}

/** One document as a page shows it. */
export interface DocumentView {
  documentId: string;
  title: string;
  kind: string;
  current: VersionView;
  earlier: VersionView[];
  /** Where the lead uploads a new version (the commissioning page only). */
  uploadHref?: string;
  /**
   * How long its download links work, in words ("5 minutes"): they are presigned and short-lived, so the
   * page says so, and that reloading it gives new ones, rather than leaving a reader who downloads later
   * with S3's "Request has expired" page.
   */
  linksLastFor: string;
}

/** A number of seconds in words, in whole minutes when it is at least one ("5 minutes", "1 minute", "45 seconds"). */
export function durationInWords(seconds: number): string {
  if (seconds < 60) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  const minutes = Math.round(seconds / 60);
  return `${minutes} minute${minutes === 1 ? '' : 's'}`;
}

function versionView(v: ListedVersion): VersionView {
  const type = isDocumentContentType(v.contentType)
    ? DOCUMENT_CONTENT_TYPES[v.contentType].label
    : v.contentType;
  return {
    version: v.version,
    href: v.downloadUrl,
    fileName: v.fileName,
    describe: `${type}, ${formatBytes(v.sizeBytes)}`,
    uploaded: govukDateTime(v.uploadedAt),
  };
}

/** The page's view of a listing. */
export function documentViews(listing: DocumentListing): DocumentView[] {
  const linksLastFor = durationInWords(config().documents.downloadUrlSeconds);
  return listing.items.map((d) => {
    const current = d.versions.find((v) => v.version === d.version) ?? d.versions[0];
    return {
      documentId: d.documentId,
      title: d.title,
      kind: DOCUMENT_KIND_LABELS[d.kind],
      current: current
        ? versionView(current)
        : versionView({ ...d, version: d.version, downloadUrl: d.downloadUrl }),
      earlier: d.versions.filter((v) => v.version !== d.version).map(versionView),
      linksLastFor,
    };
  });
}
