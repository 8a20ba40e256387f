/**
 * Issue 13, items 3 and 7, in the pure rules and the schemas: every number a client sends is a safe
 * integer (or bounded), every sum the domain makes from them stays one, and a key a client chooses
 * (criterion ids, answer ids) can never be read as one of `Object.prototype`'s names.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bidContentIssues } from '../../shared/domain/bids';
import {
  annualValuePence,
  type CompetitionDraft,
  type Criterion,
  competitionDraftIssues,
  MAX_OPPORTUNITY_ENTRIES,
  maximumMinimumTurnoverPence,
} from '../../shared/domain/competitions';
import { financialResult, mergeAnswers, questionnaireFor } from '../../shared/domain/prequalification';
import { REGIONS, SERVICES } from '../../shared/domain/reference-data';
import { evaluate, isAbnormallyLow, pricePoints, type ScoredBid } from '../../shared/domain/scoring';
import { percentSchema } from '../../shared/http/schemas/common';
import { createCompetitionBody, criterionIdSchema } from '../../shared/http/schemas/competitions';
import { responseBody } from '../../shared/http/schemas/prequalification';
import { subcontractingSchemas } from '../../shared/http/schemas/subcontracting';
import { bidBody, moderatedBody, scoresBody } from '../../shared/http/schemas/tenders';

const MAX = Number.MAX_SAFE_INTEGER;
const PROTOTYPE_NAMES = Object.getOwnPropertyNames(Object.prototype);
/** Strings a client might choose as a key: anything, and often a name `Object.prototype` has. */
const anyKey = fc.oneof(fc.constantFrom(...PROTOTYPE_NAMES), fc.string({ maxLength: 12 }));

describe('sums of client numbers stay safe integers', () => {
  it('works out the annual value exactly for any safe value and term (it used to drift past 2^53 / 12)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MAX }), fc.integer({ min: 1, max: 240 }), (value, term) => {
        const annual = annualValuePence(value, term);
        const months = BigInt(Math.max(12, term));
        // Round half up, in exact integer arithmetic.
        const exact = (BigInt(value) * 24n + months) / (2n * months);
        expect(Number.isSafeInteger(annual)).toBe(true);
        expect(BigInt(annual)).toBe(exact);
      }),
    );
    expect(annualValuePence(MAX, 24)).toBe(4_503_599_627_370_496);
  });

  it('caps the largest minimum turnover a commissioner may ask for at a safe integer', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: MAX }),
        fc.integer({ min: 1, max: 240 }),
        fc.integer({ min: 1, max: 10 }),
        (value, term, multiple) => {
          const cap = maximumMinimumTurnoverPence(value, term, multiple);
          expect(Number.isSafeInteger(cap)).toBe(true);
          expect(cap).toBe(Math.min(MAX, multiple * annualValuePence(value, term)));
        },
      ),
    );
  });

  it('adds turnovers up to at most the largest safe integer, still passing the minimum', () => {
    expect(financialResult([MAX, MAX, 1], 100)).toEqual({
      result: 'pass',
      combinedTurnoverPence: MAX,
      minimumTurnoverPence: 100,
    });
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: MAX }), { maxLength: 21 }),
        fc.integer({ min: 0, max: MAX }),
        (turnovers, minimum) => {
          const result = financialResult(turnovers, minimum);
          const exact = turnovers.reduce((sum, t) => sum + BigInt(t), 0n);
          expect(Number.isSafeInteger(result.combinedTurnoverPence)).toBe(true);
          expect(result.result).toBe(exact >= BigInt(minimum) ? 'pass' : 'fail');
        },
      ),
    );
  });

  it('refuses a numeric answer past the safe integer range (a 500 when stored, before)', () => {
    const { issues } = mergeAnswers(
      questionnaireFor('core'),
      { 'financial.annual-turnover-pence': 2 ** 60 },
      undefined,
    );
    expect(issues.map((i) => i.path)).toContain('answers.financial.annual-turnover-pence');
    const parsed = responseBody.safeParse({ answers: { 'financial.annual-turnover-pence': 2 ** 60 } });
    expect(parsed.success).toBe(false);
    expect(responseBody.safeParse({ answers: { 'financial.annual-turnover-pence': 1e300 } }).success).toBe(
      false,
    );
    expect(responseBody.safeParse({ answers: { 'financial.annual-turnover-pence': MAX } }).success).toBe(
      true,
    );
  });

  it('bounds scores in the schema: whole numbers from 0 to 5', () => {
    const scores = (score: number) => ({ scores: [{ criterionId: 'quality', score, justification: 'x' }] });
    for (const bad of [1e300, 6, -1, 2.5]) {
      expect(scoresBody.safeParse(scores(bad)).success, String(bad)).toBe(false);
      const moderated = { scores: [{ criterionId: 'quality', score: bad, rationale: 'x' }] };
      expect(moderatedBody.safeParse(moderated).success, String(bad)).toBe(false);
    }
    expect(scoresBody.safeParse(scores(5)).success).toBe(true);
  });

  it('keeps price points and totals finite and within 0–100 for any safe prices', () => {
    const criteria: Criterion[] = [
      { id: 'quality', name: 'Quality', kind: 'quality', weight: 1 },
      { id: 'price', name: 'Price', kind: 'price', weight: 99 },
    ];
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: MAX }), { minLength: 1, maxLength: 30 }), (prices) => {
        const bids: ScoredBid[] = prices.map((pricePence, i) => ({
          bidId: `B${i}`,
          organisationId: `O${i}`,
          pricePence,
          moderated: { quality: 5 },
        }));
        for (const entry of evaluate(criteria, bids).ranking) {
          expect(Number.isFinite(entry.totalPoints)).toBe(true);
          expect(entry.pricePoints).toBeGreaterThanOrEqual(0);
          expect(entry.totalPoints).toBeLessThanOrEqual(100);
        }
        const lowest = Math.min(...prices);
        for (const price of prices) {
          const points = pricePoints(99, lowest, price);
          expect(points).toBeGreaterThanOrEqual(0);
          expect(points).toBeLessThanOrEqual(99);
        }
        expect(typeof isAbnormallyLow(prices[0] ?? 0, prices.slice(1))).toBe('boolean');
      }),
    );
  });
});

