/**
 * Competition bodies for tests.
 */

/** An ISO time `seconds` from now. */
export function inSeconds(seconds: number): string {
  return new Date(Date.now() + seconds * 1000).toISOString();
}

/** A valid `POST /competitions` body (tier core by default: £500k, 36 months, medium risk). */
export function competitionBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    title: 'Accommodation support, North West',
    description: 'Supported housing and tenancy sustainment for people leaving custody.',
    services: ['accommodation'],
    regions: ['north_west'],
    estimatedValuePence: 500_000_00,
    termMonths: 36,
    risk: 'medium',
    prequalificationDeadline: inSeconds(3600),
    tenderDeadline: inSeconds(7200),
    criteria: [
      { id: 'quality', name: 'Quality of service', kind: 'quality', weight: 60 },
      { id: 'social-value', name: 'Social value', kind: 'quality', weight: 10 },
      { id: 'price', name: 'Price', kind: 'price', weight: 30 },
    ],
    confidential: { budgetCeilingPence: 550_000_00, notes: 'Incumbent contract ends in March.' },
    ...overrides,
  };
}

/**
 * A `POST /competitions` body of tier none (£80,000 over 24 months, low risk, no pre-qualification):
 * victim support in the South West, closing at `tenderDeadline`.
 */
export function victimSupportBody(tenderDeadline: string): Record<string, unknown> {
  return competitionBody({
    title: 'Victim support, South West',
    regions: ['south_west'],
    services: ['victim_services'],
    estimatedValuePence: 80_000_00,
    termMonths: 24,
    risk: 'low',
    prequalificationDeadline: undefined,
    tenderDeadline,
  });
}
