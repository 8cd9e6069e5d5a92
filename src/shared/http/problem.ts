import type { ErrorRequestHandler, Response } from 'express';
import { ZodError, type z } from 'zod';
import { isOutOfSpace } from '../database/databaseErrors';
import { DomainError, InvalidRequestError, MethodNotAllowedError, RateLimitedError, type ErrorCode, type FieldError } from '../errors';
import type { Logger } from '../logging/logger';

/** RFC 9457 problem details. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
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

export const STORAGE_FULL: Problem = {
  type: `${PROBLEM_BASE}storage_full`,
  title: 'Service unavailable',
  status: 503,
  detail: 'the database has no space left for writes; nothing was stored: retry later',
};

export function sendProblem(res: Response, problem: Problem, headers: Record<string, string> = {}): void {
  res.status(problem.status).set(headers).type('application/problem+json').send(JSON.stringify(problem));
}

/** Turns the issues of one part of a request (body, query, params) into named fields. */
export function fieldErrors(error: z.ZodError, location: 'body' | 'query' | 'params' | 'header'): FieldError[] {
  return error.issues.map((issue) => {
    const path = issue.path.map(String).join('.');
    const named = location === 'body' ? path : [location, path].filter(Boolean).join('.');
    return { path: named || location, message: issue.message };
  });
}

/** The single place where errors become HTTP answers. */
export function problemMiddleware(log: Logger): ErrorRequestHandler {
  return (error, req, res, _next) => {
    if (res.headersSent) return;
    const bodyParserType = (error as { type?: string }).type;
    if (bodyParserType === 'entity.too.large') {
      return sendProblem(res, { type: `${PROBLEM_BASE}payload_too_large`, title: 'Payload too large', status: 413, detail: 'the request body is over 1 MiB' });
    }
    if (bodyParserType === 'entity.parse.failed') {
      return sendProblem(res, { type: `${PROBLEM_BASE}invalid_request`, title: 'Invalid request', status: 400, detail: 'the body is not valid JSON', errors: [{ path: 'body', message: 'malformed JSON' }] });
    }
    if (bodyParserType === 'charset.unsupported' || bodyParserType === 'encoding.unsupported') {
      return sendProblem(res, { type: `${PROBLEM_BASE}invalid_request`, title: 'Invalid request', status: 400, detail: 'the body must be UTF-8 JSON' });
    }
    if (error instanceof ZodError) error = new InvalidRequestError('the request breaks the schema', fieldErrors(error, 'body'));
    if (error instanceof DomainError) {
      const { status, title } = STATUS[error.code];
      const headers: Record<string, string> = {};
      if (error instanceof RateLimitedError) headers['Retry-After'] = String(error.retryAfterSeconds);
      if (error instanceof MethodNotAllowedError) headers.Allow = error.allowed.join(', ');
      return sendProblem(res, { type: `${PROBLEM_BASE}${error.code}`, title, status, detail: error.message, ...(error.errors ? { errors: error.errors } : {}) }, headers);
    }
    if (isOutOfSpace(error)) {
      log.warn({ err: error, requestId: res.locals.requestId, method: req.method, path: req.path }, 'a write failed: no space left for the database');
      return sendProblem(res, STORAGE_FULL, { 'Retry-After': String(STORAGE_FULL_RETRY_AFTER_SECONDS) });
    }
    log.error({ err: error, requestId: res.locals.requestId, method: req.method, path: req.path }, 'unexpected error');
    sendProblem(res, { type: `${PROBLEM_BASE}internal`, title: 'Internal error', status: 500, detail: 'the service failed unexpectedly; the error is logged' });
  };
}
