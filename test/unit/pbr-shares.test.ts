/**
 * Issue 18, shares of outcome payments a prime passes on (pure): the rules of a set of shares, what each kind
 * of outcome payment was paid to date after the cap (proxy outcomes pro-rated within a capped period,
 * re-offending as the statement pays it), and what a share comes to – one rounding, half up. Expected
 * figures were worked out by hand with exact fractions.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type MechanismVersion,
  parseMechanism,
  RISK_TIERS,
} from '../../shared/domain/payment-by-results/mechanism';
import type { PeriodActivity } from '../../shared/domain/payment-by-results/payments';
import {
  InvalidOutcomeSharesError,
  outcomePayments,
  parseOutcomeShares,
  REOFFENDING,
  shareAmountPence,
  shareableOutcomes,
} from '../../shared/domain/payment-by-results/shares';

const v1: MechanismVersion = {
  ...parseMechanism({
    fromPeriod: '2026-Q1',
    upfrontPercent: 20,
    proxyOutcomes: [
      { id: 'accommodation-3m', name: 'Settled accommodation at 3 months', tariffPence: 50_000 },
      { id: 'ete', name: 'Into employment or training', tariffPence: 75_000 },
    ],
    reoffending: { binary: { baselineRatePercent: 45.5, tariffPence: 200_000 }, followUpMonths: 12 },
    tierMultipliers: { low: 0.5, medium: 1, high: 1.5, very_high: 2.25 },
  }),
  version: 1,
};
const contract = { valuePence: 1_000_000_000, startDate: '2026-01-01', endDate: '2027-12-31' };

const context = {
  subcontractors: new Set(['P1', 'P2']),
  outcomes: new Set(shareableOutcomes(v1)),
};

describe('parseOutcomeShares', () => {
  it('accepts shares of registered sub-contractors, drops 0%, and sorts them', () => {
    expect(
      parseOutcomeShares(
        [
          { providerId: 'P2', outcome: 'ete', percent: 12.5 },
          { providerId: 'P1', outcome: REOFFENDING, percent: 40 },
          { providerId: 'P1', outcome: 'ete', percent: 87.5 },
          { providerId: 'P2', outcome: REOFFENDING, percent: 0 },
        ],
        context,
      ),
    ).toEqual([
      { providerId: 'P1', outcome: 'ete', percent: 87.5 },
      { providerId: 'P1', outcome: REOFFENDING, percent: 40 },
      { providerId: 'P2', outcome: 'ete', percent: 12.5 },
    ]);
  });

  it('lists every problem: unknown provider, unknown outcome, bad percent, duplicates, over 100%', () => {
    let caught: unknown;
    try {
      parseOutcomeShares(
        [
          { providerId: 'P9', outcome: 'ete', percent: 10 },
          { providerId: 'P1', outcome: 'upfront', percent: 10 },
          { providerId: 'P1', outcome: 'ete', percent: 10.005 },
          { providerId: 'P1', outcome: 'accommodation-3m', percent: 101 },
          { providerId: 'P1', outcome: REOFFENDING, percent: 60 },
          { providerId: 'P1', outcome: REOFFENDING, percent: 10 },
          { providerId: 'P2', outcome: REOFFENDING, percent: 40.01 },
        ],
        context,
      );
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InvalidOutcomeSharesError);
    expect((caught as InvalidOutcomeSharesError).issues.map((i) => i.path)).toEqual([
      'shares.0.providerId',
      'shares.1.outcome',
      'shares.2.percent',
      'shares.3.percent',
      'shares.5',
      'shares',
    ]);
    expect((caught as InvalidOutcomeSharesError).issues.at(-1)?.message).toContain('100.01%');
  });

  it('allows exactly 100% of a kind across sub-contractors', () => {
    expect(
      parseOutcomeShares(
        [
          { providerId: 'P1', outcome: 'ete', percent: 33.33 },
          { providerId: 'P2', outcome: 'ete', percent: 66.67 },
        ],
        context,
      ),
    ).toHaveLength(2);
  });

  it('never offers the upfront share: only proxy outcomes and re-offending', () => {
    expect(shareableOutcomes(v1)).toEqual(['accommodation-3m', 'ete', REOFFENDING]);
  });
});

describe('outcomePayments and shareAmountPence', () => {
  const activity: PeriodActivity[] = [
    {
      period: '2026-Q1',
      proxy: [
        // 3 × £500 × 1.5 = £2,250; 2 × £750 × 0.5 = £750.
        { outcomeId: 'accommodation-3m', tier: 'high', claimed: 4, validated: 3 },
        { outcomeId: 'ete', tier: 'low', claimed: 2, validated: 2 },
      ],
      // (45.5% − 40%) × 100 × £2,000 × 1.5 = £16,500.
      results: { high: { size: 100, reoffenders: 40, reoffences: 120 } },
    },
  ];

  it('without a cap, each kind is paid what it earned', () => {
    const payments = outcomePayments({ contract, versions: [v1], through: '2026-Q2', periods: activity });
    expect(payments.outcomes).toEqual([
      { outcome: 'accommodation-3m', earnedPence: 225_000, paidPence: 225_000 },
      { outcome: 'ete', earnedPence: 75_000, paidPence: 75_000 },
      { outcome: REOFFENDING, earnedPence: 1_650_000, paidPence: 1_650_000 },
    ]);
    expect(shareAmountPence(payments, 'ete', 33.33)).toBe(24_998); // 24,997.5 → half up
    expect(shareAmountPence(payments, 'unknown', 50)).toBe(0);
  });

  it('under a cap, re-offending is paid first and proxy outcomes are pro-rated', () => {
    // Cap £18,000: re-offending £16,500 in full, £1,500 left of £3,000 proxy: each outcome half.
    const capped = { ...v1, capPencePerYear: 1_800_000 };
    const payments = outcomePayments({ contract, versions: [capped], through: '2026-Q2', periods: activity });
    expect(payments.outcomes).toEqual([
      { outcome: 'accommodation-3m', earnedPence: 225_000, paidPence: 112_500 },
      { outcome: 'ete', earnedPence: 75_000, paidPence: 37_500 },
      { outcome: REOFFENDING, earnedPence: 1_650_000, paidPence: 1_650_000 },
    ]);
    expect(shareAmountPence(payments, 'accommodation-3m', 10)).toBe(11_250);
  });

  it('a cap that cuts re-offending leaves nothing for proxy outcomes', () => {
    const capped = { ...v1, capPencePerYear: 1_000_000 };
    const payments = outcomePayments({ contract, versions: [capped], through: '2026-Q2', periods: activity });
    expect(payments.outcomes.map((o) => [o.outcome, o.paidPence])).toEqual([
      ['accommodation-3m', 0],
      ['ete', 0],
      [REOFFENDING, 1_000_000],
    ]);
  });

  it('rounds once per share: a third of a pro-rated amount is not rounded twice', () => {
    // Earned 1 × £500 × 1 (medium) and 1 × £750 × 1; cap £1,000 → paid 1000/1250 of each: £400 and £600.
    // A 33.33% share of the £400: 13,332 pence exactly.
    const capped = { ...v1, capPencePerYear: 100_000 };
    const payments = outcomePayments({
      contract,
      versions: [capped],
      through: '2026-Q1',
      periods: [
        {
          period: '2026-Q1',
          proxy: [
            { outcomeId: 'accommodation-3m', tier: 'medium', claimed: 1, validated: 1 },
            { outcomeId: 'ete', tier: 'medium', claimed: 1, validated: 1 },
          ],
        },
      ],
    });
    expect(payments.outcomes.map((o) => o.paidPence)).toEqual([40_000, 60_000]);
    expect(shareAmountPence(payments, 'accommodation-3m', 33.33)).toBe(13_332);
  });
});

/** Random activity over the first four quarters of the contract, under v1 with an optional cap. */
const arbitraryCase = fc.record({
  cap: fc.option(fc.integer({ min: 0, max: 5_000_000 }), { nil: undefined }),
  periods: fc.uniqueArray(
    fc.record({
      period: fc.constantFrom('2026-Q1', '2026-Q2', '2026-Q3', '2026-Q4'),
      proxy: fc.array(
        fc.record({
          outcomeId: fc.constantFrom('accommodation-3m', 'ete'),
          tier: fc.constantFrom(...RISK_TIERS),
          validated: fc.integer({ min: 0, max: 40 }),
        }),
        { maxLength: 6 },
      ),
      results: fc.option(
        fc
          .record({ size: fc.integer({ min: 0, max: 300 }), rate: fc.integer({ min: 0, max: 100 }) })
          .map(({ size, rate }) => {
            const reoffenders = Math.floor((size * rate) / 100);
            return { medium: { size, reoffenders, reoffences: reoffenders } };
          }),
        { nil: undefined },
      ),
    }),
    { selector: (p) => p.period, maxLength: 4 },
  ),
  percent: fc.integer({ min: 0, max: 10_000 }).map((n) => n / 100),
});

