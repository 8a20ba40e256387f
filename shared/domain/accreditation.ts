/**
 * Once-only accreditation (DESIGN.md section 2): the common pre-qualification answers a provider gives once
 * and reuses in every competition until it expires.
 */
import { addMonths } from './dates';
import type { FieldIssue } from './errors';

/** Mandatory exclusion grounds (Public Contracts Regulations 2015, regulation 57(1) and (3)). */
export const MANDATORY_EXCLUSION_GROUNDS = [
  'participation_in_criminal_organisation',
  'corruption',
  'bribery',
  'fraud',
  'terrorist_offences',
  'money_laundering',
  'child_labour_human_trafficking',
  'tax_non_payment',
] as const;

/** Discretionary exclusion grounds (regulation 57(8)). */
export const DISCRETIONARY_EXCLUSION_GROUNDS = [
  'environmental_social_labour_law_breach',
  'bankruptcy_insolvency',
  'grave_professional_misconduct',
  'distortion_of_competition',
  'conflict_of_interest',
  'prior_involvement',
  'significant_deficiencies_prior_contract',
  'misrepresentation',
  'undue_influence',
] as const;

/** A declared exclusion ground, with the self-cleaning measures taken, if any. */
export interface DeclaredGround<C extends string = string> {
  code: C;
  details: string;
  selfCleaning?: { measures: string } | undefined;
}

/** What the provider submits. */
export interface AccreditationAnswers {
  exclusionGrounds: {
    mandatory: DeclaredGround<(typeof MANDATORY_EXCLUSION_GROUNDS)[number]>[];
    discretionary: DeclaredGround<(typeof DISCRETIONARY_EXCLUSION_GROUNDS)[number]>[];
  };
  financial: { annualTurnoverPence: number; accountsYearEnd: string };
  insurance: {
    employersLiabilityPence: number;
    publicLiabilityPence: number;
    professionalIndemnityPence?: number | undefined;
  };
  policies: { equality: boolean; safeguarding: boolean; healthAndSafety: boolean };
}

/** A stored accreditation. */
export interface Accreditation extends AccreditationAnswers {
  providerId: string;
  submittedAt: string;
  submittedBy: string;
  validUntil: string;
}

/** Accreditation status at a moment. */
export type AccreditationStatus = 'current' | 'expired';

/**
 * When an accreditation submitted at `submittedAt` stops being current: the same day `months` later (the
 * last day of that month when it is shorter, so 31 August + 6 months is 28 or 29 February).
 */
export function accreditationValidUntil(submittedAt: Date, months: number): Date {
  return addMonths(submittedAt, months);
}

/** Current until `validUntil`, expired from then on. */
export function accreditationStatus(validUntil: string, now: Date): AccreditationStatus {
  return now.getTime() < Date.parse(validUntil) ? 'current' : 'expired';
}

/**
 * Rules beyond the shape: each ground declared once; accounts that are not in the future and no older than
 * two years (older accounts say nothing about current financial standing).
 */
export function accreditationRuleIssues(answers: AccreditationAnswers, now: Date): FieldIssue[] {
  const issues: FieldIssue[] = [];
  for (const kind of ['mandatory', 'discretionary'] as const) {
    const codes = answers.exclusionGrounds[kind].map((g) => g.code);
    if (new Set(codes).size !== codes.length) {
      issues.push({ path: `exclusionGrounds.${kind}`, message: 'Declare each exclusion ground once' });
    }
  }
  const yearEnd = Date.parse(`${answers.financial.accountsYearEnd}T00:00:00Z`);
  if (yearEnd > now.getTime()) {
    issues.push({
      path: 'financial.accountsYearEnd',
      message: 'The accounts year end cannot be in the future',
    });
  } else if (yearEnd < accreditationValidUntil(now, -24).getTime()) {
    issues.push({
      path: 'financial.accountsYearEnd',
      message: 'Give accounts for a year that ended in the last 2 years',
    });
  }
  return issues;
}
