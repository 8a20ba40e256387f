/**
 * Schemas of the tender and evaluation routes.
 */
import * as z from 'zod';
import { MAX_CRITERIA } from '../../domain/competitions';
import { SERVICES } from '../../domain/reference-data';
import { MAX_SCORE } from '../../domain/scoring';
import { boundedRecord, percentSchema, ulidSchema } from './common';
import { criterionIdSchema, serviceSchema } from './fields';
import type { RouteSchemaSet } from './types';

const params = z.object({ id: ulidSchema });
const bidParams = params.extend({ bidId: ulidSchema });
const bidderQuery = z.object({ providerId: ulidSchema.optional() });
const text = (max: number) =>
  z
    .string()
    .trim()
    .min(1, 'Enter a value')
    .max(max, `Use at most ${max.toLocaleString('en-GB')} characters`);

/**
 * The longest texts and lists of a bid, its scores and its moderation. A bid is stored whole in one item
 * (its draft, each version and its head), as is each evaluator's scores and the moderation: at these limits
 * the worst case (every character 3 bytes in UTF-8) stays under DynamoDB's 400 KB (409,600 bytes): about
 * 357,000 bytes for a bid and 303,000 for scores (measured in test/unit/item-sizes.test.ts).
 */
export const BID_LIMITS = {
  qualityResponses: MAX_CRITERIA,
  qualityResponse: 5_000,
  subcontractors: 50,
  subcontractorName: 200,
  consortium: 20,
  role: 100,
  justification: 5_000,
  rationale: 5_000,
  note: 10_000,
} as const;

const bidContent = {
  pricePence: z.number().int('Use whole pence').nonnegative().max(Number.MAX_SAFE_INTEGER),
  qualityResponses: boundedRecord(
    criterionIdSchema,
    z
      .string()
      .max(
        BID_LIMITS.qualityResponse,
        `Use at most ${BID_LIMITS.qualityResponse} characters for each answer`,
      ),
    BID_LIMITS.qualityResponses,
  ).describe("An answer to each of the competition's quality criteria, by criterion id"),
  subcontractors: z
    .array(
      z
        .object({
          providerId: ulidSchema.optional(),
          name: text(BID_LIMITS.subcontractorName),
          services: z.array(serviceSchema).min(1).max(SERVICES.length),
          sharePercent: percentSchema,
        })
        .strict(),
    )
    .max(BID_LIMITS.subcontractors)
    .default([]),
  consortium: z
    .array(z.object({ providerId: ulidSchema, role: text(BID_LIMITS.role) }).strict())
    .max(BID_LIMITS.consortium)
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
      .object({
        version: z.number().int(),
        status: z.string(),
        submittedAt: z.string(),
        content,
        documentVersions: z
          .record(z.string(), z.number().int())
          .optional()
          .meta({ description: "The tender documents' versions this bid answered, by document id" }),
      })
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

const score = z
  .number()
  .int(`Give a whole number from 0 to ${MAX_SCORE}`)
  .min(0, `Give a whole number from 0 to ${MAX_SCORE}`)
  .max(MAX_SCORE, `Give a whole number from 0 to ${MAX_SCORE}`);
const note = (max: number) => z.string().max(max, `Use at most ${max.toLocaleString('en-GB')} characters`);

export const scoresBody = z
  .object({
    scores: z
      .array(
        z
          .object({
            criterionId: criterionIdSchema,
            score,
            justification: note(BID_LIMITS.justification),
          })
          .strict(),
      )
      .min(1)
      .max(MAX_CRITERIA),
  })
  .strict()
  .meta({ id: 'ScoresRequest' });

export const moderatedBody = z
  .object({
    scores: z
      .array(
        z.object({ criterionId: criterionIdSchema, score, rationale: note(BID_LIMITS.rationale) }).strict(),
      )
      .min(1)
      .max(MAX_CRITERIA),
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
    note: text(BID_LIMITS.note).describe(
      "How the bidder explained the abnormally low price, and the lead's view",
    ),
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
    rationale: text(BID_LIMITS.note),
    overrideReason: text(BID_LIMITS.note)
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
        documentVersions: z
          .record(z.string(), z.number().int())
          .meta({ description: "The tender documents' versions current at submission, by document id" }),
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
