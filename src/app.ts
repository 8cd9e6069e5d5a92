import { randomUUID } from 'node:crypto';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { Container } from 'inversify';
import { Counter, Histogram, type Registry } from 'prom-client';
import type { z } from 'zod';
import { ExistingTenants } from './modules/tenant/application/ExistingTenants';
import { Authenticator } from './shared/auth/Authenticator';
import type { Principal } from './shared/auth/Principal';
import type { Config } from './shared/config/Config';
import { ForbiddenError, InvalidRequestError, MethodNotAllowedError, NotFoundError, type FieldError } from './shared/errors';
import { apiDocs } from './shared/http/apiDocs';
import { authenticateRequests } from './shared/http/authentication';
import { consoleAssets, defaultConsoleDir } from './shared/http/consoleAssets';
import { buildOpenApi } from './shared/http/openapi';
import { fieldErrors, problem, problemMiddleware, sendProblem, STORAGE_FULL, STORAGE_FULL_RETRY_AFTER_SECONDS } from './shared/http/problem';
import type { Route } from './shared/http/Route';
import type { Logger } from './shared/logging/logger';
import { metricsEndpoint } from './shared/metrics/metricsEndpoint';
import { CONFIG, DATABASE, HTTP_ROUTES, LOGGER, METRIC_SOURCES, METRICS, STORAGE_SPACE } from './shared/tokens';
import packageJson from '../package.json';
import { message } from './shared/messages/message';

const API_BASE = '/api/v1';
const VERSION = packageJson.version;

/** The Express app over a composed container: parsing, auth and errors here, behaviour in the modules. */
export function createApp(container: Container): express.Express {
  const config = container.get<Config>(CONFIG);
  const log = container.get<Logger>(LOGGER);
  const metrics = container.get<Registry>(METRICS);
  const authenticator = container.get(Authenticator);
  const routes = container.getAll(HTTP_ROUTES).flatMap((source) => source.routes());
  const openApi = buildOpenApi(routes, VERSION);
  const existingTenants = container.get(ExistingTenants);

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('trust proxy', false);
  app.use(requestLogging(log, metrics));

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  const storage = container.get(STORAGE_SPACE);
  app.get('/readyz', async (_req, res) => {
    try {
      await container.get(DATABASE).raw('select 1');
    } catch (error) {
      log.warn({ err: error }, 'readiness check failed: database unreachable');
      return sendProblem(res, problem('unavailable', 'Service unavailable', 503, 'database_unreachable'));
    }
    // Ready again by itself: while writes fail for lack of space, each check probes with a write.
    if (!(await storage.writable())) return sendProblem(res, STORAGE_FULL, { 'Retry-After': String(STORAGE_FULL_RETRY_AFTER_SECONDS) });
    res.json({ status: 'ready' });
  });
  // Resolved now so that their gauges are on the registry before the first scrape.
  if (container.isBound(METRIC_SOURCES)) container.getAll(METRIC_SOURCES);
  app.get('/metrics', metricsEndpoint(metrics, config.metricsToken));
  app.get('/openapi.json', (_req, res) => {
    res.json(openApi);
  });
  app.use('/console', consoleAssets(defaultConsoleDir()));
  app.use('/docs', apiDocs());

  const api = express.Router();
  api.use(authenticateRequests(authenticator, { perMinute: config.rateLimitPerMinute }, (req) => isPublic(routes, req)));
  api.use(express.json({ limit: '1mb', strict: true, type: ['application/json', 'application/*+json'] }));
  for (const definition of routes) mount(api, definition, existingTenants);
  api.use((req, res, next) => {
    const tenantId = /^\/tenants\/([^/]+)/.exec(req.path)?.[1];
    if (tenantId !== undefined) denyOtherTenant(res.locals.principal as Principal | undefined, decodeURIComponent(tenantId));
    const allowed = routes.filter((candidate) => matches(candidate.path, req.path)).map((candidate) => candidate.method.toUpperCase());
    next(
      allowed.length > 0
        ? new MethodNotAllowedError([...new Set(allowed)])
        : new NotFoundError(message('endpoint_not_found', { method: req.method, path: `${API_BASE}${req.path}` })),
    );
  });
  app.use(API_BASE, api);
  app.use((req, _res, next) => next(new NotFoundError(message('endpoint_not_found', { method: req.method, path: req.path }))));
  app.use(problemMiddleware(log));
  return app;
}

