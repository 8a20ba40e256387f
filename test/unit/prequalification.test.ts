import { describe, expect, it } from 'vitest';
import type { Accreditation } from '../../shared/domain/accreditation';
import {
  answersFromAccreditation,
  exclusionResult,
  financialResult,
  mergeAnswers,
  questionnaireFor,
} from '../../shared/domain/prequalification';

const accreditation = (overrides: Partial<Accreditation> = {}): Accreditation => ({
  providerId: 'P',
  submittedAt: '2026-01-01T00:00:00Z',
  submittedBy: 'u',
  validUntil: '2027-01-01T00:00:00Z',
  exclusionGrounds: { mandatory: [], discretionary: [] },
  financial: { annualTurnoverPence: 100, accountsYearEnd: '2025-03-31' },
  insurance: { employersLiabilityPence: 1, publicLiabilityPence: 2 },
  policies: { equality: true, safeguarding: true, healthAndSafety: false },
  ...overrides,
});

describe('questionnaireFor', () => {
  it('asks nothing for tier none', () => {
    expect(questionnaireFor('none')).toEqual({ tier: 'none', sections: [] });
  });

  it('asks more for full than for core, every core question included', () => {
    const ids = (tier: 'core' | 'full') =>
      questionnaireFor(tier).sections.flatMap((s) => s.questions.map((q) => q.id));
    const core = ids('core');
    const full = ids('full');
    expect(core.length).toBeGreaterThan(5);
    expect(full.length).toBeGreaterThan(core.length);
    for (const id of core) expect(full).toContain(id);
    expect(new Set(full).size).toBe(full.length);
  });

  it('covers the sections the brief names', () => {
    expect(questionnaireFor('full').sections.map((s) => s.title)).toEqual([
      'Supplier information',
      'Grounds for exclusion',
      'Economic and financial standing',
      'Technical and professional ability',
      'Insurance',
      'Policies',
    ]);
  });

  it('marks as answered by accreditation exactly the questions an accreditation answers', () => {
    const given = answersFromAccreditation(
      accreditation({
        insurance: { employersLiabilityPence: 1, publicLiabilityPence: 2, professionalIndemnityPence: 3 },
      }),
    );
    for (const question of questionnaireFor('full').sections.flatMap((s) => s.questions)) {
      expect(question.id in given, question.id).toBe(question.answeredByAccreditation);
    }
  });
});

describe('mergeAnswers', () => {
  const core = questionnaireFor('core');

  it('takes accredited answers from the accreditation, even over what the applicant typed', () => {
    const { answers, issues } = mergeAnswers(
      core,
      { 'technical.relevant-experience': 'Lots', 'financial.annual-turnover-pence': 999 },
      accreditation(),
    );
    expect(issues).toEqual([]);
    expect(answers['financial.annual-turnover-pence']).toBe(100);
    expect(answers['policies.health-and-safety']).toBe(false);
  });

  it('names every missing, mistyped and unknown answer', () => {
    const { issues } = mergeAnswers(
      core,
      { 'exclusion.mandatory': 'no', 'financial.annual-turnover-pence': -5, nonsense: 1 },
      undefined,
    );
    const paths = issues.map((i) => i.path);
    expect(paths).toContain('answers.nonsense');
    expect(paths).toContain('answers.exclusion.mandatory');
    expect(paths).toContain('answers.financial.annual-turnover-pence');
    expect(paths).toContain('answers.technical.relevant-experience');
    expect(paths).toContain('answers.policies.equality');
  });

  it('lets optional questions go unanswered', () => {
    const full = questionnaireFor('full');
    const { issues } = mergeAnswers(
      full,
      {
        'technical.relevant-experience': 'a',
        'technical.case-study': 'b',
        'technical.safeguarding-lead': 'c',
        'technical.quality-assurance': 'd',
        'financial.accounts-examined': true,
      },
      accreditation(),
    );
    expect(issues).toEqual([]);
  });
});

describe('exclusionResult', () => {
  it('fails a mandatory ground without self-cleaning', () => {
    const a = accreditation({
      exclusionGrounds: { mandatory: [{ code: 'fraud', details: 'x' }], discretionary: [] },
    });
    expect(exclusionResult(a, {}).result).toBe('fail');
  });

  it('sends self-cleaned mandatory grounds and discretionary grounds to the evaluators', () => {
    const cleaned = accreditation({
      exclusionGrounds: {
        mandatory: [{ code: 'fraud', details: 'x', selfCleaning: { measures: 'New board' } }],
        discretionary: [],
      },
    });
    const discretionary = accreditation({
      exclusionGrounds: { mandatory: [], discretionary: [{ code: 'bankruptcy_insolvency', details: 'x' }] },
    });
    expect(exclusionResult(cleaned, {}).result).toBe('review');
    expect(exclusionResult(discretionary, {}).result).toBe('review');
  });

  it('passes a clean accreditation, and reads yes/no answers without one', () => {
    expect(exclusionResult(accreditation(), {}).result).toBe('pass');
    expect(exclusionResult(undefined, { 'exclusion.mandatory': true }).result).toBe('fail');
    expect(
      exclusionResult(undefined, { 'exclusion.mandatory': false, 'exclusion.discretionary': true }).result,
    ).toBe('review');
    expect(
      exclusionResult(undefined, { 'exclusion.mandatory': false, 'exclusion.discretionary': false }).result,
    ).toBe('pass');
  });
});

describe('financialResult', () => {
  it('combines turnovers and compares with the minimum, inclusive', () => {
    expect(financialResult([60, 40], 100)).toEqual({
      result: 'pass',
      combinedTurnoverPence: 100,
      minimumTurnoverPence: 100,
    });
    expect(financialResult([99], 100).result).toBe('fail');
    expect(financialResult([], 0).result).toBe('pass');
  });
});
