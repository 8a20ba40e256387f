/**
 * Configuration, read once from the environment.
 *
 * This is the only module that reads `process.env` for application settings: everything else receives
 * values from here, so a missing or malformed setting fails loudly at start-up rather than deep inside a
 * request. Every domain number from DESIGN.md section 2 lives here with its default.
 */

import { randomBytes } from 'node:crypto';
import { TABLE_NAMES, type TableName } from './db/table-names';
import type { EvaluationRules } from './domain/evaluation-rules';

/** Thrown when an environment variable is missing or malformed. */
export class ConfigurationError extends Error {
  override readonly name = 'ConfigurationError';
}

/** Domain rules whose numbers come from configuration (DESIGN.md section 2). */
export interface DomainRules {
  /** Shortest time from publication to the pre-qualification deadline. */
  minPrequalificationDays: number;
  /** Shortest time from shortlisting (or publication, tier `none`) to the tender deadline. */
  minTenderDays: number;
  /** Days between award decision and contract award. */
  standstillDays: number;
  /** Tier thresholds: below this value (and low risk) no questionnaire. */
  tierNoneBelowPence: number;
  /** At or above this value the full questionnaire applies. */
  tierFullFromPence: number;
  /** A term longer than this many months calls for the full questionnaire. */
  tierFullTermOverMonths: number;
  /** How long an accreditation stays current. */
  accreditationValidMonths: number;
  /** Minimum turnover demanded may not exceed this multiple of the annual contract value. */
  turnoverMultipleCap: number;
  /** Default share of contract value to be sub-contracted. */
  defaultSubcontractingTargetPercent: number;
  /** Invoices paid within this many days count as prompt. */
  promptPaymentDays: number;
  /**
   * The sub-contracting dashboard's network targets (issue 16): the share of sub-contracted spend that
   * should reach voluntary-sector (VCSE) and small and medium-sized (SME) sub-contractors, judged for each
   * region and the whole network. A contract's own VCSE target, where set, is judged on the contract.
   */
  vcseShareTargetPercent: number;
  smeShareTargetPercent: number;
  /** Days an invitation to join an organisation stays open (issue 12): judged at request time. */
  invitationValidDays: number;
  /**
   * Clarification questions close this many days before the competition's current deadline (issue 15):
   * the pre-qualification deadline while it is ahead, else the tender deadline.
   */
  clarificationDays: number;
  /**
   * The most clarification questions one organisation may have waiting for an answer on one competition at
   * once (`MAX_PENDING_QUESTIONS`, issue 15): one organisation cannot bury the lead under thousands.
   */
  maxPendingQuestions: number;
  /** Separation of duties in evaluation (issue 12): see `EvaluationRules`. */
  evaluation: EvaluationRules;
}

/** The whole configuration. */
export interface Config {
  /** AWS region for the SDK (DynamoDB Local ignores it, but the SDK needs one). */
  region: string;
  /** Another DynamoDB endpoint (DynamoDB Local, LocalStack); unset in AWS. */
  dynamodbEndpoint: string | undefined;
  /** Physical table name for each logical table. */
  tables: Record<TableName, string>;
  /** Seconds an idempotency record is kept. */
  idempotencyTtlSeconds: number;
  /** Largest JSON body accepted, in bytes. */
  maxJsonBodyBytes: number;
  /** Largest CSV body accepted, in bytes. */
  maxCsvBodyBytes: number;
  /** Service name for logs and metrics. */
  serviceName: string;
  /**
   * Issuer and audience of the tokens API Gateway's JWT authorizer accepts (Cognito). Set in AWS, where
   * public routes get no claims from the authorizer and verify an optional bearer token themselves; unset
   * locally, where the local gateway passes claims on public routes too.
   */
  jwt: { issuer: string; audience: string } | undefined;
  /**
   * The role a provider-facing function assumes for each provider it acts for (`PROVIDER_DATA_ROLE_ARN`,
   * the `tenders` and `prequalification` functions), tagging the session with the provider's id: its
   * policy reaches only that provider's own bid or response, so a request for one provider holds
   * credentials that cannot touch another's. Set by CDK; unset locally, where the function's own
   * credentials are used (DynamoDB Local has no IAM).
   */
  providerDataRoleArn: string | undefined;
  rules: DomainRules;
  web: WebSettings;
  /** Tender documents in S3 (issue 15). */
  documents: DocumentSettings;
  /** The OCDS publication (issue 16). */
  publication: PublicationSettings;
}

