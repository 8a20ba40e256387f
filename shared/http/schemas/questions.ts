/**
 * Schemas of the clarification question routes (issue 15).
 */
import * as z from 'zod';
import { QUESTION_LIMITS } from '../../domain/questions';
import { pageOf, pageQuerySchema, ulidSchema } from './common';
import type { RouteSchemaSet } from './types';

const text = (max: number) =>
  z.string().trim().min(1, 'Enter a value').max(max, `Use at most ${max} characters`);

/** `POST /competitions/{id}/questions` body. */
export const askQuestionBody = z
  .object({
    question: text(QUESTION_LIMITS.question).describe(
      'The question. Only your organisation and the competition’s declared insiders see it as you wrote it.',
    ),
    providerId: ulidSchema
      .optional()
      .describe('Which of your organisations asks: needed only when you belong to several verified ones'),
  })
  .strict()
  .meta({ id: 'AskQuestionRequest' });

/** `POST /competitions/{id}/questions/{questionId}/answer` body. */
export const answerQuestionBody = z
  .object({
    answer: text(QUESTION_LIMITS.answer),
    publishedQuestion: text(QUESTION_LIMITS.question)
      .optional()
      .describe(
        'The wording published with an answer to all, edited so it does not identify the asker; the asked wording when absent. Not allowed with audience "asker".',
      ),
    audience: z
      .enum(['all', 'asker'])
      .describe('"all" publishes the answer to everyone; "asker" answers the asking organisation alone'),
  })
  .strict()
  .meta({ id: 'AnswerQuestionRequest' });

export const questionParams = z.object({ id: ulidSchema });
export const answerParams = z.object({ id: ulidSchema, questionId: ulidSchema });

/** A question as the caller may see it. */
export const questionResponse = z
  .object({
    id: z.string(),
    question: z.string().describe('The published wording of a published answer; the asked wording otherwise'),
    answer: z.string().optional(),
    answeredAt: z.string().optional(),
    status: z
      .enum(['asked', 'answered'])
      .optional()
      .describe(
        'This and the fields below: only for the asking organisation’s members and declared insiders',
      ),
    audience: z.enum(['all', 'asker']).optional(),
    askedAt: z.string().optional(),
    askedQuestion: z.string().optional().describe('The wording as asked, when the published wording differs'),
    askedBy: z.object({ providerId: z.string(), providerName: z.string() }).optional(),
  })
  .meta({ id: 'Question' });

export const askQuestionResponse = z
  .object({ id: z.string(), status: z.literal('asked') })
  .meta({ id: 'AskedQuestion' });

/** Schemas of each route. */
export const questionSchemas = {
  'POST /competitions/{id}/questions': {
    params: questionParams,
    body: askQuestionBody,
    responses: { 201: askQuestionResponse },
  },
  'GET /competitions/{id}/questions': {
    params: questionParams,
    query: pageQuerySchema,
    responses: {
      200: pageOf(questionResponse).describe(
        'Published answers in the order published; the asking organisation’s members also get their own questions, merged in (by when answered, or asked); declared insiders get every question, in the order asked, with the asking organisation',
      ),
    },
  },
  'POST /competitions/{id}/questions/{questionId}/answer': {
    params: answerParams,
    body: answerQuestionBody,
    responses: { 200: questionResponse },
  },
} satisfies Record<string, RouteSchemaSet>;
