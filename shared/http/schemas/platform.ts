/**
 * Schemas of the platform routes: health, the OpenAPI document, the caller.
 */
import * as z from 'zod';
import type { RouteSchemaSet } from './types';

export const healthResponse = z.object({ status: z.literal('ok') });

export const meResponse = z
  .object({
    sub: z.string(),
    email: z.string().nullable(),
    groups: z.array(z.enum(['commissioner', 'admin', 'auditor'])),
    organisations: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        role: z.enum(['owner', 'member']),
        status: z.enum(['pending', 'verified', 'rejected']).describe('The organisation’s verification'),
      }),
    ),
  })
  .meta({ id: 'Me' });

/** Schemas by route key. */
export const platformSchemas = {
  'GET /health': { responses: { 200: healthResponse } },
  'GET /openapi.json': { responses: { 200: z.object({ openapi: z.string() }).loose() } },
  'GET /me': { responses: { 200: meResponse } },
} satisfies Record<string, RouteSchemaSet>;
