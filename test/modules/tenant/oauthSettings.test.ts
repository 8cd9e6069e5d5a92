import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildContainer } from '../../../src/container';
import { RotateCredentials } from '../../../src/modules/tenant/application/RotateCredentials';
import { MAIL_HOST_DIRECTORY } from '../../../src/modules/tenant/tokens';
import { keyId } from '../../../src/shared/crypto/CredentialsKeyring';
import { DATABASE } from '../../../src/shared/tokens';
import { DATABASE_KINDS } from '../../support/databases';
import { FakeIdentityProvider, FakeServiceAccount } from '../../support/oauth/FakeIdentityProvider';
import { CANARY_CLIENT_SECRET, DIRECTORY, googleTenant, microsoftTenant, oauthEnv, OPERATOR_APP, OWN_APP } from '../../support/oauth/oauthTenants';
import { createTestApp, type TestApp } from '../../support/testApp';
import { TEST_ADMIN_KEY } from '../../support/testConfig';

const admin = { Authorization: `Bearer ${TEST_ADMIN_KEY}` };

describe.each(DATABASE_KINDS)('microsoft365 and google-workspace settings on %s', (kind) => {
  let t: TestApp;
  let idp: FakeIdentityProvider;
  const oldKey = randomBytes(32);
  const newKey = randomBytes(32);
  const account = new FakeServiceAccount('mailer@kunde-project.iam.gserviceaccount.com', '1048576000002');

  beforeAll(async () => {
    idp = await FakeIdentityProvider.start();
    t = await createTestApp(kind, { config: { credentialsKey: oldKey }, env: oauthEnv(idp, { microsoft: true }) });
  });
  afterAll(async () => {
    await t?.close();
    await idp?.close();
  });

  const put = (id: string, body: object) => request(t.app).put(`/api/v1/tenants/${id}`).set(admin).send(body);

  it('GET /presets lists both presets with their defaults and a description', async () => {
    const { body } = await request(t.app).get('/api/v1/presets').set(admin);
    const byName = Object.fromEntries(body.items.map((item: { name: string }) => [item.name, item]));
    expect(byName.microsoft365).toMatchObject({
      host: 'smtp.office365.com',
      port: 587,
      security: 'starttls',
      senders: 'listed',
      authentication: 'oauth2',
      available: true,
    });
    expect(byName['google-workspace']).toMatchObject({ host: 'smtp.gmail.com', port: 587, security: 'starttls', senders: 'listed', authentication: 'oauth2' });
    expect(byName.microsoft365.description).toMatch(/OAuth 2\.0.*XOAUTH2.*graph/);
    expect(byName.custom.authentication).toBe('password');
  });

  it('stores the client secret write-only and encrypted; reads show hasClientSecret, never the secret', async () => {
    const saved = await put('m365', microsoftTenant(587));
    expect(saved.status).toBe(201);
    expect(saved.body.mail).toMatchObject({
      preset: 'microsoft365',
      transport: 'smtp',
      oauth2: { directoryId: DIRECTORY, clientId: OWN_APP, hasClientSecret: true },
    });
    expect(saved.body.mail.oauth2.consentUrl).toBeUndefined();
    const db = t.container.get(DATABASE);
    const row = await db('tenants').where({ id: 'm365' }).first();
    expect(JSON.stringify(row)).not.toContain(CANARY_CLIENT_SECRET);
    expect(row.oauth2_secret_key_id).toBe(keyId(oldKey));
    expect((await t.container.get(MAIL_HOST_DIRECTORY).endpointFor('m365'))?.oauth2).toMatchObject({
      provider: 'microsoft',
      clientSecret: CANARY_CLIENT_SECRET,
    });

    // What a read returned may come back with a field changed; the secret omitted stays.
    const read = (await request(t.app).get('/api/v1/tenants/m365').set(admin)).body;
    const again = await put('m365', {
      name: read.name,
      alertSender: read.alertSender,
      mail: { preset: 'microsoft365', host: '127.0.0.1', port: 2525, security: 'none', allowedSenders: ['*@kunde.ch'], oauth2: read.mail.oauth2 },
    });
    expect(again.status, JSON.stringify(again.body)).toBe(200);
    expect(again.body.mail.oauth2.hasClientSecret).toBe(true);

    const rotated = await put('m365', microsoftTenant(2525, { clientSecret: 'Neues~Geheimnis' }));
    expect(rotated.status).toBe(200);
    const audit = (await request(t.app).get('/api/v1/tenants/m365/audit').set(admin)).body.items;
    expect(audit[0]).toMatchObject({ action: 'tenant.updated', details: { changed: ['mail.oauth2.clientSecret'], oauth2Secret: 'changed' } });
    expect(JSON.stringify(audit)).not.toMatch(/Neues~Geheimnis|Canary~ClientSecret/);
  });

  it("without an own app, the operator's app is used and reads show the exact consent URL", async () => {
    const saved = await put('m365-operator', microsoftTenant(587, { clientId: undefined, clientSecret: undefined, directoryId: 'kunde.onmicrosoft.com' }));
    expect(saved.status, JSON.stringify(saved.body)).toBe(201);
    expect(saved.body.mail.oauth2).toEqual({
      directoryId: 'kunde.onmicrosoft.com',
      hasClientSecret: false,
      consentUrl: `${idp.url}/kunde.onmicrosoft.com/adminconsent?client_id=${OPERATOR_APP}`,
    });
    expect((await t.container.get(MAIL_HOST_DIRECTORY).endpointFor('m365-operator'))?.oauth2).toMatchObject({ clientId: OPERATOR_APP, ownApp: false });
  });

  it.each<[string, object, number, string]>([
    ['no directory', microsoftTenant(587, { directoryId: undefined }), 422, 'mail.oauth2.directoryId'],
    ['an own app without its secret', microsoftTenant(587, { clientSecret: undefined }), 422, 'mail.oauth2.clientSecret'],
    ['a password', microsoftTenant(587, {}, { password: 'pw' }), 422, 'mail.password'],
    ['a username', microsoftTenant(587, {}, { username: 'kos@kunde.ch' }), 422, 'mail.username'],
    ['a directory that is neither GUID nor domain', microsoftTenant(587, { directoryId: 'nicht gültig' }), 400, 'mail.oauth2.directoryId'],
    ['a client id that is no GUID', microsoftTenant(587, { clientId: 'app' }), 400, 'mail.oauth2.clientId'],
    ['a bad expiry date', microsoftTenant(587, { clientSecretExpiresAt: '31.12.2027' }), 400, 'mail.oauth2.clientSecretExpiresAt'],
    [
      'transport graph on another preset',
      { name: 'X', alertSender: { address: 'kos@kunde.ch' }, mail: { preset: 'custom', host: '127.0.0.1', transport: 'graph' } },
      422,
      'mail.transport',
    ],
    [
      'oauth2 on another preset',
      { name: 'X', alertSender: { address: 'kos@kunde.ch' }, mail: { preset: 'custom', host: '127.0.0.1', oauth2: { directoryId: DIRECTORY } } },
      422,
      'mail.oauth2',
    ],
    [
      'a private key that is no PEM key',
      googleTenant(587, { serviceAccount: { clientEmail: account.clientEmail, privateKey: 'nope' } }),
      400,
      'mail.oauth2.serviceAccount.privateKey',
    ],
    ['google without any service account', googleTenant(587), 422, 'mail.oauth2.serviceAccount'],
  ])('refuses %s, naming the field', async (_case, body, status, path) => {
    const response = await put('refused', body);
    expect(response.status, JSON.stringify(response.body)).toBe(status);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.body.errors.map((error: { path: string }) => error.path)).toContain(path);
  });

  it("stores the private key write-only; a switch to another preset drops the other preset's secret", async () => {
    const saved = await put('gws', googleTenant(587, { serviceAccount: { clientEmail: account.clientEmail, privateKey: account.privateKey } }));
    expect(saved.status, JSON.stringify(saved.body)).toBe(201);
    expect(saved.body.mail.oauth2).toEqual({ serviceAccount: { clientEmail: account.clientEmail }, hasPrivateKey: true });
    expect(saved.text).not.toContain('PRIVATE KEY');
    const switched = await put('gws', microsoftTenant(587, { clientSecret: undefined }));
    expect(switched.status).toBe(422);
    expect(switched.body.errors[0].path).toBe('mail.oauth2.clientSecret');
  });

  it('binds the secret to tenant and purpose, and rotates it with the passwords', async () => {
    const db = t.container.get(DATABASE);
    const m365 = await db('tenants').where({ id: 'm365' }).first();
    // As a password of the same tenant it does not decrypt: the purpose is bound in.
    await db('tenants').insert({
      ...m365,
      id: 'copycat',
      preset: 'custom',
      oauth2_json: null,
      oauth2_secret_ciphertext: null,
      oauth2_secret_key_id: null,
      password_ciphertext: m365.oauth2_secret_ciphertext,
      password_key_id: m365.oauth2_secret_key_id,
      username: 'x',
    });
    await expect(t.container.get(MAIL_HOST_DIRECTORY).endpointFor('copycat')).rejects.toThrow(/does not decrypt/);
    await db('tenants').where({ id: 'copycat' }).delete();

    const rotating = buildContainer({ ...t.config, credentialsKey: newKey, previousCredentialsKeys: [oldKey] });
    try {
      expect(await rotating.get(RotateCredentials).execute()).toEqual({ reencrypted: 2, alreadyCurrent: 0, failed: [] });
    } finally {
      await rotating.unbindAllAsync();
    }
    const onlyNew = buildContainer({ ...t.config, credentialsKey: newKey, previousCredentialsKeys: [] });
    try {
      expect((await onlyNew.get(MAIL_HOST_DIRECTORY).endpointFor('m365'))?.oauth2).toMatchObject({ clientSecret: 'Neues~Geheimnis' });
      expect((await onlyNew.get(MAIL_HOST_DIRECTORY).endpointFor('gws'))?.oauth2).toMatchObject({ privateKey: account.privateKey });
    } finally {
      await onlyNew.unbindAllAsync();
    }
    expect(
      (await db('tenants').whereNotNull('oauth2_secret_ciphertext').select('oauth2_secret_key_id')).map(
        (row: { oauth2_secret_key_id: string }) => row.oauth2_secret_key_id,
      ),
    ).toEqual([keyId(newKey), keyId(newKey)]);
  });
});

