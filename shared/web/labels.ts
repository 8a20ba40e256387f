/**
 * Human words for the service's codes (regions, services, sectors, sizes, legal forms, exclusion grounds,
 * competition statuses and pre-qualification tiers), dates and money, for the pages. The codes stay the
 * single source of truth in `shared/domain`; this is the one place that names them, so a status or a tier
 * reads the same on every page.
 */
import { DISCRETIONARY_EXCLUSION_GROUNDS, MANDATORY_EXCLUSION_GROUNDS } from '../domain/accreditation';
import type { CompetitionStatus, PrequalificationTier } from '../domain/competitions';
import { govukDate, govukDateTime } from '../domain/dates';
import { LEGAL_FORM_NAMES, NATIONAL, REGIONS, SECTORS, SERVICES, SIZES } from '../domain/reference-data';
import { escapeHtml } from '../http/escape-html';

export { govukDate, govukDateTime };

type MandatoryGround = (typeof MANDATORY_EXCLUSION_GROUNDS)[number];
type DiscretionaryGround = (typeof DISCRETIONARY_EXCLUSION_GROUNDS)[number];

/**
 * The exclusion grounds in the plain words of the Procurement Act 2023: Schedule 6 (mandatory) and
 * Schedule 7 (discretionary). The codes predate the Act; the wording follows its grounds.
 */
export const EXCLUSION_GROUND_NAMES: Record<MandatoryGround | DiscretionaryGround, string> = {
  participation_in_criminal_organisation:
    'Organised crime: taking part in the activities of an organised crime group',
  corruption: 'Corruption, such as misconduct in public office',
  bribery: 'Bribery, or failing to prevent bribery',
  fraud: 'Theft, fraud or other dishonesty offences, such as false accounting or cheating the public revenue',
  terrorist_offences: 'Terrorism offences',
  money_laundering: 'Money laundering, or other offences involving the proceeds of crime',
  child_labour_human_trafficking:
    'Labour market, slavery and human trafficking offences, including using child labour',
  tax_non_payment: 'Not paying tax or National Insurance contributions that are owed',
  environmental_social_labour_law_breach: 'Breaking environmental, employment or labour market law',
  bankruptcy_insolvency: 'Insolvency or bankruptcy, such as administration, liquidation or a winding-up',
  grave_professional_misconduct: 'Professional misconduct',
  distortion_of_competition: 'Agreements or behaviour that distort competition',
  conflict_of_interest: 'A conflict of interest that cannot be avoided',
  prior_involvement: 'Taking part in preparing this procurement in a way that gives an unfair advantage',
  significant_deficiencies_prior_contract: 'Breach of contract or poor performance on a previous contract',
  misrepresentation: 'Acting improperly in a procurement: giving false or misleading information',
  undue_influence:
    'Acting improperly in a procurement: trying to influence a decision or get confidential information',
};

/** What each competition status is called on every page, its GOV.UK tag colour and what it means. */
export const COMPETITION_STATUS: Record<
  CompetitionStatus,
  { text: string; colour: string; meaning: string }
> = {
  draft: { text: 'Draft', colour: 'grey', meaning: 'Not published yet.' },
  prequalification: {
    text: 'Pre-qualification',
    colour: 'blue',
    meaning: 'Open: providers can apply until pre-qualification closes.',
  },
  shortlisting: {
    text: 'Shortlisting',
    colour: 'purple',
    meaning: 'Pre-qualification has closed; the commissioner is choosing who to invite to tender.',
  },
  tendering: {
    text: 'Tendering',
    colour: 'green',
    meaning: 'Open for tenders until tenders close.',
  },
  evaluation: {
    text: 'Evaluation',
    colour: 'yellow',
    meaning: 'Tenders have closed and are being evaluated.',
  },
  standstill: {
    text: 'Standstill',
    colour: 'orange',
    meaning: 'The award decision is made; the contract is let when the standstill period ends.',
  },
  awarded: { text: 'Awarded', colour: 'turquoise', meaning: 'The contract has been awarded.' },
  cancelled: { text: 'Cancelled', colour: 'red', meaning: 'The competition was cancelled.' },
};

/** What each pre-qualification tier is called, and what it asks of a provider, in words. */
export const PREQUALIFICATION_TIER: Record<PrequalificationTier, { text: string; explanation: string }> = {
  none: {
    text: 'No pre-qualification',
    explanation: 'No pre-qualification: any verified provider may bid.',
  },
  core: {
    text: 'Core pre-qualification',
    explanation:
      'Core pre-qualification: a short questionnaire (exclusion grounds, turnover, insurance, policies and similar contracts). Your accreditation answers most of it. Only providers invited after pre-qualification may bid.',
  },
  full: {
    text: 'Full pre-qualification',
    explanation:
      'Full pre-qualification: the core questionnaire plus audited accounts, a case study, safeguarding and quality assurance. Your accreditation answers part of it. Only providers invited after pre-qualification may bid.',
  },
};

