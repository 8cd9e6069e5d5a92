import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { Container } from 'inversify';
import { Counter, Histogram, type Registry } from 'prom-client';
import type { z } from 'zod';
import { Authenticator } from './shared/auth/Authenticator';
import type { Principal } from './shared/auth/Principal';
import type { Config } from './shared/config/Config';
import { ForbiddenError, InvalidRequestError, MethodNotAllowedError, NotFoundError, type FieldError } from './shared/errors';
import { consoleAssets, defaultConsoleDir } from './shared/http/consoleAssets';
import { buildOpenApi } from './shared/http/openapi';
import { fieldErrors, problemMiddleware } from './shared/http/problem';
import { RateLimiter } from './shared/http/RateLimiter';
import type { Route } from './shared/http/Route';
import type { Logger } from './shared/logging/logger';
import { metricsEndpoint } from './shared/metrics/metricsEndpoint';
import { CONFIG, DATABASE, HTTP_ROUTES, LOGGER, METRIC_SOURCES, METRICS } from './shared/tokens';
import packageJson from '../package.json';

const API_BASE = '/api/v1';
/** How long an over-limit request waits for its 429. */
const OVER_LIMIT_PAUSE_MS = 500;
const VERSION = packageJson.version;

/** The Express app over a composed container: parsing, auth and errors here, behaviour in the modules. */
export function createApp(container: Container): express.Express {
  const config = container.get<Config>(CONFIG);
  const log = container.get<Logger>(LOGGER);
  const metrics = container.get<Registry>(METRICS);
  const authenticator = container.get(Authenticator);
  const rateLimiter = new RateLimiter(config.rateLimitPerMinute);
  const routes = container.getAll(HTTP_ROUTES).flatMap((source) => source.routes());
  const openApi = buildOpenApi(routes, VERSION);

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('trust proxy', false);
  app.use(requestLogging(log, metrics));

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    try {
      await container.get(DATABASE).raw('select 1');
      res.json({ status: 'ready' });
    } catch (error) {
      log.warn({ err: error }, 'readiness check failed: database unreachable');
      res.status(503).type('application/problem+json').send(JSON.stringify({ type: 'https://kos-notify.dev/problems/unavailable', title: 'Service unavailable', status: 503, detail: 'the database is not reachable' }));
    }
  });
  // Resolved now so that their gauges are on the registry before the first scrape.
  if (container.isBound(METRIC_SOURCES)) container.getAll(METRIC_SOURCES);
  app.get('/metrics', metricsEndpoint(metrics, config.metricsToken));
  app.get('/openapi.json', (_req, res) => {
    res.json(openApi);
  });
  app.use('/console', consoleAssets(defaultConsoleDir()));

  const api = express.Router();
  api.use(async (req, res, next) => {
    if (isPublic(routes, req)) return next();
    // Counted by the presented key's hash before the key is looked up, and both before the body
    // is parsed: a limited or unknown key's requests cost no parsing, and a limited key's no
    // database query that another key's requests would wait behind.
    const keyHash = authenticator.presentedKeyHash(req.get('authorization'));
    try {
      if (keyHash) rateLimiter.take(keyHash);
    } catch (error) {
      // The refusal comes after a pause, so that a client flooding over many connections is slowed
      // to a few requests a second per connection instead of filling the event loop.
      await sleep(OVER_LIMIT_PAUSE_MS);
      throw error;
    }
    res.locals.principal = await authenticator.authenticate(keyHash);
    next();
  });
  api.use(express.json({ limit: '1mb', strict: true, type: ['application/json', 'application/*+json'] }));
  for (const definition of routes) mount(api, definition);
  api.use((req, _res, next) => {
    const allowed = routes.filter((candidate) => matches(candidate.path, req.path)).map((candidate) => candidate.method.toUpperCase());
    next(allowed.length > 0 ? new MethodNotAllowedError([...new Set(allowed)]) : new NotFoundError(`no endpoint ${req.method} ${API_BASE}${req.path}`));
  });
  app.use(API_BASE, api);
  app.use((req, _res, next) => next(new NotFoundError(`no endpoint ${req.method} ${req.path}`)));
  app.use(problemMiddleware(log));
  return app;
}

function mount(router: Router, definition: Route): void {
  router[definition.method](definition.path, async (req: Request, res: Response) => {
    const principal = res.locals.principal as Principal;
    authorize(definition, principal, req.params.tenantId);
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
    if (errors.length > 0) throw new InvalidRequestError(`the request breaks the schema: ${errors.map((error) => error.path).join(', ')}`, errors);
    const result = await definition.handle({ params, query, body, principal, headers: req.headers });
    res.status(result.status).set(result.headers ?? {});
    if (result.body === undefined) res.end();
    else res.json(result.body);
  });
}

function authorize(definition: Route, principal: Principal | undefined, tenantId: string | string[] | undefined): void {
  if (definition.access === 'public' || principal?.kind === 'admin') return;
  if (definition.access === 'admin') throw new ForbiddenError('this endpoint needs the admin key');
  if (principal?.kind === 'tenant' && principal.tenantId !== tenantId) throw new NotFoundError('no such tenant');
}

function isPublic(routes: Route[], req: Request): boolean {
  return routes.some((candidate) => candidate.access === 'public' && candidate.method === req.method.toLowerCase() && matches(candidate.path, req.path));
}

function matches(pattern: string, path: string): boolean {
  const patternParts = pattern.split('/');
  const pathParts = path.replace(/\/$/, '').split('/');
  return patternParts.length === pathParts.length && patternParts.every((part, index) => part.startsWith(':') ? pathParts[index] !== '' : part === pathParts[index]);
}

function requestLogging(log: Logger, metrics: Registry) {
  const requests = new Counter({ name: 'kos_http_requests_total', help: 'HTTP requests by method, route and status', labelNames: ['method', 'route', 'status'], registers: [metrics] });
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
