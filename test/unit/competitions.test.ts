import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { configFromEnv } from '../../shared/config';
import {
  annualValuePence,
  type CompetitionDraft,
  competitionDraftIssues,
  effectiveStatus,
  isOpen,
  prequalificationTier,
  publicationProblem,
  utc,
} from '../../shared/domain/competitions';

const rules = configFromEnv({}).rules;
const now = new Date('2026-11-21T12:00:00Z');
const days = (n: number) => new Date(now.getTime() + n * 86_400_000).toISOString();

describe('prequalificationTier', () => {
  it.each([
    [99_999_99, 12, 'low', 'none'],
    [99_999_99, 60, 'low', 'none'],
    [100_000_00, 12, 'low', 'core'],
    [50_000_00, 12, 'medium', 'core'],
    [999_999_99, 60, 'medium', 'core'],
    [1_000_000_00, 12, 'low', 'full'],
    [10_000_00, 12, 'high', 'full'],
    [10_000_00, 61, 'low', 'full'],
    [500_000_00, 61, 'medium', 'full'],
  ] as const)('value %i pence, %i months, %s risk → %s', (value, term, risk, tier) => {
    expect(prequalificationTier({ estimatedValuePence: value, termMonths: term, risk }, rules)).toBe(tier);
  });

  it('follows configured thresholds', () => {
    const custom = {
      ...rules,
      tierNoneBelowPence: 10_00,
      tierFullFromPence: 20_00,
      tierFullTermOverMonths: 6,
    };
    expect(prequalificationTier({ estimatedValuePence: 9_99, termMonths: 6, risk: 'low' }, custom)).toBe(
      'none',
    );
    expect(prequalificationTier({ estimatedValuePence: 15_00, termMonths: 6, risk: 'low' }, custom)).toBe(
      'core',
    );
    expect(prequalificationTier({ estimatedValuePence: 9_99, termMonths: 7, risk: 'low' }, custom)).toBe(
      'full',
    );
  });

  it('never gives less scrutiny to a more valuable, longer or riskier contract', () => {
    const order = { none: 0, core: 1, full: 2 } as const;
    const risks = ['low', 'medium', 'high'] as const;
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 5_000_000_00 }),
        fc.integer({ min: 0, max: 5_000_000_00 }),
        fc.integer({ min: 1, max: 120 }),
        fc.integer({ min: 0, max: 60 }),
        fc.integer({ min: 0, max: 2 }),
        fc.integer({ min: 0, max: 2 }),
        (value, extraValue, term, extraTerm, risk, extraRisk) => {
          const base = prequalificationTier(
            { estimatedValuePence: value, termMonths: term, risk: risks[risk] ?? 'low' },
            rules,
          );
          const more = prequalificationTier(
            {
              estimatedValuePence: value + extraValue,
              termMonths: term + extraTerm,
              risk: risks[Math.min(2, risk + extraRisk)] ?? 'high',
            },
            rules,
          );
          expect(order[more]).toBeGreaterThanOrEqual(order[base]);
        },
      ),
    );
  });
});

describe('annualValuePence', () => {
  it('spreads the value over the term, a short term counting as a year', () => {
    expect(annualValuePence(1_200_000, 24)).toBe(600_000);
    expect(annualValuePence(1_200_000, 6)).toBe(1_200_000);
    expect(annualValuePence(1_000, 36)).toBe(333);
  });
});

const draft = (overrides: Partial<CompetitionDraft> = {}): CompetitionDraft => ({
  title: 'Accommodation support, North West',
  description: 'Supported housing for people leaving custody.',
  services: ['accommodation'],
  regions: ['north_west'],
  estimatedValuePence: 500_000_00,
  termMonths: 36,
  risk: 'medium',
  prequalificationDeadline: days(14),
  tenderDeadline: days(45),
  criteria: [
    { id: 'quality', name: 'Quality of service', kind: 'quality', weight: 60 },
    { id: 'social', name: 'Social value', kind: 'quality', weight: 10 },
    { id: 'price', name: 'Price', kind: 'price', weight: 30 },
  ],
  ...overrides,
});
const issuePaths = (d: CompetitionDraft, tier: 'none' | 'core' | 'full' = 'core') =>
  competitionDraftIssues(d, tier, now).map((i) => i.path);

