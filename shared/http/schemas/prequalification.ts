/**
 * Schemas of the pre-qualification routes.
 */
import * as z from 'zod';
import { MAX_ANSWERS, MAX_TEXT_ANSWER } from '../../domain/prequalification';
import { boundedRecord, ulidSchema } from './common';
import type { RouteSchemaSet } from './types';

/**
 * The longest texts and lists of a response and a mark. The answers a response stores are only those its
 * questionnaire asks (others are refused), so with these the worst case stays far under DynamoDB's 400 KB
 * per item (worked out in test/unit/item-sizes.test.ts).
 */
export const PREQUALIFICATION_LIMITS = {
  answers: MAX_ANSWERS,
  questionId: 100,
  textAnswer: MAX_TEXT_ANSWER,
  consortium: 20,
  role: 100,
  comment: 4_000,
  shortlist: 200,
} as const;

const params = z.object({ id: ulidSchema });
const result = z.enum(['pass', 'fail', 'review']);

export const questionnaireResponse = z
  .object({
    tier: z.enum(['none', 'core', 'full']),
    sections: z.array(
      z.object({
        id: z.string(),
        title: z.string(),
        questions: z.array(
          z.object({
            id: z.string(),
            text: z.string(),
            type: z.enum(['text', 'boolean', 'number']),
            required: z.boolean(),
            answeredByAccreditation: z.boolean(),
          }),
        ),
      }),
    ),
  })
  .meta({ id: 'Questionnaire' });

/** `POST /competitions/{id}/prequalification-responses` body. */
export const responseBody = z
  .object({
    providerId: ulidSchema.optional(),
    answers: boundedRecord(
      z.string().max(PREQUALIFICATION_LIMITS.questionId),
      z.union([
        z
          .string()
          .max(
            PREQUALIFICATION_LIMITS.textAnswer,
            `Use at most ${PREQUALIFICATION_LIMITS.textAnswer} characters`,
          ),
        z.boolean(),
        // Whole pence in practice (the questionnaire says which); never past the safe integer range.
        z
          .number()
          .min(0, 'Give a whole number of 0 or more')
          .max(Number.MAX_SAFE_INTEGER, `Give a whole number up to ${Number.MAX_SAFE_INTEGER}`),
      ]),
      PREQUALIFICATION_LIMITS.answers,
    )
      .default({})
      .describe('Answers by question id (GET /competitions/{id}/questionnaire lists them)'),
    consortium: z
      .array(
        z
          .object({
            providerId: ulidSchema,
            role: z.string().trim().min(1).max(PREQUALIFICATION_LIMITS.role),
          })
          .strict(),
      )
      .max(PREQUALIFICATION_LIMITS.consortium)
      .optional(),
  })
  .strict()
  .meta({ id: 'PrequalificationResponseRequest' });

const automatic = z.object({
  exclusion: z.object({ result, reason: z.string() }),
  financial: z.object({ result, combinedTurnoverPence: z.number(), minimumTurnoverPence: z.number() }),
});

export const submittedResponse = z.object({
  id: z.string(),
  status: z.literal('submitted'),
  providerId: z.string(),
  submittedAt: z.string(),
  automatic,
});

export const responseView = z
  .object({
    id: z.string(),
    competitionId: z.string(),
    providerId: z.string(),
    providerName: z.string(),
    consortium: z.array(z.object({ providerId: z.string(), name: z.string(), role: z.string() })),
    answers: z.record(z.string(), z.union([z.string(), z.boolean(), z.number()])),
    automatic,
    submittedAt: z.string(),
    submittedBy: z.string(),
    marks: z.array(
      z.object({
        evaluator: z.string(),
        result: z.enum(['pass', 'fail']),
        comment: z.string(),
        markedAt: z.string(),
      }),
    ),
  })
  .meta({ id: 'PrequalificationResponse' });

export const markBody = z
  .object({
    result: z.enum(['pass', 'fail']),
    comment: z.string().trim().min(1).max(PREQUALIFICATION_LIMITS.comment),
  })
  .strict()
  .meta({ id: 'ResponseMarkRequest' });
export const markResponse = z.object({
  providerId: z.string(),
  responseId: z.string(),
  evaluator: z.string(),
  result: z.enum(['pass', 'fail']),
  comment: z.string(),
  markedAt: z.string(),
});

export const shortlistBody = z
  .object({
    responseIds: z.array(ulidSchema).min(1).max(PREQUALIFICATION_LIMITS.shortlist),
    tenderDeadline: z.iso.datetime({ offset: true }).optional(),
  })
  .strict()
  .meta({ id: 'ShortlistRequest' });

/** Schemas by route key. */
export const prequalificationSchemas = {
  'GET /competitions/{id}/questionnaire': { params, responses: { 200: questionnaireResponse } },
  'POST /competitions/{id}/prequalification-responses': {
    params,
    body: responseBody,
    responses: { 201: submittedResponse },
  },
  'GET /competitions/{id}/prequalification-responses': {
    params,
    responses: { 200: z.object({ items: z.array(responseView) }) },
  },
  'PUT /competitions/{id}/prequalification-responses/{responseId}/marks': {
    params: params.extend({ responseId: ulidSchema }),
    body: markBody,
    responses: { 200: markResponse },
  },
  'POST /competitions/{id}/shortlist': {
    params,
    body: shortlistBody,
    responses: { 200: z.object({ status: z.string() }).loose() },
  },
} satisfies Record<string, RouteSchemaSet>;
