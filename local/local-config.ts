/**
 * The local runner's settings, read once from the environment (../shared/API.md, Local runner), and the
 * environment it hands to the handlers it runs in-process.
 */
import { resolve } from 'node:path';

/** Raised for a malformed local setting. */
export class LocalConfigError extends Error {
  override readonly name = 'LocalConfigError';
}

/** Settings of `npm start`, `npm run token`, `npm run invoke` and `npm run bench`. */
export interface LocalConfig {
  port: number;
  dataDir: string;
  dynamodbEndpoint: string | undefined;
  /** Use this S3 endpoint (LocalStack) instead of starting the local S3-compatible server. */
  s3Endpoint: string | undefined;
  seed: 'demo' | 'none';
  logLevel: string;
}

/** Reads the local settings. */
export function localConfig(env: Record<string, string | undefined> = process.env): LocalConfig {
  const port = Number(env.PORT ?? '3000');
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new LocalConfigError(`PORT must be a port number, got "${env.PORT}"`);
  const seed = env.SEED ?? 'demo';
  if (seed !== 'demo' && seed !== 'none')
    throw new LocalConfigError(`SEED must be "demo" or "none", got "${seed}"`);
  return {
    port,
    dataDir: resolve(env.DATA_DIR ?? '.data'),
    dynamodbEndpoint:
      env.DYNAMODB_ENDPOINT && env.DYNAMODB_ENDPOINT !== '' ? env.DYNAMODB_ENDPOINT : undefined,
    s3Endpoint: env.S3_ENDPOINT && env.S3_ENDPOINT !== '' ? env.S3_ENDPOINT : undefined,
    seed,
    logLevel: env.LOG_LEVEL ?? 'WARN',
  };
}

/**
 * Prepares `process.env` for the in-process handlers before any of them is imported: the DynamoDB endpoint,
 * quiet logs, no CloudWatch metrics output and the web session cookie key from the data directory (unless
 * `WEB_COOKIE_SECRET` is set already). The domain periods (MIN_TENDER_DAYS, …) pass through as set.
 */
export function exportHandlerEnvironment(settings: {
  dynamodbEndpoint: string;
  /** The S3 endpoint of the documents bucket (the local server, or LocalStack). */
  s3Endpoint?: string;
  logLevel: string;
  tablePrefix?: string;
  /** The web session cookie key (base64url), kept in the data directory (`local/cookie-key.ts`). */
  webCookieSecret?: string;
}): void {
  process.env.DYNAMODB_ENDPOINT = settings.dynamodbEndpoint;
  if (settings.s3Endpoint !== undefined) process.env.S3_ENDPOINT = settings.s3Endpoint;
  if (settings.webCookieSecret !== undefined && !process.env.WEB_COOKIE_SECRET) {
    process.env.WEB_COOKIE_SECRET = settings.webCookieSecret;
  }
  process.env.AWS_REGION ??= 'eu-west-2';
  process.env.POWERTOOLS_LOG_LEVEL ??= settings.logLevel;
  process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
  process.env.POWERTOOLS_DEV ??= 'false';
  if (settings.tablePrefix !== undefined) process.env.TABLE_PREFIX = settings.tablePrefix;
}
