import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Route } from '../../src/shared/http/Route';
import { HTTP_ROUTES } from '../../src/shared/tokens';
import { DATABASE_KINDS } from '../support/databases';
import { reportFigures } from '../support/figures';
import { createLiveApp, percentile, type LiveApp } from '../support/liveApp';
import { TestSmtpServer } from '../support/TestSmtpServer';

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

/** A body each operation accepts, so that authorization and not validation decides the answer. */
function validBody(operationId: string, port: number): unknown {
  switch (operationId) {
    case 'putTenant':
      return {
        name: 'Kunde AG',
        alertSender: { address: 'kos@kunde.ch' },
        mail: { preset: 'custom', host: '127.0.0.1', port, security: 'none', allowedSenders: ['*@kunde.ch'] },
      };
    case 'queueNotification':
      return { author: { name: 'Mallory', email: 'mallory@kunde.ch' }, to: [{ email: 'victim@kunde.ch' }], subject: 'Kreuz', text: 'x' };
    case 'sendTestMail':
      return { to: 'victim@kunde.ch' };
    case 'putDeadline':
      return { title: 'Kreuz', dueDate: '2027-01-01', assignees: [{ email: 'victim@kunde.ch' }] };
    case 'putDeadlines':
      return { deadlines: [], replace: true };
    case 'startAlertRun':
      return {};
    case 'createApiKey':
      return { name: 'kreuz' };
    case 'verifyMailHost':
      return {};
    default:
      return {};
  }
}

