/**
 * Schemas of the competition, wall and audit routes.
 */
import * as z from 'zod';
import { COMPETITION_STATUSES } from '../../domain/competitions';
import { SERVICES } from '../../domain/reference-data';
import { pageOf, pageQuerySchema, ulidSchema } from './common';
import { regionSchema, serviceSchema } from './providers';
import type { RouteSchemaSet } from './types';

const pence = z
  .number()
  .int('Use whole pence')
  .nonnegative('Cannot be negative')
  .max(Number.MAX_SAFE_INTEGER);
const text = (max: number) =>
  z.string().trim().min(1, 'Enter a value').max(max, `Use at most ${max} characters`);
const instant = z.iso.datetime({
  offset: true,
  message: 'Use an ISO 8601 date and time, like 2027-01-31T12:00:00Z',
});
const sub = z.string().trim().min(1).max(128);

const criterion = z
  .object({
    id: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'Use lower-case letters, digits and hyphens (up to 40)'),
    name: text(200),
    kind: z.enum(['quality', 'price']),
    weight: z.number().int().min(1).max(100),
  })
  .strict();

/** `POST /competitions` body. */
export const createCompetitionBody = z
  .object({
    title: text(200),
    description: text(10_000),
    services: z.array(serviceSchema).min(1).max(SERVICES.length),
    regions: z.array(regionSchema).min(1).max(10),
    estimatedValuePence: pence.min(1),
    termMonths: z.number().int().min(1).max(240),
    risk: z.enum(['low', 'medium', 'high']),
    prequalificationDeadline: instant.optional(),
    tenderDeadline: instant,
    criteria: z.array(criterion).min(2).max(20),
    minimumTurnoverPence: pence.optional(),
    subcontracting: z
      .object({
        targetPercent: z.number().min(0).max(100),
        voluntarySectorTargetPercent: z.number().min(0).max(100).optional(),
      })
      .strict()
      .optional(),
    confidential: z
      .object({
        budgetCeilingPence: pence.optional(),
        preTenderEstimatePence: pence.optional(),
        notes: z.string().max(10_000).optional(),
      })
      .strict()
      .optional(),
  })
  .strict()
  .meta({ id: 'NewCompetition' });

const confidentialSchema = z.object({
  budgetCeilingPence: z.number().optional(),
  preTenderEstimatePence: z.number().optional(),
  notes: z.string().optional(),
});

export const competitionResponse = z
  .object({
    id: z.string(),
    title: z.string(),
    description: z.string(),
    services: z.array(serviceSchema),
    regions: z.array(regionSchema),
    estimatedValuePence: z.number().int(),
    termMonths: z.number().int(),
    risk: z.enum(['low', 'medium', 'high']),
    prequalificationTier: z.enum(['none', 'core', 'full']),
    prequalificationDeadline: z.string().optional(),
    tenderDeadline: z.string(),
    criteria: z.array(criterion),
    minimumTurnoverPence: z.number().int(),
    subcontracting: z
      .object({ targetPercent: z.number(), voluntarySectorTargetPercent: z.number().optional() })
      .optional(),
    status: z.enum(COMPETITION_STATUSES),
    createdAt: z.string(),
    updatedAt: z.string(),
    publishedAt: z.string().optional(),
    cancelledAt: z.string().optional(),
    cancelReason: z.string().optional(),
    leadSub: z.string().optional(),
    confidential: confidentialSchema.optional(),
    notified: z.number().int().optional(),
  })
  .meta({ id: 'Competition' });

export const competitionParams = z.object({ id: ulidSchema });

export const panelBody = z
  .object({ evaluators: z.array(sub).min(1).max(20), moderator: sub })
  .strict()
  .meta({ id: 'PanelRequest' });
export const panelResponse = z.object({
  evaluators: z.array(z.string()),
  moderator: z.string(),
  setAt: z.string(),
  setBy: z.string(),
});

export const declarationBody = z
  .object({
    conflicts: z
      .array(z.object({ organisationId: z.string().trim().min(1).max(64), nature: text(2000) }).strict())
      .max(50),
  })
  .strict()
  .meta({ id: 'DeclarationRequest' });
