import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE } from '../../../src/shared/tokens';
import { DATABASE_KINDS } from '../../support/databases';
import { ADMIN, createDeliveryTestApp, loopbackTenant, notificationBody, type DeliveryTestApp } from '../../support/deliveryApp';
import { smtpError, startSmtpHost, type TestSmtpHost } from '../../support/smtpHosts';

/** The AGIS host of the product note: Postfix with reject_sender_login_mismatch, its login owning only *@agis.ch. */
const login = { username: 'relay@agis.ch', password: 'agis-Pa55-w0rd' };
const postfixLike = (_recipient: string, sender: string) =>
  sender.toLowerCase().endsWith('@agis.ch') ? undefined : smtpError(553, `5.7.1 <${sender}>: Sender address rejected: not owned by user relay@agis.ch`);

const bob = { name: 'Bob Muster', email: 'bob@gmail.com' };

describe.each(DATABASE_KINDS)('a sender the host refuses is not lost, on %s', (kind) => {
  let t: DeliveryTestApp;
  let host: TestSmtpHost;
  let seq = 0;

  beforeAll(async () => {
    host = await startSmtpHost({ login, onRcptTo: postfixLike });
    t = await createDeliveryTestApp(kind);
  });
  afterAll(async () => {
    await t.close();
    await host.close();
  });

  /** A tenant whose allowedSenders claims more than the host lets its login send as. */
  async function tenant(alertSender = 'kos@agis.ch', allowedSenders = ['*@agis.ch', '*@gmail.com']): Promise<string> {
    const id = `fallback-${kind}-${++seq}`;
    await t.putTenant(
      id,
      loopbackTenant({
        port: host.port,
        username: login.username,
        password: login.password,
        alertSender: { address: alertSender, name: 'KOS AGIS' },
        allowedSenders,
      }),
    );
    return id;
  }

  const arrived = (subject: string) => host.received.filter((mail) => mail.raw.includes(subject));
  const triesAs = (sender: string) => host.commands.filter((command) => command.command === 'MAIL' && command.value === sender).length;
  const health = async (tenantId: string) => (await request(t.app).get(`/api/v1/tenants/${tenantId}/mail/health`).set(ADMIN)).body;

  it('sends the refused author once via the alert address, rewritten, and warns on the mail health', async () => {
    const id = await tenant();
    const queued = await t.notify(id, notificationBody({ author: bob, subject: 'Fallback eins' }));
    const status = await t.waitForStatus(id, queued.body.id, ['sent', 'failed']);
    expect(status).toMatchObject({
      status: 'sent',
      attempts: 2,
      senderRewritten: true,
      from: { name: 'Bob Muster via KOS', address: 'kos@agis.ch' },
      replyTo: { name: 'Bob Muster', address: 'bob@gmail.com' },
    });
    expect(status.rewriteReason).toContain('refused bob@gmail.com as sender');
    expect(status.rewriteReason).toContain('553 5.7.1 <bob@gmail.com>: Sender address rejected: not owned by user relay@agis.ch');
    expect(status.rewriteReason).toContain('mail.allowedSenders covers it with *@gmail.com');
    expect(status.lastError).toBeUndefined();

    const mails = arrived('Fallback eins');
    expect(mails).toHaveLength(1);
    expect(mails[0]!.from).toBe('kos@agis.ch');
    expect(mails[0]!.raw).toMatch(/^From: "?Bob Muster via KOS"? <kos@agis\.ch>\r?$/m);
    expect(mails[0]!.raw).toMatch(/^Message-ID: <[^@>]+@agis\.ch>\r?$/m);
    expect(mails[0]!.raw).toMatch(/^Reply-To: "?Bob Muster"? <bob@gmail\.com>\r?$/m);
    expect(triesAs('bob@gmail.com')).toBe(1);

    const view = await health(id);
    expect(view.state).toBe('warning');
    expect(view.warnings).toEqual([{ code: 'senders_refused', params: { addresses: ['bob@gmail.com'] }, message: expect.stringContaining('bob@gmail.com') }]);
    expect(view.failures24h.sender).toBe(1);
  });

  it('sends the same author rewritten from the start for 24 hours, without another refused try, and keeps that in the database', async () => {
    const id = await tenant();
    const first = await t.notify(id, notificationBody({ author: bob, subject: 'Fallback zwei A' }));
    await t.waitForStatus(id, first.body.id, ['sent', 'failed']);
    const refusedTries = triesAs('bob@gmail.com');
    const second = await t.notify(id, notificationBody({ author: bob, subject: 'Fallback zwei B' }));
    const status = await t.waitForStatus(id, second.body.id, ['sent', 'failed']);
    expect(status).toMatchObject({
      status: 'sent',
      attempts: 1,
      senderRewritten: true,
      from: { name: 'Bob Muster via KOS', address: 'kos@agis.ch' },
      replyTo: { address: 'bob@gmail.com' },
    });
    expect(status.rewriteReason).toContain('for 24 hours');
    expect(status.rewriteReason).toContain('*@gmail.com');
    expect(triesAs('bob@gmail.com')).toBe(refusedTries);
    expect(arrived('Fallback zwei B')).toHaveLength(1);

    // Another instance or a restart reads the refusal from the database.
    const rows = await t.container.get(DATABASE)('refused_senders').where({ tenant_id: id });
    expect(rows).toEqual([expect.objectContaining({ address: 'bob@gmail.com', reply: expect.stringContaining('Sender address rejected') })]);
    // The author the host accepts still goes out as himself.
    const anna = await t.notify(id, notificationBody({ author: { name: 'Anna Meier', email: 'anna@agis.ch' }, subject: 'Fallback zwei C' }));
    expect(await t.waitForStatus(id, anna.body.id, ['sent', 'failed'])).toMatchObject({
      status: 'sent',
      attempts: 1,
      senderRewritten: false,
      from: { address: 'anna@agis.ch' },
    });
  });

  it('fails a message only when the alert address itself is refused, naming alertSender and mail.allowedSenders', async () => {
    const id = await tenant('alerts@kunde.ch', ['*@kunde.ch', '*@gmail.com']);
    const queued = await t.notify(id, notificationBody({ author: bob, subject: 'Fallback drei' }));
    const status = await t.waitForStatus(id, queued.body.id, ['sent', 'failed']);
    expect(status).toMatchObject({ status: 'failed', attempts: 2 });
    expect(status.lastError).toContain('refused the alert address (alertSender) alerts@kunde.ch');
    expect(status.lastError).toContain('alertSender');
    expect(status.lastError).toContain('mail.allowedSenders');
    expect(status.lastError).toContain('553 5.7.1 <alerts@kunde.ch>: Sender address rejected');
    expect(arrived('Fallback drei')).toHaveLength(0);
  });
});
