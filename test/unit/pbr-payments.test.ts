/**
 * Issue 18, the payment arithmetic (pure): binary and frequency re-offending payments, proxy payments, the
 * upfront share, caps per contract year in period order, and the statement – all in integer pence under one
 * rounding rule (each line's exact value rounded half up once). Expected figures were worked out by hand
 * with exact fractions.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../shared/domain/errors';
import {
  type BinaryMeasure,
  type FrequencyMeasure,
  type MechanismVersion,
  parseMechanism,
  RISK_TIERS,
  type RiskTier,
} from '../../shared/domain/payment-by-results/mechanism';
import {
  applyCaps,
  binaryPaymentPence,
  contractYearOf,
  type EarnedOutcomes,
  frequencyPaymentPence,
  InvalidCohortError,
  InvalidStatementError,
  NoMechanismInForceError,
  PaymentOutOfRangeError,
  type PeriodActivity,
  parseCohortResults,
  parseCohortSizes,
  proxyPayment,
  proxyPaymentPence,
  reoffendingPayment,
  roundHalfUp,
  statement,
  UnknownOutcomeError,
  UnknownTierError,
  upfrontPence,
} from '../../shared/domain/payment-by-results/payments';
import { type Period, periodBounds } from '../../shared/domain/subcontracting/dates';

const v1: MechanismVersion = {
  ...parseMechanism({
    fromPeriod: '2026-Q1',
    upfrontPercent: 20,
    proxyOutcomes: [
      { id: 'accommodation-3m', name: 'Settled accommodation at 3 months', tariffPence: 50_000 },
      { id: 'ete', name: 'Into employment or training', tariffPence: 75_000 },
    ],
    reoffending: {
      binary: { baselineRatePercent: 45.5, tariffPence: 200_000 },
      frequency: { baselinePerPerson: 1.47, tariffPence: 40_000 },
      followUpMonths: 12,
    },
    tierMultipliers: { low: 0.5, medium: 1, high: 1.5, very_high: 2.25 },
  }),
  version: 1,
};
const v2: MechanismVersion = {
  ...v1,
  version: 2,
  fromPeriod: '2026-Q3',
  upfrontPercent: 10,
  tierMultipliers: { low: 1, medium: 2, high: 3, very_high: 4.5 },
};
/** £10m over two years, 730 days. */
const contract = { valuePence: 1_000_000_000, startDate: '2026-01-01', endDate: '2027-12-31' };

const activity: PeriodActivity[] = [
  {
    period: '2026-Q1',
    proxy: [
      { outcomeId: 'accommodation-3m', tier: 'high', claimed: 4, validated: 3 },
      { outcomeId: 'ete', tier: 'low', claimed: 2, validated: 2 },
    ],
    results: { high: { size: 100, reoffenders: 40, reoffences: 120 } },
  },
  { period: '2026-Q3', proxy: [{ outcomeId: 'ete', tier: 'very_high', claimed: 1, validated: 1 }] },
];

