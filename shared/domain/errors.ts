/**
 * Named domain errors. The domain and the use cases throw these; one HTTP middleware maps each `code` to an
 * RFC 9457 problem (see `shared/http/problem.ts`). Nothing here knows about HTTP.
 */

/** One field-level problem: `path` is dotted (`contact.email`); CSV problems carry `row` and `field`. */
export interface FieldIssue {
  path?: string;
  row?: number;
  field?: string;
  message: string;
}

/** Every error code the service can raise on purpose. */
export type DomainErrorCode =
  | 'validation'
  | 'unauthenticated'
  | 'forbidden'
  | 'ethical-wall'
  | 'sealed'
  | 'declaration-required'
  | 'not-found'
  | 'duplicate-registration'
  | 'deadline-passed'
  | 'invalid-state'
  | 'conflict'
  | 'challenge-open'
  | 'too-many-questions'
  | 'payload-too-large'
  | 'service-unavailable';

/** Base class: an expected failure with a stable code and a human-readable detail. */
export abstract class DomainError extends Error {
  abstract readonly code: DomainErrorCode;
  constructor(detail: string, options?: { cause?: unknown }) {
    super(detail, options);
  }
}

/** Bad input: every problem is listed in `issues`. */
export class ValidationError extends DomainError {
  override readonly name = 'ValidationError';
  readonly code = 'validation';
  constructor(
    detail: string,
    readonly issues: FieldIssue[] = [],
  ) {
    super(detail);
  }
}

/** No valid credentials. */
export class UnauthenticatedError extends DomainError {
  override readonly name = 'UnauthenticatedError';
  readonly code = 'unauthenticated';
}

/** The caller's role or membership does not allow the action. */
export class ForbiddenError extends DomainError {
  override readonly name = 'ForbiddenError';
  readonly code = 'forbidden';
}

/** The caller is outside a competition's ethical wall (or a contract's: `ContractWallError`). */
export class EthicalWallError extends DomainError {
  override readonly name: string = 'EthicalWallError';
  readonly code = 'ethical-wall';
}

/**
 * The caller is connected to a contract's prime or one of its sub-contractors, so may not act for the
 * commissioner on it (payment by results). The same problem type; pages word it for a contract.
 */
export class ContractWallError extends EthicalWallError {
  override readonly name = 'ContractWallError';
}

/** Bids are read before the tender deadline. */
export class SealedError extends DomainError {
  override readonly name = 'SealedError';
  readonly code = 'sealed';
  /** When the bids open (the tender deadline, ISO 8601), when known: the refusal page says it in words. */
  readonly opensAt: string | undefined;
  constructor(detail: string, opensAt?: string) {
    super(detail);
    this.opensAt = opensAt;
  }
}

/** A lead or panel member has not signed a conflict declaration. */
export class DeclarationRequiredError extends DomainError {
  override readonly name = 'DeclarationRequiredError';
  readonly code = 'declaration-required';
}

/** No such resource, or the caller may not know it exists. */
export class NotFoundError extends DomainError {
  override readonly name: string = 'NotFoundError';
  readonly code = 'not-found';
}

/** A charity or company number is already registered. */
export class DuplicateRegistrationError extends DomainError {
  override readonly name = 'DuplicateRegistrationError';
  readonly code = 'duplicate-registration';
}

/** A write after the relevant deadline. */
export class DeadlinePassedError extends DomainError {
  override readonly name = 'DeadlinePassedError';
  readonly code = 'deadline-passed';
}

/** The action does not fit the current state. */
export class InvalidStateError extends DomainError {
  override readonly name = 'InvalidStateError';
  readonly code = 'invalid-state';
}

/** Any other clash: a concurrent update, an idempotency key reused with another body. */
export class ConflictError extends DomainError {
  override readonly name = 'ConflictError';
  readonly code = 'conflict';
}

/** An award is confirmed while a standstill challenge of it is open (issue 15). */
export class ChallengeOpenError extends DomainError {
  override readonly name = 'ChallengeOpenError';
  readonly code = 'challenge-open';
}

/**
 * An organisation already has as many clarification questions waiting for an answer on a competition as
 * it may have at once (`MAX_PENDING_QUESTIONS`): it may ask again once some are answered.
 */
export class TooManyQuestionsError extends DomainError {
  override readonly name = 'TooManyQuestionsError';
  readonly code = 'too-many-questions';
  constructor(
    /** The most questions one organisation may have waiting on one competition. */
    readonly limit: number,
  ) {
    super(
      `Your organisation has ${limit} questions waiting for an answer on this competition, the most it may have at once: you can ask more once some are answered.`,
    );
  }
}

/** The request body is larger than allowed. */
export class PayloadTooLargeError extends DomainError {
  override readonly name = 'PayloadTooLargeError';
  readonly code = 'payload-too-large';
}

/** Something the service depends on is not set up or not reachable: nothing the caller sent is wrong. */
export class ServiceUnavailableError extends DomainError {
  override readonly name = 'ServiceUnavailableError';
  readonly code = 'service-unavailable';
}
