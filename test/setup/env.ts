/**
 * Runs before each test file, before it imports anything: points the configuration at the shared
 * DynamoDB Local with a table prefix of its own, silences logs and metrics, and sets the domain periods to
 * zero so tests can use deadlines seconds away.
 */
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';

process.env.DYNAMODB_ENDPOINT = inject('dynamodbEndpoint');
// The run's local S3 server (global-s3.ts) and its one bucket; objects are keyed by competition id.
process.env.S3_ENDPOINT = inject('s3Endpoint');
process.env.DOCUMENTS_BUCKET_NAME = 'test-documents';
process.env.TABLE_PREFIX = `t${randomBytes(5).toString('hex')}-`;
process.env.AWS_REGION = 'eu-west-2';
process.env.POWERTOOLS_LOG_LEVEL = process.env.TEST_LOG_LEVEL ?? 'SILENT';
process.env.POWERTOOLS_METRICS_DISABLED = 'true';
process.env.MIN_PREQUALIFICATION_DAYS = '0';
process.env.MIN_TENDER_DAYS = '0';
process.env.STANDSTILL_DAYS = '0';
// Belt and braces: even a misconfigured client can never reach real AWS with these.
process.env.AWS_ACCESS_KEY_ID = 'test';
process.env.AWS_SECRET_ACCESS_KEY = 'test';
delete process.env.AWS_PROFILE;
