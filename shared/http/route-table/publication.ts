/**
 * The OCDS publication (issue 16). Part of the route table (`shared/http/routes.ts`).
 *
 * One public, read-only function over the `publication` table and nothing else: the releases are made from
 * the public projection when the changes they describe are written (each publishing use case writes its
 * releases in its own transaction, under its own function's grant), so the feed's role has no permission on
 * any table where inside information lives – the wall's second layer holds even if a release builder were
 * wrong about what it may read.
 */
import type { FunctionSpec, RouteSpec } from '../route-types';

/** Functions of this context. */
export const publicationFunctions = {
  publication: {
    entry: 'functions/publication/index.ts',
    description:
      'The public OCDS feed: release packages in publication order, records with their compiled release, the service’s VCSE extension, and the CSV of contracts over £10,000. Reads the publication table only.',
    tables: { publication: 'read' },
    facing: 'public',
  },
} as const satisfies Record<string, FunctionSpec>;

/** Routes of this context. */
export const publicationRoutes = [
  {
    method: 'GET',
    path: '/ocds/releases',
    function: 'publication',
    access: 'public',
    summary:
      'OCDS 1.1.5 release packages of every public change, in publication order, from a cursor or a date range (updatedFrom, updatedTo)',
    tag: 'publication',
  },
  {
    method: 'GET',
    path: '/ocds/records/{ocid}',
    function: 'publication',
    access: 'public',
    summary:
      'The OCDS record of one contracting process: every release and its compiled release; past 1,000 releases or 2 MB of them, the latest that fit and where the rest are in the feed (earlierReleases)',
    tag: 'publication',
  },
  {
    method: 'GET',
    path: '/transparency/contracts.csv',
    function: 'publication',
    access: 'public',
    summary:
      'Every contract over £10,000 as CSV, one row each in the order they were let (at most 10,000 rows or 4 MB a file; a Link header, rel="next", names the next file)',
    tag: 'publication',
  },
  {
    method: 'GET',
    path: '/ocds/extensions/vcse/extension.json',
    function: 'publication',
    access: 'public',
    summary: 'The service’s OCDS extension for the VCSE flag on parties (extension.json)',
    tag: 'publication',
  },
  {
    method: 'GET',
    path: '/ocds/extensions/vcse/release-schema.json',
    function: 'publication',
    access: 'public',
    summary: 'The VCSE extension’s patch of the release schema',
    tag: 'publication',
  },
] as const satisfies readonly RouteSpec[];
