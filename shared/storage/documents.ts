/**
 * The documents bucket, through presigned URLs only: files go from the browser to S3 and back without
 * passing through a Lambda function. One S3 client per process, built at module scope from the
 * configuration like the DynamoDB client; `S3_ENDPOINT` points it at the local S3-compatible server or
 * LocalStack, addressed path-style (`http://host:port/bucket/key`), with the local server's fixed key pair.
 *
 * Presigning is a computation, not a call: a URL signed here works only if this function's role may do the
 * same itself (PutObject or GetObject on the documents prefix: the grants are per function,
 * `infra/stacks/stateless-stack.ts`), and only on the one object key it was signed for.
 */
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { config } from '../config';

/**
 * The key pair the local S3-compatible server accepts (`local/s3-server.ts` holds the same): used whenever
 * `S3_ENDPOINT` is set, so a developer's real AWS credentials never sign a local URL.
 */
export const LOCAL_S3_KEY = { accessKeyId: 'local', secretAccessKey: 'local-secret' } as const;

/** A presigned URL and when it stops working. */
export interface PresignedUrl {
  url: string;
  expiresAt: string;
}

/** A browser form that uploads straight to S3: where it posts and the hidden fields it carries. */
export interface PresignedForm {
  url: string;
  fields: Record<string, string>;
  expiresAt: string;
}

/** What an uploaded object is, as S3 keeps it. */
export interface StoredObject {
  sizeBytes: number;
  contentType: string | undefined;
  metadata: Record<string, string>;
}

/** The documents bucket as the use cases see it (tests may pass their own). */
export interface DocumentStorage {
  /** A PUT URL for exactly this key, content type and length. */
  uploadUrl(
    object: { key: string; contentType: string; sizeBytes: number },
    options: { now: Date; expiresSeconds: number },
  ): Promise<PresignedUrl>;
  /**
   * A browser POST form for exactly this key and content type, a file of 1 to `maxBytes` bytes, with these
   * metadata fields, redirecting to `redirect` after the upload (S3 adds `bucket`, `key` and `etag`).
   */
  uploadForm(
    object: {
      key: string;
      contentType: string;
      maxBytes: number;
      metadata: Record<string, string>;
      redirect: string;
    },
    options: { now: Date; expiresSeconds: number },
  ): Promise<PresignedForm>;
  /** A GET URL for one key that downloads as an attachment with this file name. */
  downloadUrl(
    object: { key: string; contentDisposition: string; contentType: string },
    options: { now: Date; expiresSeconds: number },
  ): Promise<PresignedUrl>;
  /** What is stored under a key (HeadObject), or undefined when nothing is. */
  head(key: string): Promise<StoredObject | undefined>;
}

let s3: S3Client | undefined;

/** The process-wide S3 client. */
export function s3Client(): S3Client {
  const { region, documents } = config();
  s3 ??= new S3Client({
    region,
    ...(documents.endpoint
      ? { endpoint: documents.endpoint, forcePathStyle: true, credentials: { ...LOCAL_S3_KEY } }
      : {}),
    // Checksums only where S3 requires them: otherwise the SDK adds a checksum of an empty body to every
    // presigned PUT, and the browser's upload of the real file no longer matches it.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: documents.endpoint ? 2 : 3,
  });
  return s3;
}

const expiry = (now: Date, seconds: number) => new Date(now.getTime() + seconds * 1000).toISOString();

/** Documents in the configured bucket, through the process-wide client. */
export function documentStorage(): DocumentStorage {
  const client = s3Client();
  const bucket = config().documents.bucket;
  return {
    async uploadUrl(object, { now, expiresSeconds }) {
      const url = await getSignedUrl(
        client,
        new PutObjectCommand({
          Bucket: bucket,
          Key: object.key,
          ContentType: object.contentType,
          ContentLength: object.sizeBytes,
        }),
        {
          expiresIn: expiresSeconds,
          signingDate: now,
          // Signed, so S3 refuses a body of another type or length than the one declared and checked.
          signableHeaders: new Set(['content-type', 'content-length']),
        },
      );
      return { url, expiresAt: expiry(now, expiresSeconds) };
    },

    async uploadForm(object, { now, expiresSeconds }) {
      const metadata = Object.fromEntries(
        Object.entries(object.metadata).map(([name, value]) => [`x-amz-meta-${name}`, value]),
      );
      const fields = {
        'Content-Type': object.contentType,
        success_action_redirect: object.redirect,
        ...metadata,
      };
      const { url, fields: signed } = await createPresignedPost(client, {
        Bucket: bucket,
        Key: object.key,
        Expires: expiresSeconds,
        Fields: fields,
        Conditions: [
          ['content-length-range', 1, object.maxBytes],
          ...Object.entries(fields).map(
            ([name, value]) => ['eq', `$${name}`, value] as ['eq', string, string],
          ),
        ],
      });
      return { url, fields: signed, expiresAt: expiry(now, expiresSeconds) };
    },

    async downloadUrl(object, { now, expiresSeconds }) {
      const url = await getSignedUrl(
        client,
        new GetObjectCommand({
          Bucket: bucket,
          Key: object.key,
          ResponseContentDisposition: object.contentDisposition,
          ResponseContentType: object.contentType,
        }),
        { expiresIn: expiresSeconds, signingDate: now },
      );
      return { url, expiresAt: expiry(now, expiresSeconds) };
    },

    async head(key) {
      try {
        const result = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
        return {
          sizeBytes: result.ContentLength ?? 0,
          contentType: result.ContentType,
          metadata: result.Metadata ?? {},
        };
      } catch (error) {
        const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
        if (status === 404 || (error as Error).name === 'NotFound') return undefined;
        throw error;
      }
    },
  };
}
