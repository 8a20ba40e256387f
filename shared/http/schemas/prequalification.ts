/**
 * Schemas of the pre-qualification routes.
 */
import * as z from 'zod';
import { ulidSchema } from './common';
import type { RouteSchemaSet } from './types';

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
    answers: z
      .record(z.string().max(100), z.union([z.string().max(10_000), z.boolean(), z.number()]))
      .default({}),
    consortium: z
      .array(z.object({ providerId: ulidSchema, role: z.string().trim().min(1).max(100) }).strict())
      .max(20)
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
  .object({ result: z.enum(['pass', 'fail']), comment: z.string().trim().min(1).max(4000) })
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
    responseIds: z.array(ulidSchema).min(1).max(200),
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
