import { generateKeyPairSync } from 'node:crypto';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_KINDS } from '../../support/databases';
import { createTestApp, type TestApp } from '../../support/testApp';
import { TEST_ADMIN_KEY } from '../../support/testConfig';

const admin = { Authorization: `Bearer ${TEST_ADMIN_KEY}` };

const SETTINGS: Record<string, object> = {
  custom: {
    name: 'Kunde AG',
    alertSender: { address: 'kos@kunde.ch', name: 'KOS Kunde' },
    mail: { preset: 'custom', host: 'mail.kunde.ch', username: 'kos@kunde.ch', password: 'secret-1', allowedSenders: ['*@kunde.ch'] },
  },
  hosted: { name: 'Gehostet AG', mail: { preset: 'hosted' } },
  gmx: { name: 'Kleinkunde', mail: { preset: 'gmx', username: 'kunde@gmx.ch', password: 'secret-2' } },
  demo: { name: 'Demo', mail: { preset: 'demo', password: 'secret-3' } },
  microsoft365: {
    name: 'Kunde365 AG',
    alertSender: { address: 'kos@kunde365.ch' },
    mail: {
      preset: 'microsoft365',
      allowedSenders: ['*@kunde365.ch'],
      oauth2: { directoryId: 'kunde365.onmicrosoft.com', clientId: '11111111-2222-4333-8444-555555555555', clientSecret: 'secret-4' },
    },
  },
  'microsoft365-operator': {
    name: 'Kunde365 AG',
    alertSender: { address: 'kos@kunde365.ch' },
    mail: { preset: 'microsoft365', transport: 'graph', allowedSenders: ['*@kunde365.ch'], oauth2: { directoryId: 'kunde365.onmicrosoft.com' } },
  },
  'google-workspace': {
    name: 'Kunde Google AG',
    alertSender: { address: 'kos@kunde.ch' },
    mail: {
      preset: 'google-workspace',
      allowedSenders: ['*@kunde.ch'],
      oauth2: {
        serviceAccount: {
          clientEmail: 'mailer@kunde.iam.gserviceaccount.com',
          privateKey: generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
        },
      },
    },
  },
};

describe.each(DATABASE_KINDS)('PUT /tenants/{tenantId} round trip on %s', (kind) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp(kind, {
      env: {
        HOSTED_SMTP_URL: 'smtp://platform:platform-pass@smtp.platform.example:587',
        HOSTED_SENDER: 'kos@gmx.ch',
        MICROSOFT_CLIENT_ID: '99999999-8888-4777-8666-555555555555',
        MICROSOFT_CLIENT_SECRET: 'operator-secret',
      },
    });
  });
  afterAll(async () => t.close());

  const get = (id: string) => request(t.app).get(`/api/v1/tenants/${id}`).set(admin);
  const put = (id: string, body: unknown) =>
    request(t.app)
      .put(`/api/v1/tenants/${id}`)
      .set(admin)
      .send(body as object);
  const audit = async (id: string) =>
    (await request(t.app).get(`/api/v1/tenants/${id}/audit`).set(admin)).body.items as Array<{ action: string; details: { changed?: string[] } }>;

  it.each(Object.keys(SETTINGS))('takes back what a GET of a %s tenant returned, with one field changed: 200, only that change recorded', async (preset) => {
    const id = `rt-${preset}`;
    expect((await put(id, SETTINGS[preset])).status).toBe(201);
    const read = (await get(id)).body;
    expect(read).toMatchObject({ id, mailStatus: { state: 'ok' }, settingsVersion: 1, mail: { hasPassword: expect.any(Boolean) } });

    const written = await put(id, { ...read, name: `${read.name} (neu)` });
    expect(written.status).toBe(200);
    expect(written.body).toEqual({ ...read, name: `${read.name} (neu)`, updatedAt: expect.any(String) });
    const [latest] = await audit(id);
    expect(latest).toMatchObject({ action: 'tenant.updated', details: { changed: ['name'] } });
    // Unchanged, it is no change at all.
    const again = await put(id, (await get(id)).body);
    expect(again.status).toBe(200);
    expect((await audit(id)).length).toBe(2);
  });

  it('ignores the read-only fields: hasPassword does not set a password, mailStatus does not park', async () => {
    expect((await put('rt-ro', { ...SETTINGS.custom, mail: { ...(SETTINGS.custom as { mail: object }).mail, password: undefined } })).status).toBe(201);
    const read = (await get('rt-ro')).body;
    expect(read.mail.hasPassword).toBe(false);
    const written = await put('rt-ro', {
      ...read,
      mail: { ...read.mail, hasPassword: true },
      mailStatus: { state: 'parked', reason: 'x' },
      settingsVersion: 99,
      createdAt: '2000-01-01T00:00:00.000Z',
    });
    expect(written.status).toBe(200);
    expect(written.body).toMatchObject({ mail: { hasPassword: false }, mailStatus: { state: 'ok' }, settingsVersion: 1, createdAt: read.createdAt });
  });

  it('refuses an id other than the path, and any other unknown field, with a 400 naming it', async () => {
    expect((await put('rt-id', SETTINGS.custom)).status).toBe(201);
    const read = (await get('rt-id')).body;
    const wrongId = await put('rt-id', { ...read, id: 'someone-else' });
    expect(wrongId.status).toBe(400);
    expect(wrongId.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(wrongId.body).toMatchObject({
      status: 400,
      type: expect.stringMatching(/invalid_request$/),
      code: 'tenant_id_mismatch',
      params: { bodyId: 'someone-else' },
      errors: [{ path: 'id', message: 'must equal the tenant id of the path (rt-id)', code: 'must_equal_path_tenant', params: { tenantId: 'rt-id' } }],
    });
    const unknown = await put('rt-id', { ...read, colour: 'blue', mail: { ...read.mail, port2: 1 } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors).toEqual(
      expect.arrayContaining([
        { path: 'body', message: expect.stringContaining('"colour"'), code: 'unrecognized_keys', params: { keys: 'colour' } },
        { path: 'mail', message: expect.stringContaining('"port2"'), code: 'unrecognized_keys', params: { keys: 'port2' } },
      ]),
    );
    expect((await get('rt-id')).body).toEqual(read);
  });
});
