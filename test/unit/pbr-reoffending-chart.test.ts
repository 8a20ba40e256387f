/**
 * The commissioner's re-offending series (issue 18): per risk tier and measure, the actual figure against
 * the baseline of the version in force, over the quarters whose results are in; and the commissioner's
 * forms as typed.
 */
import { describe, expect, it } from 'vitest';
import type { MechanismView } from '../../shared/use-cases/payment-by-results/mechanism';
import {
  parseCohortForm,
  parseDecisionForm,
  parseMechanismForm,
  parseResultsForm,
  poundsToPence,
} from '../../shared/web/pages/outcomes/commissioner-forms';
import { renderSeries, reoffendingSeries } from '../../shared/web/pages/outcomes/reoffending-chart';

function version(n: number, fromPeriod: string, reoffending: MechanismView['reoffending']): MechanismView {
  return {
    contractId: 'C',
    version: n,
    fromPeriod: fromPeriod as MechanismView['fromPeriod'],
    upfrontPercent: 10,
    proxyOutcomes: [],
    reoffending,
    tierMultipliers: { low: 1, medium: 1, high: 1, very_high: 1 },
    capPencePerYear: null,
    setAt: '2026-01-01T00:00:00.000Z',
    setBy: 'u',
  };
}

describe('reoffendingSeries', () => {
  const binaryOnly = version(1, '2025-Q1', {
    binary: { baselineRatePercent: 40, tariffPence: 100 },
    followUpMonths: 12,
  });

  it('gives the actual rate per tier against the baseline, in period order, for periods with results only', () => {
    const series = reoffendingSeries(
      [binaryOnly],
      [
        { period: '2025-Q2', results: { low: { size: 10, reoffenders: 2, reoffences: 3 } } },
        { period: '2025-Q1', results: { low: { size: 3, reoffenders: 1, reoffences: 1 } } },
        { period: '2025-Q3', results: null },
      ],
    );
    expect(series).toEqual([
      {
        tier: 'low',
        measure: 'binary',
        points: [
          { period: '2025-Q1', actual: 33.33, baseline: 40 },
          { period: '2025-Q2', actual: 20, baseline: 40 },
        ],
      },
    ]);
  });

  it('leaves out a tier nobody was in and a measure no version in force has', () => {
    const series = reoffendingSeries(
      [binaryOnly],
      [{ period: '2025-Q1', results: { high: { size: 0, reoffenders: 0, reoffences: 0 } } }],
    );
    expect(series).toEqual([]);
  });

  it('takes each period’s baseline from the version in force for it, and both measures when set', () => {
    const later = version(2, '2025-Q3', {
      binary: { baselineRatePercent: 35, tariffPence: 100 },
      frequency: { baselinePerPerson: 1.5, tariffPence: 100 },
      followUpMonths: 12,
    });
    const series = reoffendingSeries(
      [binaryOnly, later],
      [
        { period: '2025-Q2', results: { medium: { size: 4, reoffenders: 1, reoffences: 2 } } },
        { period: '2025-Q3', results: { medium: { size: 4, reoffenders: 2, reoffences: 5 } } },
      ],
    );
    expect(series.map((s) => [s.tier, s.measure])).toEqual([
      ['medium', 'binary'],
      ['medium', 'frequency'],
    ]);
    expect(series[0]?.points.map((p) => p.baseline)).toEqual([40, 35]);
    expect(series[1]?.points).toEqual([
      { period: '2025-Q2', actual: 0.5, baseline: null },
      { period: '2025-Q3', actual: 1.25, baseline: 1.5 },
    ]);
  });

  it('renders an accessible chart with the baseline dashed, and a table that says each period against it', () => {
    const [one] = reoffendingSeries(
      [binaryOnly],
      [{ period: '2025-Q1', results: { very_high: { size: 10, reoffenders: 5, reoffences: 9 } } }],
    );
    if (!one) throw new Error('no series');
    const rendered = renderSeries(one);
    expect(rendered.chartHtml).toContain('role="img"');
    expect(rendered.chartHtml).toContain('stroke-dasharray');
    expect(rendered.chartHtml).toContain('the baseline, 40%');
    expect(rendered.rows[0]?.map((c) => c.text)).toEqual([
      'Jan to Mar 2025',
      '50%',
      '40%',
      'Above the baseline',
    ]);
    expect(rendered.baselineNote).toBeUndefined();
  });
});

