/**
 * The clarification log and the lead's answers: reading it (published answers for everyone, the askers'
 * own questions, every question with its asker for declared insiders) and answering. Asking is `ask.ts`, a
 * provider-facing function of its own.
 */
import {
  auditRepository,
  competitionRepository,
  membershipRepository,
  notificationRepository,
  outboxWriter,
  publicationRepository,
  questionRepository,
} from '../../shared/db/repositories';
import { dispatch } from '../../shared/http/dispatch';
import { idempotentWhenKeyPresent } from '../../shared/http/middleware/idempotency';
import { optionalToken } from '../../shared/http/middleware/optional-token';
import { json } from '../../shared/http/response';
import { routesWith } from '../../shared/http/route-stack';
import { questionsRoutes } from '../../shared/http/route-table/questions';
import { questionSchemas as s } from '../../shared/http/schemas/questions';
import { answerQuestion } from '../../shared/use-cases/questions/answer-question';
import { readClarificationLog } from '../../shared/use-cases/questions/read-questions';

// A public route (a token is optional) and an idempotent one.
const defineRoute = routesWith(questionsRoutes, { optionalToken, idempotency: idempotentWhenKeyPresent });

/** The repositories this module's use cases need, and no others: a smaller bundle. */
function repositories() {
  return {
    competitions: competitionRepository(),
    memberships: membershipRepository(),
    audit: auditRepository(),
    questions: questionRepository(),
    notifications: notificationRepository(),
    publication: publicationRepository(),
    outbox: outboxWriter(),
  };
}

export const handler = dispatch({
  'GET /competitions/{id}/questions': defineRoute(
    'GET /competitions/{id}/questions',
    s['GET /competitions/{id}/questions'],
    async ({ principal, params, query, receivedAt }) => {
      const log = await readClarificationLog(repositories(), principal, params.id, query, receivedAt);
      return json(200, log.page);
    },
  ),
  'POST /competitions/{id}/questions/{questionId}/answer': defineRoute(
    'POST /competitions/{id}/questions/{questionId}/answer',
    s['POST /competitions/{id}/questions/{questionId}/answer'],
    async ({ principal, params, body, receivedAt }) =>
      json(
        200,
        await answerQuestion(repositories(), principal, params.id, params.questionId, body, receivedAt),
      ),
  ),
});
