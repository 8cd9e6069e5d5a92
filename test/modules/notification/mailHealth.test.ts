import { createServer } from 'node:net';
import request from 'supertest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FAILURE_RETENTION_MS, KnexDeliveryFailureLog } from '../../../src/modules/notification/infrastructure/KnexDeliveryFailureLog';
import { MAIL_HEALTH_WARNINGS, MAIL_TRANSPORT } from '../../../src/modules/notification/tokens';
import type { MailHostDirectory } from '../../../src/modules/tenant/domain/MailHostDirectory';
import { MAIL_HOST_DIRECTORY } from '../../../src/modules/tenant/tokens';
import { DATABASE } from '../../../src/shared/tokens';
import { DATABASE_KINDS } from '../../support/databases';
import { ADMIN, createDeliveryTestApp, loopbackTenant, notificationBody, type DeliveryTestApp, type LoopbackTenant } from '../../support/deliveryApp';
import { smtpError, startSmtpHost, type HostBehaviour, type TestSmtpHost } from '../../support/smtpHosts';
import { message } from '../../../src/shared/messages/message';
import type { MailHealthWarnings } from '../../../src/modules/notification/domain/MailHealthWarnings';

const HOUR = 3600_000;
const NONE = { auth: 0, sender: 0, tls: 0, connection: 0, rejected: 0, other: 0 };
const login = { username: 'kos@kunde.ch', password: 'richtig-Pa55' };