function paymentsOf(c: {
  cap: number | undefined;
  periods: {
    period: string;
    proxy: { outcomeId: string; tier: string; validated: number }[];
    results: PeriodActivity['results'];
  }[];
}) {
  const versions = [{ ...v1, ...(c.cap !== undefined ? { capPencePerYear: c.cap } : {}) }];
  return outcomePayments({
    contract,
    versions,
    through: '2026-Q4',
    periods: c.periods.map((p) => ({
      period: p.period,
      proxy: p.proxy.map((x) => ({ ...x, claimed: x.validated })),
      ...(p.results ? { results: p.results } : {}),
    })),
  });
}

describe('share properties', () => {
  it('a share is never negative and never more than the payment; 100% is the payment', () => {
    fc.assert(
      fc.property(arbitraryCase, (c) => {
        const payments = paymentsOf(c);
        for (const o of payments.outcomes) {
          const share = shareAmountPence(payments, o.outcome, c.percent);
          expect(share).toBeGreaterThanOrEqual(0);
          expect(share).toBeLessThanOrEqual(o.paidPence);
          expect(shareAmountPence(payments, o.outcome, 100)).toBe(o.paidPence);
          expect(shareAmountPence(payments, o.outcome, 0)).toBe(0);
          expect(o.paidPence).toBeLessThanOrEqual(o.earnedPence);
        }
      }),
    );
  });

  it('the kinds add up to the statement: re-offending exactly, proxy outcomes within rounding', () => {
    fc.assert(
      fc.property(arbitraryCase, (c) => {
        const payments = paymentsOf(c);
        const totals = payments.statement.totals;
        const reoffending = payments.outcomes.find((o) => o.outcome === REOFFENDING)?.paidPence ?? 0;
        expect(reoffending).toBe(totals.reoffendingPence);
        const proxies = payments.outcomes.filter((o) => o.outcome !== REOFFENDING);
        const sum = proxies.reduce((s, o) => s + o.paidPence, 0);
        // Each kind's exact amount is rounded once: the sum is within half a penny per kind.
        expect(Math.abs(sum - totals.proxyPence)).toBeLessThanOrEqual(proxies.length / 2);
      }),
    );
  });

  it('caps are pro-rated: each proxy outcome is paid its earned × the share the cap left, never more', () => {
    fc.assert(
      fc.property(arbitraryCase, (c) => {
        const uncapped = paymentsOf({ ...c, cap: undefined });
        const capped = paymentsOf(c);
        for (const o of uncapped.outcomes) expect(o.paidPence).toBe(o.earnedPence);
        for (const o of capped.outcomes) {
          const before = uncapped.outcomes.find((u) => u.outcome === o.outcome);
          expect(o.earnedPence).toBe(before?.earnedPence);
          expect(o.paidPence).toBeLessThanOrEqual(o.earnedPence);
        }
        // With all activity in one period, each outcome gets exactly earned × paid ÷ earned of the period.
        if (c.periods.length === 1 && c.periods[0]) {
          const period = capped.statement.periods.find((p) => p.period === c.periods[0]?.period);
          const proxies = capped.outcomes.filter((o) => o.outcome !== REOFFENDING);
          const earned = proxies.reduce((s, o) => s + o.earnedPence, 0);
          for (const o of proxies) {
            const exact = earned === 0 ? 0 : (o.earnedPence * (period?.proxyPence ?? 0)) / earned;
            expect(Math.abs(o.paidPence - exact)).toBeLessThanOrEqual(0.5 + 1e-9);
          }
        }
      }),
    );
  });

  it('a larger share never comes to less', () => {
    fc.assert(
      fc.property(arbitraryCase, fc.integer({ min: 0, max: 10_000 }), (c, other) => {
        const payments = paymentsOf(c);
        const [low, high] = [c.percent, other / 100].sort((a, b) => a - b) as [number, number];
        for (const o of payments.outcomes) {
          expect(shareAmountPence(payments, o.outcome, low)).toBeLessThanOrEqual(
            shareAmountPence(payments, o.outcome, high),
          );
        }
      }),
    );
  });
});
