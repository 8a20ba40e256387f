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
import { declare, setPanel } from '../../shared/use-cases/competitions/wall-management';
import { registerProvider } from '../../shared/use-cases/register-provider';
import { verifyProvider } from '../../shared/use-cases/verify-provider';

const admin: Principal = { kind: 'user', sub: 'admin', email: undefined, groups: ['admin'] };

/** The commissioner who leads the competitions `openCompetition` creates. */
export const LEAD: Principal = { kind: 'user', sub: 'lead', email: undefined, groups: ['commissioner'] };

/** A signed-in user with no group. */
export function user(sub: string): UserPrincipal {
  return { kind: 'user', sub, email: undefined, groups: [] };
}

/** A signed-in commissioner (no e-mail address), as a panel member is. */
export function commissioner(sub: string): UserPrincipal {
  return { kind: 'user', sub, email: undefined, groups: ['commissioner'] };
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

/** What a test competition is: `draftCompetition` and `openCompetition`. */
export interface TestCompetition {
  title: string;
  region: Region;
  service: Service;
  /** Tier core (£300k over 24 months, medium risk) with pre-qualification; otherwise tier none. */
  prequalification?: boolean;
  /** `<title>: a test competition.` unless given. */
  description?: string;
  /** 24 months with pre-qualification, 12 without, unless given. */
  termMonths?: number;
}

/**
 * Creates a draft competition led by `LEAD` in one region and service, closing in an hour (tier none) or
 * with pre-qualification closing in an hour and tenders in two (`prequalification: true`). Returns its id.
 */
export async function draftCompetition(options: TestCompetition): Promise<string> {
  const hour = 3_600_000;
  const tiered = options.prequalification === true;
  const competition = await createCompetition(
    repositories(),
    LEAD,
    {
      title: options.title,
      description: options.description ?? `${options.title}: a test competition.`,
      services: [options.service],
      regions: [options.region],
      estimatedValuePence: tiered ? 300_000_00 : 50_000_00,
      termMonths: options.termMonths ?? (tiered ? 24 : 12),
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
  return competition.id;
}

/** `draftCompetition`, published. Returns its id. */
export async function openCompetition(options: TestCompetition): Promise<string> {
  const id = await draftCompetition(options);
  await publishCompetition(repositories(), LEAD, id, new Date(), config().rules);
  return id;
}

/**
 * Seats the panel on a competition `LEAD` leads (`setPanel`, the configured evaluation rules), then the lead
 * and each panel member declare no conflict: all of them inside the wall.
 */
export async function seatPanel(
  competitionId: string,
  panel: { evaluators: string[]; moderator: string },
): Promise<void> {
  await setPanel(repositories(), LEAD, competitionId, panel, new Date(), config().rules.evaluation);
  for (const who of [LEAD, ...panel.evaluators.map(commissioner), commissioner(panel.moderator)])
    await declare(repositories(), who, competitionId, [], new Date());
}
