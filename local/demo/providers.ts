/**
 * Demo providers: a few hundred plausible organisations across regions, services, sectors and sizes,
 * registered and verified through the same use cases as the API (so they obey every rule). Generated from
 * a fixed seed, so every fresh data directory gets the same network.
 */
import type { Repositories } from '../../shared/db/repositories';
import type { Principal } from '../../shared/domain/principal';
import type { ProviderDetails } from '../../shared/domain/providers';
import { type Coverage, REGIONS, SERVICES, type Service } from '../../shared/domain/reference-data';
import { putAccreditation } from '../../shared/use-cases/accreditation';
import { registerProvider } from '../../shared/use-cases/register-provider';
import { rejectProvider } from '../../shared/use-cases/reject-provider';
import { verifyProvider } from '../../shared/use-cases/verify-provider';

/** The demo owner of the first demo organisation: mint a token for this sub to see it. */
export const DEMO_OWNER = 'demo-owner';
/** The demo admin who verified the demo providers. */
export const DEMO_ADMIN = 'demo-admin';
/**
 * The demo owner of a small voluntary-sector organisation that sub-contracts to `demo-owner`'s
 * organisation (see `subcontracting.ts`): mint a token for this sub to see payments reported to it and
 * the dispute it raised.
 */
export const DEMO_SUBCONTRACTOR = 'demo-subcontractor';
/** Which demo provider `demo-subcontractor` owns: a verified voluntary micro organisation in the North West. */
export const DEMO_SUBCONTRACTOR_INDEX = 22;
/**
 * The demo owner of a registration an admin rejected (`/your-organisation` shows why and what to do next;
 * saving its details sends it back to `/admin/providers`).
 */
export const DEMO_REJECTED_OWNER = 'demo-applicant';
/** Which demo provider was rejected: one of those left waiting (every 15th), the second. */
export const DEMO_REJECTED_INDEX = 29;

/** Demo registrations waiting for an admin arrived over the last days: an hour apart, by index. */
const HOUR_MS = 60 * 60 * 1000;

/** The reason the demo admin gave, naming the number that did not match. */
function demoRejectionReason(details: ProviderDetails): string {
  if (details.charityNumber) {
    return `Charity number ${details.charityNumber} belongs to a different organisation on the Charity Commission register. Check the number on your charity's register entry, correct it and save your details.`;
  }
  if (details.companyNumber) {
    return `Company number ${details.companyNumber} belongs to a different company at Companies House. Check the number, correct it and save your details.`;
  }
  return 'We could not match your organisation to a public register. Add your charity or company number, or describe how your organisation is constituted, and save your details.';
}

/**
 * Where the demo owner's organisation works: the regions and services of the demo competitions, so that
 * it is told of each of them as a new matching opportunity (DESIGN.md's provider network promise).
 */
const DEMO_OWNER_COVERAGE: { regions: Coverage[]; services: Service[] } = {
  regions: ['north_west', 'london'],
  services: ['accommodation', 'restorative_justice', 'children_families'],
};

