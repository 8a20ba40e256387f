/**
 * Pre-qualification rules (pure): the questionnaire for each tier, which answers a current accreditation
 * gives, what an applicant must still answer, and the automatic results (exclusion grounds, financial
 * standing) that evaluators start from.
 */
import type { Accreditation } from './accreditation';
import type { PrequalificationTier } from './competitions';
import type { FieldIssue } from './errors';

/** One question. */
export interface Question {
  id: string;
  text: string;
  type: 'text' | 'boolean' | 'number';
  required: boolean;
  /** Answered from the applicant's current accreditation, so not asked again. */
  answeredByAccreditation: boolean;
}

/** A section of the questionnaire. */
export interface Section {
  id: string;
  title: string;
  questions: Question[];
}

/** The questionnaire of a tier. */
export interface Questionnaire {
  tier: PrequalificationTier;
  sections: Section[];
}

type Bank = (Question & { tiers: PrequalificationTier[] })[];
const CORE_FULL: PrequalificationTier[] = ['core', 'full'];
const FULL: PrequalificationTier[] = ['full'];

const SECTIONS: { id: string; title: string; bank: Bank }[] = [
  {
    id: 'supplier',
    title: 'Supplier information',
    bank: [
      {
        id: 'supplier.details-confirmed',
        text: 'The organisation details in your registration are correct and current',
        type: 'boolean',
        required: true,
        answeredByAccreditation: true,
        tiers: CORE_FULL,
      },
    ],
  },
  {
    id: 'exclusion',
    title: 'Grounds for exclusion',
    bank: [
      {
        id: 'exclusion.mandatory',
        text: 'Has the organisation, or anyone with powers of representation, decision or control in it, been convicted of any of the mandatory exclusion offences in the last 5 years?',
        type: 'boolean',
        required: true,
        answeredByAccreditation: true,
        tiers: CORE_FULL,
      },
      {
        id: 'exclusion.discretionary',
        text: 'Do any of the discretionary grounds for exclusion apply to the organisation?',
        type: 'boolean',
        required: true,
        answeredByAccreditation: true,
        tiers: CORE_FULL,
      },
    ],
  },
  {
    id: 'financial',
    title: 'Economic and financial standing',
    bank: [
      {
        id: 'financial.annual-turnover-pence',
        text: 'Annual turnover in your latest accounts (pence)',
        type: 'number',
        required: true,
        answeredByAccreditation: true,
        tiers: CORE_FULL,
      },
      {
        id: 'financial.accounts-examined',
        text: 'Are your accounts independently audited or examined?',
        type: 'boolean',
        required: true,
        answeredByAccreditation: false,
        tiers: FULL,
      },
    ],
  },
  {
    id: 'technical',
    title: 'Technical and professional ability',
    bank: [
      {
        id: 'technical.relevant-experience',
        text: 'Describe up to three contracts of similar scope you have delivered in the last three years',
        type: 'text',
        required: true,
        answeredByAccreditation: false,
        tiers: CORE_FULL,
      },
      {
        id: 'technical.case-study',
        text: 'Give a case study of outcomes achieved for people on probation or leaving custody',
        type: 'text',
        required: true,
        answeredByAccreditation: false,
        tiers: FULL,
      },
      {
        id: 'technical.safeguarding-lead',
        text: 'Name the role of your designated safeguarding lead and how staff reach them',
        type: 'text',
        required: true,
        answeredByAccreditation: false,
        tiers: FULL,
      },
      {
        id: 'technical.quality-assurance',
        text: 'How do you assure the quality of your services?',
        type: 'text',
        required: true,
        answeredByAccreditation: false,
        tiers: FULL,
      },
    ],
  },
  {
    id: 'insurance',
    title: 'Insurance',
    bank: [
      {
        id: 'insurance.employers-liability-pence',
        text: "Employer's liability cover (pence)",
        type: 'number',
        required: true,
        answeredByAccreditation: true,
        tiers: CORE_FULL,
      },
      {
        id: 'insurance.public-liability-pence',
        text: 'Public liability cover (pence)',
        type: 'number',
        required: true,
        answeredByAccreditation: true,
        tiers: CORE_FULL,
      },
      {
        id: 'insurance.professional-indemnity-pence',
        text: 'Professional indemnity cover (pence), if held',
        type: 'number',
        required: false,
        answeredByAccreditation: true,
        tiers: FULL,
      },
    ],
  },
  {
    id: 'policies',
    title: 'Policies',
    bank: [
      {
        id: 'policies.equality',
        text: 'Do you have an equality and diversity policy?',
        type: 'boolean',
        required: true,
        answeredByAccreditation: true,
        tiers: CORE_FULL,
      },
      {
        id: 'policies.safeguarding',
        text: 'Do you have a safeguarding policy?',
        type: 'boolean',
        required: true,
        answeredByAccreditation: true,
        tiers: CORE_FULL,
      },
      {
        id: 'policies.health-and-safety',
        text: 'Do you have a health and safety policy?',
        type: 'boolean',
        required: true,
        answeredByAccreditation: true,
        tiers: CORE_FULL,
      },
    ],
  },
];

