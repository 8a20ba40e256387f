/**
 * Schemas of the payment-by-results routes (issue 18, API.md "Payment by results").
 *
 * Every bound is the domain's own constant (`shared/domain/payment-by-results`), stated here so the OpenAPI
 * document says it and a body far out of bounds is refused before any work is spent on it; the domain
 * checks the rules again (two decimals, tiers, dates, pseudonymous references) and lists every problem.
 * Keys a client chooses never become keys of a stored map unchecked: risk tiers are a closed set of object
 * keys (`constructor` or `__proto__` is an unknown key: 400), and proxy-outcome ids refuse
 * `Object.prototype`'s names.
 *
 * A cohort's results arrive as JSON or as `text/csv`, so that route validates no body in the HTTP stack:
 * the handler reads the media type and checks JSON with `cohortResultsBody` here, CSV with
 * `readCohortResultsCsv` (`shared/domain/payment-by-results/results-csv.ts`).
 */
import * as z from 'zod';
import {
  CLAIM_STATUSES,
  MAX_CLAIM_NOTE_LENGTH,
  MAX_CLAIM_PARTICIPANTS,
  MAX_DECISION_REASON_LENGTH,
} from '../../domain/payment-by-results/claims';
import {
  MAX_BASELINE_PER_PERSON,
  MAX_CAP_PENCE,
  MAX_FOLLOW_UP_MONTHS,
  MAX_OUTCOME_ID_LENGTH,
  MAX_OUTCOME_NAME_LENGTH,
  MAX_PROXY_OUTCOMES,
  MAX_TARIFF_PENCE,
  MAX_TIER_MULTIPLIER,
  MIN_FOLLOW_UP_MONTHS,
  RISK_TIERS,
} from '../../domain/payment-by-results/mechanism';
import {
  MAX_PARTICIPANT_REF_LENGTH,
  MIN_PARTICIPANT_REF_LENGTH,
} from '../../domain/payment-by-results/participant-ref';
import { MAX_COHORT_SIZE, MAX_REOFFENCES } from '../../domain/payment-by-results/payments';
import { MAX_RESULTS_CSV_BYTES, RESULTS_CSV_HEADER } from '../../domain/payment-by-results/results-csv';
import { MAX_OUTCOME_SHARES, REOFFENDING } from '../../domain/payment-by-results/shares';
import { PERIOD_PATTERN } from '../../domain/subcontracting/dates';
import { notPrototypeName, pageOf, pageQuerySchema, percentSchema, ulidSchema } from './common';
import type { RouteSchemaSet } from './types';

const periodSchema = z
  .string()
  .regex(PERIOD_PATTERN, 'Use a calendar quarter like 2026-Q3 (Q1 is January to March)')
  .meta({ description: 'A calendar quarter written YYYY-Qn (Q1 is January to March)' });
const tierSchema = z.enum(RISK_TIERS);
const count = (max: number) =>
  z.number().int('Use a whole number').min(0, 'Cannot be negative').max(max, `At most ${max}`);
const pence = (max: number) =>
  z.number().int('Use whole pence').min(0, 'Cannot be negative').max(max, `At most ${max} pence`);
/**
 * A number with at most two decimals in `0..max` (`positive`: above 0). As with `percentSchema`, anything
 * above zero is at least 0.01, so a value too small for DynamoDB never passes `multipleOf`'s tolerance.
 */
const hundredthsSchema = (max: number, positive = false) =>
  z
    .number()
    .min(0, 'Cannot be negative')
    .max(max, `At most ${max}`)
    .multipleOf(0.01, 'Use at most two decimal places')
    .refine((value) => (positive ? value >= 0.01 : value === 0 || value >= 0.01), {
      message: positive
        ? 'Must be more than 0 (at most two decimal places)'
        : 'Use at most two decimal places',
    });
const outcomeIdSchema = notPrototypeName(
  z
    .string()
    .min(1, 'Enter the outcome id')
    .max(MAX_OUTCOME_ID_LENGTH, `Use at most ${MAX_OUTCOME_ID_LENGTH} characters`)
    .regex(/^[A-Za-z0-9_-]+$/, 'Use letters, digits, hyphens or underscores'),
);
const text = (max: number) =>
  z.string().trim().min(1, 'Enter a value').max(max, `Use at most ${max} characters`);

export const contractParams = z.object({ id: ulidSchema });
export const cohortParams = z.object({ id: ulidSchema, period: periodSchema });
export const claimParams = z.object({ id: ulidSchema, claimId: ulidSchema });

// ---------------------------------------------------------------------------------------------------------
// The mechanism
// ---------------------------------------------------------------------------------------------------------

