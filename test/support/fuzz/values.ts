/**
 * The real values the fuzz suite's requests name: seeded resources by path parameter (in the state each
 * route is for first), real values for body fields by name, and the caller most likely to be let in.
 */
import { findRoute } from '../../../shared/http/routes';
import type { RoutePlan } from './routes';
import type { Caller, World } from './world';

/** The current calendar quarter, `YYYY-Qn`: a return for it is refused until it ends. */
function currentQuarter(now = new Date()): string {
  return `${now.getUTCFullYear()}-Q${Math.floor(now.getUTCMonth() / 3) + 1}`;
}

/** The seeded competition in the state a route is for (a fixed case names it; random ones any). */
function preferredCompetition(route: RoutePlan, world: World): string {
  const { path, method } = route;
  const c = world.competitions;
  if (path.endsWith('/publish')) return c.draft;
  if (/\/(bids|evaluation|award|debrief)\b/.test(path)) return c.closed;
  if (path.includes('/prequalification-responses') || path.endsWith('/shortlist'))
    return method === 'POST' && path.endsWith('/prequalification-responses')
      ? c.prequalification
      : c.prequalificationClosed;
  return c.open;
}

/** Real values for a path parameter of a route: resources that exist, and ids of another kind. */
export function realPathValues(route: RoutePlan, name: string, world: World): string[] {
  const competitions = [...Object.values(world.competitions), ...world.created.competitions];
  const providers = [...Object.values(world.providers), ...world.created.providers];
  switch (name) {
    case 'id':
      if (route.path.startsWith('/providers/')) return [...providers, world.contractId];
      if (route.path.startsWith('/competitions/')) {
        const first = preferredCompetition(route, world);
        return [first, ...competitions.filter((id) => id !== first), world.providers.prime];
      }
      if (route.path.startsWith('/contracts/'))
        return [world.contractId, ...world.created.contracts, world.competitions.closed];
      if (route.path.startsWith('/me/invitations/')) return [world.invitationId, world.providers.prime];
      return [...providers, ...competitions];
    case 'invitationId':
      return [world.invitationId, world.bidId];
    case 'sub':
      return Object.values(world.subs).concat('fz-moderator', 'fz-evaluator-2');
    case 'bidId':
      return [world.bidId, world.responseId];
    case 'responseId':
      return [world.responseId, world.bidId];
    case 'period':
      return [world.period, '2025-Q2', currentQuarter(), '2031-Q1', '2019-Q4'];
    case 'lineId':
      return [world.lineId, '0000000000000000'];
    default:
      return [];
  }
}

/** Real values for body fields, by property name (`name{}`: keys of a record). */
export function bodyHints(world: World): (property: string) => readonly unknown[] | undefined {
  const providers = [...Object.values(world.providers), ...world.created.providers];
  const subs = Object.values(world.subs).concat('fz-moderator', 'fz-evaluator-2');
  const hints: Record<string, readonly unknown[]> = {
    providerId: providers,
    primeProviderId: providers,
    organisationId: providers,
    bidId: [world.bidId],
    responseIds: [world.responseId],
    sub: subs,
    evaluators: subs,
    moderator: subs,
    // Criterion ids: the seeded competitions' own, and one named like a prototype member (item 7).
    id: ['quality', 'price', 'social-value', 'constructor'],
    criterionId: ['quality', 'price', 'social-value', 'constructor'],
    'qualityResponses{}': ['quality', 'social-value', 'constructor', '__proto__'],
    'answers{}': ['technical.relevant-experience', '__proto__', 'constructor'],
    // Spend-return lines that pass the line rules, so that several of them can collide (item 2).
    subcontractorRef: ['SUB-1', 'SUB-2'],
    ref: ['SUB-1', 'SUB-2'],
    invoiceRef: ['INV-1', 'INV-2'],
    invoiceDate: ['2025-01-10'],
    paidDate: ['2025-02-01'],
    amountPence: [1, 250_000, Number.MAX_SAFE_INTEGER],
  };
  return (property) => hints[property];
}

/**
 * The caller most likely to get past the route's access checks, so a fixed case reaches the code under
 * it: the group the route names, else the provider owner for provider-facing paths and the lead for the
 * commissioning side.
 */
export function insiderFor(route: RoutePlan): Caller {
  const access = findRoute(route.key)?.access;
  if (Array.isArray(access)) {
    if (access.includes('commissioner')) return 'lead';
    if (access.includes('admin')) return 'admin';
    return 'auditor';
  }
  if (/^\/competitions\/\{id\}\/(bid\b|bid\/|debrief|prequalification-responses$)/.test(route.path))
    return route.method === 'GET' && route.path.endsWith('prequalification-responses') ? 'lead' : 'owner';
  if (route.path.startsWith('/competitions') || route.path.startsWith('/alerts')) return 'lead';
  return 'owner';
}
