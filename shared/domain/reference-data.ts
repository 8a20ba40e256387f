/**
 * The service's reference data (DESIGN.md section 2): regions, service categories, sectors, sizes and the
 * legal forms organisations register with.
 */

/** The nine English regions and Wales. */
export const REGIONS = [
  'north_east',
  'north_west',
  'yorkshire_humber',
  'east_midlands',
  'west_midlands',
  'east_of_england',
  'london',
  'south_east',
  'south_west',
  'wales',
] as const;
/** One region. */
export type Region = (typeof REGIONS)[number];

/** A provider's coverage: regions, or `national` (every region). */
export const NATIONAL = 'national' as const;
/** A region or `national`. */
export type Coverage = Region | typeof NATIONAL;

/** The seven reducing-reoffending pathways and the other offender-service categories. */
export const SERVICES = [
  'accommodation',
  'education_training_employment',
  'health',
  'drugs_alcohol',
  'finance_benefit_debt',
  'children_families',
  'attitudes_thinking_behaviour',
  'unpaid_work',
  'offender_management',
  'victim_services',
  'restorative_justice',
  'approved_premises',
  'electronic_monitoring',
  'custodial_services',
] as const;
/** One service category. */
export type Service = (typeof SERVICES)[number];

/** Sectors. */
export const SECTORS = ['voluntary', 'private', 'public'] as const;
/** One sector. */
export type Sector = (typeof SECTORS)[number];

/** Sizes; SME = micro, small or medium. */
export const SIZES = ['micro', 'small', 'medium', 'large'] as const;
/** One size. */
export type Size = (typeof SIZES)[number];

/** True for micro, small and medium organisations. */
export function isSme(size: Size): boolean {
  return size !== 'large';
}

/** Legal forms, and which registration number each one must carry. */
export const LEGAL_FORMS = {
  charitable_incorporated_organisation: { needs: 'charity' },
  charitable_company: { needs: 'both' },
  charitable_trust: { needs: 'charity' },
  unincorporated_association: { needs: 'none' },
  community_interest_company: { needs: 'company' },
  company_limited_by_guarantee: { needs: 'company' },
  private_limited_company: { needs: 'company' },
  public_limited_company: { needs: 'company' },
  limited_liability_partnership: { needs: 'company' },
  community_benefit_society: { needs: 'none' },
  cooperative_society: { needs: 'none' },
  partnership: { needs: 'none' },
  sole_trader: { needs: 'none' },
  public_body: { needs: 'none' },
} as const satisfies Record<string, { needs: 'charity' | 'company' | 'both' | 'none' }>;
/** One legal form. */
export type LegalForm = keyof typeof LEGAL_FORMS;
/** Every legal form. */
export const LEGAL_FORM_NAMES = Object.keys(LEGAL_FORMS) as [LegalForm, ...LegalForm[]];