/** A port nobody listens on: connections to it are refused. */
async function closedPort(): Promise<number> {
  const server = createServer();
  const port = await new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe.each(DATABASE_KINDS)('mail health on %s', (kind) => {
  let t: DeliveryTestApp;
  let host: TestSmtpHost | undefined;
  let seq = 0;
  /** The tenants of each read of many tenants' endpoints. */
  const batchReads: string[][] = [];

  beforeAll(async () => {
    t = await createDeliveryTestApp(kind, {
      prepare: (container) => {
        // A tenant whose stored settings cannot be read (e.g. a password under a lost key): a state the API cannot produce.
        const real = container.get(MAIL_HOST_DIRECTORY);
        const broken: MailHostDirectory = {
          endpointFor: async (tenantId) =>
            tenantId.startsWith('broken')
              ? Promise.reject(new Error('the stored password does not decrypt with any configured key'))
              : real.endpointFor(tenantId),
          endpointsFor: async (tenantIds) => {
            batchReads.push(tenantIds);
            return tenantIds.some((tenantId) => tenantId.startsWith('broken'))
              ? Promise.reject(new Error('the stored password does not decrypt with any configured key'))
              : real.endpointsFor(tenantIds);
          },
          park: (tenantId, version, reason) => real.park(tenantId, version, reason),
          markVerified: (tenantId, version) => real.markVerified(tenantId, version),
        };
        container.rebind(MAIL_HOST_DIRECTORY).toConstantValue(broken);
        // A warning source as the sender-refusal store and the client-secret check plug in.
        const refusals: MailHealthWarnings = {
          warningsFor: async (tenant) =>
            tenant.id.startsWith('warned') ? [message('oauth2_client_secret_expiring', { expiresAt: '2027-01-15', days: 10 })] : [],
        };
        container.bind(MAIL_HEALTH_WARNINGS).toConstantValue(refusals);
      },
    });
  });
  afterEach(async () => {
    await t.container.get(MAIL_TRANSPORT).close();
    await host?.close();
    host = undefined;
  });
  afterAll(async () => t.close());

  const health = async (tenantId: string, auth: Record<string, string> = ADMIN) => request(t.app).get(`/api/v1/tenants/${tenantId}/mail/health`).set(auth);

  /** A tenant on a scripted host (or the given port), one notification, its final status and the tenant's health. */
  async function sendOne(
    behaviour: HostBehaviour | { port: number },
    mail: Partial<LoopbackTenant> = {},
    prefix = 'health',
  ): Promise<{ tenantId: string; status: Record<string, any>; health: Record<string, any> }> {
    let port: number;
    if ('port' in behaviour) port = behaviour.port;
    else {
      host = await startSmtpHost({ login, ...behaviour });
      port = host.port;
    }
    const tenantId = `${prefix}-${++seq}`;
    await t.putTenant(tenantId, loopbackTenant({ port, alertSender: { address: 'kos@kunde.ch' }, allowedSenders: ['*@kunde.ch'], ...login, ...mail }));
    const queued = await t.notify(tenantId, notificationBody());
    expect(queued.status).toBe(202);
    const status = await t.waitForStatus(tenantId, queued.body.id, ['sent', 'failed', 'parked']);
    const response = await health(tenantId);
    expect(response.status).toBe(200);
    return { tenantId, status, health: response.body };
  }

  it('is ok with the last success, no failures and nothing queued after a delivery', async () => {
    const before = Date.now();
    const { status, health: view } = await sendOne({});
    expect(status.status).toBe('sent');
    expect(view).toEqual({ state: 'ok', warnings: [], lastSuccessAt: status.sentAt, failures24h: NONE, queued: 0, oldestQueuedSeconds: 0 });
    expect(Date.parse(view.lastSuccessAt)).toBeGreaterThanOrEqual(before - 1_000);
  });

  it('goes from unverified to ok by a passed verify, and back to unverified when the mail settings change', async () => {
    host = await startSmtpHost({ login });
    const tenantId = `verified-${++seq}`;
    const settings = loopbackTenant({ port: host.port, alertSender: { address: 'kos@kunde.ch' }, allowedSenders: ['*@kunde.ch'], ...login });
    await t.putTenant(tenantId, settings);
    expect((await health(tenantId)).body).toMatchObject({ state: 'unverified', warnings: [] });
    const before = Date.now();
    const verified = await request(t.app).post(`/api/v1/tenants/${tenantId}/mail/verify`).set(ADMIN).send({});
    expect(verified.body.ok).toBe(true);
    const view = (await health(tenantId)).body;
    expect(view).toMatchObject({ state: 'ok', lastVerifiedAt: expect.any(String) });
    expect(Date.parse(view.lastVerifiedAt)).toBeGreaterThanOrEqual(before - 1_000);
    expect(view.lastSuccessAt).toBeUndefined();
    // a failed verify does not count
    await t.putTenant(tenantId, { ...settings, mail: { ...(settings.mail as object), password: 'falsch' } });
    expect((await health(tenantId)).body).toMatchObject({ state: 'unverified' });
    expect((await health(tenantId)).body.lastVerifiedAt).toBeUndefined();
    expect((await request(t.app).post(`/api/v1/tenants/${tenantId}/mail/verify`).set(ADMIN).send({})).body.ok).toBe(false);
    expect((await health(tenantId)).body).toMatchObject({ state: 'unverified' });
  });

  it('is warning with the warnings of its sources, and parked outranks a warning', async () => {
    const { health: sent } = await sendOne({}, {}, 'warned');
    expect(sent).toMatchObject({
      state: 'warning',
      warnings: [{ code: 'oauth2_client_secret_expiring', params: { expiresAt: '2027-01-15', days: 10 }, message: expect.stringContaining('2027-01-15') }],
    });
    await t.container.get(MAIL_TRANSPORT).close();
    await host?.close();
    const { health: parked } = await sendOne({}, { password: 'falsch' }, 'warned');
    expect(parked).toMatchObject({ state: 'parked', reasonCode: 'login_refused', warnings: [{ code: 'oauth2_client_secret_expiring' }] });
  });

  it('counts a refused login as auth, shows the tenant parked and its waiting mail', async () => {
    const { status, health: view } = await sendOne({}, { password: 'falsch' });
    expect(status.status).toBe('parked');
    expect(view).toEqual({
      state: 'parked',
      since: expect.any(String),
      reason: expect.stringContaining('535'),
      reasonCode: 'login_refused',
      reasonParams: { reply: expect.stringContaining('535') },
      warnings: [],
      lastFailureAt: expect.any(String),
      failures24h: { ...NONE, auth: 1 },
      queued: 1,
      oldestQueuedSeconds: expect.any(Number),
    });
    expect(view.oldestQueuedSeconds).toBeGreaterThanOrEqual(0);
    expect(view.oldestQueuedSeconds).toBeLessThan(60);
    expect(JSON.stringify(view)).not.toContain('falsch');
  });

  it('counts a sender refused at MAIL FROM as sender, and warns with the refused author while the mail goes via the alert address', async () => {
    const { status, health: view } = await sendOne({
      onMailFrom: (address) =>
        address === 'kos@kunde.ch' ? undefined : smtpError(553, `5.7.1 <${address}>: Sender address rejected: not owned by user kos@kunde.ch`),
    });
    expect(status).toMatchObject({ status: 'sent', attempts: 2, senderRewritten: true });
    expect(view).toMatchObject({ state: 'warning', failures24h: { ...NONE, sender: 1 }, queued: 0, oldestQueuedSeconds: 0, lastFailureAt: expect.any(String) });
    expect(view.warnings).toEqual([
      { code: 'senders_refused', params: { addresses: ['anna.meier@kunde.ch'] }, message: expect.stringContaining('mail.allowedSenders') },
    ]);
  });

  it('counts a refused alert address as sender and fails the message', async () => {
    const { status, health: view } = await sendOne({
      onMailFrom: (address) => smtpError(553, `5.7.1 <${address}>: Sender address rejected: not owned by user kos@kunde.ch`),
    });
    expect(status).toMatchObject({ status: 'failed', attempts: 2 });
    expect(status.lastError).toContain('alertSender');
    expect(view).toMatchObject({ state: 'warning', failures24h: { ...NONE, sender: 2 }, lastFailureAt: expect.any(String) });
    expect(view.lastSuccessAt).toBeUndefined();
  });

  it('counts every try against a host that hides STARTTLS under security starttls as tls', async () => {
    const { status, health: view } = await sendOne({}, { security: 'starttls' });
    expect(status).toMatchObject({ status: 'failed', attempts: 4 });
    expect(view.failures24h).toEqual({ ...NONE, tls: 4 });
  });

  it('counts every try against a port that refuses connections as connection', async () => {
    const { status, health: view } = await sendOne({ port: await closedPort() });
    expect(status).toMatchObject({ status: 'failed', attempts: 4 });
    expect(view.failures24h).toEqual({ ...NONE, connection: 4 });
  });

  it('counts a 5xx reply for every recipient as rejected', async () => {
    const { status, health: view } = await sendOne({ onRcptTo: (address) => smtpError(550, `5.1.1 <${address}>: Recipient address rejected: User unknown`) });
    expect(status).toMatchObject({ status: 'failed', attempts: 1 });
    expect(view.failures24h).toEqual({ ...NONE, rejected: 1 });
  });

  it('counts a failure outside the SMTP exchange as other', async () => {
    const { status, health: view } = await sendOne({}, {}, 'broken');
    expect(status).toMatchObject({ status: 'failed', attempts: 4 });
    expect(status.lastError).toContain('could not be read');
    expect(view.failures24h).toEqual({ ...NONE, other: 4 });
    expect(host!.commands).toEqual([]);
  });

  it("fails only the tenant whose settings cannot be read when its mail is claimed with other tenants' mail", async () => {
    host = await startSmtpHost({ login });
    const tenants = [`broken-${++seq}`, `together-${++seq}`, `together-${++seq}`];
    for (const tenantId of tenants)
      await t.putTenant(tenantId, loopbackTenant({ port: host.port, alertSender: { address: 'kos@kunde.ch' }, allowedSenders: ['*@kunde.ch'], ...login }));
    // Queued while the dispatcher stands, so that one claim takes all three and their settings are read together.
    await t.dispatcher.stop();
    const ids = [];
    for (const tenantId of tenants) ids.push((await t.notify(tenantId, notificationBody())).body.id as string);
    await t.dispatcher.start();
    expect(await t.waitForStatus(tenants[1]!, ids[1]!, ['sent', 'failed'])).toMatchObject({ status: 'sent', attempts: 1 });
    expect(await t.waitForStatus(tenants[2]!, ids[2]!, ['sent', 'failed'])).toMatchObject({ status: 'sent', attempts: 1 });
    const broken = await t.waitForStatus(tenants[0]!, ids[0]!, ['sent', 'failed']);
    expect(broken).toMatchObject({ status: 'failed', attempts: 4 });
    expect(broken.lastError).toContain('could not be read');
    expect(batchReads).toContainEqual(expect.arrayContaining(tenants));
  });

  it('counts only the last 24 hours and keeps the failures table bounded', async () => {
    const tenantId = 'window';
    await t.putTenant(tenantId, loopbackTenant({ port: 25, alertSender: { address: 'kos@kunde.ch' } }));
    const log = new KnexDeliveryFailureLog(t.container.get(DATABASE));
    const now = Date.now();
    await log.record(tenantId, 'connection', new Date(now - FAILURE_RETENTION_MS - 2 * HOUR));
    await log.record(tenantId, 'tls', new Date(now - 25 * HOUR));
    await log.record(tenantId, 'auth', new Date(now - HOUR));
    const view = (await health(tenantId)).body;
    expect(view.failures24h).toEqual({ ...NONE, auth: 1 });
    expect(view.lastFailureAt).toBe(new Date(now - HOUR).toISOString());
    // The last write pruned what is older than the retention.
    const kept = await t.container.get(DATABASE)('delivery_failures').where({ tenant_id: tenantId }).orderBy('at').pluck('category');
    expect(kept).toEqual(['tls', 'auth']);
  });

  it("answers the tenant's own key, 404 to another tenant's key and for an unknown tenant, and is described in OpenAPI", async () => {
    await t.putTenant('own', loopbackTenant({ port: 25, alertSender: { address: 'kos@kunde.ch' } }));
    await t.putTenant('stranger', loopbackTenant({ port: 25, alertSender: { address: 'kos@kunde.ch' } }));
    const own = (await request(t.app).post('/api/v1/tenants/own/api-keys').set(ADMIN).send({})).body.key;
    const stranger = (await request(t.app).post('/api/v1/tenants/stranger/api-keys').set(ADMIN).send({})).body.key;
    expect((await health('own', { Authorization: `Bearer ${own}` })).body).toEqual({
      state: 'unverified',
      warnings: [],
      failures24h: NONE,
      queued: 0,
      oldestQueuedSeconds: 0,
    });
    expect((await health('own', { Authorization: `Bearer ${stranger}` })).status).toBe(404);
    expect((await health('nobody')).status).toBe(404);
    expect((await request(t.app).get('/api/v1/tenants/own/mail/health')).status).toBe(401);

    const openApi = (await request(t.app).get('/openapi.json')).body;
    const operation = openApi.paths['/api/v1/tenants/{tenantId}/mail/health'].get;
    expect(operation.operationId).toBe('getMailHealth');
    expect(operation.responses['200'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/MailHealth' });
    const schema = JSON.stringify(openApi.components.schemas.MailHealth);
    for (const field of [
      'state',
      'unverified',
      'warning',
      'warnings',
      'reasonCode',
      'lastVerifiedAt',
      'lastSuccessAt',
      'lastFailureAt',
      'failures24h',
      'auth',
      'sender',
      'tls',
      'connection',
      'rejected',
      'other',
      'queued',
      'oldestQueuedSeconds',
    ])
      expect(schema).toContain(`"${field}"`);
  });
});
