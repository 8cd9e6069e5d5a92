import type { IncomingHttpHeaders } from 'node:http';
import type { z } from 'zod';
import type { Principal } from '../auth/Principal';

/**
 * Who may call a route: `public` needs no key; `any` any valid key; `admin` only the admin key;
 * `tenant` the admin key or the key of the tenant named in `:tenantId`. On every path with a
 * `:tenantId`, another tenant's key gets 404 whatever the access, as if the tenant did not exist.
 */
export type Access = 'public' | 'any' | 'admin' | 'tenant';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface RouteContext<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  /** Present on every route but `public` ones. */
  principal: Principal;
  headers: IncomingHttpHeaders;
}

export interface RouteResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface ResponseSpec {
  description: string;
  schema?: z.ZodType;
}

/**
 * One endpoint: its schemas validate the request and describe it in /openapi.json, so the two
 * cannot drift. The handler parses nothing itself; it calls one use case and maps the result.
 */
export interface Route<P = any, Q = any, B = any> {
  method: HttpMethod;
  /** Express syntax below /api/v1, e.g. `/tenants/:tenantId`. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tag: string;
  access: Access;
  /** Only for the route that creates the tenant: the others below `:tenantId` answer 404 for an unknown tenant. */
  tenantMayBeAbsent?: boolean;
  params?: z.ZodType<P>;
  query?: z.ZodType<Q>;
  body?: z.ZodType<B>;
  /** Headers the route reads, for the documentation (e.g. Idempotency-Key). */
  headers?: Array<{ name: string; description: string; required?: boolean }>;
  responses: Record<number, ResponseSpec>;
  handle(context: RouteContext<P, Q, B>): Promise<RouteResult>;
}

/** Declares a route with its types inferred from its schemas. */
export function route<P = Record<string, never>, Q = Record<string, never>, B = undefined>(definition: Route<P, Q, B>): Route<P, Q, B> {
  return definition;
}

/** What a module binds to HTTP_ROUTES. */
export interface RouteSource {
  routes(): Route[];
}
