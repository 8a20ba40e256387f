/**
 * Tender documents (issue 15): the specification, contract terms, pricing schedule and anything else the
 * lead publishes with a competition, each with versions. Pure rules: which kinds and file types are
 * accepted, how large a file may be, when documents may change, and which versions are current.
 *
 * A document changes only by a new version; earlier versions stay (and stay downloadable), so a bid that
 * answered version 1 can always be read against it.
 */
import { type Competition, effectiveStatus } from './competitions';
import { DeadlinePassedError, type FieldIssue, InvalidStateError, ValidationError } from './errors';

/** What a document is. */
export const DOCUMENT_KINDS = ['specification', 'contract_terms', 'pricing_schedule', 'other'] as const;
/** A document kind. */
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

/** Plain-English names of the kinds, for pages. */
export const DOCUMENT_KIND_LABELS: Record<DocumentKind, string> = {
  specification: 'Specification',
  contract_terms: 'Contract terms',
  pricing_schedule: 'Pricing schedule',
  other: 'Other',
};

/**
 * The file types accepted, with the name people know them by and the usual extension: documents a
 * bidder opens with office software, never executable or active content (no HTML, SVG or archives, which a
 * browser could run or which could hide anything).
 */
export const DOCUMENT_CONTENT_TYPES = {
  'application/pdf': { label: 'PDF', extension: 'pdf' },
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': {
    label: 'Word document',
    extension: 'docx',
  },
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': {
    label: 'Excel spreadsheet',
    extension: 'xlsx',
  },
  'application/vnd.oasis.opendocument.text': { label: 'OpenDocument text', extension: 'odt' },
  'application/vnd.oasis.opendocument.spreadsheet': { label: 'OpenDocument spreadsheet', extension: 'ods' },
  'text/csv': { label: 'CSV', extension: 'csv' },
  'text/plain': { label: 'Plain text', extension: 'txt' },
} as const;
/** An accepted content type. */
export type DocumentContentType = keyof typeof DOCUMENT_CONTENT_TYPES;
/** Every accepted content type. */
export const DOCUMENT_CONTENT_TYPE_LIST = Object.keys(DOCUMENT_CONTENT_TYPES) as DocumentContentType[];

/** Whether a content type is on the allow-list. */
export function isDocumentContentType(value: string): value is DocumentContentType {
  return Object.hasOwn(DOCUMENT_CONTENT_TYPES, value);
}

/** Most documents one competition may have (each with any number of versions). */
export const MAX_DOCUMENTS_PER_COMPETITION = 50;

/** One stored version of a document. */
export interface DocumentVersion {
  version: number;
  fileName: string;
  contentType: DocumentContentType;
  sizeBytes: number;
  uploadedAt: string;
  uploadedBy: string;
  /**
   * The object key of the version's file: the copy the confirmation made of the upload, which no presigned
   * URL can write. Absent on versions confirmed before uploads had keys of their own (their key is
   * `documentKeys.object`).
   */
  objectKey?: string | undefined;
  /** The entity tag of that file when it was confirmed (which bytes the version is). */
  etag?: string | undefined;
}

/** A document: what it is, and which version is current. */
export interface TenderDocument {
  competitionId: string;
  documentId: string;
  title: string;
  kind: DocumentKind;
  currentVersion: number;
  createdAt: string;
  updatedAt: string;
}

/** A document with all its versions, newest first. */
export interface TenderDocumentWithVersions extends TenderDocument {
  versions: DocumentVersion[];
}

/** What describes an upload: the file (always) and, for a new document, its title and kind. */
export interface DocumentUpload {
  fileName: string;
  contentType: string;
  sizeBytes: number;
}

/**
 * The problems of an upload's description: a type off the allow-list, an empty file or one over the limit,
 * a file name with path separators or control characters. Every problem is listed.
 */
