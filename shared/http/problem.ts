/**
 * RFC 9457 problem details: the one mapping from domain errors to HTTP statuses and problem types
 * (../shared/API.md, Conventions).
 */
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { DomainErrorCode, FieldIssue } from '../domain/errors';

/** The problem+json media type. */
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** The problem+json body. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: FieldIssue[];
}

/** Status and title for every problem type; `type` is `/problems/<code>`. */
export const PROBLEM_TYPES: Record<DomainErrorCode | 'internal', { status: number; title: string }> = {
  validation: { status: 400, title: 'Your request is not valid' },
  unauthenticated: { status: 401, title: 'You need to sign in' },
  forbidden: { status: 403, title: 'You are not allowed to do this' },
  'ethical-wall': { status: 403, title: 'You are outside the ethical wall' },
  sealed: { status: 403, title: 'Bids are sealed until the tender deadline' },
  'declaration-required': { status: 403, title: 'Sign a conflict of interest declaration first' },
  'not-found': { status: 404, title: 'Not found' },
  'duplicate-registration': { status: 409, title: 'This organisation is already registered' },
  'deadline-passed': { status: 409, title: 'The deadline has passed' },
  'invalid-state': { status: 409, title: 'This cannot be done at this stage' },
  conflict: { status: 409, title: 'Your request clashes with another change' },
  'challenge-open': { status: 409, title: 'A challenge of the award decision is open' },
  'too-many-questions': { status: 409, title: 'Too many questions are waiting for an answer' },
  'payload-too-large': { status: 413, title: 'The request body is too large' },
  'service-unavailable': { status: 503, title: 'This part of the service is not available' },
  internal: { status: 500, title: 'Something went wrong' },
};

/** Builds a problem body. */
export function problem(code: keyof typeof PROBLEM_TYPES, detail: string, errors?: FieldIssue[]): Problem {
  const { status, title } = PROBLEM_TYPES[code];
  return {
    type: `/problems/${code}`,
    title,
    status,
    detail,
    ...(errors && errors.length > 0 ? { errors } : {}),
  };
}

/** A problem as an API Gateway response. */
export function problemResponse(body: Problem): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: body.status,
    headers: { 'content-type': PROBLEM_CONTENT_TYPE, 'cache-control': 'no-store' },
    body: JSON.stringify(body),
  };
}