/** A small deterministic PRNG (mulberry32), so the demo data is the same on every machine. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PLACES = [
  'Tyneside',
  'Wearside',
  'Mersey',
  'Pennine',
  'Humber',
  'Trent',
  'Severn',
  'Thames',
  'Solent',
  'Wessex',
  'Cambrian',
  'Cheviot',
  'Dales',
  'Fenland',
  'Chiltern',
  'Medway',
  'Mendip',
  'Tamar',
  'Peak',
  'Ouse',
  'Wirral',
  'Lune',
  'Tees',
  'Avon',
  'Cotswold',
  'Marches',
  'Gower',
  'Clwyd',
  'Brecon',
  'Fylde',
];
const THEMES = [
  'Second Chance',
  'New Leaf',
  'Open Door',
  'Fresh Start',
  'Bridges',
  'Pathways',
  'Horizons',
  'Step Forward',
  'Compass',
  'Anchor',
  'Keystone',
  'Lantern',
  'Beacon',
  'Harbour',
  'Turning Point',
  'Way Home',
  'Common Ground',
  'Kindred',
  'Threshold',
  'Resolve',
];

type Kind = {
  suffix: string;
  legalForm: ProviderDetails['legalForm'];
  sector: ProviderDetails['sector'];
  charity: boolean;
  company: boolean;
  sizes: ProviderDetails['size'][];
};
const KINDS: Kind[] = [
  {
    suffix: 'Trust',
    legalForm: 'charitable_trust',
    sector: 'voluntary',
    charity: true,
    company: false,
    sizes: ['micro', 'small'],
  },
  {
    suffix: 'Foundation',
    legalForm: 'charitable_incorporated_organisation',
    sector: 'voluntary',
    charity: true,
    company: false,
    sizes: ['small', 'medium'],
  },
  {
    suffix: 'Project',
    legalForm: 'unincorporated_association',
    sector: 'voluntary',
    charity: false,
    company: false,
    sizes: ['micro'],
  },
  {
    suffix: 'Community Interest Company',
    legalForm: 'community_interest_company',
    sector: 'voluntary',
    charity: false,
    company: true,
    sizes: ['micro', 'small'],
  },
  {
    suffix: 'Housing Association',
    legalForm: 'community_benefit_society',
    sector: 'voluntary',
    charity: false,
    company: false,
    sizes: ['medium', 'large'],
  },
  {
    suffix: 'Charity',
    legalForm: 'charitable_company',
    sector: 'voluntary',
    charity: true,
    company: true,
    sizes: ['small', 'medium', 'large'],
  },
  {
    suffix: 'Services Ltd',
    legalForm: 'private_limited_company',
    sector: 'private',
    charity: false,
    company: true,
    sizes: ['small', 'medium', 'large'],
  },
  {
    suffix: 'Partners LLP',
    legalForm: 'limited_liability_partnership',
    sector: 'private',
    charity: false,
    company: true,
    sizes: ['medium'],
  },
  {
    suffix: 'Probation Delivery Unit',
    legalForm: 'public_body',
    sector: 'public',
    charity: false,
    company: false,
    sizes: ['large'],
  },
];

const DESCRIPTIONS: Partial<Record<Service, string>> = {
  accommodation: 'supported housing and tenancy sustainment for people leaving prison',
  education_training_employment: 'employment coaching, training and job brokerage',
  health: 'mental and physical health support, including help to register with a GP',
  drugs_alcohol: 'recovery support for drug and alcohol use',
  finance_benefit_debt: 'benefit claims, debt advice and bank accounts',
  children_families: 'family contact and parenting support',
  attitudes_thinking_behaviour: 'accredited programmes and peer mentoring',
  unpaid_work: 'community payback placements',
  victim_services: 'support for victims of crime',
  restorative_justice: 'restorative justice conferencing',
};

function pick<T>(rand: () => number, list: readonly T[]): T {
  return list[Math.floor(rand() * list.length)] as T;
}

function pickSome<T>(rand: () => number, list: readonly T[], min: number, max: number): T[] {
  const count = min + Math.floor(rand() * (max - min + 1));
  const pool = [...list];
  const chosen: T[] = [];
  while (chosen.length < count && pool.length > 0)
    chosen.push(pool.splice(Math.floor(rand() * pool.length), 1)[0] as T);
  return chosen;
}

/** The demo providers' details, deterministic. */
export function demoProviders(count: number): ProviderDetails[] {
  const rand = random(20261121);
  const seen = new Set<string>();
  const providers: ProviderDetails[] = [];
  for (let i = 0; providers.length < count && i < count * 10; i += 1) {
    const kind = pick(rand, KINDS);
    const name = `${pick(rand, PLACES)} ${pick(rand, THEMES)} ${kind.suffix}`;
    if (seen.has(name)) continue;
    seen.add(name);
    const national = kind.sector !== 'voluntary' ? rand() < 0.3 : rand() < 0.05;
    const n = providers.length;
    // Drawn for every provider alike, so the others stay the same whatever the demo owner covers.
    const drawnRegions: Coverage[] = national ? ['national'] : pickSome(rand, REGIONS, 1, 3);
    const drawnServices = pickSome(rand, SERVICES, 1, drawnRegions.length > 2 ? 5 : 6);
    const regions = n === 0 ? DEMO_OWNER_COVERAGE.regions : drawnRegions;
    const services = n === 0 ? DEMO_OWNER_COVERAGE.services : drawnServices;
    const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-');
    const lead = DESCRIPTIONS[services[0] as Service] ?? 'services for people on probation';
    providers.push({
      name,
      legalForm: kind.legalForm,
      ...(kind.charity ? { charityNumber: String(1_100_000 + n * 37) } : {}),
      ...(kind.company ? { companyNumber: String(10_000_000 + n * 53) } : {}),
      sector: kind.sector,
      size: pick(rand, kind.sizes),
      regions,
      services,
      description: `${name} offers ${lead}.`,
      contact: { name: 'Enquiries team', email: `hello@${slug}.example.org` },
      website: `https://${slug}.example.org`,
    });
  }
  return providers;
}