/** The error a call throws. */
function thrown(call: () => unknown): unknown {
  try {
    call();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

describe('the rounding rule', () => {
  it('rounds the exact value once, half a penny up', () => {
    expect(roundHalfUp(1n, 2n)).toBe(1n);
    expect(roundHalfUp(49n, 100n)).toBe(0n);
    expect(roundHalfUp(3n, 2n)).toBe(2n);
    expect(roundHalfUp(9_999n, 10_000n)).toBe(1n);
    expect(roundHalfUp(0n, 7n)).toBe(0n);
  });

  it('applies to a whole line, not to each claim (the split into claims never changes the payment)', () => {
    // 1p × 0.25 per participant: two claims of one would be 0p each if rounded alone; together 0.5p → 1p.
    const terms = {
      ...v1,
      proxyOutcomes: [{ id: 'p', name: 'P', tariffPence: 1 }],
      tierMultipliers: { ...v1.tierMultipliers, low: 0.25 },
    };
    const split = proxyPayment(terms, [
      { outcomeId: 'p', tier: 'low', claimed: 1, validated: 1 },
      { outcomeId: 'p', tier: 'low', claimed: 1, validated: 1 },
    ]);
    const whole = proxyPayment(terms, [{ outcomeId: 'p', tier: 'low', claimed: 2, validated: 2 }]);
    expect(split).toEqual(whole);
    expect(whole.validatedPence).toBe(1);
  });
});

describe('re-offending payments', () => {
  const binary: BinaryMeasure = { baselineRatePercent: 45.5, tariffPence: 200_000 };
  const frequency: FrequencyMeasure = { baselinePerPerson: 1.47, tariffPence: 40_000 };

  it('binary: (baseline rate − actual rate) × size × tariff × multiplier', () => {
    // 45.5% of 100 = 45.5 expected, 40 reoffended: 5.5 prevented × £2,000 × 1.5.
    expect(binaryPaymentPence(binary, { size: 100, reoffenders: 40, reoffences: 120 }, 1.5)).toBe(1_650_000);
    // 33.33% of 1 × 3p = 0.9999p → 1p.
    expect(
      binaryPaymentPence(
        { baselineRatePercent: 33.33, tariffPence: 3 },
        { size: 1, reoffenders: 0, reoffences: 0 },
        1,
      ),
    ).toBe(1);
  });

  it('frequency: (baseline × size − reoffences) × tariff × multiplier', () => {
    // 1.47 × 100 = 147 expected, 120 happened: 27 prevented × £400 × 1.5.
    expect(frequencyPaymentPence(frequency, { size: 100, reoffenders: 40, reoffences: 120 }, 1.5)).toBe(
      1_620_000,
    );
  });

  it('pays nothing, never a negative amount, when the cohort did worse than the baseline', () => {
    const worse = { size: 100, reoffenders: 60, reoffences: 200 };
    expect(binaryPaymentPence(binary, worse, 2)).toBe(0);
    expect(frequencyPaymentPence(frequency, worse, 2)).toBe(0);
  });

  it('sums the measures the mechanism has over the tiers with results', () => {
    const results = {
      high: { size: 100, reoffenders: 40, reoffences: 120 },
      low: { size: 10, reoffenders: 5, reoffences: 20 },
    };
    const payment = reoffendingPayment(v1, results);
    expect(payment.tiers.high).toEqual({ binaryPence: 1_650_000, frequencyPence: 1_620_000 });
    expect(payment.tiers.low).toEqual({ binaryPence: 0, frequencyPence: 0 });
    expect(payment.tiers.medium).toBeUndefined();
    expect(payment.pence).toBe(3_270_000);
    const binaryOnly = { ...v1, reoffending: { binary, followUpMonths: 12 } };
    expect(reoffendingPayment(binaryOnly, results).pence).toBe(1_650_000);
  });

  it('refuses a payment too large to hold exactly rather than return an inexact one', () => {
    const huge: FrequencyMeasure = { baselinePerPerson: 100, tariffPence: 1_000_000_000 };
    expect(() => frequencyPaymentPence(huge, { size: 100_000, reoffenders: 0, reoffences: 0 }, 10)).toThrow(
      PaymentOutOfRangeError,
    );
  });
});

describe('cohort figures', () => {
  it('accepts sizes and results by known tier', () => {
    expect(parseCohortSizes({ tiers: { low: { size: 10 }, very_high: { size: 0 } } })).toEqual({
      low: { size: 10 },
      very_high: { size: 0 },
    });
    expect(parseCohortResults({ tiers: { high: { size: 10, reoffenders: 2, reoffences: 5 } } })).toEqual({
      high: { size: 10, reoffenders: 2, reoffences: 5 },
    });
  });

  it('refuses an unknown tier, negative or fractional counts and results that cannot be', () => {
    const paths = (call: () => unknown) =>
      (thrown(call) as InvalidCohortError).issues.map((issue) => issue.path);
    expect(thrown(() => parseCohortSizes({ tiers: { extreme: { size: 1 } } }))).toBeInstanceOf(
      InvalidCohortError,
    );
    expect(
      paths(() =>
        parseCohortSizes({ tiers: { extreme: { size: 1 }, low: { size: -1 }, high: { size: 1.5 } } }),
      ),
    ).toEqual(['tiers.extreme', 'tiers.low.size', 'tiers.high.size']);
    expect(
      paths(() =>
        parseCohortResults({
          tiers: {
            low: { size: 10, reoffenders: 11, reoffences: 11 },
            medium: { size: 10, reoffenders: 3, reoffences: 2 },
            high: { size: 10, reoffenders: 0, reoffences: 0 },
            very_high: { size: 100_001, reoffenders: -1, reoffences: 0 },
          },
        }),
      ),
    ).toEqual([
      'tiers.low.reoffenders',
      'tiers.medium.reoffences',
      'tiers.very_high.size',
      'tiers.very_high.reoffenders',
    ]);
  });
});

describe('proxy payments', () => {
  it('pays validated participants × tariff × tier multiplier, and shows what was claimed', () => {
    expect(proxyPaymentPence(50_000, 3, 1.5)).toBe(225_000);
    expect(proxyPayment(v1, activity[0]?.proxy ?? [])).toEqual({
      claimedPence: 375_000,
      validatedPence: 300_000,
    });
  });

  it('refuses an unknown outcome, an unknown tier, and impossible counts', () => {
    expect(() => proxyPayment(v1, [{ outcomeId: 'nope', tier: 'low', claimed: 1, validated: 1 }])).toThrow(
      UnknownOutcomeError,
    );
    expect(() => proxyPayment(v1, [{ outcomeId: 'ete', tier: 'extreme', claimed: 1, validated: 1 }])).toThrow(
      UnknownTierError,
    );
    expect(() => proxyPayment(v1, [{ outcomeId: 'ete', tier: 'low', claimed: 1, validated: 2 }])).toThrow(
      InvalidCohortError,
    );
    expect(() => proxyPayment(v1, [{ outcomeId: 'ete', tier: 'low', claimed: -1, validated: 0 }])).toThrow(
      InvalidCohortError,
    );
    expect(
      thrown(() => proxyPayment(v1, [{ outcomeId: 'ete', tier: 'low', claimed: 1, validated: 0.5 }])),
    ).toBeInstanceOf(ValidationError);
  });
});

describe('the upfront share', () => {
  it('is the contract value × percent, by the days of the contract in the period', () => {
    // £10m × 20% × 90 / 730 = £246,575.342… → 24,657,534p.
    expect(upfrontPence(contract, v1, '2026-Q1')).toBe(24_657_534);
    expect(upfrontPence(contract, v1, '2026-Q2')).toBe(24_931_507);
    expect(upfrontPence(contract, v1, '2025-Q4')).toBe(0);
    expect(upfrontPence(contract, { upfrontPercent: 0 }, '2026-Q1')).toBe(0);
  });

  it('counts only the contract days of a part-quarter', () => {
    const midQuarter = { valuePence: 36_500, startDate: '2026-03-01', endDate: '2027-02-28' }; // 365 days
    expect(upfrontPence(midQuarter, { upfrontPercent: 100 }, '2026-Q1')).toBe(3_100); // 31 days
    expect(upfrontPence(midQuarter, { upfrontPercent: 100 }, '2027-Q1')).toBe(5_900); // 59 days
  });

  it('property: over the whole term the shares come to the percent of the value, within half a penny a period', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 100_000_000_000 }),
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 0, max: 2_000 }),
        fc.integer({ min: 0, max: 2_500 }),
        (valuePence, percentHundredths, startOffset, length) => {
          const start = new Date(Date.UTC(2024, 0, 1 + startOffset)).toISOString().slice(0, 10);
          const end = new Date(Date.UTC(2024, 0, 1 + startOffset + length)).toISOString().slice(0, 10);
          const c = { valuePence, startDate: start, endDate: end };
          const run = statement({
            contract: c,
            versions: [{ ...v1, fromPeriod: '2020-Q1', upfrontPercent: percentHundredths / 100 }],
            through: '2040-Q4',
          });
          const exact = (BigInt(valuePence) * BigInt(percentHundredths)) / 10_000n;
          const drift = Math.abs(run.totals.upfrontPence - Number(exact));
          expect(drift).toBeLessThanOrEqual(run.periods.length / 2 + 1);
        },
      ),
    );
  });
});

