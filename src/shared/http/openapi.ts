import { z } from 'zod';
import type { Route } from './Route';
import { ProblemOut } from './schemas';

type JsonSchema = Record<string, unknown>;
const COMPONENTS = '#/components/schemas/';

/**
 * Named schemas (`.meta({ id })`) go to components/schemas once and are referenced from every
 * operation. Answers stay open for fields added later (no additionalProperties: false), so that
 * a generated client does not break on them; requests keep the strictness of their schemas.
 */
class SchemaCollector {
  readonly components: Record<string, JsonSchema> = {};

  schema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
    const generated = z.toJSONSchema(schema, {
      target: 'draft-2020-12',
      unrepresentable: 'any',
      io,
      override: (context) => {
        if (io === 'output' && context.jsonSchema.additionalProperties === false) delete context.jsonSchema.additionalProperties;
      },
    }) as JsonSchema;
    const { $schema: _dialect, $defs, ...root } = generated;
    for (const [name, definition] of Object.entries(($defs ?? {}) as Record<string, JsonSchema>)) this.add(name, relink(definition) as JsonSchema);
    return relink(root) as JsonSchema;
  }

  /** One name, one shape: the same id rendered differently (e.g. once as request, once as answer) is a mistake. */
  private add(name: string, definition: JsonSchema): void {
    const existing = this.components[name];
    if (existing && JSON.stringify(existing) !== JSON.stringify(definition))
      throw new Error(`the schema ${name} is rendered in two shapes; name the request and the answer apart`);
    this.components[name] = definition;
  }
}

function relink(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(relink);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, entry]) => [key, key === '$ref' && typeof entry === 'string' ? entry.replace('#/$defs/', COMPONENTS) : relink(entry)]),
  );
}

const STANDARD_ERRORS: Record<number, string> = {
  400: 'malformed JSON, or a body or query that breaks the schema; `errors` names each field',
  401: 'missing, unknown or expired API key',
  403: 'a tenant key on an admin-only endpoint',
  404: 'unknown resource, or a resource of another tenant',
  413: 'body over 1 MiB',
  429: 'rate limit of the API key exceeded',
};

const problem = (description: string, status: number) => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: `${COMPONENTS}Problem` } } },
  ...(status === 429
    ? { headers: { 'Retry-After': { description: 'seconds to wait before the next request', schema: { type: 'integer', minimum: 1, maximum: 60 } } } }
    : {}),
});

/** OpenAPI 3.1 for the routes, from the very schemas that validate their requests. */
export function buildOpenApi(routes: Route[], version: string): Record<string, unknown> {
  const schemas = new SchemaCollector();
  schemas.schema(ProblemOut, 'output');
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const path = `/api/v1${route.path.replace(/:(\w+)/g, '{$1}')}`;
    const parameters: unknown[] = [];
    for (const [location, schema] of [
      ['path', route.params],
      ['query', route.query],
    ] as const) {
      if (!schema) continue;
      const described = schemas.schema(schema, 'input') as { properties?: Record<string, JsonSchema>; required?: string[] };
      for (const [name, property] of Object.entries(described.properties ?? {})) {
        const { description, ...propertySchema } = property;
        parameters.push({
          name,
          in: location,
          required: location === 'path' || (described.required ?? []).includes(name),
          ...(description ? { description } : {}),
          schema: propertySchema,
        });
      }
    }
    for (const header of route.headers ?? []) {
      parameters.push({ name: header.name, in: 'header', required: header.required ?? false, description: header.description, schema: { type: 'string' } });
    }
    const responses: Record<string, unknown> = {};
    for (const [status, spec] of Object.entries(route.responses)) {
      if (Number(status) >= 400) responses[status] = problem(spec.description, Number(status));
      else
        responses[status] = {
          description: spec.description,
          ...(spec.schema ? { content: { 'application/json': { schema: schemas.schema(spec.schema, 'output') } } } : {}),
        };
    }
    const errorStatuses = [
      ...(route.body || route.query ? [400] : []),
      ...(route.body ? [413] : []),
      429,
      ...(route.access === 'public' ? [] : [401]),
      ...(route.path.includes(':tenantId') || route.params ? [404] : []),
      ...(route.access === 'admin' ? [403] : []),
    ];
    for (const status of errorStatuses) responses[status] ??= problem(STANDARD_ERRORS[status]!, status);
    (paths[path] ??= {})[route.method] = {
      operationId: route.operationId,
      summary: route.summary,
      ...(route.description ? { description: route.description } : {}),
      tags: [route.tag],
      ...(route.access === 'public' ? { security: [] } : {}),
      ...(parameters.length > 0 ? { parameters } : {}),
      ...(route.body ? { requestBody: { required: true, content: { 'application/json': { schema: schemas.schema(route.body, 'input') } } } } : {}),
      responses: Object.fromEntries(Object.entries(responses).sort(([a], [b]) => Number(a) - Number(b))),
    };
  }
  const tags = [...new Set(routes.map((route) => route.tag))].map((name) => ({ name, description: TAG_DESCRIPTIONS[name] ?? name }));
  return {
    openapi: '3.1.0',
    info: {
      title: 'kos-notify',
      version,
      description: "E-mail notification service of KOS: personal notifications through each tenant's mail host, and the daily deadline alerts.",
      license: { name: 'UNLICENSED', identifier: 'LicenseRef-UNLICENSED' },
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }],
    tags: [...tags, { name: 'operations', description: 'health, readiness, metrics and this document; no key' }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'the admin key or a tenant key' } },
      schemas: Object.fromEntries(Object.entries(schemas.components).sort(([a], [b]) => a.localeCompare(b))),
    },
    paths: { ...OPERATIONS_PATHS, ...paths },
  };
}

const TAG_DESCRIPTIONS: Record<string, string> = {
  tenants: 'tenants, their mail settings and host checks, API keys and audit log',
  notifications: 'personal notifications and their delivery status',
  deadlines: 'the deadlines KOS keeps in sync, which the daily alert run reads',
  'alert runs': 'the daily deadline alerts: runs, schedule and preview',
};

const plain = (operationId: string, summary: string, description: string, content: Record<string, unknown>) => ({
  get: { operationId, summary, tags: ['operations'], security: [], responses: { 200: { description, content } } },
});

/** The endpoints outside /api/v1 that operators and orchestrators call without a key. */
const OPERATIONS_PATHS = {
  '/healthz': plain('getHealth', 'Liveness: the process is up', 'the process is up', {
    'application/json': { schema: { type: 'object', properties: { status: { const: 'ok' } } } },
  }),
  '/readyz': {
    get: {
      ...plain('getReadiness', 'Readiness: the database is reachable and takes writes', 'the database answered', {}).get,
      responses: {
        200: {
          description: 'the database answered',
          content: { 'application/json': { schema: { type: 'object', properties: { status: { const: 'ready' } } } } },
        },
        503: problem('the database is not reachable, or writes fail for lack of space (with Retry-After)', 503),
      },
    },
  },
  '/metrics': plain('getMetrics', 'Prometheus metrics', 'metrics in the Prometheus text format', { 'text/plain': { schema: { type: 'string' } } }),
  '/openapi.json': plain('getOpenApi', 'This API described as OpenAPI 3.1', 'the OpenAPI document', { 'application/json': { schema: { type: 'object' } } }),
  '/docs': plain('getApiReference', 'This API as a readable reference (Swagger UI)', 'the reference page', { 'text/html': { schema: { type: 'string' } } }),
};