describe('competitionDraftIssues', () => {
  it('accepts a well-formed draft', () => {
    expect(competitionDraftIssues(draft(), 'core', now)).toEqual([]);
  });

  it('demands weights that add up to 100', () => {
    const criteria = [
      { id: 'q', name: 'Q', kind: 'quality' as const, weight: 60 },
      { id: 'p', name: 'P', kind: 'price' as const, weight: 30 },
    ];
    expect(issuePaths(draft({ criteria }))).toEqual(['criteria']);
  });

  it('demands exactly one price criterion and at least one quality criterion', () => {
    const twoPrices = [
      { id: 'q', name: 'Q', kind: 'quality' as const, weight: 50 },
      { id: 'p1', name: 'P', kind: 'price' as const, weight: 25 },
      { id: 'p2', name: 'P', kind: 'price' as const, weight: 25 },
    ];
    const noPrice = [{ id: 'q', name: 'Q', kind: 'quality' as const, weight: 100 }];
    const priceOnly = [{ id: 'p', name: 'P', kind: 'price' as const, weight: 100 }];
    expect(issuePaths(draft({ criteria: twoPrices }))).toEqual(['criteria']);
    expect(issuePaths(draft({ criteria: noPrice }))).toEqual(['criteria']);
    expect(issuePaths(draft({ criteria: priceOnly }))).toEqual(['criteria']);
  });

  it('refuses repeated criterion ids, regions and services, and national with regions', () => {
    const repeated = [
      { id: 'q', name: 'Q', kind: 'quality' as const, weight: 50 },
      { id: 'q', name: 'P', kind: 'price' as const, weight: 50 },
    ];
    expect(issuePaths(draft({ criteria: repeated }))).toEqual(['criteria']);
    expect(issuePaths(draft({ regions: ['london', 'london'] }))).toEqual(['regions']);
    expect(issuePaths(draft({ regions: ['national', 'london'] }))).toEqual(['regions']);
    expect(issuePaths(draft({ services: ['health', 'health'] }))).toEqual(['services']);
  });

  it('demands future deadlines in order', () => {
    expect(issuePaths(draft({ tenderDeadline: days(-1), prequalificationDeadline: days(-2) }))).toEqual([
      'tenderDeadline',
      'prequalificationDeadline',
    ]);
    expect(issuePaths(draft({ prequalificationDeadline: days(50) }))).toEqual(['tenderDeadline']);
  });

  it('wants a pre-qualification deadline exactly when the tier has pre-qualification', () => {
    expect(issuePaths(draft({ prequalificationDeadline: undefined }), 'full')).toEqual([
      'prequalificationDeadline',
    ]);
    expect(issuePaths(draft(), 'none')).toEqual(['prequalificationDeadline']);
    expect(issuePaths(draft({ prequalificationDeadline: undefined }), 'none')).toEqual([]);
  });
});

describe('publicationProblem', () => {
  const periods = { minPrequalificationDays: 10, minTenderDays: 25 };

  it('needs the minimum pre-qualification period from publication', () => {
    expect(
      publicationProblem(
        { prequalificationTier: 'core', prequalificationDeadline: days(11), tenderDeadline: days(60) },
        now,
        periods,
      ),
    ).toBeUndefined();
    expect(
      publicationProblem(
        { prequalificationTier: 'core', prequalificationDeadline: days(9), tenderDeadline: days(60) },
        now,
        periods,
      ),
    ).toMatch(/10 days/);
  });

  it('needs the minimum tender period from publication for tier none', () => {
    expect(
      publicationProblem({ prequalificationTier: 'none', tenderDeadline: days(26) }, now, periods),
    ).toBeUndefined();
    expect(
      publicationProblem({ prequalificationTier: 'none', tenderDeadline: days(20) }, now, periods),
    ).toMatch(/25 days/);
  });

  it('with zero periods accepts any future deadline, but never a past one', () => {
    const zero = { minPrequalificationDays: 0, minTenderDays: 0 };
    expect(
      publicationProblem({ prequalificationTier: 'none', tenderDeadline: days(0.0001) }, now, zero),
    ).toBeUndefined();
    expect(
      publicationProblem({ prequalificationTier: 'none', tenderDeadline: days(-0.0001) }, now, zero),
    ).toBeDefined();
  });
});

describe('effectiveStatus', () => {
  const competition = { prequalificationDeadline: days(10), tenderDeadline: days(40) };

  it.each([
    ['draft', 0, 'draft'],
    ['prequalification', 9, 'prequalification'],
    ['prequalification', 10, 'shortlisting'],
    ['prequalification', 50, 'shortlisting'],
    ['tendering', 39, 'tendering'],
    ['tendering', 40, 'evaluation'],
    ['standstill', 60, 'standstill'],
    ['awarded', 60, 'awarded'],
    ['cancelled', 60, 'cancelled'],
  ] as const)('stored %s, %i days on → %s', (status, after, expected) => {
    const at = new Date(now.getTime() + after * 86_400_000);
    expect(effectiveStatus({ ...competition, status }, at)).toBe(expected);
  });

  it('counts only open statuses as opportunities', () => {
    expect(isOpen('prequalification')).toBe(true);
    expect(isOpen('tendering')).toBe(true);
    for (const status of [
      'draft',
      'shortlisting',
      'evaluation',
      'standstill',
      'awarded',
      'cancelled',
    ] as const) {
      expect(isOpen(status)).toBe(false);
    }
  });
});

describe('utc', () => {
  it('writes every instant in one UTC form, so string comparisons order them correctly', () => {
    expect(utc('2030-01-01T12:00:00+01:00')).toBe('2030-01-01T11:00:00.000Z');
    expect(utc('2030-01-01T11:30:00Z')).toBe('2030-01-01T11:30:00.000Z');
    expect(utc('2030-01-01T12:00:00+01:00') < utc('2030-01-01T11:30:00Z')).toBe(true);
    expect(utc('not a date')).toBe('not a date');
  });
});
