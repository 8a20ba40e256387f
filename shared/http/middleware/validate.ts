/**
 * Validates path parameters, query string and body with zod, listing every problem at once, and hands the
 * parsed values on. Nothing reaches a use case unvalidated.
 */
import type { MiddlewareObj } from '@middy/core';
import type { z } from 'zod';
import { type FieldIssue, ValidationError } from '../../domain/errors';
import type { HttpResult, StackEvent } from '../types';

/** The schemas a route declares. */
export interface RouteSchemas {
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  /** Response schemas, for the OpenAPI document only. */
  responses?: unknown;
}

/** Turns zod issues into field issues; `prefix` names the request part for params and query. */
export function zodIssues(error: z.ZodError, prefix = ''): FieldIssue[] {
  return error.issues.map((issue) => {
    const path = [prefix, ...issue.path.map(String)].filter((p) => p !== '').join('.');
    return { path, message: issue.message };
  });
}

/** Attaches `event.validated` or throws a ValidationError with every issue. */
export function validate(schemas: RouteSchemas): MiddlewareObj<StackEvent, HttpResult> {
  return {
    before: async (request) => {
      const { event } = request;
      const issues: FieldIssue[] = [];
      const parse = (schema: z.ZodType | undefined, value: unknown, prefix: string): unknown => {
        if (!schema) return undefined;
        const result = schema.safeParse(value);
        if (result.success) return result.data;
        issues.push(...zodIssues(result.error, prefix));
        return undefined;
      };
      const params = parse(schemas.params, event.pathParameters ?? {}, 'params');
      const query = parse(schemas.query, event.queryStringParameters ?? {}, 'query');
      let body: unknown;
      if (schemas.body) {
        if (typeof event.body === 'string' || event.body === undefined) {
          issues.push({ path: '', message: 'Expected a JSON body sent with Content-Type: application/json' });
        } else {
          body = parse(schemas.body, event.body, '');
        }
      }
      if (issues.length > 0) {
        throw new ValidationError(
          issues.length === 1 ? 'The request has 1 problem.' : `The request has ${issues.length} problems.`,
          issues,
        );
      }
      event.validated = { params, query, body };
    },
  };
}
