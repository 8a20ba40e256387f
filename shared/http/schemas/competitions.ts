/**
 * Schemas of the competition, wall and audit routes.
 */
import * as z from 'zod';
import { COMPETITION_STATUSES, MAX_CRITERIA, MAX_OPPORTUNITY_ENTRIES } from '../../domain/competitions';
import { SUITABLE_FOR } from '../../domain/notifications/subscriptions';
import { REGIONS, SERVICES } from '../../domain/reference-data';
import { pageOf, pageQuerySchema, percentSchema, ulidSchema } from './common';
import { criterionIdSchema, regionSchema, serviceSchema } from './fields';
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

// Defined in `fields.ts` (the tender schemas use it too); still exported from here.
export { criterionIdSchema };

/**
 * The longest texts and lists of the competition and wall bodies. With the bid, score and answer limits
 * they keep every stored item under DynamoDB's 400 KB (worked out in test/unit/item-sizes.test.ts).
 */
export const COMPETITION_LIMITS = {
  title: 200,
  description: 10_000,
  criterionName: 200,
  notes: 10_000,
  reason: 2_000,
  conflicts: 50,
  organisationId: 64,
  nature: 2_000,
  evaluators: 20,
  sub: 128,
} as const;

const sub = z.string().trim().min(1).max(COMPETITION_LIMITS.sub);

/**
 * Who a competition suits: each of `vcse`, `sme` at most once. JSON Schema says "no repeats" with
 * `uniqueItems`, which zod does not check on its own: the refinement does.
 */
const suitableForCodes = z.array(z.enum(SUITABLE_FOR));
const suitableForSchema = suitableForCodes
  .max(SUITABLE_FOR.length)
  .refine((values) => new Set(values).size === values.length, 'Choose each kind of organisation once')
  .meta({ uniqueItems: true });
/** Who a stored competition suits, as answers show it (one schema: every description costs bundle bytes). */
const suitableForSaid = suitableForCodes.optional().describe('Who the contract suits; absent when not said');

const criterion = z
  .object({
    id: criterionIdSchema,
    name: text(COMPETITION_LIMITS.criterionName),
    kind: z.enum(['quality', 'price']),
    weight: z.number().int().min(1).max(100),
  })
  .strict();

/** `POST /competitions` body. */
export const createCompetitionBody = z
  .object({
    title: text(COMPETITION_LIMITS.title),
    description: text(COMPETITION_LIMITS.description),
    services: z.array(serviceSchema).min(1).max(SERVICES.length),
    regions: z
      .array(regionSchema)
      .min(1)
      .max(REGIONS.length)
      .describe(
        `Regions, or national alone. Publishing lists the competition under (each region, or any) × (each service, or any), in one transaction: (regions + 1) × (services + 1) may be at most ${MAX_OPPORTUNITY_ENTRIES} (400 /problems/validation, path regions), so 7 regions with up to 10 services, 6 with up to 12, 5 regions with every service, or national with any.`,
      ),
    estimatedValuePence: pence.min(1),
    termMonths: z.number().int().min(1).max(240),
    risk: z.enum(['low', 'medium', 'high']),
    prequalificationDeadline: instant.optional(),
    tenderDeadline: instant,
    criteria: z.array(criterion).min(2).max(MAX_CRITERIA),
    minimumTurnoverPence: pence.optional(),
    subcontracting: z
      .object({
        targetPercent: percentSchema,
        voluntarySectorTargetPercent: percentSchema.optional(),
      })
      .strict()
      .optional(),
    suitableFor: suitableForSchema
      .optional()
      .describe(
        'Optional, beyond the API.md body (issue 17): `vcse` (voluntary, community and social enterprises), `sme` (small and medium-sized enterprises) or both, no repeats. Saved searches for either match only competitions naming it.',
      ),
    confidential: z
      .object({
        budgetCeilingPence: pence.optional(),
        preTenderEstimatePence: pence.optional(),
        notes: z.string().max(COMPETITION_LIMITS.notes).optional(),
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
    suitableFor: suitableForSaid,
    status: z.enum(COMPETITION_STATUSES),
    createdAt: z.string(),
    updatedAt: z.string(),
    publishedAt: z.string().optional(),
    cancelledAt: z.string().optional(),
    cancelReason: z.string().optional(),
    clarificationDeadline: z
      .string()
      .optional()
      .describe(
        'When clarification questions close: a configured number of days (5 by default) before the current deadline (pre-qualification while it is ahead, then tender)',
      ),
    leadSub: z.string().optional(),
    version: z
      .number()
      .int()
      .optional()
      .describe('The lead’s views only: the version of the record, one more with every change'),
    confidential: confidentialSchema.optional(),
  })
  .meta({ id: 'Competition' });

export const competitionParams = z.object({ id: ulidSchema });

export const panelBody = z
  .object({ evaluators: z.array(sub).min(1).max(COMPETITION_LIMITS.evaluators), moderator: sub })
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
      .array(
        z
          .object({
            organisationId: z.string().trim().min(1).max(COMPETITION_LIMITS.organisationId),
            nature: text(COMPETITION_LIMITS.nature),
          })
          .strict(),
      )
      .max(COMPETITION_LIMITS.conflicts),
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
  .object({ reason: text(COMPETITION_LIMITS.reason) })
  .strict()
  .meta({ id: 'ClearanceRequest' });

export const exclusionBody = z
  .object({ sub, reason: text(COMPETITION_LIMITS.reason) })
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
  .object({ reason: text(COMPETITION_LIMITS.reason) })
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

export const cancelBody = z.object({ reason: text(COMPETITION_LIMITS.reason) }).strict();

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
    suitableFor: suitableForSaid,
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

/** `GET /me/competitions`: one competition the caller leads, sits on the panel of, or oversees. */
export const yourCompetitionResponse = z
  .object({
    id: z.string().max(26),
    title: z.string().max(COMPETITION_LIMITS.title),
    status: z.enum(COMPETITION_STATUSES).describe('As of now: deadlines move it on by themselves'),
    roles: z
      .array(seatRole)
      .max(3)
      .describe('Your seats here; empty for a competition an auditor or admin oversees without one'),
    whatIsWaiting: z
      .string()
      .max(300)
      .nullable()
      .describe('What you should do next here, in plain words; null when nothing is waiting for you'),
    createdAt: z.string().max(40),
  })
  .meta({ id: 'YourCompetition' });

/** Schemas by route key. */
export const competitionSchemas = {
  'GET /me/competitions': { query: pageQuerySchema, responses: { 200: pageOf(yourCompetitionResponse) } },
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