export function documentUploadIssues(upload: DocumentUpload, maxBytes: number): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (!isDocumentContentType(upload.contentType)) {
    issues.push({
      path: 'contentType',
      message: `Must be one of: ${DOCUMENT_CONTENT_TYPE_LIST.join(', ')}`,
    });
  }
  if (!Number.isInteger(upload.sizeBytes) || upload.sizeBytes < 1) {
    issues.push({ path: 'sizeBytes', message: 'The file is empty' });
  } else if (upload.sizeBytes > maxBytes) {
    issues.push({ path: 'sizeBytes', message: `The file must be ${formatBytes(maxBytes)} or smaller` });
  }
  if (fileNameProblem(upload.fileName)) {
    issues.push({ path: 'fileName', message: fileNameProblem(upload.fileName) as string });
  }
  return issues;
}

function fileNameProblem(name: string): string | undefined {
  if (name.trim() === '') return 'Enter the file name';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  if (/[\u0000-\u001f\u007f/\\]/.test(name))
    return 'The file name must not contain slashes or control characters';
  return undefined;
}

/** "25 MB", "1.5 MB", "820 KB": sizes as people read them (1 MB = 1,048,576 bytes, as operating systems show). */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) {
    const mb = bytes / (1024 * 1024);
    return `${Number.isInteger(mb) ? mb : mb.toFixed(1)} MB`;
  }
  if (bytes >= 1024) return `${Math.ceil(bytes / 1024)} KB`;
  return `${bytes} bytes`;
}

/**
 * Documents may change (a new document or a new version) from the draft until the tender deadline, judged
 * at the request time: after it bids are answered and sealed against what was published.
 * @throws DeadlinePassedError after the tender deadline; InvalidStateError once cancelled
 */
export function assertDocumentsChangeable(
  competition: Pick<Competition, 'status' | 'tenderDeadline' | 'prequalificationDeadline'>,
  now: Date,
): void {
  const status = effectiveStatus(competition, now);
  if (status === 'cancelled')
    throw new InvalidStateError('This competition is cancelled: its documents cannot change.');
  if (
    ['evaluation', 'standstill', 'awarded'].includes(status) ||
    now.toISOString() >= competition.tenderDeadline
  ) {
    throw new DeadlinePassedError('The tender deadline has passed: tender documents can no longer change.');
  }
}

/** The statuses in which documents may change (the stored status; the deadline is checked separately). */
export const DOCUMENT_CHANGE_STATUSES = ['draft', 'prequalification', 'shortlisting', 'tendering'] as const;

/** Whether anyone may list a competition's documents: once it is published (drafts are for insiders). */
export function documentsArePublic(competition: Pick<Competition, 'status'>): boolean {
  return competition.status !== 'draft';
}

/** The current version of each document, as a bid records them at submission. */
export function currentVersions(
  documents: readonly Pick<TenderDocument, 'documentId' | 'currentVersion'>[],
): Record<string, number> {
  return Object.fromEntries(documents.map((d) => [d.documentId, d.currentVersion]));
}

/**
 * The documents whose current version is newer than the one a bid answered (or that were added after it),
 * for telling the bidder what changed since it submitted.
 */
export function changedSince(
  answered: Readonly<Record<string, number>>,
  documents: readonly Pick<TenderDocument, 'documentId' | 'currentVersion' | 'title'>[],
): { documentId: string; title: string; answered: number | null; current: number }[] {
  return documents
    .filter(
      (d) => (Object.hasOwn(answered, d.documentId) ? (answered[d.documentId] ?? 0) : 0) < d.currentVersion,
    )
    .map((d) => ({
      documentId: d.documentId,
      title: d.title,
      answered: Object.hasOwn(answered, d.documentId) ? (answered[d.documentId] ?? null) : null,
      current: d.currentVersion,
    }));
}

/**
 * A file name safe to put in a `Content-Disposition` header: the name's own characters where they are
 * printable, quotes and backslashes replaced (the header quotes it), and an ASCII fallback for old clients.
 */
