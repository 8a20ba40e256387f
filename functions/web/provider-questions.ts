/**
 * The provider's clarification questions page (`shared/web/pages/provider/questions.ts`): ask, and read
 * your organisations' questions and the published answers. A function of its own, facing providers: it
 * reads competitions, questions and the registry, writes questions and their audit events blind, and has
 * no access to sealed data or to reading the audit log – unlike the bid and pre-qualification functions it
 * needs to write a question, which their read-only roles cannot.
 */
import { definePages, dispatchPages } from '../../shared/web/page';
import { providerQuestionPages } from '../../shared/web/pages/provider/questions';

export const handler = dispatchPages(definePages(providerQuestionPages));
