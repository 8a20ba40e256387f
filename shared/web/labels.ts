/**
 * Human words for the service's codes (regions, services, sectors, sizes, legal forms, exclusion grounds),
 * for the pages. The codes stay the single source of truth in `shared/domain`; this only names them.
 */
import { DISCRETIONARY_EXCLUSION_GROUNDS, MANDATORY_EXCLUSION_GROUNDS } from '../domain/accreditation';
import { LEGAL_FORM_NAMES, NATIONAL, REGIONS, SECTORS, SERVICES, SIZES } from '../domain/reference-data';

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
};

/** `unpaid_work` → `Unpaid work`, unless a better name is known. */
export function label(code: string): string {
  const known = SPECIAL[code];
  if (known) return known;
  const words = code.replaceAll('_', ' ');
  return `${words.charAt(0).toUpperCase()}${words.slice(1)}`;
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

/** An ISO timestamp as a GOV.UK date: `2026-11-22T…` → `22 November 2026`. */
export function govukDate(iso: string | undefined | null): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'Europe/London',
  });
}
