/**
 * Issue 13, item 4: every item that holds client text stays under DynamoDB's 400 KB at the limits the
 * schemas state, and the OpenAPI document states them.
 *
 * Each worst case is built at the schema limits (checked by parsing it with the route's schema, and one
 * character more refused), with every character "€" (3 bytes in UTF-8, the most one UTF-16 unit can take),
 * written by the repository's own item builder, and measured by DynamoDB's rules (test/support/item-size.ts;
 * numbers counted at their 21-byte maximum). Measured worst cases, in bytes:
 *
 * | item (table)                                  | worst case | what makes it                                    |
 * | --------------------------------------------- | ---------- | ------------------------------------------------ |
 * | bid draft, version, head (sealed)             | 356,808    | 20 answers × 5,000, 50 sub-contractors, 20 members |
 * | evaluator scores, moderation (sealed)         | 302,873    | 20 × 5,000 justifications or rationales          |
 * | declaration record (procurement)              | 318,218    | 50 conflicts × (64 + 2,000), and a reason        |
 * | accreditation (registry)                      | 307,972    | 17 grounds × (3,000 details + 3,000 measures)    |
 * | pre-qualification response (sealed)          | 141,204    | 4 text answers × 10,000, 20 members              |
 * | competition, created or awarded (procurement) | 118,195    | description, 2 × 10,000 award texts, shortlist   |
 * | debrief, price clarification, confidential section, mark, panel, exclusion, opportunity entry | ≤ 33,517 | |
 *
 * The limit is 409,600 bytes. The audit events written with these changes hold item digests, not the text.
 * The exact figures are asserted below within a budget, so a limit raised past what an item holds fails
 * here first. Before issue 13 a bid could take up to the 1 MB body limit (answers of 50,000), scores
 * ~600 KB (20 × 10,000) and an accreditation ~410 KB (17 × 2 × 4,000): each a 500 from DynamoDB.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import type * as z from 'zod';
import { createAccreditationRepository } from '../../shared/db/accreditations';
import type { TransactItem } from '../../shared/db/audit';
import { type BidHead, createBidRepository } from '../../shared/db/bids';
import { createCompetitionRepository } from '../../shared/db/competitions';
import { createPrequalificationRepository } from '../../shared/db/prequalification';
import {
  DISCRETIONARY_EXCLUSION_GROUNDS,
  MANDATORY_EXCLUSION_GROUNDS,
} from '../../shared/domain/accreditation';
import { type Competition, MAX_CRITERIA, MAX_OPPORTUNITY_ENTRIES } from '../../shared/domain/competitions';
import { QUESTION_BANK_SIZE, questionnaireFor } from '../../shared/domain/prequalification';
import { REGIONS, SERVICES } from '../../shared/domain/reference-data';
import { buildOpenApiDocument } from '../../shared/http/openapi';
import {
  COMPETITION_LIMITS,
  cancelBody,
  createCompetitionBody,
  declarationBody,
  panelBody,
} from '../../shared/http/schemas/competitions';
import {
  markBody,
  PREQUALIFICATION_LIMITS,
  responseBody,
  shortlistBody,
} from '../../shared/http/schemas/prequalification';
import { accreditationBody } from '../../shared/http/schemas/providers';
import {
  awardBody,
  BID_LIMITS,
  bidBody,
  moderatedBody,
  priceClarificationBody,
  scoresBody,
} from '../../shared/http/schemas/tenders';
import { itemSize, MAX_ITEM_BYTES } from '../support/item-size';

const euro = (characters: number) => '€'.repeat(characters);
const MAX = Number.MAX_SAFE_INTEGER;
const ULID = '01J0000000000000000000000A';
const AT = '2027-01-31T12:00:00.000Z';
/** A user id at the longest any route takes one (panel members), 3 bytes a character. */
const SUB = euro(COMPETITION_LIMITS.sub);
const criterionIds = Array.from(
  { length: MAX_CRITERIA },
  (_, i) => `c${String(i).padStart(2, '0')}${'x'.repeat(37)}`,
);

/** Parses a worst-case body with its schema (so it really is allowed) and returns what the route gets. */
function allowed<T extends z.ZodType>(schema: T, body: unknown): z.output<T> {
  const parsed = schema.safeParse(body);
  expect(parsed.error?.issues.slice(0, 3), 'the worst case is allowed by the schema').toBeUndefined();
  return parsed.data as z.output<T>;
}