/**
 * Where e-mail goes (`shared/email`; issue 17): over SMTP to `MAIL_ENDPOINT` when it is set (the local mail
 * catcher that `npm start` runs, or another such as Mailpit), otherwise through Amazon SES v2, as in AWS.
 * Read by `mailConfig()`, apart from `config()`: only the functions that send e-mail bundle its checks
 * (about 1.2 KB, which every other function would otherwise carry against its 300 KB budget).
 */
export interface MailSettings {
  /** `MAIL_ENDPOINT`: `smtp://host:port` (or `smtps://`); unset in AWS, where SES sends. */
  endpoint: string | undefined;
  /**
   * `MAIL_FROM`: the From address, a verified SES identity in AWS (`Name <address>` or a bare address). The
   * default is plainly local, so nothing sent with it can pass for the real service.
   */
  from: string;
  /** `SES_FROM_IDENTITY_ARN`: the sender identity's ARN, when it belongs to another account (sending authorisation). */
  sesFromIdentityArn: string | undefined;
  /** `SES_CONFIGURATION_SET`: the configuration set whose event destinations report bounces and complaints. */
  sesConfigurationSet: string | undefined;
  /**
   * `SERVICE_URL`: the address the service's pages are at (`https://…`, no trailing slash), which every
   * link in an e-mail starts with; the local stack sets it to the gateway's address.
   */
  serviceUrl: string | undefined;
  /**
   * The key of the one-click unsubscribe tokens (`UNSUBSCRIBE_KEY`, base64 or base64url of at least 32
   * bytes; `shared/domain/notifications/unsubscribe-token.ts`), when it is given as a value: the local
   * stack sets it from `$DATA_DIR/unsubscribe-key` (`local/unsubscribe-key.ts`), so links in caught e-mail
   * outlive a restart; elsewhere outside Lambda, with no value and no ARN, a random key per process. In AWS
   * it stays undefined and the functions read it from Secrets Manager by `unsubscribeKeyArn`
   * (`shared/email/unsubscribe-key.ts`), as the web cookie key is read: never a value in a function's
   * configuration. Changing it revokes every unsubscribe link already sent.
   */
  unsubscribeKey: Uint8Array | undefined;
  /** `UNSUBSCRIBE_KEY_ARN`: the Secrets Manager secret holding that key (set by the CDK app); never with `UNSUBSCRIBE_KEY`. */
  unsubscribeKeyArn: string | undefined;
}

/**
 * How the OCDS releases name this publisher and its contracting processes (`shared/domain/publication`).
 * The ocid prefix is the one the Open Contracting Partnership registers for a publisher (`ocds-` and six
 * characters); until one is registered the default is plainly local, so no data published with it can be
 * mistaken for a real publisher's.
 */
export interface PublicationSettings {
  /** `OCDS_OCID_PREFIX` (default `ocds-xxxxxx-local`): every ocid is this, a hyphen and the process's id. */
  ocidPrefix: string;
  /** `OCDS_PUBLISHER_NAME`: the package's publisher, and the buyer's name in every release. */
  publisherName: string;
  /** `OCDS_BUYER_ID`: the buyer's party id in every release (default `local-commissioner`). */
  buyerId: string;
}

/** Where tender documents live and how long their presigned URLs last (`shared/storage/documents.ts`). */
export interface DocumentSettings {
  /** The documents bucket (`DOCUMENTS_BUCKET_NAME`; the CDK app sets it, locally `documents`). */
  bucket: string;
  /**
   * Another S3 endpoint (`S3_ENDPOINT`): the local S3-compatible server (`local/s3-server.ts`) or LocalStack;
   * unset in AWS. With it the client addresses buckets path-style (`http://host:port/bucket/key`).
   */
  endpoint: string | undefined;
  /** Largest document, in bytes (`MAX_DOCUMENT_BYTES`, 25 MB). */
  maxBytes: number;
  /** Seconds an upload URL or form stays valid (`DOCUMENT_UPLOAD_URL_SECONDS`, 15 minutes). */
  uploadUrlSeconds: number;
  /** Seconds a download URL stays valid (`DOCUMENT_DOWNLOAD_URL_SECONDS`, 5 minutes). */
  downloadUrlSeconds: number;
}

