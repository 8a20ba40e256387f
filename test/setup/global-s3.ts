/**
 * Starts one local S3-compatible server (`local/s3-server.ts`) for the whole test run, with the documents
 * bucket, and hands its endpoint to every test file, like DynamoDB Local. Test files need no bucket of their
 * own: every object key names its competition (`competitions/<ULID>/…`), and each test's competitions are
 * its own.
 */
import type { TestProject } from 'vitest/node';
import { startS3Local } from '../../local/s3-server';

declare module 'vitest' {
  export interface ProvidedContext {
    s3Endpoint: string;
  }
}

/** The bucket every test file uses (`DOCUMENTS_BUCKET_NAME`, set in env.ts). */
export const TEST_DOCUMENTS_BUCKET = 'test-documents';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const s3 = await startS3Local({ buckets: [TEST_DOCUMENTS_BUCKET] });
  project.provide('s3Endpoint', s3.endpoint);
  return () => s3.stop();
}
