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
  /**
   * OAuth redirect URLs of the app client: where Cognito may send a browser back to after sign-in
   * (`https://<site>/sign-in/callback`, the `redirect_uri` the web sign-in sends) and after sign-out
   * (`https://<site>/`). Required for a deploy; the localhost defaults are for `local` synths only.
   */
  callbackUrls: string[];
  logoutUrls: string[];
  /**
   * Prefix of the Cognito hosted sign-in domain (`https://<prefix>.auth.<region>.amazoncognito.com`,
   * prefixes are global): without it there is no sign-in page. Required for a deploy; may be absent only
   * in a `local` synth.
   */
  cognitoDomainPrefix: string | undefined;
  /** Address subscribed to the alarm topic, if any. */
  alarmEmail: string | undefined;
  /**
   * The SES configuration set every e-mail is sent through (`SES_CONFIGURATION_SET`), which the stack
   * creates with its bounce and complaint destination (`infra/constructs/ses-events.ts`). Names are unique
   * per account and region: another deployment in the same account needs another.
   */
  sesConfigurationSet: string;
  /**
   * The From address of every e-mail (`MAIL_FROM`): an address of an SES-verified domain or a verified
   * address; the delivery may send from that identity alone. Required for a deploy that sends e-mail.
   */
  mailFrom: string;
}

/**
 * The defaults: the numbers of DESIGN.md section 2 and the limits of section 5; the sign-in settings'
 * defaults (localhost, no hosted domain) apply only to a `local` synth.
 */
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
  sesConfigurationSet: 'offender-services-procurement',
  mailFrom: 'no-reply@example.org',
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

function flag(node: Node, key: string): boolean {
  const raw: unknown = node.tryGetContext(key);
  if (raw === undefined || raw === '' || raw === false || raw === 'false') return false;
  if (raw === true || raw === 'true') return true;
  throw invalid(key, 'true or false', raw);
}

/**
 * The context key that marks a synthesis as not for real users (the tests, LocalStack via `cdklocal`):
 * `-c local=true`. Only then may the sign-in settings below fall back to localhost and no hosted domain.
 */
export const LOCAL_CONTEXT_KEY = 'local';

/** The settings a deploy for real users must name, with what each is, for the message when one is missing. */
export const DEPLOY_SETTINGS = {
  callbackUrls: 'the URL Cognito sends a browser back to after sign-in: https://<site>/sign-in/callback',
  logoutUrls: 'the URL Cognito sends a browser back to after sign-out: https://<site>/',
  cognitoDomainPrefix:
    'the prefix of the Cognito hosted sign-in domain, https://<prefix>.auth.<region>.amazoncognito.com',
} as const;

/**
 * Checks the OAuth redirect URLs against what the web sign-in sends (`shared/web/pages/sign-in.ts`:
 * `https://<host>/sign-in/callback` and `https://<host>/`): an absolute URL with that path, HTTPS unless it
 * points at this machine (Cognito allows plain HTTP for localhost only).
 */
function redirectUrls(key: string, urls: string[], path: string): string[] {
  for (const raw of urls) {
    let url: URL | undefined;
    try {
      url = new URL(raw);
    } catch {
      url = undefined;
    }
    const local = url?.protocol === 'http:' && ['localhost', '127.0.0.1'].includes(url.hostname);
    if (!url || !(url.protocol === 'https:' || local) || url.pathname !== path || url.search || url.hash) {
      throw invalid(key, `a list of https://<site>${path} URLs`, raw);
    }
  }
  return urls;
}

/**
 * A Cognito domain prefix: lowercase letters, digits and hyphens, not at either end, at most 63 characters,
 * and none of the words Cognito reserves.
 */
function domainPrefix(prefix: string | undefined): string | undefined {
  if (prefix === undefined) return undefined;
  if (!/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(prefix) || /aws|amazon|cognito/.test(prefix)) {
    throw invalid(
      'cognitoDomainPrefix',
      'lowercase letters, digits and inner hyphens (at most 63), without "aws", "amazon" or "cognito"',
      prefix,
    );
  }
  return prefix;
}

/** A From address: a bare address (the SES identity is its domain or itself). */
function mailFromAddress(address: string): string {
  if (!/^[^\s@<>"]{1,64}@[A-Za-z0-9.-]{1,190}\.[A-Za-z]{2,}$/.test(address)) {
    throw invalid('mailFrom', 'an e-mail address such as no-reply@example.org', address);
  }
  return address;
}

/** An SES configuration set name, as `shared/config.ts` accepts it: 1 to 64 letters, digits, `_` or `-`. */
function configurationSetName(name: string): string {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(name)) {
    throw invalid('sesConfigurationSet', "1 to 64 letters, digits, '_' or '-'", name);
  }
  return name;
}

/**
 * Reads and validates the settings from the context of `node` (normally the app's).
 * @throws Error naming the key when a value is malformed, or naming every missing setting a deploy needs
 * (`DEPLOY_SETTINGS`) unless the context says `local=true`.
 */
export function settingsFromContext(node: Node): ServiceSettings {
  const local = flag(node, LOCAL_CONTEXT_KEY);
  if (!local) {
    const missing = (Object.keys(DEPLOY_SETTINGS) as (keyof typeof DEPLOY_SETTINGS)[]).filter((key) => {
      const raw: unknown = node.tryGetContext(key);
      return raw === undefined || raw === '';
    });
    if (missing.length > 0) {
      throw new Error(
        [
          `CDK context is missing what a deploy needs for web sign-in: ${missing.join(', ')}.`,
          ...missing.map((key) => `  ${key}: ${DEPLOY_SETTINGS[key]}`),
          'Set them in cdk.json or pass -c key=value (lists comma-separated); see "Deploying to AWS" in the README.',
          `For a synthesis not meant for real users (tests, LocalStack) pass -c ${LOCAL_CONTEXT_KEY}=true instead.`,
        ].join('\n'),
      );
    }
  }
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
    callbackUrls: redirectUrls(
      'callbackUrls',
      list(node, 'callbackUrls', defaults.callbackUrls),
      '/sign-in/callback',
    ),
    logoutUrls: redirectUrls('logoutUrls', list(node, 'logoutUrls', defaults.logoutUrls), '/'),
    cognitoDomainPrefix: domainPrefix(text(node, 'cognitoDomainPrefix', undefined)),
    alarmEmail: text(node, 'alarmEmail', undefined),
    mailFrom: mailFromAddress(text(node, 'mailFrom', defaults.mailFrom) ?? defaults.mailFrom),
    sesConfigurationSet: configurationSetName(
      text(node, 'sesConfigurationSet', defaults.sesConfigurationSet) ?? defaults.sesConfigurationSet,
    ),
  };
}
