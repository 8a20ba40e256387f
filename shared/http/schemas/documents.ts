/**
 * Schemas of the tender document routes (issue 15).
 */
import * as z from 'zod';
import { DOCUMENT_CONTENT_TYPE_LIST, DOCUMENT_KINDS } from '../../domain/documents';
import { ulidSchema } from './common';
import type { RouteSchemaSet } from './types';

/** The longest texts of a document's description. */
export const DOCUMENT_LIMITS = { title: 200, fileName: 255 } as const;

/** S3's largest single PUT: the schema's bound; the configured limit (25 MB) is checked by the use case. */
const S3_MAX_PUT_BYTES = 5 * 1024 * 1024 * 1024;

/** The body of both upload routes: the document and the file about to be uploaded. */
export const documentUploadBody = z
  .object({
    title: z.string().trim().min(1, 'Enter a title').max(DOCUMENT_LIMITS.title),
    kind: z.enum(DOCUMENT_KINDS),
    fileName: z.string().trim().min(1, 'Enter the file name').max(DOCUMENT_LIMITS.fileName),
    contentType: z
      .string()
      .trim()
      .min(1)
      .max(255)
      .meta({ description: `One of: ${DOCUMENT_CONTENT_TYPE_LIST.join(', ')}` }),
    sizeBytes: z
      .number()
      .int('Use a whole number of bytes')
      .min(1, 'The file is empty')
      .max(S3_MAX_PUT_BYTES)
      .meta({ description: 'The exact size of the file; at most 25 MB (MAX_DOCUMENT_BYTES)' }),
  })
  .strict()
  .meta({ id: 'DocumentUploadRequest' });

const uploadTicket = z
  .object({
    documentId: z.string(),
    version: z.number().int(),
    uploadUrl: z.string().meta({
      description:
        'A presigned S3 PUT for this upload alone: send the file with the declared Content-Type and exactly sizeBytes bytes before expiresAt, then confirm the version (POST …/versions/{version}/confirm). Until confirmed it is pending: not listed, and not recorded by bids. The confirmation checks the file (its size and type as stored, and its first bytes against the type) and copies it to the version’s own object: a file that does not match is removed and refused (400 /problems/validation on `file`), and the URL cannot change the version once it is confirmed',
    }),
    expiresAt: z.string(),
  })
  .meta({ id: 'DocumentUploadTicket' });

const version = z
  .object({
    version: z.number().int(),
    fileName: z.string(),
    contentType: z.string(),
    sizeBytes: z.number().int(),
    uploadedAt: z.string(),
    downloadUrl: z.string().meta({ description: 'A short-lived presigned S3 GET of this version' }),
  })
  .meta({ id: 'DocumentVersion' });

const listedDocument = z
  .object({
    documentId: z.string(),
    title: z.string(),
    kind: z.enum(DOCUMENT_KINDS),
    version: z.number().int().meta({ description: 'The current version' }),
    fileName: z.string(),
    contentType: z.string(),
    sizeBytes: z.number().int(),
    uploadedAt: z.string(),
    downloadUrl: z.string(),
    versions: z
      .array(version)
      .meta({ description: 'Every version, newest first; earlier ones stay downloadable' }),
  })
  .meta({ id: 'TenderDocument' });

/** The largest version number a path may name (six digits, as the object keys pad them). */
const MAX_VERSION = 999_999;

const confirmedVersion = z
  .object({
    documentId: z.string(),
    title: z.string(),
    kind: z.enum(DOCUMENT_KINDS),
    version: z.number().int(),
    status: z.literal('current'),
    fileName: z.string(),
    contentType: z.string(),
    sizeBytes: z.number().int().meta({ description: 'As stored in the bucket' }),
    uploadedAt: z.string(),
  })
  .meta({ id: 'ConfirmedDocumentVersion' });

/** Schemas by route key. */
export const documentSchemas = {
  'POST /competitions/{id}/documents': {
    params: z.object({ id: ulidSchema }),
    body: documentUploadBody,
    responses: { 201: uploadTicket },
  },
  'POST /competitions/{id}/documents/{documentId}/versions': {
    params: z.object({ id: ulidSchema, documentId: ulidSchema }),
    body: documentUploadBody,
    responses: { 201: uploadTicket },
  },
  'POST /competitions/{id}/documents/{documentId}/versions/{version}/confirm': {
    params: z.object({
      id: ulidSchema,
      documentId: ulidSchema,
      version: z.coerce.number().int().min(1).max(MAX_VERSION),
    }),
    responses: { 200: confirmedVersion },
  },
  'GET /competitions/{id}/documents': {
    params: z.object({ id: ulidSchema }),
    responses: {
      200: z
        .object({ items: z.array(listedDocument), downloadUrlsExpireAt: z.string() })
        .meta({ id: 'TenderDocumentList' }),
    },
  },
} satisfies Record<string, RouteSchemaSet>;
