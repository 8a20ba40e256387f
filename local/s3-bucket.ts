/**
 * Creates the documents bucket on another S3 endpoint (`S3_ENDPOINT`, e.g. LocalStack) when it is missing,
 * as the local stack creates the tables: the local S3 server creates its own at start.
 */
import { CreateBucketCommand, HeadBucketCommand } from '@aws-sdk/client-s3';
import { config } from '../shared/config';
import { s3Client } from '../shared/storage/documents';

/** @returns whether the bucket was created. */
export async function ensureDocumentsBucket(): Promise<boolean> {
  const client = s3Client();
  const Bucket = config().documents.bucket;
  try {
    await client.send(new HeadBucketCommand({ Bucket }));
    return false;
  } catch (error) {
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if (status !== 404) throw error;
  }
  await client.send(
    new CreateBucketCommand({
      Bucket,
      ...(config().region === 'us-east-1'
        ? {}
        : { CreateBucketConfiguration: { LocationConstraint: config().region as never } }),
    }),
  );
  return true;
}