/** Settings of the web front door (`functions/web`). */
export interface WebSettings {
  /**
   * 32-byte key that encrypts the web cookies (`WEB_COOKIE_SECRET`, base64url), when it is given as a
   * value: the local stack sets it from `$DATA_DIR/web-cookie-key` (`local/cookie-key.ts`), so sessions
   * outlive a restart; elsewhere outside Lambda, with no value and no ARN, a random key per process. In
   * AWS it stays undefined: the value never sits in a function's configuration (readable with
   * `lambda:GetFunctionConfiguration`), the function reads it from Secrets Manager by `cookieSecretArn`
   * (`shared/web/cookie-key.ts`). Inside Lambda with neither, the web function refuses to start a session
   * rather than use a guessable key.
   */
  cookieSecret: Uint8Array | undefined;
  /**
   * The Secrets Manager secret holding the cookie key (`WEB_COOKIE_SECRET_ARN`, set by the CDK app on the
   * web functions); undefined locally. Never set together with `WEB_COOKIE_SECRET`.
   */
  cookieSecretArn: string | undefined;
  /** Cognito hosted sign-in base URL (`WEB_COGNITO_DOMAIN`, e.g. `https://x.auth.eu-west-2.amazoncognito.com`). */
  cognitoDomain: string | undefined;
  /** The Cognito app client id (`WEB_COGNITO_CLIENT_ID`). */
  cognitoClientId: string | undefined;
  /** The user pool's token issuer (`WEB_COGNITO_ISSUER`); ID tokens are verified against its JWKS. */
  cognitoIssuer: string | undefined;
  /**
   * True outside Lambda: without Cognito, `/sign-in` sends developers to the local gateway's own sign-in
   * page, which exists only there.
   */
  localSignIn: boolean;
  /** Where GOV.UK Frontend's assets are served (`WEB_ASSETS_URL`): `/assets` locally, CloudFront in AWS. */
  assetsUrl: string;
}

type Env = Record<string, string | undefined>;

function integer(env: Env, name: string, fallback: number, min = 0): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) {
    throw new ConfigurationError(`${name} must be an integer ≥ ${min}, got "${raw}"`);
  }
  return value;
}

function flag(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (raw !== 'true' && raw !== 'false') {
    throw new ConfigurationError(`${name} must be "true" or "false", got "${raw}"`);
  }
  return raw === 'true';
}

function roleArn(env: Env, name: string): string | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  if (!/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/.test(raw)) {
    throw new ConfigurationError(`${name} must be an IAM role ARN, got "${raw}"`);
  }
  return raw;
}

/**
 * Physical table names: `<LOGICAL>_TABLE_NAME` wins (CDK sets these), else `TABLE_PREFIX` + logical name
 * (the local runner and the tests use a prefix to isolate data sets in one DynamoDB Local).
 */
function tableNames(env: Env): Record<TableName, string> {
  const prefix = env.TABLE_PREFIX ?? '';
  const entries = TABLE_NAMES.map((logical) => {
    const explicit = env[`${logical.toUpperCase()}_TABLE_NAME`];
    return [logical, explicit && explicit !== '' ? explicit : `${prefix}${logical}`] as const;
  });
  return Object.fromEntries(entries) as Record<TableName, string>;
}

