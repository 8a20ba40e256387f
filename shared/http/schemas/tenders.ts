/**
 * Schemas of the tender and evaluation routes.
 */
import * as z from 'zod';
import { ulidSchema } from './common';
import { serviceSchema } from './providers';
import type { RouteSchemaSet } from './types';

const params = z.object({ id: ulidSchema });
const bidParams = params.extend({ bidId: ulidSchema });
const bidderQuery = z.object({ providerId: ulidSchema.optional() });
const text = (max: number) => z.string().trim().min(1, 'Enter a value').max(max);

const bidContent = {
  pricePence: z.number().int('Use whole pence').nonnegative().max(Number.MAX_SAFE_INTEGER),
  qualityResponses: z.record(z.string().max(40), z.string().max(50_000)),
  subcontractors: z
    .array(
      z
        .object({
          providerId: ulidSchema.optional(),
          name: text(200),
          services: z.array(serviceSchema).min(1),
          sharePercent: z.number().min(0).max(100),
        })
        .strict(),
    )
    .max(50)
    .default([]),
  consortium: z
    .array(z.object({ providerId: ulidSchema, role: text(100) }).strict())
    .max(20)
    .default([]),
};

/** `PUT /competitions/{id}/bid` body. */
export const bidBody = z
  .object({ providerId: ulidSchema.optional(), ...bidContent })
  .strict()
  .meta({ id: 'BidDraftRequest' });

const content = z.object({
  pricePence: z.number(),
  qualityResponses: z.record(z.string(), z.string()),
  subcontractors: z.array(
    z.object({
      providerId: z.string().optional(),
      name: z.string(),
      services: z.array(z.string()),
      sharePercent: z.number(),
    }),
  ),
  consortium: z.array(z.object({ providerId: z.string(), role: z.string() })),
});

export const ownBidResponse = z
  .object({
    competitionId: z.string(),
    providerId: z.string(),
    bidId: z.string(),
    status: z.enum(['draft', 'submitted', 'withdrawn']),
    version: z.number().int().nullable(),
    draft: content.extend({ updatedAt: z.string(), updatedBy: z.string() }).loose().nullable(),
    submitted: z
      .object({ version: z.number().int(), status: z.string(), submittedAt: z.string(), content })
      .loose()
      .nullable(),
  })
  .meta({ id: 'OwnBid' });

const evaluatorScores = z
  .object({
    bidId: z.string(),
    evaluator: z.string(),
    scores: z.array(
      z.object({ criterionId: z.string(), score: z.number().int(), justification: z.string() }),
    ),
    scoredAt: z.string(),
  })
  .meta({ id: 'EvaluatorScores' });
const moderatedScores = z
  .object({
    bidId: z.string(),
    moderator: z.string(),
    scores: z.array(z.object({ criterionId: z.string(), score: z.number().int(), rationale: z.string() })),
    moderatedAt: z.string(),
  })
  .meta({ id: 'ModeratedScores' });

export const insiderBid = z
  .object({
    bidId: z.string(),
    providerId: z.string(),
    providerName: z.string(),
    status: z.enum(['submitted', 'withdrawn']),
    version: z.number().int(),
    submittedAt: z.string(),
    pricePence: z.number().int(),
    qualityResponses: z.record(z.string(), z.string()),
    subcontractors: content.shape.subcontractors,
    consortium: content.shape.consortium,
    scores: z.array(evaluatorScores),
    moderated: moderatedScores.nullable(),
  })
  .meta({ id: 'Bid' });

export const scoresBody = z
  .object({
    scores: z
      .array(
        z
          .object({
            criterionId: z.string().max(40),
            score: z.number(),
            justification: z.string().max(10_000),
          })
          .strict(),
      )
      .min(1)
      .max(20),
  })
  .strict()
  .meta({ id: 'ScoresRequest' });

export const moderatedBody = z
  .object({
    scores: z
      .array(
        z
          .object({ criterionId: z.string().max(40), score: z.number(), rationale: z.string().max(10_000) })
          .strict(),
      )
      .min(1)
      .max(20),
  })
  .strict()
  .meta({ id: 'ModeratedScoresRequest' });

