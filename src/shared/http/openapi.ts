import { z } from 'zod';
import type { Route } from './Route';

const problemSchema = {
  type: 'object',
  required: ['type', 'title', 'status', 'detail'],
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    errors: {
      type: 'array',
      items: { type: 'object', required: ['path', 'message'], properties: { path: { type: 'string' }, message: { type: 'string' } } },
    },
  },
};

const jsonSchema = (schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> => {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { target: 'draft-2020-12', unrepresentable: 'any', io }) as Record<string, unknown>;
  return rest;
};

const STANDARD_ERRORS: Record<number, string> = {
  400: 'malformed JSON, or a body or query that breaks the schema',
  401: 'missing or unknown API key',
  404: 'unknown resource, or a resource of another tenant',
  413: 'body over 1 MiB',
  429: 'rate limit of the API key exceeded',
};

/** OpenAPI 3.1 for the routes, from the very schemas that validate their requests. */
export function buildOpenApi(routes: Route[], version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const path = `/api/v1${route.path.replace(/:(\w+)/g, '{$1}')}`;
    const parameters: unknown[] = [];
    for (const [location, schema] of [['path', route.params], ['query', route.query]] as const) {
      if (!schema) continue;
      const described = jsonSchema(schema, 'input') as { properties?: Record<string, Record<string, unknown>>; required?: string[] };
      for (const [name, property] of Object.entries(described.properties ?? {})) {
        parameters.push({
          name,
          in: location,
          required: location === 'path' || (described.required ?? []).includes(name),
          ...(property.description ? { description: property.description } : {}),
          schema: property,
        });
      }
    }
    for (const header of route.headers ?? []) {
      parameters.push({ name: header.name, in: 'header', required: header.required ?? false, description: header.description, schema: { type: 'string' } });
    }
    const responses: Record<string, unknown> = {};
    for (const [status, spec] of Object.entries(route.responses)) {
      responses[status] = {
        description: spec.description,
        ...(spec.schema ? { content: { 'application/json': { schema: jsonSchema(spec.schema, 'output') } } } : {}),
      };
    }
    const errorStatuses = [400, 413, 429, ...(route.access === 'public' ? [] : [401, 404]), ...(route.access === 'admin' ? [403] : [])];
    for (const status of errorStatuses) {
      if (responses[status]) continue;
      responses[status] = {
        description: status === 403 ? 'a tenant key on an admin-only endpoint' : STANDARD_ERRORS[status]!,
        content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
      };
    }
    (paths[path] ??= {})[route.method] = {
      operationId: route.operationId,
      summary: route.summary,
      ...(route.description ? { description: route.description } : {}),
      tags: [route.tag],
      ...(route.access === 'public' ? { security: [] } : {}),
      ...(parameters.length > 0 ? { parameters } : {}),
      ...(route.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(route.body, 'input') } } } } : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'kos-notify',
      version,
      description: 'E-mail notification service of KOS: personal notifications through each tenant\'s mail host, and the daily deadline alerts.',
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'the admin key or a tenant key' } },
      schemas: { Problem: problemSchema },
    },
    paths: { ...OPERATIONS_PATHS, ...paths },
  };
}

const plain = (operationId: string, summary: string, description: string, contentType = 'application/json') => ({
  get: { operationId, summary, tags: ['operations'], security: [], responses: { 200: { description, content: { [contentType]: {} } } } },
});

/** The endpoints outside /api/v1 that operators and orchestrators call without a key. */
const OPERATIONS_PATHS = {
  '/healthz': plain('getHealth', 'Liveness: the process is up', 'the process is up'),
  '/readyz': {
    get: {
      ...plain('getReadiness', 'Readiness: the database is reachable and takes writes', 'the database answered').get,
      responses: { 200: { description: 'the database answered' }, 503: { description: 'the database is not reachable, or writes fail for lack of space (with Retry-After)', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } } },
    },
  },
  '/metrics': plain('getMetrics', 'Prometheus metrics', 'metrics in the Prometheus text format', 'text/plain'),
  '/openapi.json': plain('getOpenApi', 'This API described as OpenAPI 3.1', 'the OpenAPI document'),
};
