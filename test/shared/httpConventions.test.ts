import { injectable } from 'inversify';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { generateApiKey, hashApiKey } from '../../src/shared/auth/apiKeys';
import { route, type RouteSource } from '../../src/shared/http/Route';
import { API_KEY_STORE, HTTP_ROUTES } from '../../src/shared/tokens';
import { TENANT_REPOSITORY } from '../../src/modules/tenant/tokens';
import { Validator } from '@seriousme/openapi-schema-validator';
import { createTestApp, type TestApp } from '../support/testApp';
import { TEST_ADMIN_KEY } from '../support/testConfig';
import { MESSAGES } from '../../src/shared/messages/codes';

/** Routes that exercise each convention without depending on a domain module. */
@injectable()
class ConventionRoutes implements RouteSource {
  routes() {
    return [
      route({
        method: 'get',
        path: '/tenants/:tenantId/things',
        operationId: 'listThings',
        summary: 'list things',
        tag: 'test',
        access: 'tenant',
        params: z.object({ tenantId: z.string() }),
        query: z.object({ limit: z.coerce.number().int().min(1).max(500).default(50) }),
        responses: { 200: { description: 'things', schema: z.object({ tenantId: z.string(), limit: z.number() }) } },
        handle: async ({ params, query }) => ({ status: 200, body: { tenantId: params.tenantId, limit: query.limit } }),
      }),
      route({
        method: 'post',
        path: '/tenants/:tenantId/things',
        operationId: 'createThing',
        summary: 'create a thing',
        tag: 'test',
        access: 'tenant',
        params: z.object({ tenantId: z.string() }),
        body: z.object({ name: z.string().min(1), size: z.number().int().positive() }),
        responses: { 201: { description: 'created' } },
        handle: async ({ body }) => ({ status: 201, body }),
      }),
      route({
        method: 'post',
        path: '/admin-only',
        operationId: 'adminOnly',
        summary: 'admin only',
        tag: 'test',
        access: 'admin',
        responses: { 204: { description: 'done' } },
        handle: async () => ({ status: 204 }),
      }),
    ];
  }
}

/** Paths below /tenants/{tenantId} answer 404 for a tenant that does not exist. */
async function storeTenant(t: TestApp, id: string): Promise<void> {
  const now = new Date();
  await t.container.get(TENANT_REPOSITORY).save({
    id,
    settings: { name: id, locale: 'de', mail: { preset: 'demo', allowedSenders: [] } },
    settingsVersion: 1,
    mailStatus: { state: 'ok' },
    createdAt: now,
    updatedAt: now,
  });
}