/** Builds a configuration from an environment map; exported for tests. */
export function configFromEnv(env: Env): Config {
  return {
    region: env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'eu-west-2',
    dynamodbEndpoint:
      env.DYNAMODB_ENDPOINT && env.DYNAMODB_ENDPOINT !== '' ? env.DYNAMODB_ENDPOINT : undefined,
    tables: tableNames(env),
    idempotencyTtlSeconds: integer(env, 'IDEMPOTENCY_TTL_SECONDS', 24 * 3600, 1),
    maxJsonBodyBytes: integer(env, 'MAX_JSON_BODY_BYTES', 1024 * 1024, 1),
    maxCsvBodyBytes: integer(env, 'MAX_CSV_BODY_BYTES', 5 * 1024 * 1024, 1),
    serviceName: env.POWERTOOLS_SERVICE_NAME ?? 'offender-services-procurement',
    jwt:
      env.JWT_ISSUER && env.JWT_AUDIENCE ? { issuer: env.JWT_ISSUER, audience: env.JWT_AUDIENCE } : undefined,
    providerDataRoleArn: roleArn(env, 'PROVIDER_DATA_ROLE_ARN'),
    rules: {
      minPrequalificationDays: integer(env, 'MIN_PREQUALIFICATION_DAYS', 10),
      minTenderDays: integer(env, 'MIN_TENDER_DAYS', 25),
      standstillDays: integer(env, 'STANDSTILL_DAYS', 8),
      tierNoneBelowPence: integer(env, 'TIER_NONE_BELOW_PENCE', 100_000_00),
      tierFullFromPence: integer(env, 'TIER_FULL_FROM_PENCE', 1_000_000_00),
      tierFullTermOverMonths: integer(env, 'TIER_FULL_TERM_OVER_MONTHS', 60),
      accreditationValidMonths: integer(env, 'ACCREDITATION_VALID_MONTHS', 12, 1),
      turnoverMultipleCap: integer(env, 'TURNOVER_MULTIPLE_CAP', 2, 1),
      defaultSubcontractingTargetPercent: integer(env, 'DEFAULT_SUBCONTRACTING_TARGET_PERCENT', 10),
      promptPaymentDays: integer(env, 'PROMPT_PAYMENT_DAYS', 30, 1),
      // The government's aspiration of £1 in every £3 to SMEs; a quarter to VCSEs, as the demo contracts set.
      vcseShareTargetPercent: integer(env, 'VCSE_SHARE_TARGET_PERCENT', 25),
      smeShareTargetPercent: integer(env, 'SME_SHARE_TARGET_PERCENT', 33),
      invitationValidDays: integer(env, 'INVITATION_VALID_DAYS', 14, 1),
      clarificationDays: integer(env, 'CLARIFICATION_DAYS', 5),
      maxPendingQuestions: integer(env, 'MAX_PENDING_QUESTIONS', 20, 1),
      evaluation: {
        minEvaluatorsPerBid: integer(env, 'MIN_EVALUATORS_PER_BID', 2, 1),
        moderatorMayEvaluate: flag(env, 'MODERATOR_MAY_EVALUATE', false),
        leadMayBeSoleEvaluator: flag(env, 'LEAD_MAY_BE_SOLE_EVALUATOR', false),
      },
    },
    web: webSettings(env),
    documents: {
      bucket:
        env.DOCUMENTS_BUCKET_NAME && env.DOCUMENTS_BUCKET_NAME !== ''
          ? env.DOCUMENTS_BUCKET_NAME
          : 'documents',
      endpoint: env.S3_ENDPOINT && env.S3_ENDPOINT !== '' ? env.S3_ENDPOINT : undefined,
      maxBytes: integer(env, 'MAX_DOCUMENT_BYTES', 25 * 1024 * 1024, 1),
      uploadUrlSeconds: integer(env, 'DOCUMENT_UPLOAD_URL_SECONDS', 15 * 60, 1),
      downloadUrlSeconds: integer(env, 'DOCUMENT_DOWNLOAD_URL_SECONDS', 5 * 60, 1),
    },
    publication: publicationSettings(env),
  };
}

/**
 * The e-mail settings from an environment map; exported for tests. A malformed one fails when they are
 * first read (the local stack reads them at start), not when the first e-mail is sent.
 * @throws ConfigurationError
 */
