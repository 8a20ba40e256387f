/**
 * Provider side of clarification questions: asking. A function of its own, facing providers, with no
 * access to sealed data; the clarification log and the lead's answers are `index.ts`.
 */
import { config } from '../../shared/config';
import {
  auditRepository,
  competitionRepository,
  membershipRepository,
  outboxWriter,
  providerRepository,
  questionRepository,
} from '../../shared/db/repositories';
import { dispatch } from '../../shared/http/dispatch';
import { idempotentWhenKeyPresent } from '../../shared/http/middleware/idempotency';
import { json } from '../../shared/http/response';
import { routesWith } from '../../shared/http/route-stack';
import { questionsRoutes } from '../../shared/http/route-table/questions';
import { questionSchemas as s } from '../../shared/http/schemas/questions';
import { askQuestion } from '../../shared/use-cases/questions/ask-question';

// One idempotent route, not public: no optional-token verifier in this bundle.
const defineRoute = routesWith(questionsRoutes, { idempotency: idempotentWhenKeyPresent });

/** The repositories this module's use case needs, and no others: a smaller bundle. */
function repositories() {
  return {
    competitions: competitionRepository(),
    memberships: membershipRepository(),
    providers: providerRepository(),
    questions: questionRepository(),
    audit: auditRepository(),
    outbox: outboxWriter(),
  };
}

export const handler = dispatch({
  'POST /competitions/{id}/questions': defineRoute(
    'POST /competitions/{id}/questions',
    s['POST /competitions/{id}/questions'],
    async ({ principal, params, body, receivedAt }) =>
      json(201, await askQuestion(repositories(), principal, params.id, body, receivedAt, config().rules)),
  ),
});
