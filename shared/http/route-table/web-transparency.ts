/**
 * The transparency pages (issue 16): the notices the service published, and one contracting process as
 * published, for anyone. Part of the route table (`shared/http/routes.ts`). The CSV of contracts over
 * £10,000 they link to is an API route of the public feed function (`route-table/publication.ts`).
 *
 * A function of its own (`webTransparency`) rather than a page of `web`: it reads the releases, which `web`
 * has no grant on, and keeps `web` within its bundle budget (DESIGN.md section 5). It faces the public and
 * reads only what is published, so its pages cannot show anything the wall protects even by mistake.
 */
import { type FunctionSpec, pagesOf, type RouteSpec } from '../route-types';

/** Functions of this context. */
export const webTransparencyFunctions = {
  webTransparency: {
    entry: 'functions/web/transparency.ts',
    description:
      'GOV.UK-styled transparency pages: the published notices newest first, and one contracting process as published.',
    // The releases (publication, read); for a signed-in visitor, the header's membership lookup (registry,
    // read); the visitor's session record (every web function checks and refreshes it). Nothing else.
    tables: { publication: 'read', registry: 'read', sessions: 'readWrite' },
    facing: 'public',
  },
} as const satisfies Record<string, FunctionSpec>;

const page = pagesOf('webTransparency');

/** Routes of this context. */
export const webTransparencyRoutes = [
  page(
    'GET',
    '/transparency',
    'Published tenders and contracts: every notice, newest first, and the open data',
  ),
  page(
    'GET',
    '/transparency/{ocid}',
    'One published tender or contract: award, contract and payments, as published',
  ),
] as const satisfies readonly RouteSpec[];