/**
 * The most answers a response may carry: more than any questionnaire asks (`QUESTION_BANK_SIZE`), so a
 * response is bounded before its answers are checked against the questions.
 */
export const MAX_ANSWERS = 50;

/** The longest text answer, in characters. */
export const MAX_TEXT_ANSWER = 10_000;

/** How many questions the bank holds (the full tier asks them all). */
export const QUESTION_BANK_SIZE = SECTIONS.reduce((sum, section) => sum + section.bank.length, 0);

/** The questionnaire for a tier; tier `none` has no questions at all. */
export function questionnaireFor(tier: PrequalificationTier): Questionnaire {
  const sections = SECTIONS.map((section) => ({
    id: section.id,
    title: section.title,
    questions: section.bank
      .filter((q) => q.tiers.includes(tier))
      .map(({ tiers: _tiers, ...question }) => question),
  })).filter((section) => section.questions.length > 0);
  return { tier, sections };
}

/** An answer value. */
export type Answer = string | boolean | number;

/** The answers a current accreditation gives. */
export function answersFromAccreditation(accreditation: Accreditation): Record<string, Answer> {
  const answers: Record<string, Answer> = {
    'supplier.details-confirmed': true,
    'exclusion.mandatory': accreditation.exclusionGrounds.mandatory.length > 0,
    'exclusion.discretionary': accreditation.exclusionGrounds.discretionary.length > 0,
    'financial.annual-turnover-pence': accreditation.financial.annualTurnoverPence,
    'insurance.employers-liability-pence': accreditation.insurance.employersLiabilityPence,
    'insurance.public-liability-pence': accreditation.insurance.publicLiabilityPence,
    'policies.equality': accreditation.policies.equality,
    'policies.safeguarding': accreditation.policies.safeguarding,
    'policies.health-and-safety': accreditation.policies.healthAndSafety,
  };
  if (accreditation.insurance.professionalIndemnityPence !== undefined) {
    answers['insurance.professional-indemnity-pence'] = accreditation.insurance.professionalIndemnityPence;
  }
  return answers;
}

/**
 * Merges the applicant's answers with those its current accreditation gives (the accreditation wins for
 * the questions it answers) and lists every problem: a required question unanswered, an answer of the wrong
 * type, or an answer to a question the questionnaire does not ask.
 */
