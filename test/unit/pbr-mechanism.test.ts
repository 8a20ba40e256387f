/**
 * Issue 18, the payment mechanism (pure): the terms a commissioner sets are validated field by field, and a
 * change applies from its quarter onward, never before.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../shared/domain/errors';
import {
  followUpEnds,
  InvalidMechanismError,
  MalformedPeriodError,
  type MechanismInput,
  type MechanismVersion,
  mechanismFor,
  nextMechanismVersion,
  nextQuarter,
  parseMechanism,
  quartersBetween,
  RetroactiveMechanismChangeError,
} from '../../shared/domain/payment-by-results/mechanism';
import type { Period } from '../../shared/domain/subcontracting/dates';

const input: MechanismInput = {
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
  capPencePerYear: 5_000_000_00,
};

const contract = { startDate: '2025-05-15', endDate: '2028-05-14' };

/** The issues a call throws, as `path: message` pairs' paths. */
function issuePaths(call: () => unknown): string[] {
  try {
    call();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).issues.map((issue) => issue.path ?? '');
  }
  throw new Error('expected a validation error');
}

describe('the terms of a mechanism', () => {
  it('accepts valid terms and keeps them as given', () => {
    const terms = parseMechanism(input);
    expect(terms).toEqual(input);
    const { capPencePerYear: _cap, ...uncapped } = input;
    expect(parseMechanism(uncapped).capPencePerYear).toBeUndefined();
    expect(
      parseMechanism({ ...input, reoffending: { binary: input.reoffending.binary, followUpMonths: 1 } }),
    ).toMatchObject({ reoffending: { followUpMonths: 1 } });
  });

  it('refuses a bad upfront percent: negative, over 100, more than two decimals, not a number', () => {
    for (const upfrontPercent of [-1, 100.01, 12.345, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(issuePaths(() => parseMechanism({ ...input, upfrontPercent }))).toEqual(['upfrontPercent']);
    }
    expect(parseMechanism({ ...input, upfrontPercent: 0 }).upfrontPercent).toBe(0);
    expect(parseMechanism({ ...input, upfrontPercent: 100 }).upfrontPercent).toBe(100);
    expect(parseMechanism({ ...input, upfrontPercent: 33.33 }).upfrontPercent).toBe(33.33);
  });

  it('refuses negative, fractional and oversized tariffs wherever they are', () => {
    const bad = {
      ...input,
      proxyOutcomes: [
        { id: 'a', name: 'A', tariffPence: -1 },
        { id: 'b', name: 'B', tariffPence: 1.5 },
        { id: 'c', name: 'C', tariffPence: 1_000_000_001 },
      ],
      reoffending: {
        binary: { baselineRatePercent: 40, tariffPence: -100 },
        frequency: { baselinePerPerson: 1, tariffPence: -1 },
        followUpMonths: 12,
      },
    };
    expect(issuePaths(() => parseMechanism(bad))).toEqual([
      'proxyOutcomes.0.tariffPence',
      'proxyOutcomes.1.tariffPence',
      'proxyOutcomes.2.tariffPence',
      'reoffending.binary.tariffPence',
      'reoffending.frequency.tariffPence',
    ]);
    expect(
      parseMechanism({ ...input, proxyOutcomes: [{ id: 'x', name: 'X', tariffPence: 0 }] }),
    ).toBeTruthy();
  });

  it('refuses an unknown tier, a missing tier, and multipliers that are not positive, over 10 or too precise', () => {
    expect(
      issuePaths(() =>
        parseMechanism({
          ...input,
          tierMultipliers: { low: 1, medium: 1, high: 1, very_high: 1, extreme: 3 },
        }),
      ),
    ).toEqual(['tierMultipliers.extreme']);
    expect(
      issuePaths(() => parseMechanism({ ...input, tierMultipliers: { low: 1, medium: 1, high: 1 } })),
    ).toEqual(['tierMultipliers.very_high']);
    expect(
      issuePaths(() =>
        parseMechanism({ ...input, tierMultipliers: { low: 0, medium: -1, high: 10.01, very_high: 1.005 } }),
      ),
    ).toEqual([
      'tierMultipliers.low',
      'tierMultipliers.medium',
      'tierMultipliers.high',
      'tierMultipliers.very_high',
    ]);
    expect(
      parseMechanism({ ...input, tierMultipliers: { low: 0.01, medium: 1, high: 9.99, very_high: 10 } }),
    ).toBeTruthy();
  });

  it('refuses a malformed fromPeriod', () => {
    for (const fromPeriod of [
      '2026-Q5',
      '2026-Q0',
      '2026Q1',
      '26-Q1',
      '2026-q1',
      '2026-01',
      '',
      ' 2026-Q1',
    ]) {
      expect(issuePaths(() => parseMechanism({ ...input, fromPeriod }))).toEqual(['fromPeriod']);
    }
  });

  it('bounds the proxy outcomes: at most 20, ids and names bounded, ids unique', () => {
    const many = Array.from({ length: 21 }, (_, i) => ({
      id: `o${i}`,
      name: `Outcome ${i}`,
      tariffPence: 1,
    }));
    expect(issuePaths(() => parseMechanism({ ...input, proxyOutcomes: many }))).toEqual(['proxyOutcomes']);
    expect(parseMechanism({ ...input, proxyOutcomes: many.slice(0, 20) }).proxyOutcomes).toHaveLength(20);
    expect(
      issuePaths(() =>
        parseMechanism({
          ...input,
          proxyOutcomes: [
            { id: 'x'.repeat(41), name: 'Long id', tariffPence: 1 },
            { id: 'has space', name: 'Space', tariffPence: 1 },
            { id: '', name: 'Empty', tariffPence: 1 },
            { id: 'dup', name: ' ', tariffPence: 1 },
            { id: 'dup', name: 'n'.repeat(121), tariffPence: 1 },
          ],
        }),
      ),
    ).toEqual([
      'proxyOutcomes.0.id',
      'proxyOutcomes.1.id',
      'proxyOutcomes.2.id',
      'proxyOutcomes.3.name',
      'proxyOutcomes.4.id',
      'proxyOutcomes.4.name',
    ]);
  });

  it('refuses a proxy outcome id that names another payment (reoffending, upfront)', () => {
    const outcomes = ['reoffending', 'Upfront'].map((id) => ({ id, name: id, tariffPence: 1 }));
    expect(issuePaths(() => parseMechanism({ ...input, proxyOutcomes: outcomes }))).toEqual([
      'proxyOutcomes.0.id',
      'proxyOutcomes.1.id',
    ]);
  });

  it('needs a re-offending measure, baselines within bounds and a follow-up of 1 to 36 months', () => {
    expect(issuePaths(() => parseMechanism({ ...input, reoffending: { followUpMonths: 12 } }))).toEqual([
      'reoffending',
    ]);
    expect(
      issuePaths(() =>
        parseMechanism({
          ...input,
          reoffending: {
            binary: { baselineRatePercent: 100.5, tariffPence: 1 },
            frequency: { baselinePerPerson: -0.1, tariffPence: 1 },
            followUpMonths: 37,
          },
        }),
      ),
    ).toEqual([
      'reoffending.binary.baselineRatePercent',
      'reoffending.frequency.baselinePerPerson',
      'reoffending.followUpMonths',
    ]);
    for (const followUpMonths of [0, 1.5, -3]) {
      expect(
        issuePaths(() => parseMechanism({ ...input, reoffending: { ...input.reoffending, followUpMonths } })),
      ).toEqual(['reoffending.followUpMonths']);
    }
  });

  it('refuses a negative or fractional cap', () => {
    expect(issuePaths(() => parseMechanism({ ...input, capPencePerYear: -1 }))).toEqual(['capPencePerYear']);
    expect(issuePaths(() => parseMechanism({ ...input, capPencePerYear: 10.5 }))).toEqual([
      'capPencePerYear',
    ]);
  });

  it('reports every problem at once, as an InvalidMechanismError', () => {
    const error = (() => {
      try {
        parseMechanism({ ...input, fromPeriod: 'soon', upfrontPercent: 101, capPencePerYear: -5 });
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(InvalidMechanismError);
    expect((error as InvalidMechanismError).code).toBe('validation');
    expect((error as InvalidMechanismError).issues.map((issue) => issue.path)).toEqual([
      'fromPeriod',
      'upfrontPercent',
      'capPencePerYear',
    ]);
  });
});

describe('versions: a change applies from its quarter onward, never before', () => {
  const v1 = nextMechanismVersion([], input, { contract, today: '2026-02-10' });

  it('numbers versions and lets the first start at any quarter of the contract, even a past one', () => {
    expect(v1.version).toBe(1);
    const past = nextMechanismVersion(
      [],
      { ...input, fromPeriod: '2025-Q2' },
      { contract, today: '2026-11-01' },
    );
    expect(past.fromPeriod).toBe('2025-Q2');
    expect(
      issuePaths(() =>
        nextMechanismVersion([], { ...input, fromPeriod: '2025-Q1' }, { contract, today: '2026-01-01' }),
      ),
    ).toEqual(['fromPeriod']);
    expect(
      issuePaths(() =>
        nextMechanismVersion([], { ...input, fromPeriod: '2028-Q3' }, { contract, today: '2026-01-01' }),
      ),
    ).toEqual(['fromPeriod']);
  });

  it('refuses a later version from the current quarter or earlier, or before the version it follows', () => {
    const change = { ...input, upfrontPercent: 10 };
    expect(() =>
      nextMechanismVersion([v1], { ...change, fromPeriod: '2026-Q1' }, { contract, today: '2026-02-10' }),
    ).toThrow(RetroactiveMechanismChangeError);
    expect(() =>
      nextMechanismVersion([v1], { ...change, fromPeriod: '2025-Q4' }, { contract, today: '2026-02-10' }),
    ).toThrow(/earliest is 2026-Q2/);
    const v2 = nextMechanismVersion(
      [v1],
      { ...change, fromPeriod: '2027-Q1' },
      { contract, today: '2026-02-10' },
    );
    expect(v2.version).toBe(2);
    expect(() =>
      nextMechanismVersion([v1, v2], { ...change, fromPeriod: '2026-Q3' }, { contract, today: '2026-02-10' }),
    ).toThrow(/version 2 applies from 2027-Q1/);
    // The same future quarter again supersedes it.
    const v3 = nextMechanismVersion(
      [v1, v2],
      { ...change, fromPeriod: '2027-Q1', upfrontPercent: 5 },
      { contract, today: '2026-02-10' },
    );
    expect(mechanismFor([v1, v2, v3], '2027-Q1')?.upfrontPercent).toBe(5);
  });

  it('picks the version in force for a period, and none before the first', () => {
    const v2: MechanismVersion = { ...v1, version: 2, fromPeriod: '2026-Q3', upfrontPercent: 10 };
    expect(mechanismFor([v1, v2], '2025-Q4')).toBeUndefined();
    expect(mechanismFor([v1, v2], '2026-Q1')?.version).toBe(1);
    expect(mechanismFor([v1, v2], '2026-Q2')?.version).toBe(1);
    expect(mechanismFor([v1, v2], '2026-Q3')?.version).toBe(2);
    expect(mechanismFor([v1, v2], '2030-Q4')?.version).toBe(2);
    expect(mechanismFor([v2, v1], '2026-Q4')?.version).toBe(2);
    expect(() => mechanismFor([v1], '2026-Q9')).toThrow(MalformedPeriodError);
  });

  const periodArb = fc
    .record({ year: fc.integer({ min: 2020, max: 2035 }), quarter: fc.integer({ min: 1, max: 4 }) })
    .map(({ year, quarter }) => `${year}-Q${quarter}` as Period);

  it('property: a change never alters a period before its fromPeriod, and always applies from it on', () => {
    fc.assert(
      fc.property(fc.array(periodArb, { minLength: 1, maxLength: 8 }), periodArb, (starts, probe) => {
        const sorted = [...starts].sort();
        const versions = sorted.map(
          (fromPeriod, i): MechanismVersion => ({ ...v1, fromPeriod, version: i + 1 }),
        );
        const withChange = [
          ...versions,
          { ...v1, fromPeriod: sorted.at(-1) as Period, version: versions.length + 1, upfrontPercent: 99 },
        ];
        const before = mechanismFor(versions, probe);
        const after = mechanismFor(withChange, probe);
        if (probe < (sorted.at(-1) as Period)) expect(after).toBe(before);
        else expect(after?.version).toBe(versions.length + 1);
        // In force means: starts at or before the period, and no later version does.
        if (after) {
          expect(after.fromPeriod <= probe).toBe(true);
          expect(withChange.filter((v) => v.fromPeriod <= probe && v.version > after.version)).toEqual([]);
        } else {
          expect(withChange.every((v) => v.fromPeriod > probe)).toBe(true);
        }
      }),
    );
  });
});

describe('quarters and follow-up', () => {
  it('steps through quarters across years', () => {
    expect(nextQuarter('2025-Q4')).toBe('2026-Q1');
    expect(nextQuarter('2026-Q2')).toBe('2026-Q3');
    expect(quartersBetween('2025-Q3', '2026-Q2')).toEqual(['2025-Q3', '2025-Q4', '2026-Q1', '2026-Q2']);
    expect(quartersBetween('2026-Q2', '2026-Q1')).toEqual([]);
  });

  it('ends a follow-up on the last day of the month that many months after the quarter', () => {
    expect(followUpEnds('2026-Q3', 6)).toBe('2027-03-31');
    expect(followUpEnds('2026-Q4', 2)).toBe('2027-02-28');
    expect(followUpEnds('2027-Q4', 2)).toBe('2028-02-29');
    expect(followUpEnds('2026-Q1', 12)).toBe('2027-03-31');
    expect(() => followUpEnds('2026-13', 12)).toThrow(MalformedPeriodError);
  });
});
