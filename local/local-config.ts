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
  /** Send e-mail to this SMTP server (`MAIL_ENDPOINT`) instead of starting the local mail catcher. */
  mailEndpoint: string | undefined;
  /** The local mail catcher's ports (`MAIL_SMTP_PORT`, 1025, and `MAIL_WEB_PORT`, 1080; 0 for any free one). */
  mailSmtpPort: number;
  mailWebPort: number;
  seed: 'demo' | 'none';
  logLevel: string;
}

/** Reads the local settings. */
export function localConfig(env: Record<string, string | undefined> = process.env): LocalConfig {
  const port = Number(env.PORT ?? '3000');
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new LocalConfigError(`PORT must be a port number, got "${env.PORT}"`);
  const portOf = (name: string, fallback: number) => {
    const value = Number(env[name] || fallback);
    if (!Number.isInteger(value) || value < 0 || value > 65535)
      throw new LocalConfigError(`${name} must be a port number, got "${env[name]}"`);
    return value;
  };
  const seed = env.SEED ?? 'demo';
  if (seed !== 'demo' && seed !== 'none')
    throw new LocalConfigError(`SEED must be "demo" or "none", got "${seed}"`);
  return {
    port,
    dataDir: resolve(env.DATA_DIR ?? '.data'),
    dynamodbEndpoint:
      env.DYNAMODB_ENDPOINT && env.DYNAMODB_ENDPOINT !== '' ? env.DYNAMODB_ENDPOINT : undefined,
    s3Endpoint: env.S3_ENDPOINT && env.S3_ENDPOINT !== '' ? env.S3_ENDPOINT : undefined,
    mailEndpoint: env.MAIL_ENDPOINT && env.MAIL_ENDPOINT !== '' ? env.MAIL_ENDPOINT : undefined,
    mailSmtpPort: portOf('MAIL_SMTP_PORT', 1025),
    mailWebPort: portOf('MAIL_WEB_PORT', 1080),
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
  /** The SMTP server e-mail goes to (the local mail catcher, or another). */
  mailEndpoint?: string;
  /** The gateway's address, which links in e-mails start with (unless `SERVICE_URL` is set already). */
  serviceUrl?: string;
  logLevel: string;
  tablePrefix?: string;
  /** The web session cookie key (base64url), kept in the data directory (`local/cookie-key.ts`). */
  webCookieSecret?: string;
  /** The one-click unsubscribe key (base64url), kept in the data directory (`local/unsubscribe-key.ts`). */
  unsubscribeKey?: string;
}): void {
  process.env.DYNAMODB_ENDPOINT = settings.dynamodbEndpoint;
  if (settings.s3Endpoint !== undefined) process.env.S3_ENDPOINT = settings.s3Endpoint;
  if (settings.mailEndpoint !== undefined) process.env.MAIL_ENDPOINT = settings.mailEndpoint;
  if (settings.serviceUrl !== undefined) process.env.SERVICE_URL ??= settings.serviceUrl;
  if (settings.webCookieSecret !== undefined && !process.env.WEB_COOKIE_SECRET) {
    process.env.WEB_COOKIE_SECRET = settings.webCookieSecret;
  }
  if (settings.unsubscribeKey !== undefined && !process.env.UNSUBSCRIBE_KEY) {
    process.env.UNSUBSCRIBE_KEY = settings.unsubscribeKey;
  }
  process.env.AWS_REGION ??= 'eu-west-2';
  process.env.POWERTOOLS_LOG_LEVEL ??= settings.logLevel;
  process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
  process.env.POWERTOOLS_DEV ??= 'false';
  if (settings.tablePrefix !== undefined) process.env.TABLE_PREFIX = settings.tablePrefix;
}
