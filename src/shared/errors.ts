/** A field that broke a rule, named by its path in the request (e.g. `mail.port`). */
export interface FieldError {
  path: string;
  message: string;
}

/**
 * A failure the caller can act on. Each subclass carries a stable code; the one HTTP mapping
 * (shared/http/problem.ts) turns codes into statuses.
 */
export abstract class DomainError extends Error {
  abstract readonly code: ErrorCode;
  constructor(
    message: string,
    readonly errors?: FieldError[],
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export type ErrorCode =
  | 'invalid_request'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'method_not_allowed'
  | 'conflict'
  | 'not_allowed'
  | 'rate_limited';

/** The body or query broke the schema (400). */
export class InvalidRequestError extends DomainError {
  readonly code = 'invalid_request';
}
export class UnauthenticatedError extends DomainError {
  readonly code = 'unauthenticated';
}
export class ForbiddenError extends DomainError {
  readonly code = 'forbidden';
}
export class NotFoundError extends DomainError {
  readonly code = 'not_found';
}
export class MethodNotAllowedError extends DomainError {
  readonly code = 'method_not_allowed';
  constructor(readonly allowed: string[]) {
    super(`this path accepts ${allowed.join(', ')}`);
  }
}
export class ConflictError extends DomainError {
  readonly code = 'conflict';
}
/** Well-formed but not allowed by a rule of the service (422). */
export class NotAllowedError extends DomainError {
  readonly code = 'not_allowed';
}
export class RateLimitedError extends DomainError {
  readonly code = 'rate_limited';
  constructor(readonly retryAfterSeconds: number) {
    super(`rate limit exceeded; retry after ${retryAfterSeconds} s`);
  }
}
