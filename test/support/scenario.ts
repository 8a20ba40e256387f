/**
 * Set-up for integration tests that need providers and competitions in DynamoDB Local, through the real
 * use cases (registration, verification, accreditation, creation, publication).
 */
import { config } from '../../shared/config';
import { repositories } from '../../shared/db/repositories';
import type { Principal, UserPrincipal } from '../../shared/domain/principal';
import type { Region, Service } from '../../shared/domain/reference-data';
import { putAccreditation } from '../../shared/use-cases/accreditation';
import { createCompetition } from '../../shared/use-cases/competitions/create-competition';
import { publishCompetition } from '../../shared/use-cases/competitions/publish-competition';
import { registerProvider } from '../../shared/use-cases/register-provider';
import { verifyProvider } from '../../shared/use-cases/verify-provider';

const admin: Principal = { kind: 'user', sub: 'admin', email: undefined, groups: ['admin'] };

/** The commissioner who leads the competitions `openCompetition` creates. */
export const LEAD: Principal = { kind: 'user', sub: 'lead', email: undefined, groups: ['commissioner'] };

/** A signed-in user with no group. */
export function user(sub: string): UserPrincipal {
  return { kind: 'user', sub, email: undefined, groups: [] };
}

/** Registers a voluntary micro provider owned by `sub` in one region and service, verified by an admin. */
export async function verifiedProvider(
  sub: string,
  name: string,
  where: { region: Region; service: Service },
): Promise<string> {
  const provider = await registerProvider(
    repositories(),
    user(sub),
    {
      name,
      legalForm: 'unincorporated_association',
      sector: 'voluntary',
      size: 'micro',
      regions: [where.region],
      services: [where.service],
      contact: { name: 'Test contact', email: 'contact@example.org' },
    },
    new Date(),
  );
  await verifyProvider(repositories(), admin, provider.id, new Date());
  return provider.id;
}

/** Gives the provider a current accreditation (no exclusion grounds, £900k turnover), as its owner `sub`. */
export async function accredit(sub: string, providerId: string): Promise<void> {
  await putAccreditation(
    repositories(),
    user(sub),
    providerId,
    {
      exclusionGrounds: { mandatory: [], discretionary: [] },
      financial: {
        annualTurnoverPence: 900_000_00,
        accountsYearEnd: `${new Date().getUTCFullYear() - 1}-03-31`,
      },
      insurance: { employersLiabilityPence: 1, publicLiabilityPence: 1 },
      policies: { equality: true, safeguarding: true, healthAndSafety: true },
    },
    new Date(),
    12,
  );
}

/**
 * Creates and publishes a competition led by `LEAD` in one region and service, closing in an hour (tier
 * none) or with pre-qualification closing in an hour and tenders in two (`prequalification: true`: tier
 * core, £300k over 24 months, medium risk). Returns its id.
 */
export async function openCompetition(options: {
  title: string;
  region: Region;
  service: Service;
  prequalification?: boolean;
}): Promise<string> {
  const hour = 3_600_000;
  const tiered = options.prequalification === true;
  const competition = await createCompetition(
    repositories(),
    LEAD,
    {
      title: options.title,
      description: `${options.title}: a test competition.`,
      services: [options.service],
      regions: [options.region],
      estimatedValuePence: tiered ? 300_000_00 : 50_000_00,
      termMonths: tiered ? 24 : 12,
      risk: tiered ? 'medium' : 'low',
      ...(tiered ? { prequalificationDeadline: new Date(Date.now() + hour).toISOString() } : {}),
      tenderDeadline: new Date(Date.now() + (tiered ? 2 : 1) * hour).toISOString(),
      criteria: [
        { id: 'quality', name: 'Quality', kind: 'quality', weight: 60 },
        { id: 'price', name: 'Price', kind: 'price', weight: 40 },
      ],
    },
    new Date(),
    config().rules,
  );
  await publishCompetition(repositories(), LEAD, competition.id, new Date(), config().rules);
  return competition.id;
}
