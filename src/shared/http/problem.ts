import type { ErrorRequestHandler, Response } from 'express';
import { ZodError, type z } from 'zod';
import { isOutOfSpace } from '../database/databaseErrors';
import { DomainError, fieldError, InvalidRequestError, MethodNotAllowedError, RateLimitedError, type ErrorCode, type FieldError } from '../errors';
import type { Logger } from '../logging/logger';
import { isMessageCode, message, type MessageCode, type MessageParams } from '../messages/message';

/** RFC 9457 problem details, with the code and parameters a client translates `detail` from. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: MessageCode;
  params: MessageParams;
  errors?: FieldError[];
}

const STATUS: Record<ErrorCode, { status: number; title: string }> = {
  invalid_request: { status: 400, title: 'Invalid request' },
  unauthenticated: { status: 401, title: 'Unauthenticated' },
  forbidden: { status: 403, title: 'Forbidden' },
  not_found: { status: 404, title: 'Not found' },
  method_not_allowed: { status: 405, title: 'Method not allowed' },
  conflict: { status: 409, title: 'Conflict' },
  not_allowed: { status: 422, title: 'Not allowed' },
  rate_limited: { status: 429, title: 'Too many requests' },
};

const PROBLEM_BASE = 'https://kos-notify.dev/problems/';
/** When a client should try again after a write failed for lack of space: an operator has to act first. */
export const STORAGE_FULL_RETRY_AFTER_SECONDS = 30;

/** A problem whose detail is the registry's text for `code`. */
export function problem(type: string, title: string, status: number, code: MessageCode, extra: Partial<Problem> = {}): Problem {
  const { message: detail, params } = message(code);
  return { type: `${PROBLEM_BASE}${type}`, title, status, detail, code, params, ...extra };
}

export const STORAGE_FULL: Problem = problem('storage_full', 'Service unavailable', 503, 'storage_full');

export function sendProblem(res: Response, problem: Problem, headers: Record<string, string> = {}): void {
  res.status(problem.status).set(headers).type('application/problem+json').send(JSON.stringify(problem));
}

/** Turns the issues of one part of a request (body, query, params) into named fields. */
export function fieldErrors(error: z.ZodError, location: 'body' | 'query' | 'params' | 'header'): FieldError[] {
  return error.issues.map((issue) => {
    const path = issue.path.map(String).join('.');
    const named = location === 'body' ? path : [location, path].filter(Boolean).join('.');
    return { path: named || location, message: issue.message, ...issueCode(issue) };
  });
}

/** The code of a schema rule: the zod issue kind with its limits, or the code a refinement of ours names. */
function issueCode(issue: z.core.$ZodIssue): Pick<FieldError, 'code' | 'params'> {
  const text = (value: unknown) => (typeof value === 'bigint' ? value.toString() : Array.isArray(value) ? value.map(String).join(', ') : String(value));
  switch (issue.code) {
    case 'invalid_type':
      return { code: 'invalid_type', params: { expected: issue.expected } };
    case 'too_small':
      return { code: 'too_small', params: { origin: issue.origin, minimum: Number(issue.minimum), inclusive: String(issue.inclusive ?? true) } };
    case 'too_big':
      return { code: 'too_big', params: { origin: issue.origin, maximum: Number(issue.maximum), inclusive: String(issue.inclusive ?? true) } };
    case 'invalid_format':
      return { code: 'invalid_format', params: { format: issue.format } };
    case 'invalid_value':
      return { code: 'invalid_value', params: { values: text(issue.values) } };
    case 'unrecognized_keys':
      return { code: 'unrecognized_keys', params: { keys: text(issue.keys) } };
    case 'not_multiple_of':
      return { code: 'not_multiple_of', params: { divisor: Number(issue.divisor) } };
    case 'invalid_union':
    case 'invalid_key':
    case 'invalid_element':
      return { code: issue.code, params: {} };
    case 'custom': {
      const { code, ...params } = (issue.params ?? {}) as Record<string, string | number>;
      return isMessageCode(code) ? { code, params } : { code: 'invalid', params: {} };
    }
  }
}

/** The single place where errors become HTTP answers. */
export function problemMiddleware(log: Logger): ErrorRequestHandler {
  return (error, req, res, _next) => {
    if (res.headersSent) return;
    const bodyParserType = (error as { type?: string }).type;
    if (bodyParserType === 'entity.too.large') {
      return sendProblem(res, problem('payload_too_large', 'Payload too large', 413, 'payload_too_large'));
    }
    if (bodyParserType === 'entity.parse.failed') {
      return sendProblem(res, problem('invalid_request', 'Invalid request', 400, 'malformed_json', { errors: [fieldError('body', 'malformed_json')] }));
    }
    if (bodyParserType === 'charset.unsupported' || bodyParserType === 'encoding.unsupported') {
      return sendProblem(res, problem('invalid_request', 'Invalid request', 400, 'body_not_utf8'));
    }
    if (error instanceof ZodError) {
      const errors = fieldErrors(error, 'body');
      error = new InvalidRequestError(message('validation_failed', { fields: errors.map((field) => field.path).join(', ') }), errors);
    }
    if (error instanceof DomainError) {
      const { status, title } = STATUS[error.code];
      const headers: Record<string, string> = {};
      if (error instanceof RateLimitedError) headers['Retry-After'] = String(error.retryAfterSeconds);
      if (error instanceof MethodNotAllowedError) headers.Allow = error.allowed.join(', ');
      const body: Problem = { type: `${PROBLEM_BASE}${error.code}`, title, status, detail: error.message, code: error.messageCode, params: error.params };
      return sendProblem(res, error.errors ? { ...body, errors: error.errors } : body, headers);
    }
    if (isOutOfSpace(error)) {
      log.warn({ err: error, requestId: res.locals.requestId, method: req.method, path: req.path }, 'a write failed: no space left for the database');
      return sendProblem(res, STORAGE_FULL, { 'Retry-After': String(STORAGE_FULL_RETRY_AFTER_SECONDS) });
    }
    log.error({ err: error, requestId: res.locals.requestId, method: req.method, path: req.path }, 'unexpected error');
    sendProblem(res, problem('internal', 'Internal error', 500, 'internal_error'));
  };
}
