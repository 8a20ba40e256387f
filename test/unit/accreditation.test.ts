import { describe, expect, it } from 'vitest';
import {
  type AccreditationAnswers,
  accreditationRuleIssues,
  accreditationStatus,
  accreditationValidUntil,
} from '../../shared/domain/accreditation';

const answers = (overrides: Partial<AccreditationAnswers> = {}): AccreditationAnswers => ({
  exclusionGrounds: { mandatory: [], discretionary: [] },
  financial: { annualTurnoverPence: 100, accountsYearEnd: '2026-03-31' },
  insurance: { employersLiabilityPence: 1, publicLiabilityPence: 1 },
  policies: { equality: true, safeguarding: true, healthAndSafety: true },
  ...overrides,
});
const now = new Date('2026-11-21T12:00:00Z');

describe('accreditationValidUntil', () => {
  it.each([
    ['2026-11-21T12:00:00.000Z', 12, '2027-11-21T12:00:00.000Z'],
    ['2024-02-29T00:00:00.000Z', 12, '2025-02-28T00:00:00.000Z'],
    ['2026-08-31T09:30:00.000Z', 6, '2027-02-28T09:30:00.000Z'],
    ['2026-01-31T00:00:00.000Z', 1, '2026-02-28T00:00:00.000Z'],
    ['2026-03-31T00:00:00.000Z', -24, '2024-03-31T00:00:00.000Z'],
  ])('%s + %i months = %s', (from, months, expected) => {
    expect(accreditationValidUntil(new Date(from), months).toISOString()).toBe(expected);
  });
});

describe('accreditationStatus', () => {
  it('is current until validUntil and expired from that moment', () => {
    expect(accreditationStatus('2026-11-21T12:00:00.001Z', now)).toBe('current');
    expect(accreditationStatus('2026-11-21T12:00:00.000Z', now)).toBe('expired');
    expect(accreditationStatus('2025-01-01T00:00:00.000Z', now)).toBe('expired');
  });
});

describe('accreditationRuleIssues', () => {
  it('accepts recent accounts and distinct grounds', () => {
    expect(accreditationRuleIssues(answers(), now)).toEqual([]);
  });

  it('refuses accounts in the future or older than two years', () => {
    const future = answers({ financial: { annualTurnoverPence: 1, accountsYearEnd: '2026-12-31' } });
    const old = answers({ financial: { annualTurnoverPence: 1, accountsYearEnd: '2024-03-31' } });
    expect(accreditationRuleIssues(future, now).map((i) => i.path)).toEqual(['financial.accountsYearEnd']);
    expect(accreditationRuleIssues(old, now).map((i) => i.path)).toEqual(['financial.accountsYearEnd']);
  });

  it('refuses a ground declared twice', () => {
    const twice = answers({
      exclusionGrounds: {
        mandatory: [
          { code: 'fraud', details: 'a' },
          { code: 'fraud', details: 'b' },
        ],
        discretionary: [],
      },
    });
    expect(accreditationRuleIssues(twice, now).map((i) => i.path)).toEqual(['exclusionGrounds.mandatory']);
  });
});
