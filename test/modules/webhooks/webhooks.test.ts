import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import request from 'supertest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ALERT_RUN_STORE } from '../../../src/modules/alerting/tokens';
import { WebhookSender } from '../../../src/modules/webhooks/application/WebhookSender';
import { DEFAULT_WEBHOOK_OPTIONS, WEBHOOK_OPTIONS } from '../../../src/modules/webhooks/tokens';
import { DATABASE } from '../../../src/shared/tokens';
import { DATABASE_KINDS } from '../../support/databases';
import { ADMIN, createDeliveryTestApp, loopbackTenant, notificationBody, type DeliveryTestApp } from '../../support/deliveryApp';
import { TestSmtpServer } from '../../support/TestSmtpServer';
import { WebhookReceiver, type ReceivedWebhook } from '../../support/WebhookReceiver';

const key = randomBytes(32);
const secret = `whsec_${key.toString('base64')}`;
/** The reference implementation checks what KOS would check: signature, id and timestamp. */
const verifier = new Webhook(secret);

function verified(webhook: ReceivedWebhook): { type: string; timestamp: string; data: Record<string, any> } {
  const headers = {
    'webhook-id': String(webhook.headers['webhook-id']),
    'webhook-timestamp': String(webhook.headers['webhook-timestamp']),
    'webhook-signature': String(webhook.headers['webhook-signature']),
  };
  return verifier.verify(webhook.body, headers) as { type: string; timestamp: string; data: Record<string, any> };
}

