/**
 * Clarification questions (issue 15). Part of the route table (`shared/http/routes.ts`).
 *
 * Two functions, one per side of the wall. `askQuestion` serves providers: it reads the competition and
 * the registry (is the asker a member of a verified provider?) and writes the question with its guards and
 * a blind audit event; it has no access to the sealed table at all. `questions` serves the clarification
 * log and the lead's answers: the declared insiders' view of the log (with who asked) and answering are
 * inside actions decided by the wall, which reads connection markers (sealed, read) and memberships, so it
 * faces the inside like the JSON `competitions` function, whose public read it mirrors (everyone else gets
 * the published answers, and askers their own questions). Answering writes the answer (procurement), the
 * asking organisation's notification (registry) and the audit event in one transaction.
 */
import type { FunctionSpec, RouteSpec } from '../route-types';

/** Functions of this context. */
export const questionsFunctions = {
  askQuestion: {
    entry: 'functions/questions/ask.ts',
    description:
      'Provider side of clarification questions: a member of a verified provider asks, before the clarification deadline.',
    // The question and the guard on the competition (procurement); is the asker a member of a verified
    // provider, and still (registry, read and condition checks); its audit event, blind; the mark that the
    // organisation takes part (outbox, issue 17), blind, and never an event. No sealed table.
    tables: { procurement: 'readWrite', registry: 'read', audit: 'appendBlind', outbox: 'mark' },
    facing: 'provider',
  },
  questions: {
    entry: 'functions/questions/index.ts',
    description:
      'The clarification log (published answers for all; the askers’ own questions; every question with its asker for declared insiders, audited) and the lead’s answers.',
    // An answer to all is published as an OCDS tender amendment, in the same transaction (publication),
    // with its outbox event (issue 17: the delivery tells the organisations taking part).
    tables: {
      procurement: 'readWrite',
      sealed: 'read',
      registry: 'readWrite',
      audit: 'append',
      publication: 'readWrite',
      outbox: 'enqueue',
    },
    facing: 'inside',
  },
} as const satisfies Record<string, FunctionSpec>;

/** Routes of this context. */
export const questionsRoutes = [
  {
    method: 'POST',
    path: '/competitions/{id}/questions',
    function: 'askQuestion',
    access: 'user',
    summary:
      'Ask a clarification question (a member of a verified provider, before the clarification deadline)',
    tag: 'questions',
    idempotent: true,
    problems: [
      {
        code: 'too-many-questions',
        when: 'the asking organisation already has `MAX_PENDING_QUESTIONS` questions (20 unless the service sets another number) waiting for an answer on this competition; it may ask again once some are answered (to all or privately)',
      },
    ],
  },
  {
    method: 'GET',
    path: '/competitions/{id}/questions',
    function: 'questions',
    access: 'public',
    summary:
      'The clarification log: published answers for everyone; your organisation’s own questions too; every question with its asker for declared insiders',
    tag: 'questions',
  },
  {
    method: 'POST',
    path: '/competitions/{id}/questions/{questionId}/answer',
    function: 'questions',
    access: ['commissioner'],
    summary: 'Answer a question, to all (published) or to the asker alone (the declared lead)',
    tag: 'questions',
    idempotent: true,
  },
] as const satisfies readonly RouteSpec[];
