/**
 * Reads a `multipart/form-data` body (a form with a file input) from a Lambda event with busboy, the
 * parser most Node.js servers use. API Gateway hands the whole body to the function, base64-encoded, so it
 * is parsed from one buffer; the limits still matter: a file over `maxFileBytes` is cut there and marked
 * `truncated` (the page says "too large" rather than reading a partial file), and no more than a few parts
 * are read, so a hostile body cannot make the function hold thousands of them.
 *
 * The text fields come back as `URLSearchParams`, like a url-encoded form, so the page stack checks the
 * CSRF token of either kind of form in the same way.
 */
import busboy from 'busboy';
import { ValidationError } from '../domain/errors';

/** One uploaded file. */
export interface UploadedFile {
  /** The name the browser gave (without any path), '' when none. */
  filename: string;
  /** The media type the browser declared (browsers differ: `text/csv`, `application/vnd.ms-excel`, …). */
  mimeType: string;
  /** The bytes read, at most the limit. */
  content: Buffer;
  /** True when the file was larger than the limit and was cut. */
  truncated: boolean;
}

/** A parsed multipart form. */
export interface MultipartForm {
  fields: URLSearchParams;
  /** Files by field name; a file input left empty is absent. */
  files: Map<string, UploadedFile>;
  /** Text fields longer than the limit (their value is cut). */
  truncatedFields: Set<string>;
}

/** Limits of one form. */
export interface MultipartLimits {
  /** Largest file, in bytes. */
  maxFileBytes: number;
  /** Largest text field, in bytes. */
  maxFieldBytes: number;
  /** Most parts (fields and files together). */
  maxParts?: number;
}

/**
 * The limits of every multipart page form: one file of at most 5 MB (the CSV cap in DESIGN.md), text
 * fields of the same size (a pasted CSV), a handful of parts.
 */
export const PAGE_UPLOAD_LIMITS: MultipartLimits = {
  maxFileBytes: 5 * 1024 * 1024,
  maxFieldBytes: 5 * 1024 * 1024,
  maxParts: 10,
};

/**
 * The largest multipart body a page with a file input reads (`PageOptions.maxBodyBytes`): the largest file
 * and 64 KB for the rest of the form (boundaries, part headers, the CSRF token, the period). A body beyond
 * it is refused with the GOV.UK 413 page before busboy sees it; a file a little over 5 MB still reaches the
 * form, which says it "must be smaller than 5MB" against the file input.
 */
export const PAGE_UPLOAD_BODY_BYTES = PAGE_UPLOAD_LIMITS.maxFileBytes + 64 * 1024;

/** The page stack's multipart reader (`PageOptions.multipart`), with the page limits. */
export function readPageMultipart(body: Buffer, contentType: string): Promise<MultipartForm> {
  return parseMultipart(body, contentType, PAGE_UPLOAD_LIMITS);
}

/**
 * Parses a multipart body.
 * @throws ValidationError when the body is not a readable multipart form (no boundary, cut short).
 */
export function parseMultipart(
  body: Buffer,
  contentType: string,
  limits: MultipartLimits,
): Promise<MultipartForm> {
  const unreadable = (cause: unknown) =>
    new ValidationError(
      `The form could not be read (${String((cause as Error | undefined)?.message ?? 'malformed')}). Go back and try again.`,
    );
  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: { 'content-type': contentType },
      // UTF-8 file names, as browsers send them.
      defParamCharset: 'utf8',
      limits: {
        fileSize: limits.maxFileBytes,
        fieldSize: limits.maxFieldBytes,
        files: 1,
        parts: limits.maxParts ?? 10,
      },
    });
  } catch (error) {
    return Promise.reject(unreadable(error));
  }
  const form: MultipartForm = {
    fields: new URLSearchParams(),
    files: new Map(),
    truncatedFields: new Set(),
  };
  return new Promise((resolve, reject) => {
    parser.on('field', (name, value, info) => {
      form.fields.append(name, value);
      if (info.valueTruncated) form.truncatedFields.add(name);
    });
    parser.on('file', (name, stream, info) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const content = Buffer.concat(chunks);
        // An empty file input still sends a part, with no file name and no bytes.
        if (!info.filename && content.length === 0) return;
        form.files.set(name, {
          filename: info.filename ?? '',
          mimeType: info.mimeType,
          content,
          truncated: (stream as { truncated?: boolean }).truncated === true,
        });
      });
    });
    parser.on('error', (error) => reject(unreadable(error)));
    parser.on('close', () => resolve(form));
    parser.end(body);
  });
}
