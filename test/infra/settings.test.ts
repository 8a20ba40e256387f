/**
 * Deployment settings from CDK context: defaults, values typed on the command line (strings), clear
 * failures for malformed values, and the sign-in settings a deploy must name.
 */
import { App } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, settingsFromContext } from '../../infra/settings';
import { cdkJsonContext, DEPLOY_CONTEXT } from './synth';

const settingsOf = (context: Record<string, unknown>) => settingsFromContext(new App({ context }).node);

describe('settingsFromContext', () => {
  it('without context, in a local synth: the defaults of DESIGN.md', () => {
    expect(settingsOf({ local: true })).toEqual(DEFAULT_SETTINGS);
    expect(settingsOf({ local: 'true' })).toEqual(DEFAULT_SETTINGS);
    expect(DEFAULT_SETTINGS.rules).toEqual({
      minPrequalificationDays: 10,
      minTenderDays: 25,
      standstillDays: 8,
    });
    expect(DEFAULT_SETTINGS.throttle).toEqual({ burstLimit: 200, rateLimit: 100 });
  });

  it('names the SES configuration set from context (issue 17), as SES_CONFIGURATION_SET accepts it', () => {
    expect(DEFAULT_SETTINGS.sesConfigurationSet).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
    expect(
      settingsOf({ ...DEPLOY_CONTEXT, sesConfigurationSet: 'procurement-staging' }).sesConfigurationSet,
    ).toBe('procurement-staging');
  });

  it('cdk.json states the same defaults', () => {
    expect(settingsOf({ ...cdkJsonContext(), local: true })).toEqual(DEFAULT_SETTINGS);
  });

  describe('a deploy for real users must name its sign-in settings', () => {
    it.each([{}, { local: false }, { local: 'false' }])(
      'refuses a synth with none of them (context %j), naming each and saying how to set it',
      (context) => {
        const refusal = () => settingsOf({ ...cdkJsonContext(), ...context });
        expect(refusal).toThrow(/callbackUrls, logoutUrls, cognitoDomainPrefix/);
        expect(refusal).toThrow(/callbackUrls: .*https:\/\/<site>\/sign-in\/callback/);
        expect(refusal).toThrow(/cognitoDomainPrefix: .*amazoncognito\.com/);
        expect(refusal).toThrow(/-c local=true/);
      },
    );

    it.each(Object.keys(DEPLOY_CONTEXT))('refuses a synth without %s alone, naming it', (key) => {
      const context: Record<string, unknown> = { ...cdkJsonContext(), ...DEPLOY_CONTEXT };
      delete context[key];
      expect(() => settingsOf(context)).toThrow(new RegExp(`missing .*: ${key}\\.`));
    });

    it('takes them from the context (as given on the command line)', () => {
      const settings = settingsOf({ ...cdkJsonContext(), ...DEPLOY_CONTEXT });
      expect(settings.callbackUrls).toEqual(['https://procurement.example.gov.uk/sign-in/callback']);
      expect(settings.logoutUrls).toEqual(['https://procurement.example.gov.uk/']);
      expect(settings.cognitoDomainPrefix).toBe('offender-procurement-test');
    });

    it.each([
      ['callbackUrls', 'https://procurement.example.gov.uk/', /callbackUrls.*sign-in\/callback/],
      ['callbackUrls', 'http://procurement.example.gov.uk/sign-in/callback', /callbackUrls/],
      ['callbackUrls', 'procurement.example.gov.uk/sign-in/callback', /callbackUrls/],
      ['logoutUrls', 'https://procurement.example.gov.uk/sign-out', /logoutUrls/],
      ['cognitoDomainPrefix', 'Procurement', /cognitoDomainPrefix/],
      ['cognitoDomainPrefix', 'my-cognito-login', /cognitoDomainPrefix.*"cognito"/],
      ['cognitoDomainPrefix', '-procurement', /cognitoDomainPrefix/],
      ['local', 'yes', /local.*true or false/],
    ])('refuses %s = %j, naming the key', (key, value, message) => {
      expect(() => settingsOf({ ...DEPLOY_CONTEXT, [key]: value })).toThrow(message);
    });
  });

  it('accepts values given as strings on the command line (-c key=value)', () => {
    const settings = settingsOf({
      ...DEPLOY_CONTEXT,
      throttleBurstLimit: '50',
      throttleRateLimit: '20',
      minTenderDays: '30',
      logRetentionDays: '90',
      powertoolsLogLevel: 'debug',
      callbackUrls: 'https://a.example/sign-in/callback, https://b.example/sign-in/callback',
    });
    expect(settings.throttle).toEqual({ burstLimit: 50, rateLimit: 20 });
    expect(settings.rules.minTenderDays).toBe(30);
    expect(settings.logRetention).toBe(RetentionDays.THREE_MONTHS);
    expect(settings.logLevel).toBe('DEBUG');
    expect(settings.callbackUrls).toEqual([
      'https://a.example/sign-in/callback',
      'https://b.example/sign-in/callback',
    ]);
  });

  it.each([
    ['throttleBurstLimit', 'lots', /throttleBurstLimit.*integer/],
    ['throttleRateLimit', 0, /throttleRateLimit.*≥ 1/],
    ['standstillDays', 2.5, /standstillDays/],
    ['logRetentionDays', 31, /logRetentionDays.*retention period/],
    ['powertoolsLogLevel', 'LOUD', /powertoolsLogLevel/],
    ['callbackUrls', [], /callbackUrls/],
    ['sesConfigurationSet', 'has spaces', /sesConfigurationSet/],
    ['sesConfigurationSet', 'x'.repeat(65), /sesConfigurationSet/],
  ])('rejects %s = %j, naming the key', (key, value, message) => {
    expect(() => settingsOf({ ...DEPLOY_CONTEXT, [key]: value })).toThrow(message);
  });
});