const proxyOutcomeSchema = z
  .object({
    id: outcomeIdSchema,
    name: text(MAX_OUTCOME_NAME_LENGTH),
    tariffPence: pence(MAX_TARIFF_PENCE).meta({
      description: 'Per validated participant, before the tier multiplier',
    }),
  })
  .strict();

const binarySchema = z
  .object({
    baselineRatePercent: percentSchema.meta({
      description: 'The share of a cohort expected to reoffend, 0 to 100 with at most two decimals',
    }),
    tariffPence: pence(MAX_TARIFF_PENCE).meta({ description: 'Per reoffender prevented' }),
  })
  .strict();

const frequencySchema = z
  .object({
    baselinePerPerson: hundredthsSchema(MAX_BASELINE_PER_PERSON).meta({
      description: `Reoffences expected per cohort member, 0 to ${MAX_BASELINE_PER_PERSON} with at most two decimals`,
    }),
    tariffPence: pence(MAX_TARIFF_PENCE).meta({ description: 'Per reoffence prevented' }),
  })
  .strict();

const multiplierSchema = hundredthsSchema(MAX_TIER_MULTIPLIER, true).meta({
  description: `More than 0, at most ${MAX_TIER_MULTIPLIER}, at most two decimals`,
});

/** `PUT /contracts/{id}/payment-mechanism` body. */
export const mechanismBody = z
  .object({
    fromPeriod: periodSchema.meta({
      description:
        'The quarter the version applies from: the first version any quarter of the contract; a later one a quarter not yet begun, and not before the version it follows (400 otherwise: never retroactive)',
    }),
    upfrontPercent: percentSchema.meta({
      description: 'The share of the contract value paid up front, by day of the contract in each quarter',
    }),
    proxyOutcomes: z
      .array(proxyOutcomeSchema)
      .max(MAX_PROXY_OUTCOMES, `Name at most ${MAX_PROXY_OUTCOMES} proxy outcomes`),
    reoffending: z
      .object({
        binary: binarySchema.optional(),
        frequency: frequencySchema.optional(),
        followUpMonths: z
          .number()
          .int('Use a whole number of months')
          .min(MIN_FOLLOW_UP_MONTHS, `At least ${MIN_FOLLOW_UP_MONTHS}`)
          .max(MAX_FOLLOW_UP_MONTHS, `At most ${MAX_FOLLOW_UP_MONTHS}`),
      })
      .strict()
      .meta({ description: 'At least one of binary and frequency' }),
    tierMultipliers: z
      .object({
        low: multiplierSchema,
        medium: multiplierSchema,
        high: multiplierSchema,
        very_high: multiplierSchema,
      })
      .strict(),
    capPencePerYear: pence(MAX_CAP_PENCE).optional().meta({
      description: 'The most outcome payments (proxy and re-offending) in a contract year; none if absent',
    }),
  })
  .strict()
  .meta({ id: 'PaymentMechanismTerms' });

const mechanismFields = {
  contractId: z.string(),
  version: z.number().int(),
  fromPeriod: z.string(),
  upfrontPercent: z.number(),
  proxyOutcomes: z.array(z.object({ id: z.string(), name: z.string(), tariffPence: z.number().int() })),
  reoffending: z.object({
    binary: z.object({ baselineRatePercent: z.number(), tariffPence: z.number().int() }).optional(),
    frequency: z.object({ baselinePerPerson: z.number(), tariffPence: z.number().int() }).optional(),
    followUpMonths: z.number().int(),
  }),
  tierMultipliers: z.object({
    low: z.number(),
    medium: z.number(),
    high: z.number(),
    very_high: z.number(),
  }),
  capPencePerYear: z.number().int().nullable(),
  setAt: z.string(),
  setBy: z.string(),
};

export const mechanismVersionResponse = z.object(mechanismFields).meta({ id: 'PaymentMechanismVersion' });

export const mechanismResponse = z
  .object({
    ...mechanismFields,
    versions: z.array(mechanismVersionResponse).meta({
      description: 'Every version, oldest first (the last is the current one); at most 100',
    }),
  })
  .meta({ id: 'PaymentMechanism' });

// ---------------------------------------------------------------------------------------------------------
// Cohorts and results
// ---------------------------------------------------------------------------------------------------------

const sizeSchema = count(MAX_COHORT_SIZE);