export function mailSettingsFromEnv(env: Env): MailSettings {
  const optional = (name: string) => (env[name] && env[name] !== '' ? env[name] : undefined);
  const endpoint = optional('MAIL_ENDPOINT');
  if (endpoint !== undefined && !/^smtps?:\/\/[A-Za-z0-9.\-[\]:]+:\d{1,5}\/?$/.test(endpoint)) {
    throw new ConfigurationError(
      `MAIL_ENDPOINT must be smtp://host:port or smtps://host:port, got "${endpoint}"`,
    );
  }
  const from =
    optional('MAIL_FROM') ?? 'Offender services provider network (local) <no-reply@localhost.localdomain>';
  if (
    from.length > 320 ||
    /[\r\n]/.test(from) ||
    !/^(?:[^<>]*<[^\s<>@]+@[^\s<>@]+>|[^\s<>@]+@[^\s<>@]+)$/.test(from)
  ) {
    throw new ConfigurationError(`MAIL_FROM must be an address or Name <address>, got "${from}"`);
  }
  const sesFromIdentityArn = optional('SES_FROM_IDENTITY_ARN');
  if (
    sesFromIdentityArn !== undefined &&
    !/^arn:aws[a-z-]*:ses:[a-z0-9-]+:\d{12}:identity\/[^\s]+$/.test(sesFromIdentityArn)
  ) {
    throw new ConfigurationError(
      `SES_FROM_IDENTITY_ARN must be an SES identity ARN, got "${sesFromIdentityArn}"`,
    );
  }
  const sesConfigurationSet = optional('SES_CONFIGURATION_SET');
  if (sesConfigurationSet !== undefined && !/^[A-Za-z0-9_-]{1,64}$/.test(sesConfigurationSet)) {
    throw new ConfigurationError(
      `SES_CONFIGURATION_SET must be 1 to 64 letters, digits, '_' or '-', got "${sesConfigurationSet}"`,
    );
  }
  const serviceUrl = optional('SERVICE_URL')?.replace(/\/+$/, '');
  if (serviceUrl !== undefined && !/^https?:\/\/[^\s/?#]+(?:\/[^\s?#]*)?$/.test(serviceUrl)) {
    throw new ConfigurationError(`SERVICE_URL must be an http(s) address, got "${serviceUrl}"`);
  }
  const { unsubscribeKey, unsubscribeKeyArn } = unsubscribeKeySettings(env);
  return {
    endpoint,
    from,
    sesFromIdentityArn,
    sesConfigurationSet,
    serviceUrl,
    unsubscribeKey,
    unsubscribeKeyArn,
  };
}

/** Shortest unsubscribe key, in bytes (as `MIN_UNSUBSCRIBE_KEY_BYTES` of the token module, not imported here). */
const MIN_UNSUBSCRIBE_KEY_BYTES = 32;

/**
 * Decodes an unsubscribe key: base64 or base64url of at least 32 bytes. `source` names where it came from,
 * for the message; the value itself is never put in an error.
 * @throws ConfigurationError when it is not such a key.
 */
export function decodeUnsubscribeKey(raw: string, source: string): Buffer {
  const key = /^[A-Za-z0-9+/_-]+={0,2}$/.test(raw) ? Buffer.from(raw, 'base64') : Buffer.alloc(0);
  if (key.length < MIN_UNSUBSCRIBE_KEY_BYTES) {
    throw new ConfigurationError(
      `${source} must be at least ${MIN_UNSUBSCRIBE_KEY_BYTES} bytes, base64-encoded`,
    );
  }
  return key;
}

function unsubscribeKeySettings(env: Env): Pick<MailSettings, 'unsubscribeKey' | 'unsubscribeKeyArn'> {
  const raw = env.UNSUBSCRIBE_KEY;
  const unsubscribeKeyArn = secretArn(env, 'UNSUBSCRIBE_KEY_ARN');
  if (raw && raw !== '') {
    // One source of truth: a value beside the ARN would be a key in the configuration after all.
    if (unsubscribeKeyArn) {
      throw new ConfigurationError('Set UNSUBSCRIBE_KEY (locally) or UNSUBSCRIBE_KEY_ARN (AWS), not both');
    }
    return { unsubscribeKey: decodeUnsubscribeKey(raw, 'UNSUBSCRIBE_KEY'), unsubscribeKeyArn };
  }
  // Outside Lambda with nothing set (the tests), a key per process: every handler in it agrees. Inside
  // Lambda with neither, none: the key reader refuses rather than sign links with a guessable key.
  const unsubscribeKey = !env.AWS_LAMBDA_FUNCTION_NAME && !unsubscribeKeyArn ? randomBytes(32) : undefined;
  return { unsubscribeKey, unsubscribeKeyArn };
}

/** The OCDS settings; a malformed prefix or id fails at start-up, not in a release. */
function publicationSettings(env: Env): PublicationSettings {
  const optional = (name: string) => (env[name] && env[name] !== '' ? env[name] : undefined);
  const ocidPrefix = optional('OCDS_OCID_PREFIX') ?? 'ocds-xxxxxx-local';
  if (!/^ocds-[A-Za-z0-9]{6}(?:-[A-Za-z0-9]+)*$/.test(ocidPrefix)) {
    throw new ConfigurationError(
      `OCDS_OCID_PREFIX must be ocds- and six letters or digits (then optional -parts), got "${ocidPrefix}"`,
    );
  }
  const buyerId = optional('OCDS_BUYER_ID') ?? 'local-commissioner';
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/.test(buyerId)) {
    throw new ConfigurationError(`OCDS_BUYER_ID must be letters, digits, '.', '_' or '-', got "${buyerId}"`);
  }
  const publisherName = optional('OCDS_PUBLISHER_NAME') ?? 'Offender services commissioner (local data)';
  if (publisherName.length > 200)
    throw new ConfigurationError('OCDS_PUBLISHER_NAME must be at most 200 characters');
  return { ocidPrefix, publisherName, buyerId };
}

