/**
 * Deployment settings from CDK context: defaults, values typed on the command line (strings), and clear
 * failures for malformed values.
 */
import { App } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, settingsFromContext } from '../../infra/settings';
import { cdkJsonContext } from './synth';

const settingsOf = (context: Record<string, unknown>) => settingsFromContext(new App({ context }).node);

describe('settingsFromContext', () => {
  it('without context: the defaults of DESIGN.md', () => {
    expect(settingsOf({})).toEqual(DEFAULT_SETTINGS);
    expect(DEFAULT_SETTINGS.rules).toEqual({
      minPrequalificationDays: 10,
      minTenderDays: 25,
      standstillDays: 8,
    });
    expect(DEFAULT_SETTINGS.throttle).toEqual({ burstLimit: 200, rateLimit: 100 });
  });

  it('cdk.json states the same defaults', () => {
    expect(settingsOf(cdkJsonContext())).toEqual(DEFAULT_SETTINGS);
  });

  it('accepts values given as strings on the command line (-c key=value)', () => {
    const settings = settingsOf({
      throttleBurstLimit: '50',
      throttleRateLimit: '20',
      minTenderDays: '30',
      logRetentionDays: '90',
      powertoolsLogLevel: 'debug',
      callbackUrls: 'https://a.example/cb, https://b.example/cb',
    });
    expect(settings.throttle).toEqual({ burstLimit: 50, rateLimit: 20 });
    expect(settings.rules.minTenderDays).toBe(30);
    expect(settings.logRetention).toBe(RetentionDays.THREE_MONTHS);
    expect(settings.logLevel).toBe('DEBUG');
    expect(settings.callbackUrls).toEqual(['https://a.example/cb', 'https://b.example/cb']);
  });

  it.each([
    ['throttleBurstLimit', 'lots', /throttleBurstLimit.*integer/],
    ['throttleRateLimit', 0, /throttleRateLimit.*≥ 1/],
    ['standstillDays', 2.5, /standstillDays/],
    ['logRetentionDays', 31, /logRetentionDays.*retention period/],
    ['powertoolsLogLevel', 'LOUD', /powertoolsLogLevel/],
    ['callbackUrls', [], /callbackUrls/],
  ])('rejects %s = %j, naming the key', (key, value, message) => {
    expect(() => settingsOf({ [key]: value })).toThrow(message);
  });
});
