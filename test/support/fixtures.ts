/**
 * Plausible request bodies for tests.
 */

let counter = 0;

/** A unique 8-digit number for registration numbers in tests. */
export function uniqueDigits(length = 8): string {
  counter += 1;
  const seed = `${Date.now() % 1_000_000}${counter}${Math.floor(Math.random() * 1000)}`;
  return seed.padStart(length, '1').slice(-length);
}

/** A valid registration body for a charity (CIO). */
export function charityRegistration(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'Second Chance Mentoring',
    legalForm: 'charitable_incorporated_organisation',
    charityNumber: uniqueDigits(7),
    sector: 'voluntary',
    size: 'small',
    regions: ['north_west', 'yorkshire_humber'],
    services: ['education_training_employment', 'attitudes_thinking_behaviour'],
    description: 'Peer mentoring for people leaving prison.',
    contact: { name: 'Sam Patel', email: 'sam@secondchance.example.org', phone: '0161 496 0000' },
    website: 'https://secondchance.example.org',
    ...overrides,
  };
}

/** A valid accreditation body. */
export function accreditationAnswers(now = new Date()): Record<string, unknown> {
  const yearEnd = new Date(Date.UTC(now.getUTCFullYear() - 1, 2, 31)).toISOString().slice(0, 10);
  return {
    exclusionGrounds: { mandatory: [], discretionary: [] },
    financial: { annualTurnoverPence: 250_000_00, accountsYearEnd: yearEnd },
    insurance: { employersLiabilityPence: 5_000_000_00, publicLiabilityPence: 2_000_000_00 },
    policies: { equality: true, safeguarding: true, healthAndSafety: true },
  };
}