describe.each(DATABASE_KINDS)('the client secret expiry warning on %s', (kind) => {
  let t: TestApp;
  let idp: FakeIdentityProvider;

  beforeAll(async () => {
    idp = await FakeIdentityProvider.start();
    t = await createTestApp(kind, { env: oauthEnv(idp) });
  });
  afterAll(async () => {
    await t?.close();
    await idp?.close();
  });

  it('turns mail health to warning from 30 days before mail.oauth2.clientSecretExpiresAt', async () => {
    const day = 24 * 3600_000;
    const health = async (expiresInDays: number) => {
      const expiresAt = new Date(Date.now() + expiresInDays * day).toISOString();
      expect(
        (
          await request(t.app)
            .put('/api/v1/tenants/expiring')
            .set(admin)
            .send(microsoftTenant(587, { clientSecretExpiresAt: expiresAt }))
        ).status,
      ).toBeLessThan(300);
      return (await request(t.app).get('/api/v1/tenants/expiring/mail/health').set(admin)).body;
    };
    // neither verified nor delivered yet: unverified, not ok, while nothing warns
    expect(await health(31)).toMatchObject({ state: 'unverified', warnings: [] });
    const soon = await health(29.5);
    expect(soon.state).toBe('warning');
    expect(soon.warnings).toEqual([
      {
        code: 'oauth2_client_secret_expiring',
        params: { expiresAt: expect.any(String), days: 30, clientId: expect.any(String) },
        message: expect.stringMatching(/expires on \d{4}-\d\d-\d\d \(in 30 days\).*mail\.oauth2\.clientSecret/),
      },
    ]);
    expect((await health(-1)).warnings[0]).toMatchObject({ code: 'oauth2_client_secret_expired', message: expect.stringContaining('expired on') });
  });
});