export function contentDisposition(fileName: string): string {
  const clean = fileName.replace(/["\\]/g, '_');
  const ascii = clean.replace(/[^\x20-\x7e]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(clean)}`;
}

/** How many of a file's first bytes the confirmation reads to tell what kind of file it is. */
export const FILE_SIGNATURE_BYTES = 512;

const ZIP = Buffer.from('PK\x03\x04', 'latin1');
const PDF = Buffer.from('%PDF-', 'latin1');
const UTF16LE = Buffer.from([0xff, 0xfe]);
const UTF16BE = Buffer.from([0xfe, 0xff]);

/**
 * Whether a file's first bytes are what its declared type says it is – the file's own signature, not its
 * name or the Content-Type it was sent with (both chosen by whoever sends it): a PDF starts `%PDF-`; Word,
 * Excel and OpenDocument files are ZIP packages, an OpenDocument one naming its own type in its first
 * entry (`mimetype`, stored first and uncompressed, as the standard requires); CSV and plain text have no
 * NUL byte (unless UTF-16, marked so) and are neither of those.
 */
export function fileMatchesType(contentType: DocumentContentType, start: Buffer): boolean {
  const startsWith = (prefix: Buffer) => start.subarray(0, prefix.length).equals(prefix);
  switch (contentType) {
    case 'application/pdf':
      return startsWith(PDF);
    case 'application/vnd.openxmlformats-officedocument.wordprocessingml.document':
    case 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet':
      // A ZIP package that is not an OpenDocument one (which names its `mimetype` entry first).
      return startsWith(ZIP) && firstEntry(start) !== 'mimetype';
    case 'application/vnd.oasis.opendocument.text':
    case 'application/vnd.oasis.opendocument.spreadsheet':
      // After the 30-byte local file header, the entry's name (`mimetype`), then its stored content.
      return (
        startsWith(ZIP) &&
        firstEntry(start) === 'mimetype' &&
        start.subarray(38, 38 + contentType.length).toString('latin1') === contentType
      );
    case 'text/csv':
    case 'text/plain':
      // UTF-16 text (spreadsheets' "Unicode text" export) has NUL bytes, and says so with its byte-order mark.
      if (startsWith(UTF16LE) || startsWith(UTF16BE)) return start.length > 2;
      return start.length > 0 && !start.includes(0) && !startsWith(ZIP) && !startsWith(PDF);
  }
}

/** The name of a ZIP package's first entry, from its local file header (name length at byte 26). */
function firstEntry(start: Buffer): string | undefined {
  if (start.length < 30) return undefined;
  return start.subarray(30, 30 + start.readUInt16LE(26)).toString('latin1');
}

/** Why a file uploaded for a version was refused when the lead confirmed it. */
export type UploadRejection = 'type' | 'size' | 'empty';

/**
 * The file uploaded for a version is not the one declared – another size, another type, or bytes that are
 * not that type's – so it is refused, removed from the bucket, and the version stays pending. A validation
 * problem on `file` (400 `/problems/validation`): the lead can upload the right file and confirm again.
 */
export class UploadRejectedError extends ValidationError {
  // `name` stays ValidationError's: the problem it maps to is a validation problem like any other.
  constructor(
    readonly reason: UploadRejection,
    message: string,
  ) {
    super(`The uploaded file was refused: ${message}`, [{ path: 'file', message }]);
  }
}

/** What the lead is told when an uploaded file is refused, in words (pages and problem details alike). */
export function uploadRejectionMessage(
  reason: UploadRejection,
  declared: { contentType: DocumentContentType; sizeBytes?: number | undefined },
  maxBytes: number,
): string {
  const { label, extension } = DOCUMENT_CONTENT_TYPES[declared.contentType];
  switch (reason) {
    case 'type':
      return `The file is not a ${label} file (.${extension}), the type you said it was. Upload a ${label} file, or start again and choose the type of the file you have.`;
    case 'size':
      return declared.sizeBytes === undefined
        ? `The file must be ${formatBytes(maxBytes)} or smaller`
        : `The file is not the size you said it was (${declared.sizeBytes} bytes): upload that file, or ask for a new upload for this one.`;
    case 'empty':
      return 'The file is empty: choose the file again.';
  }
}

/** A file name for a form upload, whose browser does not tell the name without script: from the title. */
export function fileNameFor(title: string, contentType: DocumentContentType): string {
  const base =
    title
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 80) || 'document';
  return `${base}.${DOCUMENT_CONTENT_TYPES[contentType].extension}`;
}
