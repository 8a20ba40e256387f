/**
 * What the demo competitions share: the lead and the panel, the award criteria, and the providers that
 * apply or bid in them (verified demo providers, found in the directory as a commissioner would find them).
 * Everything here reads through the repositories or writes through the use cases the API runs.
 */

import type { Repositories } from '../../shared/db/repositories';
import type { Accreditation } from '../../shared/domain/accreditation';
import type { EvaluationRules } from '../../shared/domain/evaluation-rules';
import type { Group, Principal, UserPrincipal } from '../../shared/domain/principal';
import type { Coverage, Service } from '../../shared/domain/reference-data';
import { declare, setPanel } from '../../shared/use-cases/competitions/wall-management';
import { DEMO_OWNER, DEMO_SUBCONTRACTOR } from './providers';

/** The demo lead commissioner: mint a token for this sub with the commissioner group. */
export const DEMO_COMMISSIONER = 'demo-commissioner';

/** The panel of every demo competition: mint tokens for these subs (group `commissioner`). */
export const DEMO_PANEL = {
  evaluators: ['demo-evaluator-1', 'demo-evaluator-2'],
  moderator: 'demo-moderator',
} as const;

/** One day in milliseconds. */
export const DAY = 86_400_000;

/** One hour in milliseconds. */
export const HOUR = 3_600_000;

/** The award criteria of every demo competition: three quality criteria and price. */
export const CRITERIA = [
  { id: 'delivery', name: 'Delivery model and outcomes', kind: 'quality' as const, weight: 45 },
  { id: 'partnership', name: 'Partnership and local knowledge', kind: 'quality' as const, weight: 15 },
  { id: 'social-value', name: 'Social value', kind: 'quality' as const, weight: 10 },
  { id: 'price', name: 'Price', kind: 'price' as const, weight: 30 },
];

/** A signed-in person with no organisation role beyond what their memberships give. */
export function person(sub: string, groups: Group[] = []): UserPrincipal {
  return { kind: 'user', sub, email: undefined, groups };
}

/** The demo lead commissioner as a principal. */
export const LEAD: UserPrincipal = {
  kind: 'user',
  sub: DEMO_COMMISSIONER,
  email: 'commissioner@example.org',
  groups: ['commissioner'],
};

/** Sets the demo panel on a competition, as its lead, at `at`. */
export async function seatDemoPanel(
  repos: Repositories,
  competitionId: string,
  at: Date,
  rules: EvaluationRules,
): Promise<void> {
  await setPanel(
    repos,
    LEAD,
    competitionId,
    { evaluators: [...DEMO_PANEL.evaluators], moderator: DEMO_PANEL.moderator },
    at,
    rules,
  );
}

/**
 * The lead, then (when `panelToo`) each panel member, declares no conflict at `at`. Past a deadline this
 * is when they know who applied or bid, which is why the demo signs the panel's declarations then.
 */
export async function declareNoConflicts(
  repos: Repositories,
  competitionId: string,
  at: Date,
  panelToo: boolean,
): Promise<void> {
  await declare(repos, LEAD, competitionId, [], at);
  if (!panelToo) return;
  for (const sub of [...DEMO_PANEL.evaluators, DEMO_PANEL.moderator]) {
    await declare(repos, person(sub, ['commissioner']), competitionId, [], at);
  }
}

/** A verified demo provider that can apply or bid: its owner, and its accreditation if it has one. */
export interface Candidate {
  id: string;
  name: string;
  owner: Principal;
  accreditation: Accreditation | undefined;
}

/** The organisations the tour keeps for a newcomer (the demo owner's and the demo sub-contractor's). */
export async function reservedOrganisations(repos: Repositories): Promise<Set<string>> {
  const memberships = await Promise.all([
    repos.memberships.listForUser(DEMO_OWNER),
    repos.memberships.listForUser(DEMO_SUBCONTRACTOR),
  ]);
  return new Set(memberships.flat().map((m) => m.providerId));
}

/**
 * Verified providers working in any of `regions` (or nationally) on any of `services`, in directory order,
 * leaving out `exclude`; each with an owner who owns nothing else, so it applies or bids without choosing
 * an organisation. Looks up owners and accreditations only until `enough` says it has what it needs (all
 * of them when not given), a few at a time.
 */
export async function findCandidates(
  repos: Repositories,
  regions: readonly Coverage[],
  services: readonly Service[],
  exclude: ReadonlySet<string>,
  enough: (found: readonly Candidate[]) => boolean = () => false,
): Promise<Candidate[]> {
  const partitions = [...new Set([...regions, 'national' as const])].flatMap((region) =>
    services.map((service) => ({ region, service })),
  );
  const pages = await Promise.all(
    partitions.map((partition) => repos.providers.directory({ ...partition, limit: 50 })),
  );
  const listings = [
    ...new Map(pages.flatMap((page) => page.items).map((item) => [item.id, item])).values(),
  ].filter((listing) => !exclude.has(listing.id));
  const candidate = async (listing: { id: string; name: string }): Promise<Candidate | undefined> => {
    const owner = (await repos.memberships.listForProvider(listing.id)).find((m) => m.role === 'owner');
    if (!owner || (await repos.memberships.listForUser(owner.sub)).length !== 1) return undefined;
    return {
      id: listing.id,
      name: listing.name,
      owner: person(owner.sub),
      accreditation: await repos.accreditations.get(listing.id),
    };
  };
  const found: Candidate[] = [];
  for (let i = 0; i < listings.length && !enough(found); i += 4) {
    const batch = await Promise.all(listings.slice(i, i + 4).map(candidate));
    found.push(...batch.filter((c): c is Candidate => c !== undefined));
  }
  return found;
}