describe.each(DATABASE_KINDS)("access matrix on %s: every route × method × (admin, own key, other tenant's key, deleted tenant)", (kind) => {
  let live: LiveApp;
  let smtp: TestSmtpServer;
  let keyA: string;
  let keyB: string;
  let keyGone: string;
  let revoked: string;
  let routes: Route[];

  beforeAll(async () => {
    smtp = await TestSmtpServer.start();
    live = await createLiveApp(kind);
    for (const id of ['a', 'b', 'gone']) expect((await live.call('PUT', `/tenants/${id}`, { body: validBody('putTenant', smtp.port) })).status).toBe(201);
    keyA = (await live.call('POST', '/tenants/a/api-keys', { body: { name: 'A' } })).json.key;
    keyB = (await live.call('POST', '/tenants/b/api-keys', { body: { name: 'B' } })).json.key;
    keyGone = (await live.call('POST', '/tenants/gone/api-keys', { body: {} })).json.key;
    expect((await live.call('PUT', '/tenants/gone/deadlines/T-1', { body: validBody('putDeadline', smtp.port) })).status).toBe(201);
    expect((await live.call('DELETE', '/tenants/gone')).status).toBe(204);
    const old = (await live.call('POST', '/tenants/a/api-keys', { body: {} })).json;
    expect((await live.call('DELETE', `/tenants/a/api-keys/${old.id}`)).status).toBe(204);
    revoked = old.key;
    routes = live.container.getAll(HTTP_ROUTES).flatMap((source) => source.routes());
  });
  afterAll(async () => {
    await live?.close();
    await smtp?.close();
  });

  function concrete(route: Route, tenantId: string): string {
    return route.path.replace(':tenantId', tenantId).replace(/:(\w+)/g, (_match, name: string) => `x-${name}`);
  }

  const paths = () => [...new Set(routes.map((route) => route.path))];
  const routeAt = (path: string, method: string) => routes.find((candidate) => candidate.path === path && candidate.method === method);
  const bodyFor = (method: string, route: Route | undefined) =>
    method === 'get' || method === 'delete' ? undefined : validBody(route?.operationId ?? '', smtp.port);
  const noSuchTenant = (response: { status: number; json: any }) =>
    response.status === 404 && response.json?.detail === 'no such tenant' && response.json?.type?.endsWith('/not_found');

  it('unknown, revoked, malformed and missing keys get 401 on every route', async () => {
    const failures: string[] = [];
    for (const key of [undefined, 'kn_unknown0000000000000000000000', revoked, 'Basic YWRtaW46YWRtaW4=', keyGone]) {
      for (const route of routes.filter((candidate) => candidate.access !== 'public')) {
        const response = await live.call(route.method.toUpperCase(), concrete(route, 'a'), {
          key: key === undefined || key.startsWith('Basic') ? null : key,
          headers: key?.startsWith('Basic') ? { Authorization: key } : {},
          body: bodyFor(route.method, route),
        });
        if (response.status !== 401 || response.json?.status !== 401)
          failures.push(
            `${key === revoked ? 'revoked' : key === keyGone ? 'deleted tenant key' : (key ?? 'no key')} ${route.method} ${route.path} → ${response.status}`,
          );
      }
    }
    expect(failures).toEqual([]);
  }, 60_000);

  it('another tenant\'s key gets 404 "no such tenant" on every path of tenant a, every method, admin-only routes included', async () => {
    const failures: string[] = [];
    let tried = 0;
    for (const path of paths().filter((candidate) => candidate.includes(':tenantId'))) {
      for (const method of METHODS) {
        const route = routeAt(path, method);
        const url = concrete(route ?? routes.find((candidate) => candidate.path === path)!, 'a');
        for (const target of [url, url.replace('/tenants/a', '/tenants/never-existed')]) {
          tried++;
          const response = await live.call(method.toUpperCase(), target, { key: keyB, body: bodyFor(method, route) });
          if (!noSuchTenant(response)) failures.push(`${method} ${target} → ${response.status} ${response.json?.detail ?? ''}`);
        }
      }
    }
    // B's tries left no trace in A.
    const audit = (await live.call('GET', '/tenants/a/audit?limit=500')).json.items as Array<{ actorName?: string }>;
    expect(audit.filter((entry) => entry.actorName === 'B')).toEqual([]);
    expect((await live.call('GET', '/tenants/a/notifications')).json.items).toEqual([]);
    expect((await live.call('GET', '/tenants/a/deadlines')).json.items).toEqual([]);
    reportFigures('access-matrix-cross-tenant', { requests: tried, failures: failures.length });
    expect(failures).toEqual([]);
  }, 60_000);

  it("a tenant's own key: 403 on the admin-only routes, through on the others (its settings, verify, test mail and audit included)", async () => {
    const failures: string[] = [];
    const adminOnly = new Set([
      'listPresets',
      'listTenants',
      'deleteTenant',
      'createApiKey',
      'listApiKeys',
      'deleteApiKey',
      'startAlertRun',
      'getAlertRun',
      'listAlertRuns',
      'listWebhookDeliveries',
    ]);
    for (const route of routes.filter((candidate) => candidate.access !== 'public')) {
      const response = await live.call(route.method.toUpperCase(), concrete(route, 'a'), { key: keyA, body: bodyFor(route.method, route) });
      const label = `${route.operationId} → ${response.status} ${response.json?.detail ?? ''}`;
      if (adminOnly.has(route.operationId)) {
        if (response.status !== 403 || response.json?.detail !== 'this endpoint needs the admin key') failures.push(label);
      } else if (response.status >= 500 || [401, 403, 405].includes(response.status) || noSuchTenant(response)) failures.push(label);
    }
    expect([...adminOnly].every((operationId) => routes.some((route) => route.operationId === operationId && route.access === 'admin'))).toBe(true);
    expect(failures).toEqual([]);
  }, 60_000);

  it('every path under a deleted tenant answers 404 to the admin; only PUT creates it anew', async () => {
    const failures: string[] = [];
    for (const route of routes.filter((candidate) => candidate.path.includes(':tenantId') && candidate.operationId !== 'putTenant')) {
      const response = await live.call(route.method.toUpperCase(), concrete(route, 'gone'), { body: bodyFor(route.method, route) });
      if (!noSuchTenant(response)) failures.push(`${route.method} ${route.path} → ${response.status} ${response.text.slice(0, 80)}`);
    }
    expect(failures).toEqual([]);
    expect((await live.call('PUT', '/tenants/gone', { body: validBody('putTenant', smtp.port) })).status).toBe(201);
    expect((await live.call('GET', '/tenants/gone/deadlines')).json.items).toEqual([]);
  }, 60_000);

  it('the admin key reaches every route; GET /me and GET /alert-schedule answer every key', async () => {
    expect((await live.call('GET', '/me')).json).toEqual({ role: 'admin' });
    const me = await live.call('GET', '/me', { key: keyA });
    expect(me.json).toEqual({ role: 'tenant', tenantId: 'a', keyId: expect.stringMatching(/^key_/) });
    for (const key of [undefined, keyA, keyB]) {
      const schedule = await live.call('GET', '/alert-schedule', key ? { key } : {});
      expect(schedule.status).toBe(200);
      expect(schedule.json).toEqual({
        cron: '0 3 * * *',
        timezone: 'Europe/Zurich',
        leadDays: 7,
        nextRunAt: expect.stringMatching(/T0[12]:00:00.000Z$/),
        lastRun: null,
      });
    }
    const failures: string[] = [];
    // Last, since one of them deletes the tenant.
    for (const route of [...routes].sort((x, y) => Number(x.operationId === 'deleteTenant') - Number(y.operationId === 'deleteTenant'))) {
      const response = await live.call(route.method.toUpperCase(), concrete(route, 'a'), { body: bodyFor(route.method, route) });
      if (response.status >= 500 || [401, 403, 405].includes(response.status) || noSuchTenant(response))
        failures.push(`${route.operationId} → ${response.status}`);
    }
    expect(failures).toEqual([]);
  }, 60_000);
});

