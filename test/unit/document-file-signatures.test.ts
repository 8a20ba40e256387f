/**
 * What a file's first bytes say it is (issue 15): the confirmation refuses a file that is not of its
 * declared type, whatever it was called or sent as; and the lead's unfinished uploads as the page lists
 * them.
 */
import { describe, expect, it } from 'vitest';
import {
  DOCUMENT_CONTENT_TYPE_LIST,
  type DocumentContentType,
  fileMatchesType,
  UploadRejectedError,
  uploadRejectionMessage,
} from '../../shared/domain/documents';
import { unfinishedUploads } from '../../shared/use-cases/documents/list-documents';

/** A ZIP local file header naming its first entry, then that entry's stored content. */
function zipStart(name: string, content: string): Buffer {
  const header = Buffer.alloc(30);
  header.write('PK\u0003\u0004', 0, 'latin1');
  header.writeUInt16LE(name.length, 26);
  return Buffer.concat([header, Buffer.from(name, 'latin1'), Buffer.from(content, 'latin1')]);
}

const PDF = Buffer.from('%PDF-1.7\n%\u00e2\u00e3\u00cf\u00d3\n1 0 obj', 'latin1');
const DOCX = zipStart('[Content_Types].xml', '<?xml version="1.0"?>');
const ODT = zipStart('mimetype', 'application/vnd.oasis.opendocument.text');
const ODS = zipStart('mimetype', 'application/vnd.oasis.opendocument.spreadsheet');
const CSV = Buffer.from('item,unit,price\nCaseworker hours,hour,\n', 'utf8');
const BINARY = Buffer.from([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00]);

const accepted: Record<DocumentContentType, Buffer[]> = {
  'application/pdf': [PDF],
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': [DOCX],
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': [DOCX],
  'application/vnd.oasis.opendocument.text': [ODT],
  'application/vnd.oasis.opendocument.spreadsheet': [ODS],
  'text/csv': [CSV],
  'text/plain': [
    CSV,
    Buffer.from('Plain words: caf\u00e9.', 'utf8'),
    Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Unicode text', 'utf16le')]),
  ],
};

describe('fileMatchesType', () => {
  it.each(DOCUMENT_CONTENT_TYPE_LIST)('%s: its own files pass', (type) => {
    for (const start of accepted[type]) expect(fileMatchesType(type, start)).toBe(true);
  });

  it.each(DOCUMENT_CONTENT_TYPE_LIST)(
    '%s: an executable, an empty file and every other type are refused',
    (type) => {
      expect(fileMatchesType(type, BINARY)).toBe(false);
      expect(fileMatchesType(type, Buffer.alloc(0))).toBe(false);
      const others = DOCUMENT_CONTENT_TYPE_LIST.filter(
        (other) => !accepted[type].some((start) => accepted[other].includes(start)),
      ).flatMap((other) => accepted[other]);
      for (const start of others) expect(fileMatchesType(type, start), start.toString('latin1')).toBe(false);
    },
  );

  it('an OpenDocument file must name its own type first: a text document is not a spreadsheet', () => {
    expect(fileMatchesType('application/vnd.oasis.opendocument.spreadsheet', ODT)).toBe(false);
    expect(fileMatchesType('application/vnd.oasis.opendocument.text', DOCX)).toBe(false);
  });
});

describe('a refused upload', () => {
  it('is a validation problem on `file`, in words that name the type', () => {
    const message = uploadRejectionMessage('type', { contentType: 'application/pdf' }, 25 * 1024 * 1024);
    expect(message).toContain('not a PDF file (.pdf)');
    const error = new UploadRejectedError('type', message);
    expect(error.code).toBe('validation');
    expect(error.issues).toEqual([{ path: 'file', message }]);
    expect(uploadRejectionMessage('size', { contentType: 'text/csv', sizeBytes: 12 }, 100)).toContain(
      '12 bytes',
    );
    expect(uploadRejectionMessage('size', { contentType: 'text/csv' }, 1024 * 1024)).toBe(
      'The file must be 1 MB or smaller',
    );
  });
});

describe('unfinishedUploads', () => {
  const pending = (documentId: string, version: number, at: string) => ({
    documentId,
    version,
    title: `Document ${documentId}`,
    kind: 'other' as const,
    fileName: 'f.pdf',
    contentType: 'application/pdf' as const,
    sizeBytes: 10,
    uploadedAt: at,
    uploadedBy: 'lead',
    uploadExpiresAt: at,
  });

  it('lists the oldest first, and those behind a current version as superseded', () => {
    const listed = unfinishedUploads(
      [{ documentId: 'A', currentVersion: 3 }],
      [
        pending('B', 1, '2026-01-02T00:00:00.000Z'),
        pending('A', 2, '2026-01-01T00:00:00.000Z'),
        pending('A', 4, '2026-01-03T00:00:00.000Z'),
      ],
    );
    expect(listed.map((u) => [u.documentId, u.version, u.superseded])).toEqual([
      ['A', 2, true],
      ['B', 1, false],
      ['A', 4, false],
    ]);
  });
});