describe('regions × services fit one transaction (item 5)', () => {
  const draft = (regions: CompetitionDraft['regions'], services: CompetitionDraft['services']) => ({
    title: 'T',
    description: 'D',
    services,
    regions,
    estimatedValuePence: 100,
    termMonths: 12,
    risk: 'low' as const,
    tenderDeadline: '2099-01-01T00:00:00Z',
    criteria: [
      { id: 'quality', name: 'Q', kind: 'quality' as const, weight: 50 },
      { id: 'price', name: 'P', kind: 'price' as const, weight: 50 },
    ],
  });
  const refused = (regions: number, services: number) =>
    competitionDraftIssues(
      draft(REGIONS.slice(0, regions), SERVICES.slice(0, services)),
      'none',
      new Date(),
    ).some((issue) => issue.path === 'regions');

  it('allows (regions + 1) × (services + 1) up to the limit and refuses one entry more', () => {
    for (let regions = 1; regions <= REGIONS.length; regions += 1) {
      for (let services = 1; services <= SERVICES.length; services += 1) {
        const entries = (regions + 1) * (services + 1);
        expect(refused(regions, services), `${regions} × ${services}`).toBe(
          entries > MAX_OPPORTUNITY_ENTRIES,
        );
      }
    }
    // 95 entries: with the competition, its audit event, its OCDS release, the feed counter and its outbox
    // event, 100. 7 regions and 11 services (96 entries) fitted before the outbox event joined the publication.
    expect(MAX_OPPORTUNITY_ENTRIES + 5).toBe(100);
    expect(refused(7, 10)).toBe(false);
    expect(refused(7, 11)).toBe(true);
    expect(refused(6, 12)).toBe(false);
    expect(refused(6, 13)).toBe(true);
    expect(refused(5, 14)).toBe(false);
  });

  it('always allows national with every service', () => {
    const issues = competitionDraftIssues(draft(['national'], [...SERVICES]), 'none', new Date());
    expect(issues).toEqual([]);
  });
});

