/**
 * Field schemas that several contexts' schemas share: regions, services and criterion ids.
 *
 * Kept in a module of their own so that importing one context's schemas does not bring in another's
 * whole module: a zod schema is built by calls, which esbuild keeps whether or not anything uses them, so
 * `tenders.ts` importing `criterionIdSchema` from `competitions.ts` used to put every competition and
 * provider schema into each bundle that validates a bid. `providers.ts` and `competitions.ts` still
 * export them under the same names.
 */
import * as z from 'zod';
import { NATIONAL, REGIONS, SERVICES } from '../../domain/reference-data';
import { notPrototypeName } from './common';

/** A region of England and Wales, or national. */
export const regionSchema = z.enum([...REGIONS, NATIONAL]);

/** A service of the reference data. */
export const serviceSchema = z.enum(SERVICES);

/** A criterion id: the key of its answer in a bid, of its score and of its points. */
export const criterionIdSchema = notPrototypeName(
  z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'Use lower-case letters, digits and hyphens (up to 40)'),
).describe('Lower-case letters, digits and hyphens, up to 40; not `constructor`');
