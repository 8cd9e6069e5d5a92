import type { AddressObject, ParsedMail } from 'mailparser';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixedClock } from '../../../src/shared/time/FixedClock';
import { DATABASE } from '../../../src/shared/tokens';
import { DATABASE_KINDS } from '../../support/databases';
import { ADMIN, createDeliveryTestApp, loopbackTenant, type DeliveryTestApp } from '../../support/deliveryApp';
import { TestSmtpServer, type ReceivedMail } from '../../support/TestSmtpServer';

// 11:00 in Zurich on 2027-03-10: run date D = 2027-03-10.
const NOW = '2027-03-10T10:00:00Z';
const SCRIPT_TITLE = `<script>alert("x")</script> & 'quotes'`;

function addresses(field: AddressObject | AddressObject[] | undefined): Array<{ name: string; address?: string }> {
  return (Array.isArray(field) ? field : field ? [field] : []).flatMap((group) => group.value);
}

/** Rows the tenant still has in every table that keeps tenant data. */
async function rowsOf(t: DeliveryTestApp, tenantId: string): Promise<Record<string, number>> {
  const db = t.container.get(DATABASE);
  const counts: Record<string, number> = {};
  for (const table of ['outbox_messages', 'deadlines', 'deadline_assignees', 'alert_digests', 'delivery_failures', 'tenant_audit']) {
    counts[table] = Number((await db(table).where({ tenant_id: tenantId }).count({ n: '*' }))[0]!.n);
  }
  // The bodies carry no tenant id: a tenant's are those of its messages, and none may outlive them.
  const orphans = await db('outbox_bodies').whereNotIn('id', db('outbox_messages').select('id')).count({ n: '*' });
  expect(Number(orphans[0]!.n)).toBe(0);
  return counts;
}

