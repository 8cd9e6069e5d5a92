import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/testApp';

type Schema = Record<string, any>;

const NAMED = [
  'Tenant',
  'TenantSettings',
  'Notification',
  'NotificationStatus',
  'NotificationRequest',
  'Deadline',
  'AlertRun',
  'AlertSchedule',
  'MailHealth',
  'VerifyResult',
  'ApiKey',
  'CreatedApiKey',
  'AuditEntry',
  'Me',
  'Problem',
  'MailAddress',
];
const PATH_PARAMETERS = new Set(['tenantId', 'notificationId', 'runId', 'keyId', 'ticketId']);

/** Every schema reachable from `schema`, following $refs into components. */
function walk(schema: unknown, components: Record<string, Schema>, visit: (node: Schema, where: string) => void, where = '', seen = new Set<string>()): void {
  if (Array.isArray(schema)) return schema.forEach((entry, index) => walk(entry, components, visit, `${where}[${index}]`, seen));
  if (schema === null || typeof schema !== 'object') return;
  const node = schema as Schema;
  if (typeof node.$ref === 'string') {
    const name = node.$ref.replace('#/components/schemas/', '');
    if (seen.has(name)) return;
    seen.add(name);
    return walk(components[name], components, visit, name, seen);
  }
  visit(node, where);
  for (const [key, value] of Object.entries(node)) if (key !== 'examples' && key !== 'default') walk(value, components, visit, `${where}.${key}`, seen);
}

