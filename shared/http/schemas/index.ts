/**
 * Every route's schemas, by route key: what the OpenAPI document is generated from.
 */
import { challengeSchemas } from './challenges';
import { competitionSchemas } from './competitions';
import { documentSchemas } from './documents';
import { notificationSchemas } from './notifications';
import { partnershipSchemas } from './partnerships';
import { paymentByResultsSchemas } from './payment-by-results';
import { platformSchemas } from './platform';
import { prequalificationSchemas } from './prequalification';
import { providerSchemas } from './providers';
import { publicationSchemas } from './publication';
import { questionSchemas } from './questions';
import { subcontractingSchemas } from './subcontracting';
import { tenderSchemas } from './tenders';
import type { RouteSchemaSet } from './types';

/** Schemas for every route in the route table. */
export const ROUTE_SCHEMAS: Record<string, RouteSchemaSet> = {
  ...platformSchemas,
  ...providerSchemas,
  ...competitionSchemas,
  ...prequalificationSchemas,
  ...tenderSchemas,
  ...documentSchemas,
  ...questionSchemas,
  ...challengeSchemas,
  ...partnershipSchemas,
  ...subcontractingSchemas,
  ...paymentByResultsSchemas,
  ...publicationSchemas,
  ...notificationSchemas,
};