describe.each(DATABASE_KINDS)('alert digests delivered end to end on %s', (kind) => {
  let t: DeliveryTestApp;
  let smtp: TestSmtpServer;

  beforeAll(async () => {
    smtp = await TestSmtpServer.start();
    t = await createDeliveryTestApp(kind, { clock: new FixedClock(NOW) });
    await t.putTenant(
      'acme',
      loopbackTenant({ port: smtp.port, name: 'ACME AG', alertSender: { address: 'alerts@acme.ch', name: 'ACME Fristen' }, allowedSenders: ['*@acme.ch'] }),
    );
    await t.putTenant('beta', loopbackTenant({ port: smtp.port, name: 'Beta SA', locale: 'fr', alertSender: { address: 'kos@beta.ch' } }));
    const acme = await request(t.app)
      .put('/api/v1/tenants/acme/deadlines')
      .set(ADMIN)
      .send({
        deadlines: [
          {
            ticketId: 'T1',
            title: 'Offerte Müller',
            dueDate: '2027-03-07',
            assignees: [
              { email: 'anna@acme.ch', name: 'Anna Meier' },
              { email: 'bob@acme.ch', locale: 'en' },
            ],
            url: 'https://kos.example/t/T1',
          },
          { ticketId: 'T2', title: SCRIPT_TITLE, dueDate: '2027-03-12', assignees: [{ email: 'BOB@acme.ch' }] },
          { ticketId: 'T3', title: 'Weit weg', dueDate: '2027-04-30', assignees: [{ email: 'carl@acme.ch' }] },
        ],
      });
    expect(acme.status).toBe(200);
    const beta = await request(t.app)
      .put('/api/v1/tenants/beta/deadlines/B-1')
      .set(ADMIN)
      .send({ title: 'Contrat', dueDate: '2027-03-08', assignees: [{ email: 'anna@acme.ch' }] });
    expect(beta.status).toBe(201);
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  async function runAlerts(): Promise<Record<string, any>> {
    const started = await request(t.app).post('/api/v1/alert-runs').set(ADMIN).send({});
    expect(started.status).toBe(202);
    await expect
      .poll(async () => (await request(t.app).get(`/api/v1/alert-runs/${started.body.id}`).set(ADMIN)).body.status, { timeout: 10_000 })
      .not.toBe('running');
    return (await request(t.app).get(`/api/v1/alert-runs/${started.body.id}`).set(ADMIN)).body;
  }

  async function digestTo(received: ReceivedMail[], tenantId: string, recipient: string): Promise<{ envelope: ReceivedMail['envelope']; mail: ParsedMail }> {
    const matching = [];
    for (const candidate of received) {
      const mail = await smtp.parse(candidate);
      if (mail.headers.get('x-kos-tenant') === tenantId && candidate.envelope.to.includes(recipient)) matching.push({ envelope: candidate.envelope, mail });
    }
    expect(matching, `${tenantId} → ${recipient}`).toHaveLength(1);
    return matching[0]!;
  }

  it('delivers one digest per assignee from the alert address, in the right language, marked as automatic', async () => {
    const run = await runAlerts();
    expect(run).toMatchObject({ status: 'completed', tenants: 2, recipients: 3, queued: 3, alreadySent: 0, errors: [] });
    const received = await smtp.waitForMessages(3);
    expect(received).toHaveLength(3);

    const anna = await digestTo(received, 'acme', 'anna@acme.ch');
    expect(anna.envelope).toEqual({ from: 'alerts@acme.ch', to: ['anna@acme.ch'] });
    expect(addresses(anna.mail.from)).toEqual([{ name: 'ACME Fristen', address: 'alerts@acme.ch' }]);
    expect(addresses(anna.mail.to)).toEqual([{ name: 'Anna Meier', address: 'anna@acme.ch' }]);
    expect(anna.mail.subject).toBe('KOS: 1 Frist erreicht');
    expect(anna.mail.headers.get('auto-submitted')).toBe('auto-generated');
    expect(anna.mail.headers.get('x-auto-response-suppress')).toBe('All');
    expect(anna.mail.headers.get('x-kos-tenant')).toBe('acme');
    expect(anna.mail.headerLines.find((line) => line.key === 'list-id')?.line).toMatch(/^List-Id: <acme\.kos-notify\.acme\.ch>$/i);
    expect(anna.mail.headers.has('list-unsubscribe')).toBe(false);
    expect(anna.mail.messageId).toMatch(/@acme\.ch>$/);
    expect(anna.mail.text).toContain('Offerte Müller');
    expect(anna.mail.text).toMatch(/Pflicht/);
    expect(anna.mail.html).toContain('Offerte Müller');

    const bob = await digestTo(received, 'acme', 'bob@acme.ch');
    expect(bob.envelope.from).toBe('alerts@acme.ch');
    expect(bob.mail.subject).toBe('KOS: 1 deadline reached, 1 due soon');
    expect(bob.mail.text).toContain(SCRIPT_TITLE);
    expect(bob.mail.html).not.toContain('<script>');
    expect(bob.mail.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quotes&#39;');

    const betaAnna = await digestTo(received, 'beta', 'anna@acme.ch');
    expect(betaAnna.envelope.from).toBe('kos@beta.ch');
    expect(addresses(betaAnna.mail.from)).toEqual([{ name: 'Beta SA', address: 'kos@beta.ch' }]);
    expect(betaAnna.mail.subject).toBe('KOS : 1 échéance atteinte');
    expect(betaAnna.mail.headers.get('x-kos-tenant')).toBe('beta');
    expect(betaAnna.mail.headerLines.find((line) => line.key === 'list-id')?.line).toMatch(/^List-Id: <beta\.kos-notify\.beta\.ch>$/i);
    expect(received.some((mail) => mail.envelope.to.includes('carl@acme.ch'))).toBe(false);
  });

  it('a second trigger of the day delivers nothing new', async () => {
    await smtp.waitForMessages(3);
    const again = await runAlerts();
    expect(again).toMatchObject({ status: 'completed', recipients: 3, queued: 0, alreadySent: 3 });
    // Nothing is left to send: every digest of both tenants is sent, none waits.
    for (const tenantId of ['acme', 'beta']) {
      const list = await request(t.app).get(`/api/v1/tenants/${tenantId}/notifications?limit=500`).set(ADMIN);
      expect(list.body.items.map((item: { kind: string; status: string }) => `${item.kind} ${item.status}`)).toEqual(
        tenantId === 'acme' ? ['digest sent', 'digest sent'] : ['digest sent'],
      );
    }
    expect(smtp.received).toHaveLength(3);
  });

  it('offboarding a tenant removes its notifications, deadlines and digest records, and nothing of the other', async () => {
    const digest = (await request(t.app).get('/api/v1/tenants/acme/notifications').set(ADMIN)).body.items[0];
    expect(await rowsOf(t, 'acme')).toMatchObject({ outbox_messages: 2, deadlines: 3, deadline_assignees: 4, alert_digests: 2 });
    const before = await rowsOf(t, 'beta');

    expect((await request(t.app).delete('/api/v1/tenants/acme').set(ADMIN)).status).toBe(204);
    expect(await rowsOf(t, 'acme')).toEqual({
      outbox_messages: 0,
      deadlines: 0,
      deadline_assignees: 0,
      alert_digests: 0,
      delivery_failures: 0,
      tenant_audit: 0,
    });
    expect((await request(t.app).get(`/api/v1/tenants/acme/notifications/${digest.id}`).set(ADMIN)).status).toBe(404);
    expect((await request(t.app).get('/api/v1/tenants/acme/deadlines').set(ADMIN)).status).toBe(404);
    expect((await request(t.app).get('/api/v1/tenants/acme').set(ADMIN)).status).toBe(404);
    expect(await rowsOf(t, 'beta')).toEqual(before);
    expect(before).toMatchObject({ outbox_messages: 1, deadlines: 1, alert_digests: 1 });
  });
});