describe('contract years', () => {
  it('puts a period in the contract year in which it begins', () => {
    const c = { startDate: '2025-05-15' };
    expect(contractYearOf(c, '2025-Q2')).toBe(1);
    expect(contractYearOf(c, '2026-Q2')).toBe(1); // begins 2026-04-01, before the anniversary
    expect(contractYearOf(c, '2026-Q3')).toBe(2);
    expect(contractYearOf({ startDate: '2026-01-01' }, '2026-Q4')).toBe(1);
    expect(contractYearOf({ startDate: '2026-01-01' }, '2027-Q1')).toBe(2);
  });
});

describe('caps per contract year', () => {
  const capped = { ...v1, capPencePerYear: 3_000_000 };

  it('pays what is left of the cap in period order, re-offending first, and shows what was cut', () => {
    const run = statement({
      contract,
      versions: [capped, { ...v2, capPencePerYear: 3_000_000 }],
      through: '2027-Q1',
      periods: [
        ...activity,
        { period: '2027-Q1', proxy: [{ outcomeId: 'ete', tier: 'low', claimed: 1, validated: 1 }] },
      ],
    });
    expect(
      run.periods.map(({ period, proxyPence, reoffendingPence, cutPence, capReached }) => ({
        period,
        proxyPence,
        reoffendingPence,
        cutPence,
        capReached,
      })),
    ).toEqual([
      // Earned 300,000 proxy + 3,270,000 re-offending: the cap of 3,000,000 pays re-offending first.
      { period: '2026-Q1', proxyPence: 0, reoffendingPence: 3_000_000, cutPence: 570_000, capReached: true },
      { period: '2026-Q2', proxyPence: 0, reoffendingPence: 0, cutPence: 0, capReached: true },
      { period: '2026-Q3', proxyPence: 0, reoffendingPence: 0, cutPence: 337_500, capReached: true },
      { period: '2026-Q4', proxyPence: 0, reoffendingPence: 0, cutPence: 0, capReached: true },
      // A new contract year: a new cap (multiplier 1 for low under version 2).
      { period: '2027-Q1', proxyPence: 75_000, reoffendingPence: 0, cutPence: 0, capReached: false },
    ]);
    expect(run.totals.cutPence).toBe(907_500);
    // The upfront share is never cut.
    expect(run.periods[0]?.upfrontPence).toBe(24_657_534);
  });

  it('never claws back: a lower cap from a later version stops further payments only', () => {
    const rows: EarnedOutcomes[] = [
      { period: '2026-Q1', contractYear: 1, capPencePerYear: 1_000, proxyPence: 800, reoffendingPence: 0 },
      { period: '2026-Q2', contractYear: 1, capPencePerYear: 500, proxyPence: 100, reoffendingPence: 0 },
    ];
    expect(applyCaps(rows).map((row) => [row.proxyPence, row.cutPence, row.capReached])).toEqual([
      [800, 0, false],
      [0, 100, true],
    ]);
  });

  const rowArb = fc.record({
    contractYear: fc.integer({ min: 1, max: 3 }),
    proxyPence: fc.integer({ min: 0, max: 10_000_000 }),
    reoffendingPence: fc.integer({ min: 0, max: 10_000_000 }),
  });

  it('property: in order, totals per year never exceed the cap, and paid + cut = earned', () => {
    fc.assert(
      fc.property(
        fc.array(rowArb, { maxLength: 30 }),
        fc.integer({ min: 0, max: 30_000_000 }),
        (raw, cap) => {
          const rows = raw
            .sort((a, b) => a.contractYear - b.contractYear)
            .map((row, i) => ({ ...row, period: `p${i}`, capPencePerYear: cap }));
          const out = applyCaps(rows);
          const paidByYear = new Map<number, number>();
          out.forEach((row, i) => {
            const earned = (rows[i]?.proxyPence ?? 0) + (rows[i]?.reoffendingPence ?? 0);
            const before = paidByYear.get(row.contractYear) ?? 0;
            const paid = row.proxyPence + row.reoffendingPence;
            // Exactly what is left, in order: an earlier period is never cut to pay a later one.
            expect(paid).toBe(Math.min(earned, Math.max(0, cap - before)));
            expect(paid + row.cutPence).toBe(earned);
            expect(row.proxyPence).toBeGreaterThanOrEqual(0);
            expect(row.reoffendingPence).toBeLessThanOrEqual(rows[i]?.reoffendingPence ?? 0);
            expect(row.capReached).toBe(before + paid >= cap);
            paidByYear.set(row.contractYear, before + paid);
          });
          for (const total of paidByYear.values()) expect(total).toBeLessThanOrEqual(cap);
        },
      ),
    );
  });

  it('property: no cap pays everything earned', () => {
    fc.assert(
      fc.property(fc.array(rowArb, { maxLength: 20 }), (raw) => {
        const rows = raw.map((row, i) => ({ ...row, period: `p${i}` }));
        applyCaps(rows).forEach((row, i) => {
          expect(row.proxyPence).toBe(rows[i]?.proxyPence);
          expect(row.reoffendingPence).toBe(rows[i]?.reoffendingPence);
          expect(row.cutPence).toBe(0);
        });
      }),
    );
  });
});

