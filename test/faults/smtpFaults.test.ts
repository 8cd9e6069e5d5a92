import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDeliveryTestApp, loopbackTenant, notificationBody, type DeliveryTestApp } from '../support/deliveryApp';
import { TestSmtpServer } from '../support/TestSmtpServer';

/**
 * Every fault the scriptable host can produce, against the real dispatcher: what the sender of
 * the mail sees (status, attempts, lastError) and what arrived at the host.
 */
describe('delivery under scripted SMTP faults', () => {
  let t: DeliveryTestApp;
  let smtp: TestSmtpServer;
  let n = 0;

  beforeAll(async () => {
    t = await createDeliveryTestApp('sqlite', { delivery: { pollIntervalMs: 50, greetingTimeoutMs: 400, socketTimeoutMs: 2_000, connectionTimeoutMs: 1_000 } });
  });
  afterAll(async () => t?.close());
  afterEach(async () => smtp?.close());

  async function tenantOn(
    options: Parameters<typeof TestSmtpServer.start>[0] = {},
    login?: { username: string; password: string },
    security: 'none' | 'starttls' = 'none',
  ): Promise<string> {
    smtp = await TestSmtpServer.start(options);
    const id = `fault-${++n}`;
    await t.putTenant(id, loopbackTenant({ alertSender: { address: 'kos@kunde.ch' }, allowedSenders: ['*@kunde.ch'], port: smtp.port, security, ...login }));
    return id;
  }

  async function send(tenantId: string, overrides: Record<string, unknown> = {}): Promise<string> {
    const response = await t.notify(tenantId, notificationBody(overrides));
    expect(response.status).toBe(202);
    return response.body.id;
  }

  it('421 at greeting is retried until the host greets', async () => {
    const id = await tenantOn();
    smtp.onConnect = (session) => (session < 2 ? { code: 421, message: '4.3.2 Service not available, closing channel' } : undefined);
    const view = await t.waitForStatus(id, await send(id), ['sent', 'failed']);
    expect(view).toMatchObject({ status: 'sent' });
    expect(view.attempts).toBeGreaterThanOrEqual(2);
    expect(smtp.received).toHaveLength(1);
  });

  it('4xx at MAIL FROM is retried; 5xx at DATA fails at once with the reply', async () => {
    const id = await tenantOn();
    let mailFroms = 0;
    smtp.onMailFrom = () => (mailFroms++ === 0 ? { code: 451, message: '4.3.0 Temporary lookup failure' } : undefined);
    expect(await t.waitForStatus(id, await send(id), ['sent', 'failed'])).toMatchObject({ status: 'sent', attempts: 2 });
    smtp.onData = () => ({ code: 554, message: '5.6.0 Message refused by content filter' });
    const failed = await t.waitForStatus(id, await send(id), ['sent', 'failed']);
    expect(failed).toMatchObject({ status: 'failed', attempts: 1 });
    expect(failed.lastError).toContain('5.6.0');
  });

  it('a recipient refused at RCPT is recorded; the others get the mail', async () => {
    const id = await tenantOn();
    smtp.onRcptTo = (address) => (address.startsWith('gone') ? { code: 550, message: '5.1.1 No such user' } : undefined);
    const view = await t.waitForStatus(id, await send(id, { to: [{ email: 'gone@kunde.ch' }, { email: 'here@kunde.ch' }] }), ['sent', 'failed']);
    expect(view.status).toBe('sent');
    expect(view.rejectedRecipients).toEqual([expect.objectContaining({ address: 'gone@kunde.ch', code: 550 })]);
    expect(smtp.received.map((mail) => mail.envelope.to)).toEqual([['here@kunde.ch']]);
  });

  it('535 at AUTH parks the tenant instead of burning retries', async () => {
    const id = await tenantOn({ password: 'right', requireAuth: true }, { username: 'kos', password: 'wrong' });
    const view = await t.waitForStatus(id, await send(id), ['parked', 'sent', 'failed']);
    expect(view).toMatchObject({ status: 'parked', attempts: 1 });
    expect(view.lastError).toContain('mail.password');
    expect(smtp.received).toHaveLength(0);
  });

  it('a connection cut after DATA (message stored, no reply) is sent again: at-least-once, one duplicate', async () => {
    const id = await tenantOn();
    smtp.onData = (_mail, index) => (index === 0 ? 'drop' : 'accept');
    const view = await t.waitForStatus(id, await send(id), ['sent', 'failed']);
    expect(view).toMatchObject({ status: 'sent', attempts: 2 });
    expect(smtp.dropped).toBe(1);
    const ids = smtp.received.map((mail) => /^Message-ID: (<[^>]+>)/im.exec(mail.raw.toString())?.[1]);
    // The same Message-ID both times, so that the recipient's client can fold the duplicate.
    expect(ids).toHaveLength(2);
    expect(new Set(ids).size).toBe(1);
  });

  it('a host that stalls its greeting past the timeout is retried, and delivers once it answers', async () => {
    const id = await tenantOn();
    smtp.greetingDelayMs = 1_000;
    const queued = await send(id);
    await expect.poll(async () => (await t.status(id, queued)).attempts, { timeout: 5_000 }).toBeGreaterThanOrEqual(1);
    smtp.greetingDelayMs = 0;
    const view = await t.waitForStatus(id, queued, ['sent', 'failed']);
    expect(view.status).toBe('sent');
    expect(smtp.received).toHaveLength(1);
  });

  it('security starttls against a host that hides STARTTLS never sends the password or the mail in clear', async () => {
    const id = await tenantOn({ password: 'secret-pw', requireAuth: true }, { username: 'kos', password: 'secret-pw' }, 'starttls');
    const queued = await send(id);
    await expect.poll(async () => (await t.status(id, queued)).lastError, { timeout: 5_000 }).toBeDefined();
    const view = await t.status(id, queued);
    expect(view.status).not.toBe('sent');
    expect(view.lastError).toMatch(/TLS/i);
    expect(smtp.logins).toHaveLength(0);
    expect(smtp.received).toHaveLength(0);
  });

  it('454 throttling after N messages a minute: no more than N stored, the rest retried', async () => {
    const id = await tenantOn();
    smtp.throttlePerMinute = 3;
    const ids = await Promise.all(Array.from({ length: 5 }, (_, i) => send(id, { subject: `Drossel ${i}` })));
    const views = await Promise.all(ids.map((queued) => t.waitForStatus(id, queued, ['sent', 'failed'])));
    expect(views.filter((view) => view.status === 'sent')).toHaveLength(3);
    // The test retry schedule (50 ms, 100 ms, 200 ms) ends within the host's minute: the rest fail after their retries.
    for (const view of views.filter((v) => v.status === 'failed')) {
      expect(view.attempts).toBe(4);
      expect(view.lastError).toContain('454');
    }
    expect(smtp.received).toHaveLength(3);
    expect(smtp.throttled).toBeGreaterThanOrEqual(2 * 4);
  });
});
