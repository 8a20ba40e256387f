/**
 * Schemas of the partnership routes: an organisation agreeing to be named in another's bid or application.
 */
import * as z from 'zod';
import { PARTNER_ROLES } from '../../domain/partnerships';
import { ulidSchema } from './common';
import type { RouteSchemaSet } from './types';

/** `POST /competitions/{id}/partnerships` body. */
export const partnershipBody = z
  .object({
    providerId: ulidSchema.meta({
      description: 'The organisation that agrees to be named (the caller owns it)',
    }),
    bidderId: ulidSchema.meta({ description: 'The organisation whose bid or application names it' }),
    role: z.enum(PARTNER_ROLES),
  })
  .strict()
  .meta({ id: 'PartnershipRequest' });

const partnership = z
  .object({
    competitionId: z.string(),
    bidderId: z.string(),
    providerId: z.string(),
    role: z.enum(PARTNER_ROLES),
    agreedAt: z.string(),
    agreedBy: z.string(),
  })
  .meta({ id: 'Partnership' });

/** Schemas by route key. */
export const partnershipSchemas = {
  'POST /competitions/{id}/partnerships': {
    params: z.object({ id: ulidSchema }),
    body: partnershipBody,
    responses: { 200: partnership, 201: partnership },
  },
} satisfies Record<string, RouteSchemaSet>;
