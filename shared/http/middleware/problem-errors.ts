/**
 * Maps every error thrown below it to an RFC 9457 problem response, in one place, so no handler needs
 * try/catch. Expected failures (domain errors, malformed JSON, idempotency clashes) keep their detail;
 * anything unexpected becomes a generic 500 whose detail only goes to the log.
 */

import type { Logger } from '@aws-lambda-powertools/logger';
import type { MiddlewareObj } from '@middy/core';
import { DomainError } from '../../domain/errors';
import { type Problem, problem } from '../problem';
import { negotiatedProblem } from '../problem-page';
import type { HttpEvent, HttpResult } from '../types';

function isMiddyJsonError(error: unknown): boolean {
  const cause = (error as { cause?: { package?: string } } | undefined)?.cause;
  return cause?.package === '@middy/http-json-body-parser';
}

/** Converts an error to a problem, or undefined when it is unexpected. */
export function toProblem(error: unknown): Problem | undefined {
  if (error instanceof DomainError) {
    const issues = 'issues' in error && Array.isArray(error.issues) ? error.issues : undefined;
    return problem(error.code, error.message, issues);
  }
  if (isMiddyJsonError(error)) {
    return problem('validation', 'The request body is not valid JSON.', [
      { path: '', message: 'Malformed JSON' },
    ]);
  }
  const name = (error as { name?: string } | undefined)?.name;
  if (name === 'IdempotencyValidationError') {
    return problem(
      'conflict',
      'This Idempotency-Key was already used for a different request (method, query string or body).',
    );
  }
  if (name === 'IdempotencyAlreadyInProgressError') {
    return problem('conflict', 'A request with this Idempotency-Key is still being processed.');
  }
  return undefined;
}

/**
 * The problem+json error middleware; use it first so its `onError` runs after every other. A browser that
 * asks for HTML gets the same problem as a small GOV.UK-styled page (`problem-page.ts`), whose stylesheet
 * is under `assetsUrl`.
 */
export function problemErrors(options: {
  logger: Logger;
  assetsUrl: string;
}): MiddlewareObj<HttpEvent, HttpResult> {
  return {
    onError: async (request) => {
      const problemResponse = (body: Problem) =>
        negotiatedProblem(body, request.event.headers, options.assetsUrl);
      const known = toProblem(request.error);
      if (known) {
        if (known.status >= 500) options.logger.error('request failed', { error: request.error });
        else options.logger.info('request refused', { problemType: known.type, status: known.status });
        request.response = problemResponse(known);
        return;
      }
      options.logger.error('unexpected error', { error: request.error as Error });
      request.response = problemResponse(
        problem('internal', 'An unexpected error occurred. It has been logged; please try again later.'),
      );
    },
  };
}
