/**
 * Deployment settings, read from CDK context (`cdk.json` or `cdk synth -c key=value`).
 *
 * Context values arrive as JSON from `cdk.json` but as strings from the command line, so every value is
 * parsed and validated here: a typo fails the synth with a message naming the key, instead of deploying a
 * stack with a `NaN` throttle or a domain rule the handlers would reject at cold start.
 */
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Node } from 'constructs';

/** Every setting the stacks read. */
export interface ServiceSettings {
  /** `POWERTOOLS_SERVICE_NAME`: the service dimension on logs, metrics and traces. */
  serviceName: string;
  /** `POWERTOOLS_LOG_LEVEL` for every function. */
  logLevel: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  /** How long function and access logs are kept. */
  logRetention: RetentionDays;
  /** API Gateway stage throttling (DESIGN.md section 5, abuse limits). */
  throttle: { burstLimit: number; rateLimit: number };
  /** Domain rules passed to the handlers as environment variables (see `shared/config.ts`). */
  rules: { minPrequalificationDays: number; minTenderDays: number; standstillDays: number };
  /** OAuth redirect URLs of the app client. */
  callbackUrls: string[];
  logoutUrls: string[];
  /** Prefix of the Cognito hosted sign-in domain; no domain is created without it (prefixes are global). */
  cognitoDomainPrefix: string | undefined;
  /** Address subscribed to the alarm topic, if any. */
  alarmEmail: string | undefined;
}

/** The defaults: the numbers of DESIGN.md section 2 and the limits of section 5. */
export const DEFAULT_SETTINGS: ServiceSettings = {
  serviceName: 'offender-services-procurement',
  logLevel: 'INFO',
  logRetention: RetentionDays.ONE_MONTH,
  throttle: { burstLimit: 200, rateLimit: 100 },
  rules: { minPrequalificationDays: 10, minTenderDays: 25, standstillDays: 8 },
  callbackUrls: ['http://localhost:3000/sign-in/callback'],
  logoutUrls: ['http://localhost:3000/'],
  cognitoDomainPrefix: undefined,
  alarmEmail: undefined,
};

const LOG_LEVELS = ['DEBUG', 'INFO', 'WARN', 'ERROR'] as const;

function invalid(key: string, expected: string, raw: unknown): Error {
  return new Error(`CDK context "${key}" must be ${expected}, got ${JSON.stringify(raw)}`);
}

function integer(node: Node, key: string, fallback: number, min: number): number {
  const raw: unknown = node.tryGetContext(key);
  if (raw === undefined || raw === '') return fallback;
  const value = typeof raw === 'string' ? Number(raw) : raw;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw invalid(key, `an integer ≥ ${min}`, raw);
  }
  return value;
}

function text(node: Node, key: string, fallback: string | undefined): string | undefined {
  const raw: unknown = node.tryGetContext(key);
  if (raw === undefined || raw === '') return fallback;
  if (typeof raw !== 'string') throw invalid(key, 'a string', raw);
  return raw;
}

/** A list from JSON (`["a","b"]` in cdk.json) or from the command line (`-c key=a,b`). */
function list(node: Node, key: string, fallback: string[]): string[] {
  const raw: unknown = node.tryGetContext(key);
  if (raw === undefined || raw === '') return fallback;
  const values = typeof raw === 'string' ? raw.split(',').map((v) => v.trim()) : raw;
  if (!Array.isArray(values) || values.length === 0 || !values.every((v) => typeof v === 'string' && v)) {
    throw invalid(key, 'a non-empty list of strings', raw);
  }
  return values as string[];
}

/**
 * Reads and validates the settings from the context of `node` (normally the app's).
 * @throws Error naming the key when a value is malformed.
 */
export function settingsFromContext(node: Node): ServiceSettings {
  const logLevel = text(node, 'powertoolsLogLevel', DEFAULT_SETTINGS.logLevel)?.toUpperCase();
  if (!LOG_LEVELS.includes(logLevel as ServiceSettings['logLevel'])) {
    throw invalid('powertoolsLogLevel', `one of ${LOG_LEVELS.join(', ')}`, logLevel);
  }
  const retention = integer(node, 'logRetentionDays', DEFAULT_SETTINGS.logRetention, 1);
  // CloudWatch accepts only certain retention periods; RetentionDays lists exactly those.
  if (!(Object.values(RetentionDays) as unknown[]).includes(retention)) {
    throw invalid(
      'logRetentionDays',
      'a CloudWatch retention period (1, 3, 5, 7, 14, 30, 60, 90, …)',
      retention,
    );
  }
  const defaults = DEFAULT_SETTINGS;
  return {
    serviceName: text(node, 'serviceName', defaults.serviceName) ?? defaults.serviceName,
    logLevel: logLevel as ServiceSettings['logLevel'],
    logRetention: retention as RetentionDays,
    throttle: {
      burstLimit: integer(node, 'throttleBurstLimit', defaults.throttle.burstLimit, 1),
      rateLimit: integer(node, 'throttleRateLimit', defaults.throttle.rateLimit, 1),
    },
    rules: {
      minPrequalificationDays: integer(
        node,
        'minPrequalificationDays',
        defaults.rules.minPrequalificationDays,
        0,
      ),
      minTenderDays: integer(node, 'minTenderDays', defaults.rules.minTenderDays, 0),
      standstillDays: integer(node, 'standstillDays', defaults.rules.standstillDays, 0),
    },
    callbackUrls: list(node, 'callbackUrls', defaults.callbackUrls),
    logoutUrls: list(node, 'logoutUrls', defaults.logoutUrls),
    cognitoDomainPrefix: text(node, 'cognitoDomainPrefix', undefined),
    alarmEmail: text(node, 'alarmEmail', undefined),
  };
}