describe('rate limiting isolates keys', () => {
  let live: LiveApp;
  let keyA: string;
  let keyB: string;
  const LIMIT = 200;

  beforeAll(async () => {
    live = await createLiveApp('sqlite', { config: { rateLimitPerMinute: LIMIT }, dispatcher: false });
    for (const id of ['a', 'b']) {
      await live.call('PUT', `/tenants/${id}`, { body: validBody('putTenant', 2525) });
    }
    keyA = (await live.call('POST', '/tenants/a/api-keys', { body: {} })).json.key;
    keyB = (await live.call('POST', '/tenants/b/api-keys', { body: {} })).json.key;
  });
  afterAll(async () => live?.close());

  it('one key flooding gets 429 with Retry-After while the other key is served at its usual speed', async () => {
    const sample = async (n: number): Promise<number[]> => {
      const ms: number[] = [];
      for (let i = 0; i < n; i++) {
        const response = await live.call('GET', '/tenants/b/deadlines', { key: keyB });
        expect(response.status).toBe(200);
        ms.push(response.ms);
      }
      return ms;
    };
    await sample(5);
    const quiet = await sample(30);
    // The flood comes from another process (autocannon, 10 connections), as a misbehaving client would.
    const flooder = spawn(
      process.execPath,
      [require.resolve('autocannon/autocannon.js'), '-c', '10', '-d', '4', '-j', '-H', `Authorization=Bearer ${keyA}`, `${live.base}/tenants/a/deadlines`],
      { stdio: ['ignore', 'pipe', 'ignore'] },
    );
    let output = '';
    flooder.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const finished = new Promise((resolve) => flooder.once('exit', resolve));
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const loaded = await sample(30);
    await finished;
    const result = JSON.parse(output) as { '2xx': number; non2xx: number; statusCodeStats: Record<string, { count: number }> };
    // Several probes at once: once the flood spans a minute boundary, the sliding window frees a
    // slot every 60 / LIMIT seconds, which a single probe could just catch.
    const probes = await Promise.all(Array.from({ length: 5 }, () => live.call('GET', '/tenants/a/deadlines', { key: keyA })));
    const limitedReply = probes.find((reply) => reply.status === 429);
    const counts = {
      ok: result['2xx'],
      limited: result.statusCodeStats['429']?.count ?? 0,
      retryAfter: limitedReply !== undefined && Number(limitedReply.headers.get('retry-after')) >= 1,
    };
    const ratio = percentile(loaded, 50) / percentile(quiet, 50);
    reportFigures('rate-limit', {
      limitPerMinute: LIMIT,
      floodServed: counts.ok,
      floodLimited: counts.limited,
      otherKeyP50QuietMs: Number(percentile(quiet, 50).toFixed(1)),
      otherKeyP50DuringFloodMs: Number(percentile(loaded, 50).toFixed(1)),
      ratio: Number(ratio.toFixed(2)),
    });
    // The limiter approximates a sliding window from two fixed ones: a flood across a minute boundary may get a few more through.
    expect(counts.ok).toBeLessThanOrEqual(LIMIT * 1.1);
    expect(counts.limited).toBeGreaterThan(0);
    expect(counts.retryAfter).toBe(true);
    // The other key was never limited (sample() asserts 200), and its latency stays flat: over-limit
    // requests wait for their 429, so the flood slows to a few requests a second per connection.
    expect(percentile(loaded, 50)).toBeLessThan(Math.max(2 * percentile(quiet, 50), percentile(quiet, 50) + 10));
  }, 60_000);
});
