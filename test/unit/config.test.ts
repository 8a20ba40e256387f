import { describe, expect, it } from 'vitest';
import { ConfigurationError, configFromEnv } from '../../shared/config';

describe('configFromEnv', () => {
  it('has the design defaults', () => {
    const config = configFromEnv({});
    expect(config.rules).toEqual({
      minPrequalificationDays: 10,
      minTenderDays: 25,
      standstillDays: 8,
      tierNoneBelowPence: 10_000_000,
      tierFullFromPence: 100_000_000,
      tierFullTermOverMonths: 60,
      accreditationValidMonths: 12,
      turnoverMultipleCap: 2,
      defaultSubcontractingTargetPercent: 10,
      promptPaymentDays: 30,
      vcseShareTargetPercent: 25,
      smeShareTargetPercent: 33,
      invitationValidDays: 14,
      clarificationDays: 5,
      maxPendingQuestions: 20,
      evaluation: { minEvaluatorsPerBid: 2, moderatorMayEvaluate: false, leadMayBeSoleEvaluator: false },
    });
    expect(config.maxJsonBodyBytes).toBe(1024 * 1024);
    expect(config.maxCsvBodyBytes).toBe(5 * 1024 * 1024);
    expect(config.dynamodbEndpoint).toBeUndefined();
    expect(config.tables.registry).toBe('registry');
  });

  it('reads the periods, allowing zero for tests', () => {
    const config = configFromEnv({
      MIN_PREQUALIFICATION_DAYS: '0',
      MIN_TENDER_DAYS: '3',
      STANDSTILL_DAYS: '0',
    });
    expect(config.rules.minPrequalificationDays).toBe(0);
    expect(config.rules.minTenderDays).toBe(3);
    expect(config.rules.standstillDays).toBe(0);
  });

  it.each([['-1'], ['1.5'], ['ten'], ['1e400']])('refuses a malformed integer %s', (raw) => {
    expect(() => configFromEnv({ STANDSTILL_DAYS: raw })).toThrow(ConfigurationError);
  });

  it('names tables by prefix, and explicit names win', () => {
    const config = configFromEnv({ TABLE_PREFIX: 'dev-', AUDIT_TABLE_NAME: 'Stateful-AuditTable-123' });
    expect(config.tables.registry).toBe('dev-registry');
    expect(config.tables.audit).toBe('Stateful-AuditTable-123');
  });

  it('treats an empty DYNAMODB_ENDPOINT as unset', () => {
    expect(configFromEnv({ DYNAMODB_ENDPOINT: '' }).dynamodbEndpoint).toBeUndefined();
    expect(configFromEnv({ DYNAMODB_ENDPOINT: 'http://localhost:4566' }).dynamodbEndpoint).toBe(
      'http://localhost:4566',
    );
  });

  it('reads the provider data role ARN, refusing anything that is not an IAM role ARN', () => {
    expect(configFromEnv({}).providerDataRoleArn).toBeUndefined();
    expect(configFromEnv({ PROVIDER_DATA_ROLE_ARN: '' }).providerDataRoleArn).toBeUndefined();
    const arn = 'arn:aws:iam::123456789012:role/Service-TendersFunctionProviderDataRole-ABC123';
    expect(configFromEnv({ PROVIDER_DATA_ROLE_ARN: arn }).providerDataRoleArn).toBe(arn);
    for (const bad of ['provider-data', 'arn:aws:iam::123:role/x', 'arn:aws:s3:::bucket', `${arn} `]) {
      expect(() => configFromEnv({ PROVIDER_DATA_ROLE_ARN: bad })).toThrow(ConfigurationError);
    }
  });
});

describe('evaluation rules', () => {
  it('reads the separation-of-duties switches, refusing anything but true or false', () => {
    expect(
      configFromEnv({
        MIN_EVALUATORS_PER_BID: '3',
        MODERATOR_MAY_EVALUATE: 'true',
        LEAD_MAY_BE_SOLE_EVALUATOR: 'false',
      }).rules.evaluation,
    ).toEqual({ minEvaluatorsPerBid: 3, moderatorMayEvaluate: true, leadMayBeSoleEvaluator: false });
    expect(() => configFromEnv({ MODERATOR_MAY_EVALUATE: 'yes' })).toThrow(ConfigurationError);
    expect(() => configFromEnv({ MIN_EVALUATORS_PER_BID: '0' })).toThrow(ConfigurationError);
  });
});

describe('the web cookie key settings', () => {
  const arn = 'arn:aws:secretsmanager:eu-west-2:123456789012:secret:WebCookieSecret3F1A-AbC123';
  const key = Buffer.alloc(32, 7).toString('base64url');

  it('in AWS takes the secret ARN alone: no key in the configuration, and no random key either', () => {
    const web = configFromEnv({ AWS_LAMBDA_FUNCTION_NAME: 'web', WEB_COOKIE_SECRET_ARN: arn }).web;
    expect(web.cookieSecretArn).toBe(arn);
    expect(web.cookieSecret).toBeUndefined();
    // Outside Lambda too: an ARN means "read the secret", never "make up a key".
    expect(configFromEnv({ WEB_COOKIE_SECRET_ARN: arn }).web.cookieSecret).toBeUndefined();
  });

  it('locally takes the value (from DATA_DIR), or makes a random key per process', () => {
    const local = configFromEnv({ WEB_COOKIE_SECRET: key }).web;
    expect(Buffer.from(local.cookieSecret ?? []).toString('base64url')).toBe(key);
    expect(local.cookieSecretArn).toBeUndefined();
    expect(configFromEnv({}).web.cookieSecret).toHaveLength(32);
    expect(configFromEnv({ AWS_LAMBDA_FUNCTION_NAME: 'web' }).web.cookieSecret).toBeUndefined();
  });

  it('refuses both at once, a malformed ARN and a key of the wrong size', () => {
    expect(() => configFromEnv({ WEB_COOKIE_SECRET: key, WEB_COOKIE_SECRET_ARN: arn })).toThrow(/not both/);
    for (const bad of ['WebCookieSecret', 'arn:aws:iam::123456789012:role/x', `${arn}\n`]) {
      expect(() => configFromEnv({ WEB_COOKIE_SECRET_ARN: bad })).toThrow(/WEB_COOKIE_SECRET_ARN/);
    }
    expect(() => configFromEnv({ WEB_COOKIE_SECRET: 'short' })).toThrow(/WEB_COOKIE_SECRET must be 32 bytes/);
  });
});
