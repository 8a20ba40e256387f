import { createError } from '@middy/util';
import { describe, expect, it } from 'vitest';
import {
  ConflictError,
  DeadlinePassedError,
  DeclarationRequiredError,
  type DomainError,
  DuplicateRegistrationError,
  EthicalWallError,
  ForbiddenError,
  InvalidStateError,
  NotFoundError,
  PayloadTooLargeError,
  SealedError,
  UnauthenticatedError,
  ValidationError,
} from '../../shared/domain/errors';
import { toProblem } from '../../shared/http/middleware/problem-errors';
import { problem, problemResponse } from '../../shared/http/problem';

describe('toProblem maps every domain error to its API.md type and status', () => {
  const cases: [DomainError, string, number][] = [
    [
      new ValidationError('bad', [{ path: 'contact.email', message: 'Invalid email' }]),
      '/problems/validation',
      400,
    ],
    [new UnauthenticatedError('no token'), '/problems/unauthenticated', 401],
    [new ForbiddenError('no'), '/problems/forbidden', 403],
    [new EthicalWallError('outside'), '/problems/ethical-wall', 403],
    [new SealedError('sealed'), '/problems/sealed', 403],
    [new DeclarationRequiredError('declare'), '/problems/declaration-required', 403],
    [new NotFoundError('none'), '/problems/not-found', 404],
    [new DuplicateRegistrationError('dup'), '/problems/duplicate-registration', 409],
    [new DeadlinePassedError('late'), '/problems/deadline-passed', 409],
    [new InvalidStateError('state'), '/problems/invalid-state', 409],
    [new ConflictError('clash'), '/problems/conflict', 409],
    [new PayloadTooLargeError('big'), '/problems/payload-too-large', 413],
  ];

  it.each(cases)('%s', (error, type, status) => {
    const mapped = toProblem(error);
    expect(mapped).toMatchObject({ type, status, detail: error.message });
    expect(mapped?.title.length).toBeGreaterThan(0);
  });

  it('lists field errors for validation problems', () => {
    const mapped = toProblem(
      new ValidationError('bad', [
        { path: 'a', message: 'x' },
        { row: 3, field: 'amount', message: 'y' },
      ]),
    );
    expect(mapped?.errors).toEqual([
      { path: 'a', message: 'x' },
      { row: 3, field: 'amount', message: 'y' },
    ]);
  });

  it('maps middy malformed JSON to a validation problem', () => {
    const error = createError(415, 'Invalid or malformed JSON was provided', {
      cause: { package: '@middy/http-json-body-parser', data: '{' },
    });
    expect(toProblem(error)).toMatchObject({ type: '/problems/validation', status: 400 });
  });

  it('maps idempotency clashes to conflicts', () => {
    const reused = Object.assign(new Error('x'), { name: 'IdempotencyValidationError' });
    const inProgress = Object.assign(new Error('x'), { name: 'IdempotencyAlreadyInProgressError' });
    expect(toProblem(reused)).toMatchObject({ type: '/problems/conflict', status: 409 });
    expect(toProblem(inProgress)).toMatchObject({ type: '/problems/conflict', status: 409 });
  });

  it('leaves unexpected errors to the generic 500', () => {
    expect(toProblem(new TypeError('boom'))).toBeUndefined();
    expect(toProblem('a string')).toBeUndefined();
  });
});

describe('problemResponse', () => {
  it('is problem+json and omits empty errors', () => {
    const response = problemResponse(problem('not-found', 'gone', []));
    expect(response.statusCode).toBe(404);
    expect(response.headers?.['content-type']).toBe('application/problem+json');
    expect(JSON.parse(response.body ?? '')).toEqual({
      type: '/problems/not-found',
      title: 'Not found',
      status: 404,
      detail: 'gone',
    });
  });
});
