import { message, type Message, type MessageCode, type MessageParams } from './messages/message';

/** A field that broke a rule, named by its path in the request (e.g. `mail.port`), with the rule's code. */
export interface FieldError {
  path: string;
  message: string;
  code: MessageCode;
  params: MessageParams;
}

/** A field error whose English text is the registry's template for `code`. */
export function fieldError(path: string, code: MessageCode, params: MessageParams = {}): FieldError {
  return { path, ...message(code, params) };
}

/**
 * A failure the caller can act on. Each subclass carries a stable code; the one HTTP mapping
 * (shared/http/problem.ts) turns codes into statuses.
 */
export abstract class DomainError extends Error {
  abstract readonly code: ErrorCode;
  /** The specific code of this message (e.g. `tenant_not_found`), beside the category `code` that picks the status. */
  readonly messageCode: MessageCode;
  readonly params: MessageParams;
  constructor(
    detail: Message,
    readonly errors?: FieldError[],
  ) {
    super(detail.message);
    this.messageCode = detail.code;
    this.params = detail.params;
    this.name = new.target.name;
  }
}

export type ErrorCode = 'invalid_request' | 'unauthenticated' | 'forbidden' | 'not_found' | 'method_not_allowed' | 'conflict' | 'not_allowed' | 'rate_limited';

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
    super(message('method_not_allowed', { allowed: allowed.join(', ') }));
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
    super(message('rate_limited', { retryAfterSeconds }));
  }
}