/** The item a transaction item puts. */
function put(items: TransactItem[], entity: string): Record<string, unknown> {
  const item = items.find((i) => i.Put?.Item?.entity === entity)?.Put?.Item;
  expect(item, entity).toBeDefined();
  return item as Record<string, unknown>;
}

const client = {} as DynamoDBDocumentClient;
const bids = createBidRepository({ client, sealedTable: 'sealed', procurementTable: 'procurement' });
const competitions = createCompetitionRepository({
  client,
  procurementTable: 'procurement',
  sealedTable: 'sealed',
});
const prequalification = createPrequalificationRepository({
  client,
  procurementTable: 'procurement',
  sealedTable: 'sealed',
});

const sizes: Record<string, number> = {};
/** Records an item's size and checks it fits, within `budget` bytes. */
function fits(name: string, item: Record<string, unknown>, budget = MAX_ITEM_BYTES): void {
  sizes[name] = itemSize(item);
  expect(sizes[name], name).toBeLessThanOrEqual(budget);
  expect(sizes[name], name).toBeLessThan(MAX_ITEM_BYTES);
}

describe('the largest bid', () => {
  const body = allowed(bidBody, {
    providerId: ULID,
    pricePence: MAX,
    qualityResponses: Object.fromEntries(criterionIds.map((id) => [id, euro(BID_LIMITS.qualityResponse)])),
    subcontractors: Array.from({ length: BID_LIMITS.subcontractors }, () => ({
      providerId: ULID,
      name: euro(BID_LIMITS.subcontractorName),
      services: [...SERVICES],
      sharePercent: 1.99,
    })),
    consortium: Array.from({ length: BID_LIMITS.consortium }, () => ({
      providerId: ULID,
      role: euro(BID_LIMITS.role),
    })),
  });
  const { providerId: _providerId, ...content } = body;

  it('is refused one answer, one sub-contractor or one service more', () => {
    const longer = {
      ...body,
      qualityResponses: { ...body.qualityResponses, c00: euro(BID_LIMITS.qualityResponse + 1) },
    };
    expect(bidBody.safeParse(longer).success).toBe(false);
    const more = { ...body, qualityResponses: { ...body.qualityResponses, extra: 'x' } };
    expect(bidBody.safeParse(more).success).toBe(false);
    const subs = { ...body, subcontractors: [...body.subcontractors, body.subcontractors[0]] };
    expect(bidBody.safeParse(subs).success).toBe(false);
    const services = {
      ...body,
      subcontractors: [{ ...body.subcontractors[0], services: [...SERVICES, 'health'] }],
    };
    expect(bidBody.safeParse(services).success).toBe(false);
  });

  it('fits one item as a draft, a version and the head', () => {
    fits(
      'bid draft',
      put(
        bids.draftItems({
          ...content,
          competitionId: ULID,
          providerId: ULID,
          bidId: ULID,
          updatedAt: AT,
          updatedBy: SUB,
        }),
        'bid-draft',
      ),
      380_000,
    );
    const head: BidHead = {
      competitionId: ULID,
      providerId: ULID,
      providerName: euro(200),
      bidId: ULID,
      status: 'withdrawn',
      version: MAX,
      content,
      submittedAt: AT,
      submittedBy: SUB,
      withdrawnAt: AT,
    };
    const items = bids.submitItems(head, MAX - 1);
    fits('bid version', put(items, 'bid-version'), 380_000);
    fits('bid head', put(items, 'bid-head'), 380_000);
  });
});

