import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixedClock } from '../../../src/shared/time/FixedClock';
import { DATABASE } from '../../../src/shared/tokens';
import { DATABASE_KINDS } from '../../support/databases';
import { ADMIN, createDeliveryTestApp, loopbackTenant, type DeliveryTestApp } from '../../support/deliveryApp';
import { TestSmtpServer } from '../../support/TestSmtpServer';

// 11:00 in Zurich on 2027-03-10: run date D = 2027-03-10.
const NOW = '2027-03-10T10:00:00Z';

describe.each(DATABASE_KINDS)('a digest stored as its lines and rendered when sent, on %s', (kind) => {
  let t: DeliveryTestApp;
  let smtp: TestSmtpServer;
  const clock = new FixedClock(NOW);

  beforeAll(async () => {
    smtp = await TestSmtpServer.start();
    t = await createDeliveryTestApp(kind, { clock });
    await t.putTenant('acme', loopbackTenant({ port: smtp.port, name: 'ACME AG', alertSender: { address: 'alerts@acme.ch' }, allowedSenders: ['*@acme.ch'] }));
    const stored = await request(t.app)
      .put('/api/v1/tenants/acme/deadlines/T1')
      .set(ADMIN)
      .send({ title: 'Offerte Müller', dueDate: '2027-03-07', assignees: [{ email: 'anna@acme.ch', name: 'Anna Meier' }], url: 'https://kos.example/t/T1' });
    expect(stored.status).toBe(201);
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  it('keeps the lines of its run: a retry after the deadline changed sends the digest as it was', async () => {
    // The first try is refused for now; the retry waits for the test's clock.
    smtp.dataReplies.push({ code: 451, message: '4.3.0 Try again later' });
    const started = await request(t.app).post('/api/v1/alert-runs').set(ADMIN).send({});
    expect(started.status).toBe(202);
    await expect.poll(async () => (await request(t.app).get(`/api/v1/alert-runs/${started.body.id}`).set(ADMIN)).body.status).toBe('completed');
    await expect.poll(() => smtp.dataReplies.length).toBe(0);

    const db = t.container.get(DATABASE);
    const [body] = await db('outbox_bodies')
      .join('outbox_messages', 'outbox_messages.id', 'outbox_bodies.id')
      .where({ kind: 'digest' })
      .select('outbox_bodies.*');
    expect(body.text_body).toBe('');
    expect(body.html_body).toBeNull();
    const snapshot = JSON.parse(body.snapshot_json);
    expect(snapshot).toMatchObject({
      template: 'digest',
      data: { locale: 'de', tenantName: 'ACME AG', recipientName: 'Anna Meier', date: '2027-03-10', soon: [] },
    });
    expect(snapshot.data.reached).toEqual([{ ticketId: 'T1', title: 'Offerte Müller', dueDate: '2027-03-07', url: 'https://kos.example/t/T1', isNew: true }]);

    const changed = await request(t.app)
      .put('/api/v1/tenants/acme/deadlines/T1')
      .set(ADMIN)
      .send({ title: 'Offerte Meier', dueDate: '2027-03-08', assignees: [{ email: 'anna@acme.ch', name: 'Anna Meier' }] });
    expect(changed.status).toBe(200);
    clock.advance(60_000);
    const [received] = await smtp.waitForMessages(1);
    const mail = await smtp.parse(received!);
    expect(mail.subject).toBe('KOS: 1 Frist erreicht');
    expect(mail.text).toContain('- [NEU] Offerte Müller (T1) · fällig am 07.03.2027 · 3 Tage überfällig');
    expect(mail.text).toContain('https://kos.example/t/T1');
    expect(mail.text).not.toContain('Meier (T1)');
    expect(mail.html).toContain('<a href="https://kos.example/t/T1">Offerte Müller</a> (T1)');
    // The host's 250 reaches the test before the dispatcher's group commit records it.
    const [listed] = (await request(t.app).get('/api/v1/tenants/acme/notifications').set(ADMIN)).body.items;
    const view = await t.waitForStatus('acme', listed.id, ['sent', 'failed']);
    expect(view).toMatchObject({ kind: 'digest', status: 'sent', attempts: 2 });
  });
});
