import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Criterion } from '../../shared/domain/competitions';
import {
  evaluate,
  isAbnormallyLow,
  pricePoints,
  qualityPoints,
  round2,
  scoreIssues,
} from '../../shared/domain/scoring';

const criteria: Criterion[] = [
  { id: 'quality', name: 'Quality', kind: 'quality', weight: 50 },
  { id: 'social', name: 'Social value', kind: 'quality', weight: 20 },
  { id: 'price', name: 'Price', kind: 'price', weight: 30 },
];

describe('points', () => {
  it('quality points are weight × score / 5', () => {
    expect(qualityPoints(50, 5)).toBe(50);
    expect(qualityPoints(50, 3)).toBe(30);
    expect(qualityPoints(20, 0)).toBe(0);
  });

  it('price points are price weight × lowest / bid', () => {
    expect(pricePoints(30, 100, 100)).toBe(30);
    expect(pricePoints(30, 100, 200)).toBe(15);
    expect(pricePoints(30, 100, 0)).toBe(0);
  });

  it('rounds to two decimals half away from zero', () => {
    expect(round2(1.005)).toBe(1.01);
    expect(round2(2.344)).toBe(2.34);
    expect(round2(66.666666)).toBe(66.67);
    expect(round2(-1.005)).toBe(-1.01);
  });
});

describe('evaluate', () => {
  it('ranks by total, most economically advantageous first, not cheapest', () => {
    const { complete, ranking } = evaluate(criteria, [
      { bidId: 'cheap', organisationId: 'A', pricePence: 80_000, moderated: { quality: 2, social: 2 } },
      { bidId: 'good', organisationId: 'B', pricePence: 100_000, moderated: { quality: 5, social: 4 } },
    ]);
    expect(complete).toBe(true);
    expect(ranking.map((r) => [r.bidId, r.qualityPoints, r.pricePoints, r.totalPoints, r.rank])).toEqual([
      ['good', 66, 24, 90, 1],
      ['cheap', 28, 30, 58, 2],
    ]);
    expect(ranking[0]?.byCriterion).toEqual({ quality: 50, social: 16, price: 24 });
  });

  it('breaks a tie on total by the higher quality total, and shares a rank only on a full tie', () => {
    const tieCriteria: Criterion[] = [
      { id: 'q', name: 'Q', kind: 'quality', weight: 50 },
      { id: 'p', name: 'P', kind: 'price', weight: 50 },
    ];
    // A: quality 40 + price 50 = 90; B: quality 50 + price 40 = 90.
    const { ranking } = evaluate(tieCriteria, [
      { bidId: 'A', organisationId: 'A', pricePence: 100, moderated: { q: 4 } },
      { bidId: 'B', organisationId: 'B', pricePence: 125, moderated: { q: 5 } },
      { bidId: 'C', organisationId: 'C', pricePence: 125, moderated: { q: 5 } },
    ]);
    expect(ranking.map((r) => [r.bidId, r.totalPoints, r.rank])).toEqual([
      ['B', 90, 1],
      ['C', 90, 1],
      ['A', 90, 3],
    ]);
  });

  it('is incomplete until every bid has a moderated score for every quality criterion', () => {
    expect(
      evaluate(criteria, [{ bidId: 'x', organisationId: 'X', pricePence: 1, moderated: { quality: 3 } }])
        .complete,
    ).toBe(false);
    expect(evaluate(criteria, []).complete).toBe(false);
  });

  it('flags abnormally low prices', () => {
    expect(isAbnormallyLow(60, [100, 100])).toBe(true);
    expect(isAbnormallyLow(80, [100, 100])).toBe(false);
    expect(isAbnormallyLow(1, [])).toBe(false);
    const { ranking } = evaluate(criteria, [
      { bidId: 'low', organisationId: 'A', pricePence: 40, moderated: { quality: 1, social: 1 } },
      { bidId: 'b', organisationId: 'B', pricePence: 100, moderated: { quality: 1, social: 1 } },
      { bidId: 'c', organisationId: 'C', pricePence: 110, moderated: { quality: 1, social: 1 } },
    ]);
    expect(ranking.find((r) => r.bidId === 'low')?.abnormallyLow).toBe(true);
    expect(ranking.find((r) => r.bidId === 'b')?.abnormallyLow).toBe(false);
  });

  it('keeps every total within 0–100, the lowest price taking full price points', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            price: fc.integer({ min: 1, max: 10_000_000_00 }),
            quality: fc.integer({ min: 0, max: 5 }),
            social: fc.integer({ min: 0, max: 5 }),
          }),
          { minLength: 1, maxLength: 12 },
        ),
        (bids) => {
          const { ranking } = evaluate(
            criteria,
            bids.map((b, i) => ({
              bidId: `b${i}`,
              organisationId: `o${i}`,
              pricePence: b.price,
              moderated: { quality: b.quality, social: b.social },
            })),
          );
          const lowest = Math.min(...bids.map((b) => b.price));
          for (const entry of ranking) {
            expect(entry.totalPoints).toBeGreaterThanOrEqual(0);
            expect(entry.totalPoints).toBeLessThanOrEqual(100);
          }
          const cheapest = ranking.filter((r) => bids[Number(r.bidId.slice(1))]?.price === lowest);
          for (const entry of cheapest) expect(entry.pricePoints).toBe(30);
          for (let i = 1; i < ranking.length; i += 1) {
            const a = ranking[i - 1];
            const b = ranking[i];
            if (a && b)
              expect(
                a.totalPoints > b.totalPoints ||
                  (a.totalPoints === b.totalPoints && a.qualityPoints >= b.qualityPoints),
              ).toBe(true);
          }
        },
      ),
    );
  });
});

describe('scoreIssues', () => {
  it('accepts whole scores 0–5 with reasons for quality criteria', () => {
    expect(
      scoreIssues(criteria, [{ criterionId: 'quality', score: 4, note: 'Clear plan' }], 'justification'),
    ).toEqual([]);
  });

  it('names every problem', () => {
    const issues = scoreIssues(
      criteria,
      [
        { criterionId: 'price', score: 3, note: 'x' },
        { criterionId: 'quality', score: 6, note: '' },
        { criterionId: 'quality', score: 2.5, note: 'y' },
        { criterionId: 'nope', score: 1, note: 'z' },
      ],
      'justification',
    );
    expect(issues.map((i) => i.path)).toEqual([
      'scores.0.criterionId',
      'scores.1.score',
      'scores.1.justification',
      'scores.2.criterionId',
      'scores.2.score',
      'scores.3.criterionId',
    ]);
  });
});