describe('the largest scores and moderation', () => {
  const scores = (note: 'justification' | 'rationale', characters: number) => ({
    scores: criterionIds.map((criterionId) => ({ criterionId, score: 5, [note]: euro(characters) })),
  });

  it('is refused one character more', () => {
    expect(scoresBody.safeParse(scores('justification', BID_LIMITS.justification + 1)).success).toBe(false);
    expect(moderatedBody.safeParse(scores('rationale', BID_LIMITS.rationale + 1)).success).toBe(false);
  });

  it('fits one item each', () => {
    const evaluator = allowed(scoresBody, scores('justification', BID_LIMITS.justification));
    fits(
      'evaluator scores',
      put(
        bids.scoreItems(ULID, { bidId: ULID, evaluator: SUB, scores: evaluator.scores, scoredAt: AT }),
        'bid-scores',
      ),
      310_000,
    );
    const moderated = allowed(moderatedBody, scores('rationale', BID_LIMITS.rationale));
    fits(
      'moderation',
      put(
        bids.moderatedItems(ULID, { bidId: ULID, moderator: SUB, scores: moderated.scores, moderatedAt: AT }),
        'moderated-scores',
      ),
      310_000,
    );
  });

  it('keeps a debrief and a price clarification small', () => {
    const points = Object.fromEntries(criterionIds.map((id) => [id, 100]));
    const award = allowed(awardBody, {
      bidId: ULID,
      rationale: euro(BID_LIMITS.note),
      overrideReason: euro(BID_LIMITS.note),
    });
    fits(
      'debrief',
      put(
        bids.debriefItems({
          competitionId: ULID,
          providerId: ULID,
          outcome: 'unsuccessful',
          yours: { scores: points, totalPoints: 100, rank: MAX },
          winner: { name: euro(200), scores: points, totalPoints: 100 },
          awardOverride: { winnerRank: MAX, reason: award.overrideReason ?? '' },
          decidedAt: AT,
          standstillEndsAt: AT,
        }),
        'debrief',
      ),
      40_000,
    );
    const { note } = allowed(priceClarificationBody, { note: euro(BID_LIMITS.note) });
    const [clarification] = bids.priceClarificationItems(ULID, {
      id: ULID,
      bidId: ULID,
      note,
      recordedAt: AT,
      recordedBy: SUB,
    });
    fits('price clarification', (clarification?.Put?.Item ?? {}) as Record<string, unknown>, 40_000);
  });
});

describe('the largest competition and wall records', () => {
  const body = allowed(createCompetitionBody, {
    title: euro(COMPETITION_LIMITS.title),
    description: euro(COMPETITION_LIMITS.description),
    services: [...SERVICES],
    regions: [...REGIONS],
    estimatedValuePence: MAX,
    termMonths: 240,
    risk: 'high',
    prequalificationDeadline: AT,
    tenderDeadline: AT,
    criteria: criterionIds.map((id, i) => ({
      id,
      name: euro(COMPETITION_LIMITS.criterionName),
      kind: i === 0 ? 'price' : 'quality',
      weight: 100,
    })),
    minimumTurnoverPence: MAX,
    subcontracting: { targetPercent: 33.33, voluntarySectorTargetPercent: 33.33 },
    confidential: {
      budgetCeilingPence: MAX,
      preTenderEstimatePence: MAX,
      notes: euro(COMPETITION_LIMITS.notes),
    },
  });
  const { confidential = {}, minimumTurnoverPence = MAX, ...draft } = body;
  const competition: Competition = {
    ...draft,
    id: ULID,
    status: 'awarded',
    prequalificationTier: 'full',
    leadSub: SUB,
    minimumTurnoverPence,
    createdAt: AT,
    updatedAt: AT,
    publishedAt: AT,
    cancelledAt: AT,
    cancelReason: allowed(cancelBody, { reason: euro(COMPETITION_LIMITS.reason) }).reason,
    shortlist: allowed(shortlistBody, {
      responseIds: Array.from({ length: PREQUALIFICATION_LIMITS.shortlist }, () => ULID),
    }).responseIds,
    award: {
      bidId: ULID,
      providerId: ULID,
      providerName: euro(200),
      valuePence: MAX,
      rationale: euro(BID_LIMITS.note),
      override: { rank: MAX, reason: euro(BID_LIMITS.note) },
      decidedAt: AT,
      standstillEndsAt: AT,
      awardedAt: AT,
      contractId: ULID,
    },
    version: MAX,
  };

  it('fits the record through every change, its confidential section and its opportunity entries', () => {
    const created = competitions.createItems(competition, confidential);
    fits('competition (created)', put(created, 'competition'), 140_000);
    fits('confidential section', put(created, 'confidential'), 40_000);
    fits(
      'competition (awarded)',
      put(competitions.updateItems(competition, competition), 'competition'),
      140_000,
    );
    fits('opportunity entry', put(competitions.openItems(competition), 'opportunity-entry'), 10_000);
  });

  it('fits the largest declaration, clearance, exclusion and panel', () => {
    const { conflicts } = allowed(declarationBody, {
      conflicts: Array.from({ length: COMPETITION_LIMITS.conflicts }, () => ({
        organisationId: euro(COMPETITION_LIMITS.organisationId),
        nature: euro(COMPETITION_LIMITS.nature),
      })),
    });
    const reason = euro(COMPETITION_LIMITS.reason);
    // A declaration holds its conflicts and a clearance its reason; one with both bounds either.
    fits(
      'declaration record',
      put(
        competitions.declarationItems(ULID, {
          sub: SUB,
          version: MAX,
          kind: 'declaration',
          conflicts,
          at: AT,
          by: SUB,
          reason,
        }),
        'declaration',
      ),
      330_000,
    );
    fits(
      'exclusion record',
      put(
        competitions.exclusionItems(ULID, {
          sub: SUB,
          version: MAX,
          kind: 'exclusion',
          reason,
          at: AT,
          by: SUB,
        }),
        'exclusion',
      ),
      40_000,
    );
    const panel = allowed(panelBody, { evaluators: Array.from({ length: 20 }, () => SUB), moderator: SUB });
    fits('panel', put(competitions.panelItems(ULID, { ...panel, setAt: AT, setBy: SUB }), 'panel'), 40_000);
  });
});