describe('the statement', () => {
  it('lists every quarter from the first through `through`, each under the version in force', () => {
    const run = statement({ contract, versions: [v1, v2], through: '2026-Q4', periods: activity });
    expect(run.periods).toEqual([
      {
        period: '2026-Q1',
        contractYear: 1,
        mechanismVersion: 1,
        upfrontPence: 24_657_534,
        proxyClaimedPence: 375_000,
        proxyPence: 300_000,
        reoffendingPence: 3_270_000,
        cutPence: 0,
        capReached: false,
        totalPence: 24_657_534 + 300_000 + 3_270_000,
      },
      expect.objectContaining({
        period: '2026-Q2',
        mechanismVersion: 1,
        upfrontPence: 24_931_507,
        proxyPence: 0,
      }),
      // Version 2: 10% up front and a very high multiplier of 4.5 (£750 × 4.5).
      expect.objectContaining({
        period: '2026-Q3',
        mechanismVersion: 2,
        upfrontPence: 12_602_740,
        proxyPence: 337_500,
      }),
      expect.objectContaining({ period: '2026-Q4', mechanismVersion: 2, upfrontPence: 12_602_740 }),
    ]);
    expect(run.totals).toEqual({
      upfrontPence: 24_657_534 + 24_931_507 + 12_602_740 * 2,
      proxyClaimedPence: 375_000 + 337_500,
      proxyPence: 300_000 + 337_500,
      reoffendingPence: 3_270_000,
      cutPence: 0,
      totalPence: 24_657_534 + 24_931_507 + 12_602_740 * 2 + 300_000 + 337_500 + 3_270_000,
      contractValuePence: 1_000_000_000,
    });
  });

  it('stops at the contract’s last quarter and pays nothing before the first version', () => {
    const run = statement({ contract, versions: [v2], through: '2031-Q1' });
    expect(run.periods).toHaveLength(8);
    expect(run.periods[0]).toMatchObject({ period: '2026-Q1', mechanismVersion: null, totalPence: 0 });
    expect(run.periods.at(-1)?.period).toBe('2027-Q4');
  });

  it('refuses activity outside the statement, twice for a period, before any mechanism, or a malformed period', () => {
    expect(() =>
      statement({ contract, versions: [v1], through: '2026-Q2', periods: [{ period: '2026-Q3' }] }),
    ).toThrow(InvalidStatementError);
    expect(() =>
      statement({
        contract,
        versions: [v1],
        through: '2026-Q2',
        periods: [{ period: '2026-Q1' }, { period: '2026-Q1' }],
      }),
    ).toThrow(InvalidStatementError);
    expect(() =>
      statement({ contract, versions: [v2], through: '2026-Q4', periods: [activity[0] as PeriodActivity] }),
    ).toThrow(NoMechanismInForceError);
    expect(() =>
      statement({ contract, versions: [v1], through: '2026-Q2', periods: [{ period: '2026/1' }] }),
    ).toThrow(ValidationError);
    expect(() => statement({ contract, versions: [v1], through: 'now' })).toThrow(ValidationError);
  });
});