/** What closes at each deadline, said the same way everywhere. */
export const DEADLINE_NAMES = {
  prequalification: 'Pre-qualification closes',
  tender: 'Tenders close',
} as const;

/** A competition status's name (`prequalification` → `Pre-qualification`). */
export function statusName(status: CompetitionStatus): string {
  return COMPETITION_STATUS[status]?.text ?? label(status);
}

/** A GOV.UK tag for a competition status. */
export function statusTag(status: CompetitionStatus): { text: string; classes: string } {
  const known = COMPETITION_STATUS[status];
  return { text: known?.text ?? label(status), classes: `govuk-tag--${known?.colour ?? 'grey'}` };
}

/** A pre-qualification tier's name (`none` → `No pre-qualification`). */
export function tierName(tier: PrequalificationTier): string {
  return PREQUALIFICATION_TIER[tier]?.text ?? label(tier);
}

const SPECIAL: Record<string, string> = {
  north_east: 'North East',
  north_west: 'North West',
  yorkshire_humber: 'Yorkshire and the Humber',
  east_midlands: 'East Midlands',
  west_midlands: 'West Midlands',
  east_of_england: 'East of England',
  london: 'London',
  south_east: 'South East',
  south_west: 'South West',
  wales: 'Wales',
  national: 'National (every region)',
  education_training_employment: 'Education, training and employment',
  drugs_alcohol: 'Drugs and alcohol',
  finance_benefit_debt: 'Finance, benefit and debt',
  children_families: 'Children and families',
  attitudes_thinking_behaviour: 'Attitudes, thinking and behaviour',
  voluntary: 'Voluntary, community or social enterprise',
  micro: 'Micro (fewer than 10 staff)',
  small: 'Small (10 to 49 staff)',
  medium: 'Medium (50 to 249 staff)',
  large: 'Large (250 staff or more)',
  cooperative_society: 'Co-operative society',
  // Statuses read alike everywhere (a generic `label` of a status code gives the same words as `statusName`).
  prequalification: 'Pre-qualification',
  ...EXCLUSION_GROUND_NAMES,
};

/**
 * A competition's risk level in words. Its own names: `medium` is also an organisation size code, whose
 * label ("Medium (50 to 249 staff)") `label` gives.
 */
export function riskName(risk: string): string {
  const names: Record<string, string> = { low: 'Low', medium: 'Medium', high: 'High' };
  return Object.hasOwn(names, risk) ? (names[risk] as string) : label(risk);
}

/** `unpaid_work` → `Unpaid work`, unless a better name is known. */
export function label(code: string): string {
  const known = SPECIAL[code];
  if (known) return known;
  const words = code.replaceAll('_', ' ');
  return `${words.charAt(0).toUpperCase()}${words.slice(1)}`;
}

/**
 * Who a competition suits (issue 17), as the creation wizard offers it and the opportunity page says it.
 * Keyed by the API's codes (`vcse`, `sme`).
 */
export const SUITABLE_FOR_NAMES: Record<'vcse' | 'sme', string> = {
  vcse: 'VCSE organisations',
  sme: 'Small and medium-sized enterprises',
};

/** The names of who a competition suits, in the order given: `VCSE organisations, Small and …`. */
export function suitableForText(codes: readonly string[]): string {
  return codes
    .map((code) =>
      Object.hasOwn(SUITABLE_FOR_NAMES, code) ? SUITABLE_FOR_NAMES[code as 'vcse'] : label(code),
    )
    .join(', ');
}

/** `{ value, text }` items for GOV.UK radios, checkboxes and selects. */
export function options(codes: readonly string[]): { value: string; text: string }[] {
  return codes.map((value) => ({ value, text: label(value) }));
}

/** The option lists the pages offer. */
export const CHOICES = {
  regions: options([...REGIONS, NATIONAL]),
  services: options(SERVICES),
  sectors: options(SECTORS),
  sizes: options(SIZES),
  legalForms: options(LEGAL_FORM_NAMES),
  mandatoryGrounds: options(MANDATORY_EXCLUSION_GROUNDS),
  discretionaryGrounds: options(DISCRETIONARY_EXCLUSION_GROUNDS),
};

/** Integer pence as pounds: `12345600` → `£123,456`. */
export function pounds(pence: number): string {
  const value = pence / 100;
  return `£${value.toLocaleString('en-GB', { minimumFractionDigits: Number.isInteger(value) ? 0 : 2, maximumFractionDigits: 2 })}`;
}

/** Escapes text for the few places a GOV.UK macro takes `html` (a link inside a table cell, line breaks). */
export { escapeHtml };

/** Lines of text as HTML: each escaped, joined by line breaks. */
export function linesHtml(text: string): string {
  return text.split('\n').map(escapeHtml).join('<br>');
}
