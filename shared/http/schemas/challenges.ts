// biome-ignore-all lint/suspicious/noThenProperty: `then` is the API's name for what follows an upheld challenge (API.md); these plain objects are never awaited
/**
 * Schemas of the standstill challenge routes (issue 15).
 */
import * as z from 'zod';
import { CHALLENGE_LIMITS } from '../../domain/challenges';
import { pageOf, pageQuerySchema, ulidSchema } from './common';
import type { RouteSchemaSet } from './types';

const params = z.object({ id: ulidSchema });
const challengeParams = params.extend({ challengeId: ulidSchema });
const text = (max: number, what: string) =>
  z
    .string()
    .trim()
    .min(1, `Enter ${what}`)
    .max(max, `Use at most ${max.toLocaleString('en-GB')} characters`);

/** `POST /competitions/{id}/challenges`. */
export const raiseChallengeBody = z
  .object({
    grounds: text(CHALLENGE_LIMITS.grounds, 'the grounds of your challenge').describe(
      'Why the award decision is wrong: what the challenger asks the lead to look at again',
    ),
    providerId: ulidSchema
      .optional()
      .describe('The challenging organisation, when the caller belongs to several that bid'),
  })
  .strict()
  .meta({ id: 'ChallengeRequest' });

/** `POST /competitions/{id}/challenges/{challengeId}/decision`. */
export const challengeDecisionBody = z
  .object({
    outcome: z.enum(['upheld', 'rejected']),
    reasons: text(CHALLENGE_LIMITS.reasons, 'the reasons for your decision'),
    then: z
      .enum(['re-evaluate', 'cancel'])
      .optional()
      .describe(
        'Required when upheld, absent when rejected: return the competition to evaluation (the award decision withdrawn, scores kept) or cancel it',
      ),
  })
  .strict()
  .meta({ id: 'ChallengeDecisionRequest' });

/** A challenge as the API answers it. */
export const challengeResponse = z
  .object({
    id: z.string(),
    competitionId: z.string(),
    providerId: z.string(),
    providerName: z.string(),
    grounds: z.string(),
    raisedAt: z.string(),
    raisedBy: z.string(),
    awardDecidedAt: z.string().describe('When the award decision challenged was made'),
    status: z
      .enum(['open', 'upheld', 'rejected', 'superseded'])
      .describe('superseded: still open, but the award decision it challenged is no longer in force'),
    decision: z
      .object({
        outcome: z.enum(['upheld', 'rejected']),
        reasons: z.string(),
        then: z.enum(['re-evaluate', 'cancel']).optional(),
        decidedAt: z.string(),
        decidedBy: z.string().optional().describe('Insiders and auditors only'),
      })
      .nullable(),
  })
  .meta({ id: 'Challenge' });

/** Schemas by route key. */
export const challengeSchemas = {
  'POST /competitions/{id}/challenges': {
    params,
    body: raiseChallengeBody,
    responses: { 201: challengeResponse },
  },
  'GET /competitions/{id}/challenges': {
    params,
    query: pageQuerySchema,
    responses: { 200: pageOf(challengeResponse) },
  },
  'POST /competitions/{id}/challenges/{challengeId}/decision': {
    params: challengeParams,
    body: challengeDecisionBody,
    responses: { 200: challengeResponse },
  },
} satisfies Record<string, RouteSchemaSet>;