describe('the largest pre-qualification response and mark', () => {
  const questions = questionnaireFor('full').sections.flatMap((s) => s.questions);
  const answerOf = (type: string) =>
    type === 'text' ? euro(PREQUALIFICATION_LIMITS.textAnswer) : type === 'number' ? MAX : true;

  it('is refused a longer answer, a larger number or more answers than allowed', () => {
    const text = { answers: { 'technical.case-study': euro(PREQUALIFICATION_LIMITS.textAnswer + 1) } };
    expect(responseBody.safeParse(text).success).toBe(false);
    expect(responseBody.safeParse({ answers: { 'financial.annual-turnover-pence': MAX + 2 } }).success).toBe(
      false,
    );
    const many = Object.fromEntries(
      Array.from({ length: PREQUALIFICATION_LIMITS.answers + 1 }, (_, i) => [`q${i}`, true]),
    );
    expect(responseBody.safeParse({ answers: many }).success).toBe(false);
    // Still more than any questionnaire asks.
    expect(PREQUALIFICATION_LIMITS.answers).toBeGreaterThanOrEqual(QUESTION_BANK_SIZE);
  });

  it('fits one item: answers only to the questions asked, each at its longest', () => {
    const body = allowed(responseBody, {
      providerId: ULID,
      answers: Object.fromEntries(questions.map((q) => [q.id, answerOf(q.type)])),
      consortium: Array.from({ length: PREQUALIFICATION_LIMITS.consortium }, () => ({
        providerId: ULID,
        role: euro(PREQUALIFICATION_LIMITS.role),
      })),
    });
    const items = prequalification.submitItems(
      {
        id: ULID,
        competitionId: ULID,
        providerId: ULID,
        providerName: euro(200),
        consortium: (body.consortium ?? []).map((m) => ({ ...m, name: euro(200) })),
        answers: body.answers as Record<string, string | number | boolean>,
        automatic: {
          exclusion: {
            result: 'fail',
            reason: `Mandatory exclusion ground: ${MANDATORY_EXCLUSION_GROUNDS.join(', ')}`,
          },
          financial: { result: 'pass', combinedTurnoverPence: MAX, minimumTurnoverPence: MAX },
        },
        submittedAt: AT,
        submittedBy: SUB,
      },
      AT,
    );
    fits('pre-qualification response', put(items, 'prequalification-response'), 160_000);
    const mark = allowed(markBody, { result: 'fail', comment: euro(PREQUALIFICATION_LIMITS.comment) });
    fits(
      'mark',
      put(
        prequalification.markItems(ULID, {
          providerId: ULID,
          responseId: ULID,
          evaluator: SUB,
          markedAt: AT,
          ...mark,
        }),
        'response-mark',
      ),
      40_000,
    );
  });
});