describe.each(DATABASE_KINDS)('webhooks on %s', (kind) => {
  let t: DeliveryTestApp;
  let smtp: TestSmtpServer;
  let receiver: WebhookReceiver;
  let sender: WebhookSender;
  let seq = 0;

  beforeAll(async () => {
    smtp = await TestSmtpServer.start();
    receiver = await WebhookReceiver.start();
    t = await createDeliveryTestApp(kind, {
      config: { webhookUrl: receiver.url, webhookSecret: key, retrySchedule: [100, 100] },
      prepare: (container) => {
        container.rebind(WEBHOOK_OPTIONS).toConstantValue({ ...DEFAULT_WEBHOOK_OPTIONS, pollIntervalMs: 50 });
      },
    });
    sender = t.container.get(WebhookSender);
    await sender.start();
  });
  afterEach(() => {
    receiver.respond = () => 200;
    smtp.password = undefined;
  });
  afterAll(async () => {
    await sender.stop();
    await t.close();
    await receiver.close();
    await smtp.close();
  });

  async function tenant(extra: Record<string, unknown> = {}): Promise<string> {
    const id = `hooks-${kind}-${++seq}`;
    await t.putTenant(id, loopbackTenant({ port: smtp.port, alertSender: { address: 'kos@kunde.ch' }, allowedSenders: ['*@kunde.ch'], ...extra }));
    return id;
  }

  /** Waits for the first event of the type about `subject` (an id in its data), verified with the reference library. */
  async function eventFor(type: string, match: (data: Record<string, any>) => boolean) {
    let found: ReturnType<typeof verified> | undefined;
    await expect
      .poll(
        () => {
          found = receiver
            .ofType(type)
            .map(verified)
            .find((event) => match(event.data));
          return found !== undefined;
        },
        { timeout: 5_000, interval: 20 },
      )
      .toBe(true);
    return found!;
  }

  it('sends notification.sent, signed so that the standardwebhooks reference verifies it, with what GET answers', async () => {
    const id = await tenant();
    const queued = await t.notify(id, notificationBody({ subject: 'Hook sent' }));
    const status = await t.waitForStatus(id, queued.body.id, ['sent', 'failed']);
    const event = await eventFor('notification.sent', (data) => data.id === queued.body.id);
    expect(event.data).toEqual({ tenantId: id, ...status });
    expect(Date.parse(event.timestamp)).toBeGreaterThan(Date.now() - 60_000);
    const webhook = receiver.ofType('notification.sent').find((candidate) => JSON.parse(candidate.body).data.id === queued.body.id)!;
    expect(webhook.headers['content-type']).toBe('application/json');
    expect(webhook.headers['webhook-id']).toMatch(/^evt_/);
    // A body changed on the way is refused by the reference check.
    expect(() => verifier.verify(webhook.body.replace('Hook sent', 'Hook sant'), webhook.headers as Record<string, string>)).toThrow();
  });

  it('sends notification.failed for a mail the host refuses for good', async () => {
    const id = await tenant();
    smtp.dataReplies.push({ code: 550, message: '5.6.0 Message refused by content filter' });
    const queued = await t.notify(id, notificationBody({ subject: 'Hook failed' }));
    await t.waitForStatus(id, queued.body.id, ['sent', 'failed']);
    const event = await eventFor('notification.failed', (data) => data.id === queued.body.id);
    expect(event.data).toMatchObject({
      tenantId: id,
      status: 'failed',
      lastError: expect.stringContaining('550 5.6.0'),
      lastErrorCode: 'message_refused',
      lastErrorParams: { phase: 'data', reply: expect.stringContaining('550 5.6.0') },
    });
  });

  it('sends notification.parked and tenant.mail_parked on a refused login, tenant.mail_resumed once the settings change', async () => {
    smtp.password = 'richtig';
    const settings = { username: 'kos@kunde.ch' };
    const id = await tenant({ ...settings, password: 'falsch' });
    const queued = await t.notify(id, notificationBody({ subject: 'Hook parked' }));
    await t.waitForStatus(id, queued.body.id, ['parked', 'sent', 'failed']);
    expect((await eventFor('notification.parked', (data) => data.id === queued.body.id)).data).toMatchObject({
      tenantId: id,
      status: 'parked',
      lastErrorCode: 'login_refused',
    });
    const parked = await eventFor('tenant.mail_parked', (data) => data.tenantId === id);
    expect(parked.data.mailStatus).toMatchObject({
      state: 'parked',
      reason: expect.stringContaining('535'),
      reasonCode: 'login_refused',
      reasonParams: { reply: expect.stringContaining('535') },
    });
    expect(receiver.ofType('tenant.mail_parked').filter((webhook) => JSON.parse(webhook.body).data.tenantId === id)).toHaveLength(1);

    await t.putTenant(
      id,
      loopbackTenant({ port: smtp.port, alertSender: { address: 'kos@kunde.ch' }, allowedSenders: ['*@kunde.ch'], ...settings, password: 'richtig' }),
    );
    expect((await eventFor('tenant.mail_resumed', (data) => data.tenantId === id)).data).toEqual({ tenantId: id, mailStatus: { state: 'ok' } });
    expect((await eventFor('notification.sent', (data) => data.id === queued.body.id)).data).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it('sends alert_run.completed with what GET /alert-runs/{id} answers, and alert_run.failed', async () => {
    const started = await request(t.app).post('/api/v1/alert-runs').set(ADMIN).send({});
    expect(started.status).toBe(202);
    const event = await eventFor('alert_run.completed', (data) => data.id === started.body.id);
    const run = await request(t.app).get(`/api/v1/alert-runs/${started.body.id}`).set(ADMIN);
    expect(event.data).toEqual(run.body);

    const store = t.container.get(ALERT_RUN_STORE);
    const failedId = `run-failed-${kind}`;
    await store.start({ id: failedId, date: '2026-12-01', trigger: 'manual', startedAt: new Date() });
    await store.finish(failedId, {
      status: 'failed',
      finishedAt: new Date(),
      counts: { tenants: 0, recipients: 0, queued: 0, alreadySent: 0 },
      errors: [{ message: 'the deadlines could not be read' }],
    });
    const failed = await eventFor('alert_run.failed', (data) => data.id === failedId);
    expect(failed.data).toMatchObject({ status: 'failed', errors: [{ message: 'the deadlines could not be read' }] });
  });

  it('sends an event again with the same webhook-id after a 500, and lists it as delivered', async () => {
    receiver.respond = (_, webhook) =>
      receiver.received.filter((other) => other.headers['webhook-id'] === webhook.headers['webhook-id']).length === 1 ? 500 : 200;
    const id = await tenant();
    const queued = await t.notify(id, notificationBody({ subject: 'Hook retry' }));
    await t.waitForStatus(id, queued.body.id, ['sent', 'failed']);
    await expect
      .poll(() => receiver.ofType('notification.sent').filter((webhook) => JSON.parse(webhook.body).data.id === queued.body.id).length, { timeout: 5_000 })
      .toBe(2);
    const [first, second] = receiver.ofType('notification.sent').filter((webhook) => JSON.parse(webhook.body).data.id === queued.body.id);
    expect(first!.answered).toBe(500);
    expect(second!.answered).toBe(200);
    expect(second!.headers['webhook-id']).toBe(first!.headers['webhook-id']);
    expect(second!.body).toBe(first!.body);
    expect(verified(second!).data.id).toBe(queued.body.id);

    const eventId = String(first!.headers['webhook-id']);
    await expect
      .poll(
        async () =>
          (await request(t.app).get('/api/v1/webhook-deliveries?status=delivered&limit=500').set(ADMIN)).body.items.find((item: any) => item.id === eventId),
        { timeout: 5_000 },
      )
      .toMatchObject({ id: eventId, type: 'notification.sent', tenantId: id, status: 'delivered', attempts: 2, deliveredAt: expect.any(String) });
  });

  it('gives an event up after the retry schedule, lists it under status=failed and counts it in /metrics', async () => {
    const id = await tenant();
    receiver.respond = (_, webhook) => (JSON.parse(webhook.body).data.tenantId === id ? 503 : 200);
    const queued = await t.notify(id, notificationBody({ subject: 'Hook given up' }));
    await t.waitForStatus(id, queued.body.id, ['sent', 'failed']);
    let failed: any;
    await expect
      .poll(
        async () => {
          failed = (await request(t.app).get('/api/v1/webhook-deliveries?status=failed').set(ADMIN)).body.items.find((item: any) => item.tenantId === id);
          return failed;
        },
        { timeout: 5_000 },
      )
      .toBeDefined();
    expect(failed).toMatchObject({
      status: 'failed',
      attempts: 3,
      lastError: expect.stringContaining('gave up after 3 tries: the receiver answered HTTP 503'),
    });
    const metrics = (await request(t.app).get('/metrics')).text;
    expect(metrics).toMatch(/kos_webhook_failed_total\{type="notification.sent"\} [1-9]/);
    expect(metrics).toMatch(/kos_webhook_delivered_total\{type="notification.sent"\} [1-9]/);
    expect(metrics).toMatch(/kos_webhook_retried_total\{type="notification.sent"\} [1-9]/);
    expect(metrics).toMatch(/^kos_webhook_pending \d+$/m);
  });

  it('pages GET /webhook-deliveries with a cursor, admin only, and refuses an unknown status naming the field', async () => {
    const page = await request(t.app).get('/api/v1/webhook-deliveries?limit=1').set(ADMIN);
    expect(page.status).toBe(200);
    expect(page.body.items).toHaveLength(1);
    expect(page.body.nextCursor).toEqual(expect.any(String));
    const next = await request(t.app).get(`/api/v1/webhook-deliveries?limit=1&cursor=${page.body.nextCursor}`).set(ADMIN);
    expect(next.body.items[0].id).not.toBe(page.body.items[0].id);
    const bad = await request(t.app).get('/api/v1/webhook-deliveries?status=lost').set(ADMIN);
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.errors)).toContain('status');
    expect(bad.body).toMatchObject({
      code: 'validation_failed',
      errors: [{ path: 'query.status', code: 'invalid_value', params: { values: expect.stringContaining('failed') } }],
    });
    const lost = await request(t.app).get('/api/v1/webhook-deliveries?cursor=nope').set(ADMIN);
    expect(lost.body).toMatchObject({ status: 400, code: 'cursor_unknown', errors: [{ path: 'query.cursor', code: 'unknown_cursor' }] });
    const rows = await t.container.get(DATABASE)('webhook_events').count({ n: '*' }).first();
    expect(Number(rows!.n)).toBeGreaterThan(1);
  });

  it("deleting a tenant removes its events, sent or not, and keeps the other tenants' events", async () => {
    const [gone, kept] = [await tenant(), await tenant()];
    for (const id of [gone, kept]) {
      const queued = await t.notify(id, notificationBody({ subject: `Hook delete ${id}` }));
      await t.waitForStatus(id, queued.body.id, ['sent']);
      await eventFor('notification.sent', (data) => data.id === queued.body.id);
    }
    const db = t.container.get(DATABASE);
    const count = async (id: string) => Number((await db('webhook_events').where({ tenant_id: id }).count({ n: '*' }).first())!.n);
    expect(await count(gone)).toBeGreaterThan(0);
    expect((await request(t.app).delete(`/api/v1/tenants/${gone}`).set(ADMIN)).status).toBe(204);
    expect(await count(gone)).toBe(0);
    expect(await count(kept)).toBeGreaterThan(0);
  });
});
