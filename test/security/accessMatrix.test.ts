import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Route } from '../../src/shared/http/Route';
import { HTTP_ROUTES } from '../../src/shared/tokens';
import { reportFigures } from '../support/figures';
import { createLiveApp, percentile, type LiveApp } from '../support/liveApp';
import { TestSmtpServer } from '../support/TestSmtpServer';

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

/** A body each operation accepts, so that authorization and not validation decides the answer. */
function validBody(operationId: string, port: number): unknown {
  switch (operationId) {
    case 'putTenant':
      return { name: 'Kunde AG', alertSender: { address: 'kos@kunde.ch' }, mail: { preset: 'custom', host: '127.0.0.1', port, security: 'none', allowedSenders: ['*@kunde.ch'] } };
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
      return { label: 'kreuz' };
    case 'verifyMailHost':
      return {};
    default:
      return {};
  }
}

describe('access matrix: every route × method × key', () => {
  let live: LiveApp;
  let smtp: TestSmtpServer;
  let keyA: string;
  let keyB: string;
  let revoked: string;
  let routes: Route[];

  beforeAll(async () => {
    smtp = await TestSmtpServer.start();
    live = await createLiveApp('sqlite');
    for (const id of ['a', 'b']) expect((await live.call('PUT', `/tenants/${id}`, { body: validBody('putTenant', smtp.port) })).status).toBe(201);
    keyA = (await live.call('POST', '/tenants/a/api-keys', { body: {} })).json.key;
    keyB = (await live.call('POST', '/tenants/b/api-keys', { body: {} })).json.key;
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

  function pathMethods(path: string): Set<string> {
    return new Set(routes.filter((route) => route.path === path).map((route) => route.method));
  }

  it('tenant keys reach only their own tenant; unknown, revoked and missing keys get 401', async () => {
    const paths = [...new Set(routes.map((route) => route.path))];
    const failures: string[] = [];
    let tried = 0;
    let crossTenantSucceeded = 0;
    const check = (label: string, status: number, ok: (status: number) => boolean): void => {
      tried++;
      if (!ok(status)) failures.push(`${label} → ${status}`);
    };
    for (const key of [undefined, 'kn_unknown0000000000000000000000', revoked, 'Basic YWRtaW46YWRtaW4=']) {
      for (const path of paths) {
        for (const method of METHODS) {
          const route = routes.find((candidate) => candidate.path === path && candidate.method === method);
          if (route?.access === 'public') continue;
          const response = await live.call(method.toUpperCase(), concrete(route ?? routes.find((r) => r.path === path)!, 'a'), { key: key === undefined ? null : key, headers: key?.startsWith('Basic') ? { Authorization: key } : {}, body: method === 'get' || method === 'delete' ? undefined : {} });
          check(`${key === revoked ? 'revoked key' : key ?? 'no key'} ${method} ${path}`, response.status, (s) => s === 401);
        }
      }
    }
    // Tenant B's key against tenant A, and both tenant keys against admin routes: nothing may get through.
    for (const path of paths) {
      for (const method of METHODS) {
        const route = routes.find((candidate) => candidate.path === path && candidate.method === method);
        const url = concrete(route ?? routes.find((r) => r.path === path)!, 'a');
        const body = method === 'get' || method === 'delete' ? undefined : validBody(route?.operationId ?? '', smtp.port);
        for (const [name, key] of [['tenant B', keyB], ['tenant A', keyA]] as const) {
          const response = await live.call(method.toUpperCase(), url, { key, body });
          const label = `${name} ${method} ${url}`;
          if (!route) check(label, response.status, (s) => s === 405 && pathMethods(path).size > 0);
          else if (route.access === 'admin') check(label, response.status, (s) => s === 403);
          else if (name === 'tenant B' && path.includes(':tenantId')) {
            if (response.status < 400) crossTenantSucceeded++;
            check(label, response.status, (s) => s === 404 && /no such tenant/.test(response.json?.detail ?? ''));
          } else check(label, response.status, (s) => s < 500 && !(s === 404 && /no such tenant/.test(response.json?.detail ?? '')) && s !== 401 && s !== 403);
        }
      }
    }
    // B's tries left no trace in A: no notification, deadline, key or audit entry by B.
    const audit = (await live.call('GET', '/tenants/a/audit?limit=500')).json.items as Array<{ actor: string; action: string }>;
    const keyBId = (await live.call('GET', '/tenants/b/audit?limit=500')).json.items.find((entry: { action: string }) => /key/.test(entry.action))?.details?.keyId;
    expect(audit.filter((entry) => keyBId && entry.actor.includes(keyBId))).toEqual([]);
    const deadlines = (await live.call('GET', '/tenants/a/deadlines')).json.items as Array<{ title: string }>;
    const notifications = (await live.call('GET', '/tenants/a/notifications')).json.items as unknown[];
    const ownWrites = deadlines.length + notifications.length;
    // A's own key wrote at most one deadline and one notification and one test mail; B none.
    expect(ownWrites).toBeLessThanOrEqual(3);
    // The admin key reaches everything (last, since it deletes the tenant).
    for (const route of [...routes].sort((x, y) => Number(x.operationId === 'deleteTenant') - Number(y.operationId === 'deleteTenant'))) {
      const response = await live.call(route.method.toUpperCase(), concrete(route, 'a'), { body: route.method === 'get' || route.method === 'delete' ? undefined : validBody(route.operationId, smtp.port) });
      check(`admin ${route.method} ${route.path}`, response.status, (s) => s < 500 && s !== 401 && s !== 403 && s !== 405);
    }
    reportFigures('access-matrix', { routes: routes.length, requests: tried, crossTenantSucceeded, failures: failures.length });
    expect(failures).toEqual([]);
    expect(crossTenantSucceeded).toBe(0);
  }, 120_000);
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
    const flooder = spawn(process.execPath, [require.resolve('autocannon/autocannon.js'), '-c', '10', '-d', '4', '-j', '-H', `Authorization=Bearer ${keyA}`, `${live.base}/tenants/a/deadlines`], { stdio: ['ignore', 'pipe', 'ignore'] });
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
    const counts = { ok: result['2xx'], limited: result.statusCodeStats['429']?.count ?? 0, retryAfter: limitedReply !== undefined && Number(limitedReply.headers.get('retry-after')) >= 1 };
    const ratio = percentile(loaded, 50) / percentile(quiet, 50);
    reportFigures('rate-limit', { limitPerMinute: LIMIT, floodServed: counts.ok, floodLimited: counts.limited, otherKeyP50QuietMs: Number(percentile(quiet, 50).toFixed(1)), otherKeyP50DuringFloodMs: Number(percentile(loaded, 50).toFixed(1)), ratio: Number(ratio.toFixed(2)) });
    // The limiter approximates a sliding window from two fixed ones: a flood across a minute boundary may get a few more through.
    expect(counts.ok).toBeLessThanOrEqual(LIMIT * 1.1);
    expect(counts.limited).toBeGreaterThan(0);
    expect(counts.retryAfter).toBe(true);
    // The other key was never limited (sample() asserts 200), and its latency stays flat: over-limit
    // requests wait for their 429, so the flood slows to a few requests a second per connection.
    expect(percentile(loaded, 50)).toBeLessThan(Math.max(2 * percentile(quiet, 50), percentile(quiet, 50) + 10));
  }, 60_000);
});
