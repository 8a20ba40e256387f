/**
 * The documents bucket, through presigned URLs only: files go from the browser to S3 and back without
 * passing through a Lambda function. One S3 client per process, built at module scope from the
 * configuration like the DynamoDB client; `S3_ENDPOINT` points it at the local S3-compatible server or
 * LocalStack, addressed path-style (`http://host:port/bucket/key`), with the local server's fixed key pair.
 *
 * Presigning is a computation, not a call: a URL signed here works only if this function's role may do the
 * same itself (PutObject on upload keys, or GetObject on the documents prefix: the grants are per function,
 * `infra/stacks/stateless-stack.ts`), and only on the one object key it was signed for. The confirmation
 * reads, copies (server-side, conditioned on the object it checked) and removes objects itself.
 */
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
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
  /** The object's entity tag (quoted, as S3 sends it): which bytes these are, for conditional reads. */
  etag: string | undefined;
}

/** Raised when an object changed (another write) between reading it and acting on what was read. */
export class ObjectChangedError extends Error {
  override readonly name = 'ObjectChangedError';
}

const statusOf = (error: unknown) =>
  (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;

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
  /**
   * The first `bytes` bytes of an object (a ranged GetObject), only if it is still the one with `etag`.
   * @returns undefined when nothing is stored under the key
   * @throws ObjectChangedError when another object was written there since
   */
  readStart(key: string, options: { bytes: number; etag: string }): Promise<Buffer | undefined>;
  /**
   * Copies an object within the bucket (server-side: no byte passes through the function), only if the
   * source is still the one with `etag`; answers the copy's entity tag.
   * @throws ObjectChangedError when another object was written to the source since
   */
  copy(object: { from: string; to: string; etag: string }): Promise<{ etag: string | undefined }>;
  /** Removes an object (in a versioned bucket, a delete marker: the bytes stay for the record). */
  remove(key: string): Promise<void>;
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
          etag: result.ETag,
        };
      } catch (error) {
        if (statusOf(error) === 404 || (error as Error).name === 'NotFound') return undefined;
        throw error;
      }
    },

    async readStart(key, { bytes, etag }) {
      try {
        const result = await client.send(
          new GetObjectCommand({ Bucket: bucket, Key: key, Range: `bytes=0-${bytes - 1}`, IfMatch: etag }),
        );
        return Buffer.from((await result.Body?.transformToByteArray()) ?? []);
      } catch (error) {
        if (statusOf(error) === 412) throw new ObjectChangedError(`${key} changed while it was read.`);
        if (statusOf(error) === 404 || (error as Error).name === 'NoSuchKey') return undefined;
        throw error;
      }
    },

    async copy({ from, to, etag }) {
      try {
        const result = await client.send(
          new CopyObjectCommand({
            Bucket: bucket,
            Key: to,
            CopySource: `${bucket}/${from.split('/').map(encodeURIComponent).join('/')}`,
            CopySourceIfMatch: etag,
            MetadataDirective: 'COPY',
          }),
        );
        return { etag: result.CopyObjectResult?.ETag };
      } catch (error) {
        if (statusOf(error) === 412) throw new ObjectChangedError(`${from} changed while it was copied.`);
        throw error;
      }
    },

    async remove(key) {
      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    },
  };
}