export const evaluationResponse = z
  .object({
    complete: z.boolean(),
    ranking: z.array(
      z.object({
        bidId: z.string(),
        organisationId: z.string(),
        qualityPoints: z.number(),
        pricePoints: z.number(),
        totalPoints: z.number(),
        rank: z.number().int(),
        byCriterion: z.record(z.string(), z.number()),
        abnormallyLow: z.boolean(),
      }),
    ),
    setAside: z
      .array(z.object({ bidId: z.string(), moderator: z.string(), moderatedAt: z.string() }))
      .describe(
        'Moderations that no longer count: their moderator has since been replaced, or is now outside the wall. Their bids need moderating again.',
      ),
  })
  .meta({ id: 'Evaluation' });

export const priceClarificationBody = z
  .object({
    note: text(10_000).describe("How the bidder explained the abnormally low price, and the lead's view"),
  })
  .strict()
  .meta({ id: 'PriceClarificationRequest' });
export const priceClarificationResponse = z
  .object({
    id: z.string(),
    bidId: z.string(),
    note: z.string(),
    recordedAt: z.string(),
    recordedBy: z.string(),
  })
  .meta({ id: 'PriceClarification' });

export const awardBody = z
  .object({
    bidId: ulidSchema,
    rationale: text(10_000),
    overrideReason: text(10_000)
      .optional()
      .describe(
        'Required to award a bid the ranking does not place first: why the award departs from the ranking. Recorded in the audit log and shown in every debrief.',
      ),
  })
  .strict()
  .meta({ id: 'AwardRequest' });

export const debriefResponse = z
  .object({
    outcome: z.enum(['successful', 'unsuccessful']),
    yours: z.object({
      scores: z.record(z.string(), z.number()),
      totalPoints: z.number(),
      rank: z.number().int(),
    }),
    winner: z.object({ name: z.string(), scores: z.record(z.string(), z.number()), totalPoints: z.number() }),
    awardOverride: z
      .object({ winnerRank: z.number().int(), reason: z.string() })
      .optional()
      .describe("Present when the award departed from the ranking: the winner's rank and the lead's reason"),
    decidedAt: z.string(),
    standstillEndsAt: z.string(),
  })
  .meta({ id: 'Debrief' });

const competitionLike = z.object({ id: z.string(), status: z.string() }).loose();

/** Schemas by route key. */
export const tenderSchemas = {
  'PUT /competitions/{id}/bid': { params, body: bidBody, responses: { 200: ownBidResponse } },
  'POST /competitions/{id}/bid/submit': {
    params,
    query: bidderQuery,
    responses: {
      200: z.object({
        status: z.literal('submitted'),
        version: z.number().int(),
        bidId: z.string(),
        submittedAt: z.string(),
      }),
    },
  },
  'POST /competitions/{id}/bid/withdraw': {
    params,
    query: bidderQuery,
    responses: {
      200: z.object({ status: z.literal('withdrawn'), bidId: z.string(), withdrawnAt: z.string() }),
    },
  },
  'GET /competitions/{id}/bid': { params, query: bidderQuery, responses: { 200: ownBidResponse } },
  'GET /competitions/{id}/debrief': { params, query: bidderQuery, responses: { 200: debriefResponse } },
  'GET /competitions/{id}/bids': { params, responses: { 200: z.object({ items: z.array(insiderBid) }) } },
  'GET /competitions/{id}/bids/{bidId}': { params: bidParams, responses: { 200: insiderBid } },
  'PUT /competitions/{id}/bids/{bidId}/scores': {
    params: bidParams,
    body: scoresBody,
    responses: { 200: evaluatorScores },
  },
  'PUT /competitions/{id}/bids/{bidId}/moderated-scores': {
    params: bidParams,
    body: moderatedBody,
    responses: { 200: moderatedScores },
  },
  'GET /competitions/{id}/evaluation': { params, responses: { 200: evaluationResponse } },
  'POST /competitions/{id}/bids/{bidId}/price-clarification': {
    params: bidParams,
    body: priceClarificationBody,
    responses: { 201: priceClarificationResponse },
  },
  'POST /competitions/{id}/award': { params, body: awardBody, responses: { 200: competitionLike } },
  'POST /competitions/{id}/award/confirm': { params, responses: { 200: competitionLike } },
} satisfies Record<string, RouteSchemaSet>;