/** `PUT /contracts/{id}/cohorts/{period}` body. */
export const cohortBody = z
  .object({
    tiers: z
      .object({
        low: z.object({ size: sizeSchema }).strict().optional(),
        medium: z.object({ size: sizeSchema }).strict().optional(),
        high: z.object({ size: sizeSchema }).strict().optional(),
        very_high: z.object({ size: sizeSchema }).strict().optional(),
      })
      .strict()
      .meta({ description: 'Cohort members by risk tier, counts only; a tier left out had no one in it' }),
  })
  .strict()
  .meta({ id: 'CohortSizes' });

const tierResultSchema = z
  .object({
    size: sizeSchema.meta({ description: 'The same size as the cohort entered for the tier' }),
    reoffenders: count(MAX_COHORT_SIZE).meta({ description: 'At most the size' }),
    reoffences: count(MAX_REOFFENCES).meta({
      description: 'At least one per reoffender, none without a reoffender',
    }),
  })
  .strict();

/** `PUT /contracts/{id}/cohorts/{period}/results` JSON body (documentation; `text/csv` is the other form). */
export const cohortResultsBody = z
  .object({
    tiers: z
      .object({
        low: tierResultSchema.optional(),
        medium: tierResultSchema.optional(),
        high: tierResultSchema.optional(),
        very_high: tierResultSchema.optional(),
      })
      .strict(),
  })
  .strict()
  .meta({
    id: 'CohortResults',
    description: `Or text/csv, at most ${MAX_RESULTS_CSV_BYTES} bytes: the header ${RESULTS_CSV_HEADER}, then one row per risk tier (at most ${RISK_TIERS.length}). The sizes must be the cohort's; results are accepted from the day after the follow-up ends.`,
  });

const tierResult = z.object({
  size: z.number().int(),
  reoffenders: z.number().int(),
  reoffences: z.number().int(),
});

const cohortFields = {
  contractId: z.string(),
  period: z.string(),
  tiers: z.object({
    low: z.object({ size: z.number().int() }).optional(),
    medium: z.object({ size: z.number().int() }).optional(),
    high: z.object({ size: z.number().int() }).optional(),
    very_high: z.object({ size: z.number().int() }).optional(),
  }),
  results: z
    .object({
      low: tierResult.optional(),
      medium: tierResult.optional(),
      high: tierResult.optional(),
      very_high: tierResult.optional(),
    })
    .nullable()
    .meta({ description: 'The proven results, once entered' }),
  resultsVersion: z.number().int(),
  reoffendingPence: z
    .number()
    .int()
    .nullable()
    .meta({ description: 'The re-offending payment for the results, before any cap (null before results)' }),
  resultsFrom: z
    .string()
    .nullable()
    .meta({ description: 'The first day results may be entered (null while no mechanism is in force)' }),
};

export const cohortResponse = z.object(cohortFields).meta({ id: 'Cohort' });

const tierPayment = z.object({ binaryPence: z.number().int(), frequencyPence: z.number().int() });

export const cohortResultsResponse = z
  .object({
    ...cohortFields,
    reoffending: z.object({
      pence: z.number().int(),
      tiers: z.object({
        low: tierPayment.optional(),
        medium: tierPayment.optional(),
        high: tierPayment.optional(),
        very_high: tierPayment.optional(),
      }),
    }),
    changed: z.boolean().meta({
      description: 'False when the results were those already entered (nothing written)',
    }),
  })
  .meta({ id: 'CohortResultsPayment' });

export const cohortListResponse = z
  .object({
    items: z
      .array(cohortResponse)
      .meta({ description: 'At most one cohort per quarter of the contract (100)' }),
    nextCursor: z.null().meta({ description: 'Always null: every cohort fits on one page' }),
  })
  .meta({ id: 'CohortList' });

// ---------------------------------------------------------------------------------------------------------
// Claims
// ---------------------------------------------------------------------------------------------------------

const participantRefSchema = z
  .string()
  .trim()
  .min(
    MIN_PARTICIPANT_REF_LENGTH,
    `Use ${MIN_PARTICIPANT_REF_LENGTH} to ${MAX_PARTICIPANT_REF_LENGTH} characters`,
  )
  .max(
    MAX_PARTICIPANT_REF_LENGTH,
    `Use ${MIN_PARTICIPANT_REF_LENGTH} to ${MAX_PARTICIPANT_REF_LENGTH} characters`,
  )
  .meta({
    description:
      'The pseudonymous reference your organisation keeps for the participant (a UUID, or a prefixed case number like PRV-004217): letters, digits, hyphens and underscores with at least one digit. Anything that looks like personal data – a name, a date of birth, an e-mail address, a police, prison or National Insurance number – is refused (400), and the refusal never repeats it.',
  });

