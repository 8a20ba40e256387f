/**
 * What the spend-return form sent: a CSV file chosen with the file input, or rows pasted into the text box
 * (kept for a prime who copies from a spreadsheet), never both. Pure: it turns the parsed form into the CSV
 * text to file, or the problems to show against the field they belong to, in the GOV.UK Design System's
 * words for file uploads ("The selected file must be a CSV", "… must be smaller than 5MB", "… is empty").
 */
import type { FieldIssue } from '../../domain/errors';
import type { UploadedFile } from '../multipart';

/** The file input's name (and element id). */
export const FILE_FIELD = 'csvFile';
/** The paste box's name (and element id). */
export const PASTE_FIELD = 'csv';
/** The largest CSV, in bytes: DESIGN.md's cap on CSV bodies. */
export const MAX_CSV_BYTES = 5 * 1024 * 1024;

/**
 * The largest paste shown again in the paste box when a return is refused: enough for a return of a few
 * thousand lines. A larger paste is not echoed (the page would grow past what a Lambda response may carry,
 * 6 MB, once escaped); the error list still names every bad row.
 */
export const MAX_ECHOED_PASTE_BYTES = 256 * 1024;

/** What the paste box shows again after a refusal: the paste, or nothing when it is too large to echo. */
export function echoedPaste(pasted: string): string {
  return Buffer.byteLength(pasted, 'utf8') <= MAX_ECHOED_PASTE_BYTES ? pasted : '';
}

/** Media types browsers give CSV files (Windows with Excel installed says `application/vnd.ms-excel`). */
const CSV_TYPES = new Set([
  'text/csv',
  'application/csv',
  'text/comma-separated-values',
  'application/vnd.ms-excel',
  'text/plain',
  'application/octet-stream',
  '',
]);

/** A spreadsheet saved in Excel's own format (a zip: `PK\x03\x04`) or the old binary one. */
function looksLikeSpreadsheet(content: Buffer): boolean {
  return (
    (content[0] === 0x50 && content[1] === 0x4b && content[2] === 0x03 && content[3] === 0x04) ||
    (content[0] === 0xd0 && content[1] === 0xcf && content[2] === 0x11 && content[3] === 0xe0)
  );
}

/** The CSV to file, where it came from, or the problems with what was sent. */
export type UploadOutcome =
  | { csv: string; source: { kind: 'file'; filename: string } | { kind: 'paste' } }
  | { issues: FieldIssue[] };

/**
 * Reads the form's CSV.
 * @param file the chosen file, if any.
 * @param pasted the paste box's value.
 * @param pastedCut whether the paste box was longer than the limit (and so cut).
 */
export function readUpload(
  file: UploadedFile | undefined,
  pasted: string,
  pastedCut: boolean,
): UploadOutcome {
  const issue = (path: string, message: string): UploadOutcome => ({ issues: [{ path, message }] });
  const hasPaste = pasted.trim() !== '';
  if (file && hasPaste) {
    return issue(FILE_FIELD, 'Choose a CSV file or paste the rows, not both');
  }
  if (!file) {
    if (pastedCut) return issue(PASTE_FIELD, 'The pasted rows must be smaller than 5MB');
    if (!hasPaste) return issue(FILE_FIELD, 'Select a CSV file, or paste the rows of your spend return');
    return { csv: pasted, source: { kind: 'paste' } };
  }
  const named = file.filename.toLowerCase();
  const typeOk = CSV_TYPES.has(file.mimeType.toLowerCase());
  if (file.truncated || file.content.length > MAX_CSV_BYTES) {
    return issue(FILE_FIELD, 'The selected file must be smaller than 5MB');
  }
  if (file.content.length === 0) return issue(FILE_FIELD, 'The selected file is empty');
  if (looksLikeSpreadsheet(file.content) || /\.(xlsx?|ods|numbers)$/.test(named)) {
    return issue(
      FILE_FIELD,
      'The selected file must be a CSV: in your spreadsheet choose "Save as" and "CSV UTF-8"',
    );
  }
  if (!(named.endsWith('.csv') || named.endsWith('.txt')) || !typeOk) {
    return issue(FILE_FIELD, 'The selected file must be a CSV');
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(file.content);
  } catch {
    return issue(FILE_FIELD, 'The selected file must be a CSV saved as UTF-8');
  }
  if (text.includes('\u0000')) return issue(FILE_FIELD, 'The selected file must be a CSV');
  if (text.replace(/^\uFEFF/, '').trim() === '') return issue(FILE_FIELD, 'The selected file is empty');
  return { csv: text, source: { kind: 'file', filename: file.filename } };
}