describe('HTTP conventions', () => {
  let t: TestApp;
  let tenantAKey: string;

  beforeAll(async () => {
    t = await createTestApp('sqlite', {
      config: { rateLimitPerMinute: 1000 },
      prepare: (container) => {
        container.bind(HTTP_ROUTES).to(ConventionRoutes).inSingletonScope();
      },
    });
    await storeTenant(t, 'tenant-a');
    tenantAKey = generateApiKey();
    await t.container
      .get(API_KEY_STORE)
      .insert({ id: 'key_a', tenantId: 'tenant-a', keyHash: hashApiKey(tenantAKey), name: null, createdAt: new Date(), createdBy: 'test' });
  });
  afterAll(async () => t.close());

  const admin = { Authorization: `Bearer ${TEST_ADMIN_KEY}` };

  function expectProblem(response: request.Response, status: number, code?: string): void {
    expect(response.status).toBe(status);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({
      type: expect.any(String),
      title: expect.any(String),
      status,
      detail: expect.any(String),
      params: expect.any(Object),
    });
    expect(Object.keys(MESSAGES)).toContain(response.body.code);
    if (code) expect(response.body.code).toBe(code);
    for (const error of response.body.errors ?? []) expect(Object.keys(MESSAGES)).toContain(error.code);
  }

  it('answers 401 without a key and with an unknown key', async () => {
    expectProblem(await request(t.app).get('/api/v1/tenants/tenant-a/things'), 401, 'api_key_missing');
    expectProblem(await request(t.app).get('/api/v1/tenants/tenant-a/things').set('Authorization', 'Bearer kn_unknown'), 401, 'api_key_unknown');
    expectProblem(await request(t.app).get('/api/v1/tenants/tenant-a/things').set('Authorization', TEST_ADMIN_KEY), 401);
  });

  it('lets a tenant key reach its own tenant and answers 404 for any other tenant', async () => {
    const own = await request(t.app).get('/api/v1/tenants/tenant-a/things').set('Authorization', `Bearer ${tenantAKey}`);
    expect(own.status).toBe(200);
    expect(own.body).toEqual({ tenantId: 'tenant-a', limit: 50 });
    expectProblem(await request(t.app).get('/api/v1/tenants/tenant-b/things').set('Authorization', `Bearer ${tenantAKey}`), 404, 'tenant_not_found');
  });

  it('answers 403 to a tenant key on an admin-only endpoint, and lets the admin key through', async () => {
    expectProblem(await request(t.app).post('/api/v1/admin-only').set('Authorization', `Bearer ${tenantAKey}`), 403, 'admin_key_required');
    expect((await request(t.app).post('/api/v1/admin-only').set(admin)).status).toBe(204);
  });

  it('lists every field that breaks the schema', async () => {
    const response = await request(t.app).post('/api/v1/tenants/tenant-a/things').set(admin).send({ name: '', size: -1 });
    expectProblem(response, 400, 'validation_failed');
    expect(response.body.errors.map((error: { path: string }) => error.path).sort()).toEqual(['name', 'size']);
    const query = await request(t.app).get('/api/v1/tenants/tenant-a/things?limit=501').set(admin);
    expectProblem(query, 400, 'validation_failed');
    expect(query.body.params).toEqual({ fields: 'query.limit' });
    expect(query.body.errors).toEqual([
      { path: 'query.limit', message: expect.any(String), code: 'too_big', params: { origin: 'number', maximum: 500, inclusive: 'true' } },
    ]);
  });

  it('answers malformed JSON with 400, not 500', async () => {
    const response = await request(t.app).post('/api/v1/tenants/tenant-a/things').set(admin).set('Content-Type', 'application/json').send('{"name": ');
    expectProblem(response, 400, 'malformed_json');
    expect(response.body.errors).toEqual([{ path: 'body', message: 'the body is not valid JSON', code: 'malformed_json', params: {} }]);
  });

  it('answers a body over 1 MiB with 413', async () => {
    const response = await request(t.app)
      .post('/api/v1/tenants/tenant-a/things')
      .set(admin)
      .send({ name: 'x'.repeat(1024 * 1024 + 1), size: 1 });
    expectProblem(response, 413, 'payload_too_large');
  });

  it('answers 405 with Allow for a method the path does not have, and 404 for an unknown path', async () => {
    const response = await request(t.app).delete('/api/v1/tenants/tenant-a/things').set(admin);
    expectProblem(response, 405, 'method_not_allowed');
    expect(response.headers.allow).toBe('GET, POST');
    expectProblem(await request(t.app).get('/api/v1/nothing-here').set(admin), 404, 'endpoint_not_found');
  });

  it('serves health, readiness and metrics without a key', async () => {
    expect((await request(t.app).get('/healthz')).status).toBe(200);
    expect((await request(t.app).get('/readyz')).body).toEqual({ status: 'ready' });
    const metrics = await request(t.app).get('/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.text).toContain('process_cpu_seconds_total');
    expect(metrics.text).toMatch(/kos_http_requests_total\{method="GET",route="\/healthz",status="200"\} \d+/);
    expect(metrics.text).toContain('kos_http_request_duration_seconds_bucket');
  });

  it('echoes a request id, or makes one', async () => {
    const echoed = await request(t.app).get('/healthz').set('X-Request-Id', 'kos-1234');
    expect(echoed.headers['x-request-id']).toBe('kos-1234');
    const made = await request(t.app).get('/healthz').set('X-Request-Id', 'bad id\twith spaces');
    expect(made.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('describes every route in a valid OpenAPI 3.1 document', async () => {
    const response = await request(t.app).get('/openapi.json');
    expect(response.status).toBe(200);
    const result = await new Validator().validate(response.body);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(response.body.openapi).toBe('3.1.0');
    const described = Object.entries(response.body.paths as Record<string, Record<string, unknown>>).flatMap(([path, item]) =>
      Object.keys(item).map((method) => `${method} ${path}`),
    );
    const routes = t.container
      .getAll(HTTP_ROUTES)
      .flatMap((source) => source.routes())
      .map((r) => `${r.method} /api/v1${r.path.replace(/:(\w+)/g, '{$1}')}`);
    expect(routes.length).toBeGreaterThan(0);
    expect(described).toEqual(expect.arrayContaining([...routes, 'get /healthz', 'get /readyz', 'get /metrics', 'get /openapi.json']));
    expect(response.body.paths['/api/v1/tenants/{tenantId}/things'].post.requestBody.content['application/json'].schema.required).toEqual(['name', 'size']);
  });
});

describe('rate limiting', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('sqlite', { config: { rateLimitPerMinute: 5 }, prepare: (c) => void c.bind(HTTP_ROUTES).to(ConventionRoutes).inSingletonScope() });
    await storeTenant(t, 'tenant-a');
  });
  afterAll(async () => t.close());

  it('answers 429 with Retry-After once a key is over its limit, and counts keys apart', async () => {
    const otherKey = generateApiKey();
    await t.container
      .get(API_KEY_STORE)
      .insert({ id: 'key_other', tenantId: 'tenant-a', keyHash: hashApiKey(otherKey), name: null, createdAt: new Date(), createdBy: 'test' });
    const statuses: number[] = [];
    let limited: request.Response | undefined;
    for (let i = 0; i < 7; i++) {
      const response = await request(t.app).get('/api/v1/tenants/tenant-a/things').set('Authorization', `Bearer ${TEST_ADMIN_KEY}`);
      statuses.push(response.status);
      if (response.status === 429) limited = response;
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
    expect(limited!.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(Number(limited!.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect((await request(t.app).get('/api/v1/tenants/tenant-a/things').set('Authorization', `Bearer ${otherKey}`)).status).toBe(200);
  });
});