describe('the commissioner’s forms', () => {
  const form = (fields: Record<string, string>) => new URLSearchParams(fields);

  it('reads pounds into pence, and refuses what is not an amount', () => {
    expect(poundsToPence('£1,250.5')).toEqual({ value: 125050 });
    expect(poundsToPence('')).toBeUndefined();
    expect(poundsToPence('12.345')).toHaveProperty('error');
  });

  it('reads a mechanism, skipping blank outcome rows and a measure left blank', () => {
    const parsed = parseMechanismForm(
      form({
        outcomeRows: '3',
        fromPeriod: '2026-q1',
        upfrontPercent: '10',
        'proxyOutcomes.0.id': 'housing',
        'proxyOutcomes.0.name': 'Settled accommodation',
        'proxyOutcomes.0.tariffPence': '500',
        'reoffending.binary.baselineRatePercent': '42.5',
        'reoffending.binary.tariffPence': '1000',
        'reoffending.followUpMonths': '12',
        'tierMultipliers.low': '1',
        'tierMultipliers.medium': '1.2',
        'tierMultipliers.high': '1.5',
        'tierMultipliers.very_high': '2',
      }),
    );
    expect(parsed.issues).toEqual([]);
    expect(parsed.input).toEqual({
      fromPeriod: '2026-Q1',
      upfrontPercent: 10,
      proxyOutcomes: [{ id: 'housing', name: 'Settled accommodation', tariffPence: 50000 }],
      reoffending: { binary: { baselineRatePercent: 42.5, tariffPence: 100000 }, followUpMonths: 12 },
      tierMultipliers: { low: 1, medium: 1.2, high: 1.5, very_high: 2 },
    });
  });

  it('names every problem of a mechanism form by the path the use case uses', () => {
    const parsed = parseMechanismForm(
      form({
        outcomeRows: '2',
        'proxyOutcomes.1.id': 'gap',
        'reoffending.frequency.baselinePerPerson': 'lots',
        'tierMultipliers.low': 'x',
      }),
    );
    expect(parsed.input).toBeUndefined();
    expect(parsed.issues.map((i) => i.path)).toEqual([
      'fromPeriod',
      'upfrontPercent',
      'proxyOutcomes.1.id',
      'reoffending.frequency.baselinePerPerson',
      'reoffending.frequency.tariffPence',
      'reoffending.followUpMonths',
      'tierMultipliers.low',
      'tierMultipliers.medium',
      'tierMultipliers.high',
      'tierMultipliers.very_high',
    ]);
  });

  it('reads cohort sizes and results by tier, a blank tier being no one', () => {
    expect(parseCohortForm(form({ period: '2025-q1', 'tiers.low.size': '12' }))).toEqual({
      period: '2025-Q1',
      tiers: { low: { size: 12 } },
      issues: [],
    });
    expect(parseCohortForm(form({ period: '2025-Q1' })).issues[0]?.path).toBe('tiers.low.size');
    const results = parseResultsForm(
      form({
        period: '2025-Q1',
        'tiers.low.size': '12',
        'tiers.low.reoffenders': '3',
        'tiers.low.reoffences': '4',
        'tiers.high.size': 'ten',
      }),
    );
    expect(results.tiers).toEqual({ low: { size: 12, reoffenders: 3, reoffences: 4 } });
    expect(results.issues).toEqual([
      { path: 'tiers.high.size', message: 'The cohort size must be a whole number, like 24' },
    ]);
  });

  it('reads a decision: the references ticked, whatever the decision (the use case judges them), and a reason always', () => {
    const partly = new URLSearchParams(
      'decision=partly-validated&validatedRefs=a1&validatedRefs=b2&reason=ok',
    );
    expect(parseDecisionForm(partly)).toEqual({
      decision: 'partly-validated',
      validatedRefs: ['a1', 'b2'],
      reason: 'ok',
      issues: [],
    });
    const whole = new URLSearchParams('decision=validated&validatedRefs=a1&reason=');
    // Ticking some and choosing "validate" is passed on, so the use case can refuse it (see decideClaim).
    expect(parseDecisionForm(whole)).toMatchObject({ validatedRefs: ['a1'], issues: [{ path: 'reason' }] });
    expect(parseDecisionForm(new URLSearchParams('reason=x')).issues[0]?.path).toBe('decision');
  });
});