describe('the largest accreditation', () => {
  it('fits one item with every exclusion ground declared at its longest', async () => {
    const ground = (code: string) => ({
      code,
      details: euro(3_000),
      selfCleaning: { measures: euro(3_000) },
    });
    const answers = allowed(accreditationBody, {
      exclusionGrounds: {
        mandatory: MANDATORY_EXCLUSION_GROUNDS.map(ground),
        discretionary: DISCRETIONARY_EXCLUSION_GROUNDS.map(ground),
      },
      financial: { annualTurnoverPence: MAX, accountsYearEnd: '2026-03-31' },
      insurance: { employersLiabilityPence: MAX, publicLiabilityPence: MAX, professionalIndemnityPence: MAX },
      policies: { equality: true, safeguarding: true, healthAndSafety: true },
    });
    const longer = structuredClone(answers);
    (longer.exclusionGrounds.mandatory[0] as { details: string }).details = euro(3_001);
    expect(accreditationBody.safeParse(longer).success).toBe(false);
    const written: Record<string, unknown>[] = [];
    const capture = {
      send: async (command: { input: { Item: Record<string, unknown> } }) => {
        written.push(command.input.Item);
        return {};
      },
    } as unknown as DynamoDBDocumentClient;
    await createAccreditationRepository({ client: capture, tableName: 'registry' }).put({
      ...answers,
      providerId: ULID,
      submittedAt: AT,
      submittedBy: SUB,
      validUntil: AT,
    });
    fits('accreditation', written[0] ?? {}, 320_000);
  });
});

describe('the limits in the OpenAPI document', () => {
  const doc = buildOpenApiDocument() as { components: { schemas: Record<string, Record<string, unknown>> } };
  const schema = (id: string) =>
    (doc.components.schemas[`${id}Input`] ?? doc.components.schemas[id]) as {
      properties: Record<string, Record<string, unknown>>;
    };

  it('states every bound of a bid, its scores and its moderation', () => {
    const bid = schema('BidDraftRequest').properties;
    expect(bid.qualityResponses).toMatchObject({
      maxProperties: BID_LIMITS.qualityResponses,
      propertyNames: { pattern: '^[a-z0-9][a-z0-9-]{0,39}$' },
      additionalProperties: { maxLength: BID_LIMITS.qualityResponse },
    });
    expect(bid.subcontractors).toMatchObject({
      maxItems: BID_LIMITS.subcontractors,
      items: {
        properties: {
          name: { maxLength: BID_LIMITS.subcontractorName },
          services: { maxItems: SERVICES.length },
        },
      },
    });
    expect(bid.consortium).toMatchObject({
      maxItems: BID_LIMITS.consortium,
      items: { properties: { role: { maxLength: BID_LIMITS.role } } },
    });
    expect(bid.pricePence).toMatchObject({ maximum: MAX });
    expect(schema('ScoresRequest').properties.scores).toMatchObject({
      maxItems: MAX_CRITERIA,
      items: {
        properties: {
          score: { minimum: 0, maximum: 5 },
          justification: { maxLength: BID_LIMITS.justification },
        },
      },
    });
    expect(schema('ModeratedScoresRequest').properties.scores).toMatchObject({
      items: { properties: { rationale: { maxLength: BID_LIMITS.rationale } } },
    });
  });

  it('states the bounds of answers, declarations and competitions', () => {
    expect(schema('PrequalificationResponseRequest').properties.answers).toMatchObject({
      maxProperties: PREQUALIFICATION_LIMITS.answers,
    });
    const answers = JSON.stringify(schema('PrequalificationResponseRequest').properties.answers);
    expect(answers).toContain(`"maxLength":${PREQUALIFICATION_LIMITS.textAnswer}`);
    expect(answers).toContain(`"maximum":${MAX}`);
    expect(schema('DeclarationRequest').properties.conflicts).toMatchObject({
      maxItems: COMPETITION_LIMITS.conflicts,
      items: { properties: { nature: { maxLength: COMPETITION_LIMITS.nature } } },
    });
    const competition = schema('NewCompetition').properties;
    expect(competition.description).toMatchObject({ maxLength: COMPETITION_LIMITS.description });
    expect(competition.criteria).toMatchObject({ maxItems: MAX_CRITERIA });
    expect(competition.estimatedValuePence).toMatchObject({ maximum: MAX });
    expect(String(competition.regions?.description)).toContain(`at most ${MAX_OPPORTUNITY_ENTRIES}`);
    const accreditation = JSON.stringify(schema('AccreditationAnswers'));
    expect(accreditation).toContain('"maxLength":3000');
  });

  it('lists the measured worst cases', () => {
    // Run after the measuring tests: every item type that holds client text was measured.
    expect(Object.keys(sizes).length).toBeGreaterThanOrEqual(17);
    for (const [name, size] of Object.entries(sizes)) expect(size, name).toBeLessThan(MAX_ITEM_BYTES);
  });
});
