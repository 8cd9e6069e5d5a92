import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveAlertSender, resolvePersonalSender } from '../../../src/modules/tenant/domain/resolveSender';
import { MAIL_HOST_DIRECTORY, MAIL_SETTINGS_OBSERVERS, TENANT_DATA_OWNERS, TENANT_DIRECTORY } from '../../../src/modules/tenant/tokens';
import { DATABASE_KINDS } from '../../support/databases';
import { createTestApp, type TestApp } from '../../support/testApp';
import { TEST_ADMIN_KEY } from '../../support/testConfig';
import { message } from '../../../src/shared/messages/message';

const admin = { Authorization: `Bearer ${TEST_ADMIN_KEY}` };

const custom = {
  name: 'Kunde AG',
  alertSender: { address: 'kos@kunde.ch', name: 'KOS Kunde' },
  mail: {
    preset: 'custom',
    host: 'mail.kunde.ch',
    port: 587,
    security: 'starttls',
    username: 'kos@kunde.ch',
    password: 'secret-1',
    allowedSenders: ['*@kunde.ch'],
  },
};

describe.each(DATABASE_KINDS)('tenant API on %s', (kind) => {
  let t: TestApp;
  const changed: string[] = [];
  const deleted: string[] = [];

  beforeAll(async () => {
    t = await createTestApp(kind, {
      env: { HOSTED_SMTP_URL: 'smtp://platform:platform-pass@smtp.platform.example:587', HOSTED_SENDER: 'kos@gmx.ch' },
      prepare: (container) => {
        container.bind(MAIL_SETTINGS_OBSERVERS).toConstantValue({ mailSettingsChanged: async (id: string) => void changed.push(id) });
        container.bind(TENANT_DATA_OWNERS).toConstantValue({ deleteTenantData: async (id: string) => void deleted.push(id) });
      },
    });
  });
  afterAll(async () => t.close());

  const put = (id: string, body: unknown) =>
    request(t.app)
      .put(`/api/v1/tenants/${id}`)
      .set(admin)
      .send(body as object);

  it('creates with 201, replaces with 200, never shows the password, keeps it when omitted', async () => {
    const created = await put('kunde', custom);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      id: 'kunde',
      locale: 'de',
      alertSender: { address: 'kos@kunde.ch', name: 'KOS Kunde' },
      mail: { preset: 'custom', host: 'mail.kunde.ch', hasPassword: true, allowedSenders: ['*@kunde.ch'] },
      mailStatus: { state: 'ok' },
      settingsVersion: 1,
    });
    expect(JSON.stringify(created.body)).not.toContain('secret-1');

    const { password: _omitted, ...mailWithoutPassword } = custom.mail;
    const replaced = await put('kunde', { ...custom, name: 'Kunde AG (neu)', mail: mailWithoutPassword });
    expect(replaced.status).toBe(200);
    expect(replaced.body.name).toBe('Kunde AG (neu)');
    expect(replaced.body.mail.hasPassword).toBe(true);
    expect(replaced.body.settingsVersion).toBe(1);
    expect((await t.container.get(MAIL_HOST_DIRECTORY).endpointFor('kunde'))?.password).toBe('secret-1');

    const read = await request(t.app).get('/api/v1/tenants/kunde').set(admin);
    expect(read.status).toBe(200);
    expect(read.body).toEqual(replaced.body);
  });

  it('bumps settingsVersion, clears a parked status and tells the observers when the mail settings change', async () => {
    await t.container.get(MAIL_HOST_DIRECTORY).park('kunde', 1, message('login_refused', { reply: '535 5.7.8' }));
    expect((await request(t.app).get('/api/v1/tenants/kunde').set(admin)).body.mailStatus).toMatchObject({
      state: 'parked',
      reason: expect.stringContaining('535'),
      reasonCode: 'login_refused',
      reasonParams: { reply: '535 5.7.8' },
      since: expect.any(String),
    });
    changed.length = 0;
    const saved = await put('kunde', { ...custom, mail: { ...custom.mail, password: 'secret-2' } });
    expect(saved.body).toMatchObject({ settingsVersion: 2, mailStatus: { state: 'ok' } });
    expect(changed).toEqual(['kunde']);
    await t.container.get(MAIL_HOST_DIRECTORY).park('kunde', 1, message('login_refused_no_reply'));
    expect((await t.container.get(TENANT_DIRECTORY).get('kunde'))?.mailStatus.state).toBe('ok');
  });

  it('lists tenants in pages', async () => {
    for (const id of ['page-a', 'page-b', 'page-c']) expect((await put(id, custom)).status).toBe(201);
    const first = await request(t.app).get('/api/v1/tenants?limit=2').set(admin);
    expect(first.status).toBe(200);
    expect(first.body.items.map((item: { id: string }) => item.id)).toEqual(['kunde', 'page-a']);
    const second = await request(t.app).get(`/api/v1/tenants?limit=2&cursor=${first.body.nextCursor}`).set(admin);
    expect(second.body.items.map((item: { id: string }) => item.id)).toEqual(['page-b', 'page-c']);
    expect(second.body.nextCursor).toBeNull();
  });

  it('refuses schema breaks with 400 and policy breaks with 422 naming the patterns', async () => {
    expect((await put('Bad_Id', custom)).status).toBe(400);
    const quoted = await put('kunde', { ...custom, alertSender: { address: '"kos@evil.ch"@kunde.ch' } });
    expect(quoted.status).toBe(400);
    expect(quoted.body).toMatchObject({ code: 'validation_failed', params: { fields: 'alertSender.address' } });
    expect(quoted.body.errors).toContainEqual(expect.objectContaining({ path: 'alertSender.address', code: 'plain_address', params: {} }));
    const injected = await put('kunde', { ...custom, name: 'Kunde\r\nBcc: x@evil.ch' });
    expect(injected.status).toBe(400);
    expect(injected.body.errors).toEqual([expect.objectContaining({ path: 'name', code: 'no_line_breaks' })]);
    const empty = await put('kunde', { ...custom, name: '' });
    expect(empty.body.errors).toEqual([
      { path: 'name', message: expect.any(String), code: 'too_small', params: { origin: 'string', minimum: 1, inclusive: 'true' } },
    ]);
    expect((await put('kunde', { ...custom, alertSender: { address: 'kos@kunde.ch', name: 'KOS\nKunde' } })).status).toBe(400);

    const outside = await put('kunde', { ...custom, alertSender: { address: 'kos@other.ch' } });
    expect(outside.status).toBe(422);
    expect(outside.body.detail).toContain('*@kunde.ch');
    expect(outside.body).toMatchObject({ code: 'alert_sender_not_allowed', params: { address: 'kos@other.ch', allowedSenders: '*@kunde.ch' } });
    expect(outside.body.errors).toContainEqual(expect.objectContaining({ path: 'alertSender.address', code: 'alert_sender_not_allowed' }));

    const fixedGmx = await put('gmx-bad', {
      name: 'G',
      alertSender: { address: 'other@gmx.ch' },
      mail: { preset: 'gmx', username: 'kunde@gmx.ch', password: 'x' },
    });
    expect(fixedGmx.status).toBe(422);
    expect(fixedGmx.body).toMatchObject({ code: 'alert_sender_fixed', params: { preset: 'gmx', sender: 'kunde@gmx.ch' } });
    const fixedDemo = await put('demo-bad', { name: 'D', alertSender: { address: 'kos@kunde.ch' }, mail: { preset: 'demo' } });
    expect(fixedDemo.status).toBe(422);
    const fixedHosted = await put('hosted-bad', { name: 'H', alertSender: { address: 'kos@kunde.ch' }, mail: { preset: 'hosted' } });
    expect(fixedHosted.status).toBe(422);
    expect(fixedHosted.body.detail).toContain('kos@gmx.ch');
  });

  it('resolves senders for every preset through the API', async () => {
    const anna = { name: 'Anna Meier', address: 'anna.meier@kunde.ch' };
    const cases = [
      ['r-custom', custom, 'kos@kunde.ch', false],
      [
        'r-mandrill',
        { ...custom, mail: { preset: 'mandrill', password: 'mandrill-api-key', username: 'kunde', allowedSenders: ['*@kunde.ch'] } },
        'kos@kunde.ch',
        false,
      ],
      ['r-hosted', { name: 'Hosted AG', mail: { preset: 'hosted' } }, 'kos@gmx.ch', true],
      ['r-gmx', { name: 'GMX AG', mail: { preset: 'gmx', username: 'Kunde.AG@gmx.ch', password: 'gmx-pass' } }, 'kunde.ag@gmx.ch', true],
      ['r-demo', { name: 'Demo', mail: { preset: 'demo', password: 'demo-pass' } }, 'kos.demo@gmx.ch', true],
    ] as const;
    for (const [id, body, alertAddress, rewritten] of cases) {
      expect((await put(id, body)).status, id).toBe(201);
      const tenant = (await t.container.get(TENANT_DIRECTORY).get(id))!;
      expect(resolveAlertSender(tenant).envelopeFrom, id).toBe(alertAddress);
      const personal = resolvePersonalSender(tenant, anna);
      expect(personal.senderRewritten, id).toBe(rewritten);
      expect(personal.envelopeFrom, id).toBe(rewritten ? alertAddress : anna.address);
      if (rewritten) expect(personal.from).toEqual({ name: 'Anna Meier via KOS', address: alertAddress });
      const shouted = resolvePersonalSender(tenant, { ...anna, address: 'ANNA.MEIER@KUNDE.CH' });
      expect(shouted.senderRewritten, id).toBe(rewritten);
      const stranger = resolvePersonalSender(tenant, { ...anna, address: 'anna@other.ch' });
      expect(stranger, id).toMatchObject({ senderRewritten: true, envelopeFrom: alertAddress, replyTo: { address: 'anna@other.ch' } });
    }
    const hosted = (await request(t.app).get('/api/v1/tenants/r-hosted').set(admin)).body;
    expect(hosted.mail).toMatchObject({
      preset: 'hosted',
      host: 'smtp.platform.example',
      port: 587,
      security: 'starttls',
      hasPassword: true,
      allowedSenders: ['kos@gmx.ch'],
    });
    expect(hosted.mail.username).toBeUndefined();
    const gmx = (await request(t.app).get('/api/v1/tenants/r-gmx').set(admin)).body;
    expect(gmx.mail).toMatchObject({ host: 'mail.gmx.net', port: 587, security: 'starttls', maxPerMinute: 20, allowedSenders: ['kunde.ag@gmx.ch'] });
    const demo = (await request(t.app).get('/api/v1/tenants/r-demo').set(admin)).body;
    expect(demo).toMatchObject({
      alertSender: { address: 'kos.demo@gmx.ch' },
      mail: { maxPerMinute: 20, allowedSenders: ['kos.demo@gmx.ch'], username: 'kos.demo@gmx.ch' },
    });
    expect(await t.container.get(MAIL_HOST_DIRECTORY).endpointFor('r-hosted')).toMatchObject({
      host: 'smtp.platform.example',
      username: 'platform',
      password: 'platform-pass',
    });
  });

  it('lists the presets, Mandrill marked discouraged', async () => {
    const response = await request(t.app).get('/api/v1/presets').set(admin);
    expect(response.status).toBe(200);
    const byName = Object.fromEntries(response.body.items.map((item: { name: string }) => [item.name, item]));
    expect(Object.keys(byName)).toEqual(['custom', 'hosted', 'gmx', 'mandrill', 'demo', 'microsoft365', 'google-workspace']);
    expect(byName.mandrill).toMatchObject({
      host: 'smtp.mandrillapp.com',
      port: 587,
      security: 'starttls',
      discouraged: expect.stringContaining('Discouraged'),
    });
    expect(byName.demo).toMatchObject({
      fixedSender: 'kos.demo@gmx.ch',
      maxPerMinute: 20,
      available: true,
      production: false,
      description: expect.stringContaining('Not for production'),
    });
    for (const name of ['custom', 'hosted', 'gmx', 'mandrill']) expect(byName[name].production).toBe(true);
    expect(byName.hosted).toMatchObject({ available: true, host: 'smtp.platform.example', fixedSender: 'kos@gmx.ch' });
  });

  it('creates and deletes tenant keys, lets a key read only its tenant, audits without secrets', async () => {
    const created = await request(t.app).post('/api/v1/tenants/kunde/api-keys').set(admin).send({ name: 'KOS prod' });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ id: expect.stringMatching(/^key_/), name: 'KOS prod', key: expect.stringMatching(/^kn_/), createdAt: expect.any(String) });
    const tenantKey = { Authorization: `Bearer ${created.body.key}` };
    expect((await request(t.app).get('/api/v1/tenants/kunde').set(tenantKey)).status).toBe(200);
    expect((await request(t.app).get('/api/v1/tenants/page-a').set(tenantKey)).status).toBe(404);
    expect((await request(t.app).delete('/api/v1/tenants/kunde').set(tenantKey)).status).toBe(403);
    expect((await request(t.app).post('/api/v1/tenants/nobody/api-keys').set(admin).send({})).status).toBe(404);

    expect((await request(t.app).delete(`/api/v1/tenants/kunde/api-keys/${created.body.id}`).set(admin)).status).toBe(204);
    expect((await request(t.app).get('/api/v1/tenants/kunde').set(tenantKey)).status).toBe(401);
    expect((await request(t.app).delete(`/api/v1/tenants/kunde/api-keys/${created.body.id}`).set(admin)).status).toBe(404);

    const audit = await request(t.app).get('/api/v1/tenants/kunde/audit?limit=50').set(admin);
    expect(audit.status).toBe(200);
    expect(audit.body.items.map((entry: { action: string }) => entry.action)).toEqual([
      'api-key.deleted',
      'api-key.created',
      'tenant.updated',
      'tenant.updated',
      'tenant.created',
    ]);
    expect(audit.body.items[2]).toMatchObject({ actor: 'admin', details: { changed: ['name', 'mail.password'], password: 'changed' }, at: expect.any(String) });
    expect(audit.body.items[3].details.changed).toEqual(['name']);
    const text = JSON.stringify(audit.body);
    expect(text).not.toContain('secret-1');
    expect(text).not.toContain('secret-2');
    const paged = await request(t.app).get('/api/v1/tenants/kunde/audit?limit=2').set(admin);
    const next = await request(t.app).get(`/api/v1/tenants/kunde/audit?limit=2&cursor=${paged.body.nextCursor}`).set(admin);
    expect(next.body.items.map((entry: { action: string }) => entry.action)).toEqual(['tenant.updated', 'tenant.updated']);
  });

  it('offboards a tenant: its keys stop working, data owners are called, reads answer 404', async () => {
    const key = (await request(t.app).post('/api/v1/tenants/page-c/api-keys').set(admin).send({})).body.key as string;
    expect((await request(t.app).delete('/api/v1/tenants/page-c').set(admin)).status).toBe(204);
    expect(deleted).toEqual(['page-c']);
    expect((await request(t.app).get('/api/v1/tenants/page-c').set(admin)).status).toBe(404);
    expect(
      (
        await request(t.app)
          .get('/api/v1/tenants/page-c')
          .set({ Authorization: `Bearer ${key}` })
      ).status,
    ).toBe(401);
    expect((await request(t.app).delete('/api/v1/tenants/page-c').set(admin)).status).toBe(404);
  });
});