function mount(router: Router, definition: Route, existingTenants: ExistingTenants): void {
  router[definition.method](definition.path, async (req: Request, res: Response) => {
    const principal = res.locals.principal as Principal;
    const tenantId = req.params.tenantId as string | undefined;
    authorize(definition, principal, tenantId);
    if (tenantId !== undefined && !definition.tenantMayBeAbsent && !(await existingTenants.has(tenantId))) throw new NotFoundError(message('tenant_not_found'));
    const errors: FieldError[] = [];
    const parse = <T>(schema: z.ZodType<T> | undefined, value: unknown, location: 'body' | 'query' | 'params'): T => {
      if (!schema) return undefined as T;
      const result = schema.safeParse(value);
      if (result.success) return result.data;
      errors.push(...fieldErrors(result.error, location));
      return undefined as T;
    };
    const params = parse(definition.params, req.params, 'params');
    const query = parse(definition.query, req.query, 'query');
    const body = parse(definition.body, req.body ?? {}, 'body');
    if (errors.length > 0) throw new InvalidRequestError(message('validation_failed', { fields: errors.map((error) => error.path).join(', ') }), errors);
    const result = await definition.handle({ params, query, body, principal, headers: req.headers });
    res.status(result.status).set(result.headers ?? {});
    if (result.body === undefined) res.end();
    else res.json(result.body);
  });
}

function authorize(definition: Route, principal: Principal | undefined, tenantId: string | undefined): void {
  if (definition.access === 'public') return;
  if (tenantId !== undefined) denyOtherTenant(principal, tenantId);
  if (definition.access === 'admin' && principal?.kind !== 'admin') throw new ForbiddenError(message('admin_key_required'));
}

/** Another tenant's path answers a tenant key as an unknown tenant would, whatever the route and method. */
function denyOtherTenant(principal: Principal | undefined, tenantId: string): void {
  if (principal?.kind === 'tenant' && principal.tenantId !== tenantId) throw new NotFoundError(message('tenant_not_found'));
}

function isPublic(routes: Route[], req: Request): boolean {
  return routes.some((candidate) => candidate.access === 'public' && candidate.method === req.method.toLowerCase() && matches(candidate.path, req.path));
}

function matches(pattern: string, path: string): boolean {
  const patternParts = pattern.split('/');
  const pathParts = path.replace(/\/$/, '').split('/');
  return (
    patternParts.length === pathParts.length &&
    patternParts.every((part, index) => (part.startsWith(':') ? pathParts[index] !== '' : part === pathParts[index]))
  );
}

function requestLogging(log: Logger, metrics: Registry) {
  const requests = new Counter({
    name: 'kos_http_requests_total',
    help: 'HTTP requests by method, route and status',
    labelNames: ['method', 'route', 'status'],
    registers: [metrics],
  });
  const duration = new Histogram({
    name: 'kos_http_request_duration_seconds',
    help: 'HTTP request duration by method and route',
    labelNames: ['method', 'route'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [metrics],
  });
  return (req: Request, res: Response, next: NextFunction): void => {
    const incoming = req.get('x-request-id');
    const requestId = incoming && /^[\w.-]{1,100}$/.test(incoming) ? incoming : randomUUID();
    res.set('X-Request-Id', requestId);
    // A field of the line rather than a child logger per request: a child costs a redaction pass
    // and its bindings for every request, and nothing else logs per request.
    res.locals.requestId = requestId;
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      // The matched pattern, not the raw path: tenant and ticket ids would explode the label set.
      const route = req.route?.path ? `${req.baseUrl}${req.route.path}` : 'unmatched';
      requests.inc({ method: req.method, route, status: String(res.statusCode) });
      duration.observe({ method: req.method, route }, seconds);
      log.info({ requestId, method: req.method, path: req.originalUrl.split('?')[0], status: res.statusCode, ms: Math.round(seconds * 1000) }, 'request');
    });
    next();
  };
}
