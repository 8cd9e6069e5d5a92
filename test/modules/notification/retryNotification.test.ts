import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_KINDS } from '../../support/databases';
import { createLiveApp, type LiveApp } from '../../support/liveApp';
import { TestSmtpServer } from '../../support/TestSmtpServer';

describe.each(DATABASE_KINDS)('POST …/notifications/{notificationId}/retry on %s', (kind) => {
  let live: LiveApp;
  let smtp: TestSmtpServer;
  let tenantKey: string;

  beforeAll(async () => {
    smtp = await TestSmtpServer.start();
    live = await createLiveApp(kind);
    const tenant = {
      name: 'Kunde AG',
      alertSender: { address: 'kos@kunde.ch' },
      mail: { preset: 'custom', host: '127.0.0.1', port: smtp.port, security: 'none', allowedSenders: ['*@kunde.ch'] },
    };
    expect((await live.call('PUT', '/tenants/kunde', { body: tenant })).status).toBe(201);
    tenantKey = (await live.call('POST', '/tenants/kunde/api-keys', { body: { name: 'KOS' } })).json.key;
  });
  afterAll(async () => {
    await live?.close();
    await smtp?.close();
  });

  const status = async (id: string) => (await live.call('GET', `/tenants/kunde/notifications/${id}`, { key: tenantKey })).json;
  async function until(id: string, wanted: string): Promise<Record<string, any>> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const notification = await status(id);
      if (notification.status === wanted) return notification;
      if (Date.now() > deadline) throw new Error(`notification ${id} is ${notification.status}, not ${wanted}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  it('queues a mail the host refused for good again once the host is fixed: delivered once, same id and Message-ID, audited', async () => {
    // The host refuses the message permanently (a content rule since relaxed).
    smtp.dataReplies.push({ code: 554, message: '5.7.1 Message rejected by content policy' });
    const queued = await live.call('POST', '/tenants/kunde/notifications', {
      key: tenantKey,
      body: { author: { name: 'Anna', email: 'anna@kunde.ch' }, to: [{ email: 'beat@kunde.ch' }], subject: 'Kommentar zu #4711', text: 'Bitte prüfen.' },
    });
    expect(queued.status).toBe(202);
    const failed = await until(queued.json.id, 'failed');
    expect(failed).toMatchObject({ attempts: 1, lastError: expect.stringContaining('554') });
    expect(smtp.received).toHaveLength(0);

    const retried = await live.call('POST', `/tenants/kunde/notifications/${queued.json.id}/retry`, { key: tenantKey });
    expect(retried.status).toBe(202);
    expect(retried.json).toEqual({ id: queued.json.id, status: 'queued' });
    const sent = await until(queued.json.id, 'sent');
    expect(sent).toMatchObject({ id: queued.json.id, attempts: 2, messageId: failed.messageId });

    await smtp.waitForMessages(1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(smtp.received).toHaveLength(1);
    const mail = await smtp.parse(smtp.received[0]!);
    expect(mail.messageId).toMatch(/^<[0-9a-f-]{36}@kunde\.ch>$/);
    expect(mail.messageId).toBe(failed.messageId);
    expect(mail.subject).toBe('Kommentar zu #4711');

    const audit = (await live.call('GET', '/tenants/kunde/audit', { key: tenantKey })).json.items as Array<Record<string, unknown>>;
    expect(audit[0]).toMatchObject({
      action: 'notification.retried',
      actor: expect.stringMatching(/^key:key_/),
      actorName: 'KOS',
      details: {
        notificationId: queued.json.id,
        lastError: expect.stringContaining('554'),
        lastErrorCode: 'message_refused',
        lastErrorParams: { phase: 'data', reply: expect.stringContaining('554') },
      },
    });
  });

  it('answers 409 problem+json for a notification that is not failed, and 404 for an unknown one', async () => {
    const queued = await live.call('POST', '/tenants/kunde/notifications', {
      body: { author: { name: 'Anna', email: 'anna@kunde.ch' }, to: [{ email: 'beat@kunde.ch' }], subject: 'Zweite', text: 'x' },
    });
    await until(queued.json.id, 'sent');
    const before = smtp.received.length;
    const conflict = await live.call('POST', `/tenants/kunde/notifications/${queued.json.id}/retry`);
    expect(conflict.status).toBe(409);
    expect(conflict.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(conflict.json).toEqual({
      type: 'https://kos-notify.dev/problems/conflict',
      title: 'Conflict',
      status: 409,
      detail: 'the notification is sent; only a failed notification can be retried',
      code: 'notification_not_failed',
      params: { status: 'sent' },
      errors: [{ path: 'status', message: 'is sent, not failed', code: 'status_not_failed', params: { status: 'sent' } }],
    });
    const unknown = await live.call('POST', '/tenants/kunde/notifications/msg_unknown/retry');
    expect(unknown.status).toBe(404);
    expect(unknown.json).toMatchObject({ status: 404, detail: 'no such notification', code: 'notification_not_found', params: {} });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(smtp.received.length).toBe(before);
  });
});
