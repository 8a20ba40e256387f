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
const conflictResponse = z.object({ organisationId: z.string(), nature: z.string() });
export const declarationResponse = z
  .object({
    sub: z.string(),
    conflicts: z
      .array(conflictResponse)
      .describe('Conflicts still outstanding: declared and not cleared since. Any puts the person outside.'),
    declaredAt: z.string().describe('When the person last declared'),
    version: z.number().int().describe("The version of the person's latest declaration record"),
    clearedAt: z.string().optional().describe('When a conflict was last cleared'),
    clearedBy: z.string().optional(),
  })
  .meta({ id: 'Declaration' });
export const declarationRecordResponse = z
  .object({
    sub: z.string(),
    version: z.number().int(),
    kind: z.enum(['declaration', 'clearance']),
    conflicts: z.array(conflictResponse),
    at: z.string(),
    by: z.string().describe('The declarer, or the lead or admin who cleared'),
    reason: z.string().optional().describe('Why a clearance was given'),
  })
  .meta({ id: 'DeclarationRecord' });
export const declarantParams = z.object({ id: ulidSchema, sub });
export const clearanceBody = z
  .object({ reason: text(2000) })
  .strict()
  .meta({ id: 'ClearanceRequest' });

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
export const exclusionRecordResponse = z
  .object({
    sub: z.string(),
    version: z.number().int(),
    kind: z.enum(['exclusion', 'lift']),
    reason: z.string(),
    at: z.string(),
    by: z.string(),
  })
  .meta({ id: 'ExclusionRecord' });
export const liftBody = z
  .object({ reason: text(2000) })
  .strict()
  .meta({ id: 'LiftExclusionRequest' });

const seatRole = z.enum(['lead', 'evaluator', 'moderator']);
export const wallResponse = z
  .object({
    competitionId: z.string(),
    insiders: z.array(z.object({ sub: z.string(), role: seatRole })),
    excluded: z.array(z.object({ sub: z.string(), reason: z.string(), excludedAt: z.string() })),
    declarations: z.array(declarationResponse),
    declarationHistory: z.array(declarationRecordResponse),
    exclusionHistory: z.array(exclusionRecordResponse),
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
    seq: z
      .number()
      .int()
      .optional()
      .describe('Position in the chain; absent while the event is pending (written, not chained yet)'),
    at: z.string(),
    actor: z.string(),
    action: z.string(),
    resource: z.string(),
    outcome: z.enum(['allowed', 'denied']),
    reason: z.string().optional(),
    hash: z.string().optional().describe('Absent while pending'),
    prevHash: z.string().optional().describe('Absent while pending'),
    competitionId: z.string(),
    id: z.string().optional().describe('The event id given when it was written with its change'),
    chained: z
      .boolean()
      .describe(
        'False for an event written with its change and not chained yet: pending events follow the chained ones and are chained within moments',
      ),
  })
  .meta({ id: 'AuditEvent' });
export const verifyQuery = z.object({
  checkpoint: z
    .string()
    .min(1)
    .max(512)
    .optional()
    .describe('Resume a verification that stopped before the head (the `checkpoint` of its answer)'),
  limit: z.coerce.number().int().min(1).max(1000).default(1000).describe('Events to verify in this call'),
});
export const verifyResponse = z.object({
  valid: z.boolean().describe('Everything checked so far is intact'),
  events: z.number().int().describe('Chained events checked, from the start of the chain'),
  firstInvalidSeq: z.number().int().optional(),
  problem: z
    .enum(['event', 'missing-events', 'head', 'empty', 'data'])
    .optional()
    .describe(
      'event: an event was edited, removed, reordered or inserted; missing-events: the last events were removed; head: the head does not match the chain; empty: the whole log was removed; data: a stored item no longer matches the digest its last change recorded',
    ),
  chained: z
    .number()
    .int()
    .describe('Events in the chain when the check started: `events` of `chained` is progress'),
  pending: z.number().int().describe('Events written with their change and not chained yet'),
  complete: z.boolean().describe('The check reached the head of the chain'),
  checkpoint: z.string().optional().describe('Pass as `?checkpoint=` to go on, when not complete'),
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
  'POST /competitions/{id}/declarations/{sub}/clearance': {
    params: declarantParams,
    body: clearanceBody,
    responses: { 201: declarationResponse },
  },
  'POST /competitions/{id}/wall/exclusions/{sub}/lift': {
    params: declarantParams,
    body: liftBody,
    responses: { 201: exclusionRecordResponse },
  },
  'GET /competitions/{id}/wall': { params: competitionParams, responses: { 200: wallResponse } },
  'GET /opportunities': { query: opportunitiesQuery, responses: { 200: pageOf(opportunityListing) } },
  'GET /competitions/{id}/audit': {
    params: competitionParams,
    query: pageQuerySchema,
    responses: { 200: pageOf(auditEventResponse) },
  },
  'GET /competitions/{id}/audit/verify': {
    params: competitionParams,
    query: verifyQuery,
    responses: { 200: verifyResponse },
  },
  'GET /alerts': { query: pageQuerySchema, responses: { 200: pageOf(alertResponse) } },
} satisfies Record<string, RouteSchemaSet>;