describe('/openapi.json', () => {
  let t: TestApp;
  let document: Schema;
  const operations: Array<{ path: string; method: string; operation: Schema }> = [];

  beforeAll(async () => {
    t = await createTestApp('sqlite');
    document = (await request(t.app).get('/openapi.json')).body;
    for (const [path, methods] of Object.entries(document.paths as Record<string, Record<string, Schema>>)) {
      for (const [method, operation] of Object.entries(methods)) operations.push({ path, method, operation });
    }
  });
  afterAll(async () => t?.close());

  const api = () => operations.filter(({ path }) => path.startsWith('/api/v1'));

  it('names every request and answer body under components/schemas, with examples on the main ones', () => {
    const schemas = document.components.schemas as Record<string, Schema>;
    expect(Object.keys(schemas)).toEqual(expect.arrayContaining(NAMED));
    const anonymous: string[] = [];
    for (const { path, method, operation } of api()) {
      const bodies = [
        operation.requestBody?.content?.['application/json']?.schema,
        ...Object.values(operation.responses as Record<string, Schema>).map((response) => (Object.values(response.content ?? {}) as Schema[])[0]?.schema),
      ];
      for (const body of bodies.filter(Boolean)) if (typeof body.$ref !== 'string') anonymous.push(`${method} ${path}: ${JSON.stringify(body).slice(0, 60)}`);
    }
    expect(anonymous).toEqual([]);
    for (const name of [
      'Tenant',
      'TenantSettings',
      'Notification',
      'NotificationRequest',
      'Deadline',
      'AlertRun',
      'MailHealth',
      'VerifyResult',
      'ApiKey',
      'Problem',
    ]) {
      expect(schemas[name]!.examples, name).toEqual([expect.any(Object)]);
    }
  });

  it('keeps answers open for new fields and requests strict', () => {
    const closed: string[] = [];
    const schemas = document.components.schemas as Record<string, Schema>;
    for (const { operation } of api()) {
      for (const response of Object.values(operation.responses as Record<string, Schema>)) {
        walk((Object.values(response.content ?? {}) as Schema[])[0]?.schema, schemas, (node, where) => {
          if (node.additionalProperties === false) closed.push(where);
        });
      }
    }
    expect(closed).toEqual([]);
    expect(schemas.TenantSettings!.additionalProperties).toBe(false);
    expect(schemas.TenantSettings!.properties.mail.additionalProperties).toBe(false);
    expect(schemas.ApiKeyRequest!.additionalProperties).toBe(false);
  });

  it('bounds every integer with real limits', () => {
    const schemas = document.components.schemas as Record<string, Schema>;
    const unbounded: string[] = [];
    walk({ anyOf: Object.keys(schemas).map((name) => ({ $ref: `#/components/schemas/${name}` })) }, schemas, (node, where) => {
      if (
        node.type === 'integer' &&
        (node.minimum === undefined ||
          node.maximum === undefined ||
          (node.minimum < 0 && node.minimum <= -Number.MAX_SAFE_INTEGER) ||
          node.maximum >= Number.MAX_SAFE_INTEGER)
      )
        unbounded.push(`${where}: ${JSON.stringify(node)}`);
      if (node.type === 'number') unbounded.push(`${where}: number instead of integer`);
    });
    expect(unbounded).toEqual([]);
    expect(schemas.Notification!.properties.attempts).toMatchObject({ type: 'integer', minimum: 0, maximum: 1000 });
  });

  it('documents 401, 404, 429 with Retry-After, and the 403, 409 and 422 where they can happen', () => {
    const missing: string[] = [];
    for (const { path, method, operation } of api()) {
      const responses = operation.responses as Record<string, Schema>;
      const need = ['401', '429', ...(path.includes('{') ? ['404'] : [])];
      for (const status of need) if (!responses[status]) missing.push(`${method} ${path} ${status}`);
      if (!responses['429']?.headers?.['Retry-After']) missing.push(`${method} ${path} Retry-After`);
      for (const [status, response] of Object.entries(responses)) {
        if (Number(status) >= 400 && response.content?.['application/problem+json']?.schema?.$ref !== '#/components/schemas/Problem')
          missing.push(`${method} ${path} ${status} problem`);
      }
    }
    expect(missing).toEqual([]);
    const byId = Object.fromEntries(api().map(({ operation }) => [operation.operationId, operation.responses]));
    expect(Object.keys(byId.putTenant)).toEqual(expect.arrayContaining(['200', '201', '400', '422']));
    expect(Object.keys(byId.startAlertRun)).toEqual(expect.arrayContaining(['202', '403', '422']));
    expect(Object.keys(byId.retryNotification)).toEqual(expect.arrayContaining(['202', '404', '409']));
    expect(Object.keys(byId.queueNotification)).toEqual(expect.arrayContaining(['202', '409']));
    expect(Object.keys(byId.deleteTenant)).toEqual(expect.arrayContaining(['204', '403']));
  });

  it('uses one name per path parameter, and {items, nextCursor} for every list', () => {
    const names = new Set(api().flatMap(({ path }) => [...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]!)));
    expect([...names].filter((name) => !PATH_PARAMETERS.has(name))).toEqual([]);
    const schemas = document.components.schemas as Record<string, Schema>;
    for (const { operation } of api().filter(({ operation }) => /^list|^previewAlerts$/.test(operation.operationId))) {
      const ref = (operation.responses['200'].content['application/json'].schema.$ref as string).replace('#/components/schemas/', '');
      expect(Object.keys(schemas[ref]!.properties), operation.operationId).toEqual(expect.arrayContaining(['items', 'nextCursor']));
    }
  });

  it("passes Redocly CLI's lint (redocly.yaml) with no error and no warning", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kos-notify-openapi-'));
    try {
      const file = join(dir, 'openapi.json');
      writeFileSync(file, JSON.stringify(document));
      const { stdout } = await promisify(execFile)(
        process.execPath,
        [require.resolve('@redocly/cli/bin/cli.js'), 'lint', file, '--config', join(__dirname, '../../redocly.yaml'), '--format', 'json'],
        { maxBuffer: 20 * 1024 * 1024, env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' } },
      );
      const report = JSON.parse(stdout.slice(stdout.indexOf('{'))) as {
        totals: { errors: number; warnings: number };
        problems: Array<{ ruleId: string; message: string }>;
      };
      expect(report.problems.map((problem) => `${problem.ruleId}: ${problem.message}`)).toEqual([]);
      expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