describe('client-chosen keys are never read as prototype names', () => {
  it('refuses a criterion id that Object.prototype has (it broke storing the bid, before)', () => {
    expect(criterionIdSchema.safeParse('constructor').success).toBe(false);
    expect(criterionIdSchema.safeParse('__proto__').success).toBe(false);
    expect(criterionIdSchema.safeParse('quality-2').success).toBe(true);
    fc.assert(
      fc.property(anyKey, (key) => {
        if (criterionIdSchema.safeParse(key).success) {
          expect(PROTOTYPE_NAMES).not.toContain(key);
          expect(key).toMatch(/^[a-z0-9][a-z0-9-]{0,39}$/);
        }
      }),
    );
  });

  it('refuses a competition whose criterion is `constructor`', () => {
    const body = {
      title: 'T',
      description: 'D',
      services: ['health'],
      regions: ['london'],
      estimatedValuePence: 100,
      termMonths: 12,
      risk: 'low',
      tenderDeadline: '2099-01-01T00:00:00Z',
      criteria: [
        { id: 'constructor', name: 'Q', kind: 'quality', weight: 50 },
        { id: 'price', name: 'P', kind: 'price', weight: 50 },
      ],
    };
    const parsed = createCompetitionBody.safeParse(body);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(['criteria', 0, 'id']);
  });

  it('refuses bid answers and scores keyed by a prototype name', () => {
    const bid = (key: string) => ({ pricePence: 1, qualityResponses: { [key]: 'Our answer' } });
    expect(bidBody.safeParse(bid('constructor')).success).toBe(false);
    expect(bidBody.safeParse(bid('hasOwnProperty')).success).toBe(false);
    expect(bidBody.safeParse(bid('quality')).success).toBe(true);
    // JSON.parse makes `__proto__` an own key; zod skips it, so it never reaches the domain.
    const parsed = bidBody.parse(JSON.parse('{"pricePence":1,"qualityResponses":{"__proto__":{"x":1}}}'));
    expect(Object.keys(parsed.qualityResponses)).toEqual([]);
    expect(Object.getPrototypeOf(parsed.qualityResponses)).toBe(Object.prototype);
    for (const schema of [scoresBody, moderatedBody]) {
      const scores = [{ criterionId: 'toString', score: 1, justification: 'x', rationale: 'x' }];
      const body = {
        scores: scores.map(({ justification, rationale, ...s }) =>
          schema === scoresBody ? { ...s, justification } : { ...s, rationale },
        ),
      };
      expect(schema.safeParse(body).success).toBe(false);
    }
  });

  it('ranks correctly whatever the criterion ids, with no prototype lookups', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(anyKey, { minLength: 2, maxLength: 6 }),
        fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 6, maxLength: 6 }),
        fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
        (ids, scores, moderatedFlags) => {
          const [priceId, ...qualityIds] = ids as [string, ...string[]];
          const criteria: Criterion[] = [
            { id: priceId, name: 'Price', kind: 'price', weight: 10 },
            ...qualityIds.map((id) => ({ id, name: id, kind: 'quality' as const, weight: 10 })),
          ];
          const moderated = Object.fromEntries(
            qualityIds.flatMap((id, i) => (moderatedFlags[i] ? [[id, scores[i] ?? 0]] : [])),
          );
          const { complete, ranking } = evaluate(criteria, [
            { bidId: 'B', organisationId: 'O', pricePence: 100, moderated },
          ]);
          const expected =
            10 +
            qualityIds.reduce(
              (sum, _id, i) => sum + (moderatedFlags[i] ? (10 * (scores[i] ?? 0)) / 5 : 0),
              0,
            );
          expect(complete).toBe(qualityIds.every((_id, i) => moderatedFlags[i]));
          expect(ranking[0]?.totalPoints).toBe(expected);
          const byCriterion = ranking[0]?.byCriterion ?? {};
          expect(Object.keys(byCriterion).sort()).toEqual([...ids].sort());
          for (const id of ids) expect(Number.isFinite(byCriterion[id])).toBe(true);
        },
      ),
    );
  });

  it('checks bid answers against any criterion ids without throwing', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(anyKey, { minLength: 1, maxLength: 5 }),
        fc.dictionary(anyKey, fc.string({ maxLength: 5 }), { maxKeys: 5 }),
        (ids, responses) => {
          const criteria: Criterion[] = [
            ...ids.map((id) => ({ id, name: id, kind: 'quality' as const, weight: 10 })),
            { id: 'the-price', name: 'Price', kind: 'price', weight: 10 },
          ];
          const content = { pricePence: 1, qualityResponses: responses, subcontractors: [], consortium: [] };
          const issues = bidContentIssues(content, criteria, true);
          for (const id of ids) {
            const answered = Object.hasOwn(responses, id) && (responses[id] ?? '').trim() !== '';
            const flagged = issues.some((i) => i.path === `qualityResponses.${id}`);
            expect(flagged).toBe(!answered);
          }
        },
      ),
    );
  });

  it('merges answers keyed by any string without reading the prototype', () => {
    fc.assert(
      fc.property(fc.dictionary(anyKey, fc.oneof(fc.string(), fc.integer(), fc.boolean())), (given) => {
        const { answers, issues } = mergeAnswers(questionnaireFor('core'), given, undefined);
        for (const key of Object.keys(given)) {
          if (!key.includes('.')) expect(issues.map((i) => i.path)).toContain(`answers.${key}`);
        }
        for (const key of Object.keys(answers)) expect(Object.hasOwn(answers, key)).toBe(true);
      }),
    );
  });
});

describe("a sub-contractor's ref, which keys the return's snapshot of who was paid", () => {
  const body = subcontractingSchemas['PUT /contracts/{id}/supply-chain'].body;
  const chain = (ref: string) => ({
    subcontractors: [{ ref, name: 'Hillside', sector: 'voluntary', size: 'micro', services: [] }],
  });

  it('may not be a name Object.prototype has', () => {
    for (const ref of ['constructor', 'toString', 'hasOwnProperty', '__proto__'])
      expect(body.safeParse(chain(ref)).success, ref).toBe(false);
    expect(body.safeParse(chain('LOCAL-01')).success).toBe(true);
  });
});

describe('percentages', () => {
  it('take 0 to 100 with two decimals, and nothing DynamoDB cannot store', () => {
    for (const ok of [0, 0.01, 33.33, 99.99, 100])
      expect(percentSchema.safeParse(ok).success, String(ok)).toBe(true);
    for (const bad of [5e-324, 1e-20, 1e-131, 0.001, 0.015, -0.01, 100.01, Number.NaN])
      expect(percentSchema.safeParse(bad).success, String(bad)).toBe(false);
  });
});