describe('tenant API without a hosted service configured', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('sqlite');
  });
  afterAll(async () => t.close());

  it('refuses the hosted preset with 422 naming HOSTED_SMTP_URL', async () => {
    const response = await request(t.app)
      .put('/api/v1/tenants/h')
      .set(admin)
      .send({ name: 'H', mail: { preset: 'hosted' } });
    expect(response.status).toBe(422);
    expect(response.body.detail).toContain('HOSTED_SMTP_URL');
    expect(response.body).toMatchObject({ code: 'hosted_preset_unavailable', errors: [{ path: 'mail.preset', code: 'hosted_preset_unavailable' }] });
  });
});

describe('tenant API with the demo preset switched off (DEMO_PRESET=false)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('sqlite', { env: { DEMO_PRESET: 'false' } });
  });
  afterAll(async () => t.close());

  it('refuses the demo preset with 422 and a code, and lists it as unavailable and not for production', async () => {
    const response = await request(t.app)
      .put('/api/v1/tenants/d')
      .set(admin)
      .send({ name: 'D', mail: { preset: 'demo', password: 'demo-pass' } });
    expect(response.status).toBe(422);
    expect(response.body).toMatchObject({ code: 'demo_preset_unavailable', params: {}, errors: [{ path: 'mail.preset', code: 'demo_preset_unavailable' }] });
    expect(response.body.detail).toContain('DEMO_PRESET');
    expect((await request(t.app).get('/api/v1/tenants/d').set(admin)).status).toBe(404);
    const presets = await request(t.app).get('/api/v1/presets').set(admin);
    expect(presets.body.items.find((item: { name: string }) => item.name === 'demo')).toMatchObject({ available: false, production: false });
    expect(presets.body.items.find((item: { name: string }) => item.name === 'custom')).toMatchObject({ available: true, production: true });
  });
});