/**
 * Registers the demo providers: most verified, a few left pending for an admin to verify (registered an hour
 * apart over the last days, so the queue has an order), one of those rejected with a reason (owned by
 * `demo-applicant`), the first owned by `demo-owner` with a current accreditation, one owned by
 * `demo-subcontractor`.
 */
export async function seedProviders(repos: Repositories, count = 300): Promise<string> {
  const admin: Principal = { kind: 'user', sub: DEMO_ADMIN, email: 'admin@example.org', groups: ['admin'] };
  const now = new Date();
  let verified = 0;
  let rejected = 0;
  const all = demoProviders(count);
  const seedOne = async (details: ProviderDetails, i: number) => {
    const owner: Principal = {
      kind: 'user',
      sub:
        i === 0
          ? DEMO_OWNER
          : i === DEMO_SUBCONTRACTOR_INDEX
            ? DEMO_SUBCONTRACTOR
            : i === DEMO_REJECTED_INDEX
              ? DEMO_REJECTED_OWNER
              : `demo-user-${i}`,
      email: undefined,
      groups: [],
    };
    const waiting = i % 15 === 14;
    const registeredAt = waiting ? new Date(now.getTime() - (all.length - i) * HOUR_MS) : now;
    const provider = await registerProvider(repos, owner, details, registeredAt);
    if (i === DEMO_REJECTED_INDEX && waiting) {
      await rejectProvider(repos, admin, provider.id, demoRejectionReason(details), now);
      rejected += 1;
      return;
    }
    if (waiting) return;
    await verifyProvider(repos, admin, provider.id, now);
    verified += 1;
    if (i % 4 === 0) {
      const yearEnd = new Date(Date.UTC(now.getUTCFullYear() - 1, 2, 31)).toISOString().slice(0, 10);
      await putAccreditation(
        repos,
        owner,
        provider.id,
        {
          exclusionGrounds: { mandatory: [], discretionary: [] },
          financial: { annualTurnoverPence: (50_000 + i * 1_000) * 100, accountsYearEnd: yearEnd },
          insurance: { employersLiabilityPence: 500_000_000, publicLiabilityPence: 200_000_000 },
          policies: { equality: true, safeguarding: true, healthAndSafety: true },
        },
        now,
        12,
      );
    }
  };
  // A few at a time: DynamoDB Local is happy with that, and it keeps a fresh start quick.
  for (let i = 0; i < all.length; i += 8) {
    await Promise.all(all.slice(i, i + 8).map((details, j) => seedOne(details, i + j)));
  }
  const subcontractor =
    all.length > DEMO_SUBCONTRACTOR_INDEX
      ? `, "${DEMO_SUBCONTRACTOR}" owns "${all[DEMO_SUBCONTRACTOR_INDEX]?.name}"`
      : '';
  const rejectedOwner =
    rejected > 0 ? `, "${DEMO_REJECTED_OWNER}" owns the rejected "${all[DEMO_REJECTED_INDEX]?.name}"` : '';
  return `${all.length} providers (${verified} verified, ${all.length - verified - rejected} pending, ${rejected} rejected); "${DEMO_OWNER}" owns "${all[0]?.name}"${subcontractor}${rejectedOwner}`;
}