export const declarationResponse = z.object({
  sub: z.string(),
  conflicts: z.array(z.object({ organisationId: z.string(), nature: z.string() })),
  declaredAt: z.string(),
});

export const exclusionBody = z
  .object({ sub, reason: text(2000) })
  .strict()
  .meta({ id: 'ExclusionRequest' });
export const exclusionResponse = z.object({
  sub: z.string(),
  reason: z.string(),
  excludedAt: z.string(),
  excludedBy: z.string(),
});

const seatRole = z.enum(['lead', 'evaluator', 'moderator']);
export const wallResponse = z
  .object({
    competitionId: z.string(),
    insiders: z.array(z.object({ sub: z.string(), role: seatRole })),
    excluded: z.array(z.object({ sub: z.string(), reason: z.string(), excludedAt: z.string() })),
    declarations: z.array(declarationResponse),
    pending: z.array(z.object({ sub: z.string(), role: seatRole, reason: z.string() })),
  })
  .meta({ id: 'Wall' });

export const cancelBody = z.object({ reason: text(2000) }).strict();

export const opportunitiesQuery = pageQuerySchema.extend({
  region: regionSchema.optional(),
  service: serviceSchema.optional(),
});
export const opportunityListing = z
  .object({
    id: z.string(),
    title: z.string(),
    regions: z.array(regionSchema),
    services: z.array(serviceSchema),
    estimatedValuePence: z.number().int(),
    termMonths: z.number().int(),
    prequalificationTier: z.enum(['none', 'core', 'full']),
    closesAt: z.string(),
  })
  .meta({ id: 'Opportunity' });

export const auditEventResponse = z
  .object({
    seq: z.number().int(),
    at: z.string(),
    actor: z.string(),
    action: z.string(),
    resource: z.string(),
    outcome: z.enum(['allowed', 'denied']),
    reason: z.string().optional(),
    hash: z.string(),
    prevHash: z.string(),
    competitionId: z.string(),
  })
  .meta({ id: 'AuditEvent' });
export const verifyResponse = z.object({
  valid: z.boolean(),
  events: z.number().int(),
  firstInvalidSeq: z.number().int().optional(),
});
export const alertResponse = z
  .object({
    id: z.string(),
    at: z.string(),
    competitionId: z.string(),
    actor: z.string(),
    action: z.string(),
    resource: z.string(),
    reason: z.string(),
  })
  .meta({ id: 'Alert' });

/** Schemas by route key. */
export const competitionSchemas = {
  'POST /competitions': { body: createCompetitionBody, responses: { 201: competitionResponse } },
  'GET /competitions/{id}': { params: competitionParams, responses: { 200: competitionResponse } },
  'POST /competitions/{id}/publish': { params: competitionParams, responses: { 200: competitionResponse } },
  'POST /competitions/{id}/cancel': {
    params: competitionParams,
    body: cancelBody,
    responses: { 200: competitionResponse },
  },
  'PUT /competitions/{id}/panel': {
    params: competitionParams,
    body: panelBody,
    responses: { 200: panelResponse },
  },
  'POST /competitions/{id}/declarations': {
    params: competitionParams,
    body: declarationBody,
    responses: { 201: declarationResponse },
  },
  'POST /competitions/{id}/wall/exclusions': {
    params: competitionParams,
    body: exclusionBody,
    responses: { 201: exclusionResponse },
  },
  'GET /competitions/{id}/wall': { params: competitionParams, responses: { 200: wallResponse } },
  'GET /opportunities': { query: opportunitiesQuery, responses: { 200: pageOf(opportunityListing) } },
  'GET /competitions/{id}/audit': {
    params: competitionParams,
    query: pageQuerySchema,
    responses: { 200: pageOf(auditEventResponse) },
  },
  'GET /competitions/{id}/audit/verify': { params: competitionParams, responses: { 200: verifyResponse } },
  'GET /alerts': { query: pageQuerySchema, responses: { 200: pageOf(alertResponse) } },
} satisfies Record<string, RouteSchemaSet>;