/**
 * Decodes a web cookie key: base64url of exactly 32 bytes (AES-256). `source` names where it came from, for
 * the message; the value itself is never put in an error.
 * @throws ConfigurationError when it is not such a key.
 */
export function decodeCookieKey(raw: string, source: string): Buffer {
  const key = Buffer.from(raw, 'base64url');
  if (key.length !== 32) {
    throw new ConfigurationError(`${source} must be 32 bytes, base64url-encoded`);
  }
  return key;
}

function secretArn(env: Env, name: string): string | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  if (!/^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[\w/+=.@-]+$/.test(raw)) {
    throw new ConfigurationError(`${name} must be a Secrets Manager secret ARN, got "${raw}"`);
  }
  return raw;
}

function webSettings(env: Env): WebSettings {
  const raw = env.WEB_COOKIE_SECRET;
  const cookieSecretArn = secretArn(env, 'WEB_COOKIE_SECRET_ARN');
  let cookieSecret: Uint8Array | undefined;
  if (raw && raw !== '') {
    // One source of truth: a value beside the ARN would be a key in the configuration after all.
    if (cookieSecretArn) {
      throw new ConfigurationError(
        'Set WEB_COOKIE_SECRET (locally) or WEB_COOKIE_SECRET_ARN (AWS), not both',
      );
    }
    cookieSecret = decodeCookieKey(raw, 'WEB_COOKIE_SECRET');
  } else if (!env.AWS_LAMBDA_FUNCTION_NAME && !cookieSecretArn) {
    cookieSecret = randomBytes(32);
  }
  const optional = (name: string) => (env[name] && env[name] !== '' ? env[name] : undefined);
  return {
    cookieSecret,
    cookieSecretArn,
    cognitoDomain: optional('WEB_COGNITO_DOMAIN')?.replace(/\/$/, ''),
    cognitoClientId: optional('WEB_COGNITO_CLIENT_ID'),
    cognitoIssuer: optional('WEB_COGNITO_ISSUER'),
    localSignIn: !env.AWS_LAMBDA_FUNCTION_NAME,
    assetsUrl: (optional('WEB_ASSETS_URL') ?? '/assets').replace(/\/$/, ''),
  };
}

let cached: Config | undefined;
let cachedMail: MailSettings | undefined;

/** The process-wide e-mail settings, read from `process.env` on first use and then kept. */
export function mailConfig(): MailSettings {
  cachedMail ??= mailSettingsFromEnv(process.env);
  return cachedMail;
}

/** The process-wide configuration, read from `process.env` on first use and then kept. */
export function config(): Config {
  cached ??= configFromEnv(process.env);
  return cached;
}