// Strict, with a message that never repeats an unknown field's name: it might be personal data typed as one.
const participantSchema = z.strictObject(
  {
    ref: participantRefSchema,
    evidenceDate: z.iso.date('Use a date like 2026-05-31').meta({
      description: 'When the outcome was evidenced: from the period’s first day to today',
    }),
    note: z
      .string()
      .max(MAX_CLAIM_NOTE_LENGTH, `Use at most ${MAX_CLAIM_NOTE_LENGTH} characters`)
      .optional()
      .meta({ description: 'Never personal details' }),
  },
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys' ? 'Use only ref, evidenceDate and note' : undefined,
  },
);

/** `POST /contracts/{id}/outcome-claims` body. */
export const claimBody = z
  .object({
    outcomeId: outcomeIdSchema.meta({
      description: 'A proxy outcome of the mechanism in force for the period',
    }),
    period: periodSchema.meta({ description: 'A quarter of the contract that has begun' }),
    tier: tierSchema,
    participants: z
      .array(participantSchema)
      .min(1, 'Name at least one participant')
      .max(MAX_CLAIM_PARTICIPANTS, `Name at most ${MAX_CLAIM_PARTICIPANTS} participants in one claim`)
      .meta({
        description: `1 to ${MAX_CLAIM_PARTICIPANTS} participants, each once; a participant already claimed for the outcome is a 409`,
      }),
  })
  .strict()
  .meta({ id: 'NewOutcomeClaim' });

/** `POST /contracts/{id}/outcome-claims/{claimId}/decision` body. */
export const decisionBody = z
  .object({
    decision: z.enum(['validated', 'partly-validated', 'rejected']),
    validatedRefs: z
      .array(
        z.string().max(MAX_PARTICIPANT_REF_LENGTH, `Use at most ${MAX_PARTICIPANT_REF_LENGTH} characters`),
      )
      .max(MAX_CLAIM_PARTICIPANTS, `At most ${MAX_CLAIM_PARTICIPANTS}`)
      .optional()
      .meta({
        description:
          'For partly-validated: the references validated (some of the claim’s participants, not none or all)',
      }),
    reason: text(MAX_DECISION_REASON_LENGTH),
  })
  .strict()
  .meta({ id: 'OutcomeClaimDecision' });

export const claimResponse = z
  .object({
    id: z.string(),
    contractId: z.string(),
    outcomeId: z.string(),
    period: z.string(),
    tier: tierSchema,
    participants: z.array(
      z.object({ ref: z.string(), evidenceDate: z.string(), note: z.string().optional() }),
    ),
    status: z.enum(CLAIM_STATUSES),
    submittedAt: z.string(),
    submittedBy: z.string(),
    decision: z
      .object({
        decision: z.enum(['validated', 'partly-validated', 'rejected']),
        validatedRefs: z.array(z.string()),
        reason: z.string(),
        decidedAt: z.string(),
        decidedBy: z.string(),
      })
      .nullable()
      .meta({ description: 'Null until decided' }),
  })
  .meta({ id: 'OutcomeClaim' });

export const claimsQuery = pageQuerySchema.extend({
  awaiting: z
    .enum(['true', 'false'])
    .optional()
    .meta({ description: 'true: only the claims awaiting a decision, oldest first' }),
});

// ---------------------------------------------------------------------------------------------------------
// The statement
// ---------------------------------------------------------------------------------------------------------

const statementPeriod = z.object({
  period: z.string(),
  contractYear: z.number().int(),
  mechanismVersion: z.number().int().nullable(),
  upfrontPence: z.number().int(),
  proxyClaimedPence: z
    .number()
    .int()
    .meta({ description: 'What every claimed participant would pay, before validation and the cap' }),
  proxyPence: z.number().int().meta({ description: 'Validated proxy outcomes, after the cap' }),
  reoffendingPence: z.number().int(),
  cutPence: z.number().int(),
  capReached: z.boolean(),
  totalPence: z.number().int(),
});

export const statementResponse = z
  .object({
    contractId: z.string(),
    through: z
      .string()
      .meta({ description: 'The last quarter covered (the current one, or the contract’s last)' }),
    periods: z.array(statementPeriod),
    totals: z.object({
      upfrontPence: z.number().int(),
      proxyClaimedPence: z.number().int(),
      proxyPence: z.number().int(),
      reoffendingPence: z.number().int(),
      cutPence: z.number().int(),
      totalPence: z.number().int(),
      contractValuePence: z.number().int(),
    }),
    claims: z.object({
      submitted: z.number().int(),
      validated: z.number().int(),
      'partly-validated': z.number().int(),
      rejected: z.number().int(),
    }),
  })
  .meta({
    id: 'OutcomeStatement',
    description:
      'With Accept: text/csv (preferred over JSON) the same as a CSV file: one row per quarter, then the totals, money in pounds with two decimals.',
  });