describe('properties of the whole statement', () => {
  const tierArb = fc.constantFrom(...RISK_TIERS);
  const multiplierArb = fc.integer({ min: 1, max: 1_000 }).map((h) => h / 100);
  const versionArb = fc
    .record({
      upfront: fc.integer({ min: 0, max: 10_000 }),
      proxyTariff: fc.integer({ min: 0, max: 1_000_000 }),
      binaryRate: fc.integer({ min: 0, max: 10_000 }),
      binaryTariff: fc.integer({ min: 0, max: 1_000_000 }),
      perPerson: fc.integer({ min: 0, max: 500 }),
      frequencyTariff: fc.integer({ min: 0, max: 1_000_000 }),
      multipliers: fc.tuple(multiplierArb, multiplierArb, multiplierArb, multiplierArb),
      cap: fc.option(fc.integer({ min: 0, max: 100_000_000 }), { nil: undefined }),
    })
    .map(
      (r): MechanismVersion => ({
        ...v1,
        upfrontPercent: r.upfront / 100,
        proxyOutcomes: [{ id: 'p', name: 'P', tariffPence: r.proxyTariff }],
        reoffending: {
          binary: { baselineRatePercent: r.binaryRate / 100, tariffPence: r.binaryTariff },
          frequency: { baselinePerPerson: r.perPerson / 100, tariffPence: r.frequencyTariff },
          followUpMonths: 12,
        },
        tierMultipliers: {
          low: r.multipliers[0],
          medium: r.multipliers[1],
          high: r.multipliers[2],
          very_high: r.multipliers[3],
        },
        capPencePerYear: r.cap,
      }),
    );
  const resultArb = fc
    .record({
      size: fc.integer({ min: 0, max: 5_000 }),
      share: fc.double({ min: 0, max: 1, noNaN: true }),
      extra: fc.nat(5_000),
    })
    .map(({ size, share, extra }) => {
      const reoffenders = Math.floor(size * share);
      return { size, reoffenders, reoffences: reoffenders === 0 ? 0 : reoffenders + extra };
    });
  const quarters: Period[] = [
    '2026-Q1',
    '2026-Q2',
    '2026-Q3',
    '2026-Q4',
    '2027-Q1',
    '2027-Q2',
    '2027-Q3',
    '2027-Q4',
  ];
  const activityArb = fc
    .array(
      fc.record({
        quarter: fc.integer({ min: 0, max: 7 }),
        proxy: fc.array(
          fc.record({
            tier: tierArb,
            claimed: fc.nat(50),
            validatedShare: fc.double({ min: 0, max: 1, noNaN: true }),
          }),
          { maxLength: 4 },
        ),
        results: fc.option(fc.dictionary(tierArb, resultArb, { maxKeys: 4 }), { nil: undefined }),
      }),
      { maxLength: 8 },
    )
    .map((entries) => {
      const byQuarter = new Map<number, PeriodActivity>();
      for (const entry of entries) {
        byQuarter.set(entry.quarter, {
          period: quarters[entry.quarter] as Period,
          proxy: entry.proxy.map(({ tier, claimed, validatedShare }) => ({
            outcomeId: 'p',
            tier,
            claimed,
            validated: Math.floor(claimed * validatedShare),
          })),
          results: entry.results,
        });
      }
      return [...byQuarter.values()];
    });
  const versionsArb = fc
    .tuple(versionArb, fc.option(fc.tuple(versionArb, fc.integer({ min: 1, max: 7 })), { nil: undefined }))
    .map(([first, later]): MechanismVersion[] => [
      { ...first, version: 1, fromPeriod: '2026-Q1' },
      ...(later ? [{ ...later[0], version: 2, fromPeriod: quarters[later[1]] as Period }] : []),
    ]);

  const allMoney = (run: ReturnType<typeof statement>): number[] => [
    ...run.periods.flatMap((p) => [
      p.upfrontPence,
      p.proxyClaimedPence,
      p.proxyPence,
      p.reoffendingPence,
      p.cutPence,
      p.totalPence,
    ]),
    ...Object.values(run.totals),
  ];

  it('property: money is always whole, non-negative pence, and totals are the sums of the periods', () => {
    fc.assert(
      fc.property(versionsArb, activityArb, (versions, periods) => {
        const run = statement({ contract, versions, through: '2027-Q4', periods });
        for (const pence of allMoney(run)) {
          expect(Number.isSafeInteger(pence)).toBe(true);
          expect(pence).toBeGreaterThanOrEqual(0);
        }
        const sum = (key: 'upfrontPence' | 'proxyPence' | 'reoffendingPence' | 'cutPence' | 'totalPence') =>
          run.periods.reduce((total, p) => total + p[key], 0);
        expect(run.totals.upfrontPence).toBe(sum('upfrontPence'));
        expect(run.totals.proxyPence).toBe(sum('proxyPence'));
        expect(run.totals.reoffendingPence).toBe(sum('reoffendingPence'));
        expect(run.totals.totalPence).toBe(sum('totalPence'));
        expect(run.totals.proxyPence).toBeLessThanOrEqual(run.totals.proxyClaimedPence);
      }),
    );
  });

  it('property: identical inputs give identical payments, whatever the order activity is listed in', () => {
    fc.assert(
      fc.property(versionsArb, activityArb, (versions, periods) => {
        const first = statement({ contract, versions, through: '2027-Q4', periods });
        const again = statement({
          contract,
          versions: structuredClone(versions),
          through: '2027-Q4',
          periods: structuredClone(periods).reverse(),
        });
        expect(again).toEqual(first);
      }),
    );
  });

  it('property: outcome payments in a year never exceed the cap in force', () => {
    fc.assert(
      fc.property(
        versionArb,
        activityArb,
        fc.integer({ min: 0, max: 5_000_000 }),
        (version, periods, cap) => {
          const run = statement({
            contract,
            versions: [{ ...version, version: 1, fromPeriod: '2026-Q1', capPencePerYear: cap }],
            through: '2027-Q4',
            periods,
          });
          const byYear = new Map<number, number>();
          for (const p of run.periods)
            byYear.set(p.contractYear, (byYear.get(p.contractYear) ?? 0) + p.proxyPence + p.reoffendingPence);
          for (const paid of byYear.values()) expect(paid).toBeLessThanOrEqual(cap);
        },
      ),
    );
  });

  it('property: a mechanism change alters nothing before its period', () => {
    fc.assert(
      fc.property(
        versionArb,
        versionArb,
        fc.integer({ min: 1, max: 7 }),
        activityArb,
        (first, later, from, periods) => {
          const base = [{ ...first, version: 1, fromPeriod: '2026-Q1' as Period }];
          const changed = [...base, { ...later, version: 2, fromPeriod: quarters[from] as Period }];
          const before = statement({ contract, versions: base, through: '2027-Q4', periods }).periods;
          const after = statement({ contract, versions: changed, through: '2027-Q4', periods }).periods;
          expect(after.slice(0, from)).toEqual(before.slice(0, from));
          for (const p of after.slice(from)) expect(p.mechanismVersion).toBe(2);
        },
      ),
    );
  });

  it('property: tier multipliers scale every line (k × the multiplier pays k × as much, to within the rounding)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.integer({ min: 0, max: 500 }),
        resultArb,
        fc.integer({ min: 1, max: 100 }).map((h) => h / 100),
        fc.integer({ min: 1, max: 10 }),
        fc.nat(1_000),
        (rate, tariff, perPerson, result, multiplier, k, participants) => {
          const binary = { baselineRatePercent: rate / 100, tariffPence: tariff };
          const frequency = { baselinePerPerson: perPerson / 100, tariffPence: tariff };
          const scaled = Number(((multiplier * 100 * k) / 100).toFixed(2));
          for (const pay of [
            (m: number) => binaryPaymentPence(binary, result, m),
            (m: number) => frequencyPaymentPence(frequency, result, m),
            (m: number) => proxyPaymentPence(tariff, participants, m),
          ]) {
            const once = pay(multiplier);
            const times = pay(scaled);
            // The exact value scales by k; each side is rounded once, so they differ by at most (k + 1) / 2.
            expect(Math.abs(times - k * once)).toBeLessThanOrEqual((k + 1) / 2);
            expect(times).toBeGreaterThanOrEqual(once);
          }
          // Whole-penny lines scale exactly: a proxy line at multiplier 1 and k.
          expect(proxyPaymentPence(tariff, participants, k)).toBe(
            k * proxyPaymentPence(tariff, participants, 1),
          );
        },
      ),
    );
  });

  it('property: a higher tier multiplier never pays less for the same results', () => {
    fc.assert(
      fc.property(
        resultArb,
        multiplierArb,
        multiplierArb,
        fc.constantFrom<RiskTier>(...RISK_TIERS),
        (result, a, b, tier) => {
          const [low, high] = a <= b ? [a, b] : [b, a];
          const at = (m: number) =>
            reoffendingPayment(
              { ...v1, tierMultipliers: { ...v1.tierMultipliers, [tier]: m } },
              { [tier]: result },
            ).pence;
          expect(at(high)).toBeGreaterThanOrEqual(at(low));
        },
      ),
    );
  });
});

it('keeps quarters in the calendar (a fixture check)', () => {
  expect(periodBounds('2026-Q1')).toEqual({ start: '2026-01-01', end: '2026-03-31' });
});