export function mergeAnswers(
  questionnaire: Questionnaire,
  given: Record<string, unknown>,
  accreditation: Accreditation | undefined,
): { answers: Record<string, Answer>; issues: FieldIssue[] } {
  const fromAccreditation = accreditation ? answersFromAccreditation(accreditation) : {};
  const questions = questionnaire.sections.flatMap((s) => s.questions);
  const known = new Set(questions.map((q) => q.id));
  const issues: FieldIssue[] = [];
  const answers: Record<string, Answer> = {};
  for (const id of Object.keys(given)) {
    if (!known.has(id))
      issues.push({ path: `answers.${id}`, message: 'This questionnaire does not ask this question' });
  }
  // Own keys only, in both: a key the applicant sent never reaches `Object.prototype`.
  const own = (source: Record<string, unknown>, id: string) =>
    Object.hasOwn(source, id) ? source[id] : undefined;
  for (const question of questions) {
    const accredited = question.answeredByAccreditation && accreditation !== undefined;
    const value =
      accredited && Object.hasOwn(fromAccreditation, question.id)
        ? own(fromAccreditation, question.id)
        : own(given, question.id);
    if (value === undefined || value === null || value === '') {
      if (question.required)
        issues.push({ path: `answers.${question.id}`, message: `Answer: ${question.text}` });
      continue;
    }
    const ok =
      (question.type === 'text' &&
        typeof value === 'string' &&
        value.trim().length > 0 &&
        value.length <= MAX_TEXT_ANSWER) ||
      (question.type === 'boolean' && typeof value === 'boolean') ||
      // A safe integer: past 2^53 a number cannot be stored exactly (and comes back as a BigInt).
      (question.type === 'number' && typeof value === 'number' && Number.isSafeInteger(value) && value >= 0);
    if (!ok) {
      issues.push({
        path: `answers.${question.id}`,
        message: `Give ${question.type === 'number' ? `a whole number from 0 to ${Number.MAX_SAFE_INTEGER}` : `a ${question.type}`}`,
      });
      continue;
    }
    answers[question.id] = value as Answer;
  }
  return { answers, issues };
}

/** An automatic result. */
export type AutomaticResult = 'pass' | 'fail' | 'review';

/**
 * Exclusion grounds: a declared mandatory ground without self-cleaning fails; a mandatory ground with
 * self-cleaning measures, or any discretionary ground, goes to the evaluators; none passes. Without an
 * accreditation only the yes/no answers are known, so a "yes" to mandatory grounds fails.
 */
export function exclusionResult(
  accreditation: Accreditation | undefined,
  answers: Record<string, Answer>,
): { result: AutomaticResult; reason: string } {
  if (accreditation) {
    const { mandatory, discretionary } = accreditation.exclusionGrounds;
    const uncleaned = mandatory.filter((g) => !g.selfCleaning);
    if (uncleaned.length > 0) {
      return {
        result: 'fail',
        reason: `Mandatory exclusion ground without self-cleaning: ${uncleaned.map((g) => g.code).join(', ')}`,
      };
    }
    if (mandatory.length > 0 || discretionary.length > 0) {
      return {
        result: 'review',
        reason: 'Exclusion grounds declared with self-cleaning or discretionary grounds: evaluators decide',
      };
    }
    return { result: 'pass', reason: 'No exclusion grounds declared' };
  }
  if (answers['exclusion.mandatory'] === true)
    return { result: 'fail', reason: 'A mandatory exclusion ground applies' };
  if (answers['exclusion.discretionary'] === true)
    return { result: 'review', reason: 'A discretionary exclusion ground applies: evaluators decide' };
  return { result: 'pass', reason: 'No exclusion grounds declared' };
}

/**
 * Financial standing: the applicant's turnover, plus its consortium members', against the minimum. Each
 * turnover is a safe integer but their sum need not be: it is held at the largest safe integer, which every
 * minimum is within, so the result is the same and the stored figure stays exact.
 */
export function financialResult(
  turnovers: number[],
  minimumTurnoverPence: number,
): { result: AutomaticResult; combinedTurnoverPence: number; minimumTurnoverPence: number } {
  const combined = turnovers.reduce((sum, t) => Math.min(Number.MAX_SAFE_INTEGER, sum + t), 0);
  return {
    result: combined >= minimumTurnoverPence ? 'pass' : 'fail',
    combinedTurnoverPence: combined,
    minimumTurnoverPence,
  };
}