// ---------------------------------------------------------------------------------------------------------
// Shares of outcome payments passed to sub-contractors
// ---------------------------------------------------------------------------------------------------------

/** `PUT /contracts/{id}/outcome-shares` body: the whole set, replacing the one before. */
export const outcomeSharesBody = z
  .object({
    shares: z
      .array(
        z
          .object({
            providerId: ulidSchema.meta({
              description: "A registered sub-contractor in the contract's supply chain",
            }),
            outcome: outcomeIdSchema.meta({
              description: `A proxy outcome id of the mechanism in force, or "${REOFFENDING}" (the upfront share is a fee, never shared)`,
            }),
            percent: percentSchema.meta({
              description: 'The share passed on, 0 to 100 with at most two decimals (0: no share)',
            }),
          })
          .strict(),
      )
      .max(MAX_OUTCOME_SHARES, `Record at most ${MAX_OUTCOME_SHARES} shares`)
      .meta({
        description:
          'One share per sub-contractor and kind of outcome payment; the shares of one kind come to at most 100%',
      }),
  })
  .strict()
  .meta({ id: 'OutcomeSharesInput' });

export const outcomeSharesResponse = z
  .object({
    contractId: z.string(),
    version: z.number().int().meta({ description: '0 before the first save; each save is a new version' }),
    setAt: z.string().nullable(),
    setBy: z.string().nullable(),
    through: z.string().meta({ description: 'The last quarter counted in the amounts to date' }),
    outcomes: z.array(z.object({ id: z.string(), name: z.string(), paidPence: z.number().int() })).meta({
      description:
        'The kinds that may be shared now, each with what it was paid to date after the cap (at most 21)',
    }),
    subcontractors: z
      .array(z.object({ providerId: z.string(), name: z.string() }))
      .meta({ description: 'The registered sub-contractors of the supply chain (at most 40)' }),
    shares: z
      .array(
        z.object({
          providerId: z.string(),
          providerName: z.string(),
          outcome: z.string(),
          outcomeName: z.string(),
          percent: z.number(),
          paymentPence: z.number().int().meta({ description: 'The kind of payment to date, after the cap' }),
          amountPence: z
            .number()
            .int()
            .meta({ description: 'The share of it to date: percent × payment, rounded once, half up' }),
        }),
      )
      .meta({ description: `At most ${MAX_OUTCOME_SHARES}` }),
  })
  .meta({ id: 'OutcomeShares' });

/** Schemas by route key. */
export const paymentByResultsSchemas = {
  'PUT /contracts/{id}/payment-mechanism': {
    params: contractParams,
    body: mechanismBody,
    responses: { 200: mechanismVersionResponse },
  },
  'GET /contracts/{id}/payment-mechanism': { params: contractParams, responses: { 200: mechanismResponse } },
  'GET /contracts/{id}/cohorts': { params: contractParams, responses: { 200: cohortListResponse } },
  'PUT /contracts/{id}/cohorts/{period}': {
    params: cohortParams,
    body: cohortBody,
    responses: { 200: cohortResponse },
  },
  'PUT /contracts/{id}/cohorts/{period}/results': {
    params: cohortParams,
    // Documented here; validated in the handler, which also accepts text/csv.
    body: cohortResultsBody,
    responses: { 200: cohortResultsResponse },
  },
  'POST /contracts/{id}/outcome-claims': {
    params: contractParams,
    body: claimBody,
    responses: { 201: claimResponse },
  },
  'GET /contracts/{id}/outcome-claims': {
    params: contractParams,
    query: claimsQuery,
    responses: { 200: pageOf(claimResponse) },
  },
  'GET /contracts/{id}/outcome-claims/{claimId}': { params: claimParams, responses: { 200: claimResponse } },
  'POST /contracts/{id}/outcome-claims/{claimId}/decision': {
    params: claimParams,
    body: decisionBody,
    responses: { 200: claimResponse },
  },
  'GET /contracts/{id}/outcome-statement': { params: contractParams, responses: { 200: statementResponse } },
  'PUT /contracts/{id}/outcome-shares': {
    params: contractParams,
    body: outcomeSharesBody,
    responses: { 200: outcomeSharesResponse },
  },
  'GET /contracts/{id}/outcome-shares': { params: contractParams, responses: { 200: outcomeSharesResponse } },
} satisfies Record<string, RouteSchemaSet>;
