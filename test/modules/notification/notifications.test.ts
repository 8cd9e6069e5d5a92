import type { AddressObject, ParsedMail } from 'mailparser';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_KINDS } from '../../support/databases';
import { ADMIN, createDeliveryTestApp, loopbackTenant, notificationBody, type DeliveryTestApp } from '../../support/deliveryApp';
import { TestSmtpServer } from '../../support/TestSmtpServer';

function addresses(field: AddressObject | AddressObject[] | undefined): Array<{ name: string; address?: string }> {
  return (Array.isArray(field) ? field : field ? [field] : []).flatMap((group) => group.value);
}

function headerLine(mail: ParsedMail, key: string): string | undefined {
  return mail.headerLines.find((line) => line.key === key)?.line;
}

/** Decodes one RFC 2047 B-encoded word (mailparser leaves unknown headers encoded). */
function decodeWord(value: string): string {
  const match = /^=\?UTF-8\?B\?([A-Za-z0-9+/=]+)\?=$/i.exec(value);
  return match ? Buffer.from(match[1]!, 'base64').toString('utf8') : value;
}

describe.each(DATABASE_KINDS)('personal notifications on %s', (kind) => {
  let t: DeliveryTestApp;
  let smtp: TestSmtpServer;

  beforeAll(async () => {
    smtp = await TestSmtpServer.start();
    // The hosted preset's platform host is the same local server, reached in clear on loopback.
    t = await createDeliveryTestApp(kind, {
      env: { HOSTED_SMTP_URL: `smtp://platform:platform-pass@127.0.0.1:${smtp.port}?security=none`, HOSTED_SENDER: 'kos@gmx.ch' },
    });
    await t.putTenant(
      'kunde',
      loopbackTenant({ port: smtp.port, name: 'Kunde AG', alertSender: { address: 'kos@kunde.ch', name: 'KOS Kunde' }, allowedSenders: ['*@kunde.ch'] }),
    );
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });

  /** Sends one notification and returns the mail as it arrived, parsed, with its final status. */
  async function deliver(tenantId: string, body: object): Promise<{ mail: ParsedMail; envelope: { from: string; to: string[] }; status: Record<string, any> }> {
    const before = smtp.received.length;
    const response = await t.notify(tenantId, body);
    expect(response.status).toBe(202);
    expect(response.body).toEqual({ id: expect.stringMatching(/^msg_/), status: 'queued' });
    const status = await t.waitForStatus(tenantId, response.body.id, ['sent', 'failed', 'parked']);
    const received = await smtp.waitForMessages(before + 1);
    const arrived = received.find((mail) => mail.raw.includes(status.messageId));
    expect(arrived).toBeDefined();
    return { mail: await smtp.parse(arrived!), envelope: arrived!.envelope, status };
  }

  it('sends mail from an allowed author as that author, with the service headers', async () => {
    const { mail, envelope, status } = await deliver('kunde', notificationBody({ cc: [{ email: 'chef@kunde.ch' }], html: '<p>Bitte bis <b>Freitag</b>.</p>' }));
    expect(addresses(mail.from)).toEqual([{ name: 'Anna Meier', address: 'anna.meier@kunde.ch' }]);
    expect(mail.replyTo).toBeUndefined();
    expect(addresses(mail.to)).toEqual([{ name: 'Beat Keller', address: 'beat.keller@kunde.ch' }]);
    expect(addresses(mail.cc)).toEqual([{ name: '', address: 'chef@kunde.ch' }]);
    expect(envelope).toEqual({ from: 'anna.meier@kunde.ch', to: ['beat.keller@kunde.ch', 'chef@kunde.ch'] });
    expect(mail.subject).toBe('Neuer Kommentar zu Ticket 4711');
    expect(mail.text?.split('\n')[0]).toBe('Anna Meier hat kommentiert: Bitte bis Freitag erledigen.');
    expect(mail.html).toContain('<b>Freitag</b>');
    expect(mail.messageId).toMatch(/^<[0-9a-f-]{36}@kunde\.ch>$/);
    expect(mail.messageId).toBe(status.messageId);
    expect(mail.date).toBeInstanceOf(Date);
    expect(mail.headers.get('x-kos-tenant')).toBe('kunde');
    expect(headerLine(mail, 'list-id')).toMatch(/^List-Id: <kunde\.kos-notify\.kunde\.ch>$/i);
    expect(mail.headers.get('auto-submitted')).toBe('auto-generated');
    expect(mail.headers.has('x-kos-ticket')).toBe(false);
    expect(status).toMatchObject({
      status: 'sent',
      attempts: 1,
      kind: 'comment',
      from: { name: 'Anna Meier', address: 'anna.meier@kunde.ch' },
      senderRewritten: false,
    });
    expect(status).not.toHaveProperty('replyTo');
    expect(status.rewriteReason).toBeUndefined();
    expect(Date.parse(status.sentAt)).toBeGreaterThanOrEqual(Date.parse(status.createdAt));
  });

  it('sends mail from a disallowed author as "<name> via KOS" from the alert address, with Reply-To the author', async () => {
    const { mail, envelope, status } = await deliver('kunde', notificationBody({ author: { name: 'Anna Meier', email: 'anna@privat.ch' } }));
    expect(addresses(mail.from)).toEqual([{ name: 'Anna Meier via KOS', address: 'kos@kunde.ch' }]);
    expect(addresses(mail.replyTo)).toEqual([{ name: 'Anna Meier', address: 'anna@privat.ch' }]);
    expect(envelope.from).toBe('kos@kunde.ch');
    expect(status).toMatchObject({
      status: 'sent',
      senderRewritten: true,
      from: { name: 'Anna Meier via KOS', address: 'kos@kunde.ch' },
      replyTo: { name: 'Anna Meier', address: 'anna@privat.ch' },
    });
    expect(status.rewriteReason).toContain('mail.allowedSenders');
    expect(status).toMatchObject({
      rewriteReasonCode: 'sender_rewritten_policy',
      rewriteReasonParams: { allowedSenders: '*@kunde.ch', address: 'anna@privat.ch' },
    });
  });

  it.each([
    ['hosted', 'kos@gmx.ch', 'hosted mail service', 'platform', { preset: 'hosted' }],
    [
      'gmx',
      'kunde.kos@gmx.ch',
      'GMX mailbox',
      'kunde.kos@gmx.ch',
      { preset: 'gmx', host: '127.0.0.1', security: 'none', username: 'kunde.kos@gmx.ch', password: 'gmx-pass' },
    ],
    ['demo', 'kos.demo@gmx.ch', 'GMX mailbox', 'kos.demo@gmx.ch', { preset: 'demo', host: '127.0.0.1', security: 'none', password: 'demo-pass' }],
  ] as const)('rewrites personal mail under the %s preset', async (preset, mailbox, reason, login, settings) => {
    const saved = await t.putTenant(`t-${preset}`, { name: `Tenant ${preset}`, mail: { ...settings, ...(preset === 'hosted' ? {} : { port: smtp.port }) } });
    expect(saved.alertSender.address).toBe(mailbox);
    expect(saved.mail.allowedSenders).toEqual([mailbox]);
    const { mail, envelope, status } = await deliver(`t-${preset}`, notificationBody());
    expect(smtp.received.find((candidate) => candidate.raw.includes(status.messageId))!.user).toBe(login);
    expect(addresses(mail.from)).toEqual([{ name: 'Anna Meier via KOS', address: mailbox }]);
    expect(addresses(mail.replyTo)).toEqual([{ name: 'Anna Meier', address: 'anna.meier@kunde.ch' }]);
    expect(envelope.from).toBe(mailbox);
    expect(status.senderRewritten).toBe(true);
    expect(status.rewriteReason).toContain(reason);
  });

  it('threads every mail of one ticket under one root and keeps tickets apart; every Message-ID is unique', async () => {
    const first = await deliver('kunde', notificationBody({ ticket: { id: 'T-4711', title: 'Heizung defekt' } }));
    const second = await deliver('kunde', notificationBody({ kind: 'assignment', ticket: { id: 'T-4711' } }));
    const other = await deliver('kunde', notificationBody({ ticket: { id: 'T 4712/ä' } }));
    expect(first.mail.inReplyTo).toBe('<ticket.T-4711.kunde@kunde.ch>');
    expect(first.mail.references).toBe('<ticket.T-4711.kunde@kunde.ch>');
    expect(second.mail.inReplyTo).toBe(first.mail.inReplyTo);
    expect(second.mail.references).toEqual(first.mail.references);
    expect(other.mail.inReplyTo).toBe('<ticket.T=204712/=C3=A4.kunde@kunde.ch>');
    expect(other.mail.inReplyTo).not.toBe(first.mail.inReplyTo);
    expect(first.mail.headers.get('x-kos-ticket')).toBe('T-4711');
    expect(decodeWord(other.mail.headers.get('x-kos-ticket') as string)).toBe('T 4712/ä');
    const ids = [first, second, other].map((delivered) => delivered.mail.messageId);
    expect(new Set(ids).size).toBe(3);
  });

  it('delivers one mail for a request repeated with the same Idempotency-Key, and answers 409 to another body', async () => {
    const body = notificationBody({ subject: 'Einmal bitte' });
    const first = await t.notify('kunde', body, 'kos-req-1');
    const again = await t.notify('kunde', body, 'kos-req-1');
    expect(first.status).toBe(202);
    expect(again.status).toBe(202);
    expect(again.body).toEqual(first.body);
    await t.waitForStatus('kunde', first.body.id, ['sent']);
    const conflict = await t.notify('kunde', { ...body, subject: 'Anders' }, 'kos-req-1');
    expect(conflict.status).toBe(409);
    expect(conflict.headers['content-type']).toMatch(/problem\+json/);
    const afterSent = await t.notify('kunde', body, 'kos-req-1');
    expect(afterSent.body).toEqual(first.body);
    const list = await request(t.app).get('/api/v1/tenants/kunde/notifications?limit=500').set(ADMIN);
    expect(list.body.items.filter((item: { subject: string }) => item.subject === 'Einmal bitte')).toHaveLength(1);
    // Another tenant may use the same key for its own request.
    const otherTenant = await t.notify('t-hosted', body, 'kos-req-1');
    expect(otherTenant.status).toBe(202);
    expect(otherTenant.body.id).not.toBe(first.body.id);
    await t.waitForStatus('t-hosted', otherTenant.body.id, ['sent']);
    expect(smtp.received.filter((mail) => mail.raw.includes('Einmal bitte'))).toHaveLength(2);
  });

  it('refuses addresses that are not plain local@domain, naming the field', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ to: [{ email: 'Beat <beat@kunde.ch>' }] }, 'to.0.email'],
      [{ to: [{ email: '"beat@evil.com"@kunde.ch' }] }, 'to.0.email'],
      [{ to: [{ email: 'beat@kunde.ch (Beat)' }] }, 'to.0.email'],
      [{ to: [{ email: 'team: beat@kunde.ch;' }] }, 'to.0.email'],
      [{ cc: [{ email: 'a@kunde.ch, b@evil.com' }] }, 'cc.0.email'],
      [{ author: { name: 'Anna', email: 'anna@kunde.ch\r\nBcc: x@evil.com' } }, 'author.email'],
    ];
    for (const [override, field] of cases) {
      const response = await t.notify('kunde', notificationBody(override));
      expect(response.status, field).toBe(400);
      expect(response.body.errors.map((error: { path: string }) => error.path)).toContain(field);
    }
  });

  it('refuses line breaks and NUL in names, subjects and titles, and wrong recipient counts', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ subject: 'Hallo\r\nBcc: x@evil.com' }, 'subject'],
      [{ subject: 'Hallo\u2028Welt' }, 'subject'],
      [{ subject: '' }, 'subject'],
      [{ subject: 'x'.repeat(201) }, 'subject'],
      [{ author: { name: 'Anna\nMeier', email: 'anna@kunde.ch' } }, 'author.name'],
      [{ to: [{ name: 'Beat\u0000', email: 'beat@kunde.ch' }] }, 'to.0.name'],
      [{ ticket: { id: 'T-1', title: 'Titel\u2029' } }, 'ticket.title'],
      [{ ticket: { id: 'T\r1' } }, 'ticket.id'],
      [{ to: [] }, 'to'],
      [
        { to: Array.from({ length: 30 }, (_, i) => ({ email: `to${i}@kunde.ch` })), cc: Array.from({ length: 21 }, (_, i) => ({ email: `cc${i}@kunde.ch` })) },
        'to',
      ],
      [{ kind: 'digest' }, 'kind'],
    ];
    for (const [override, field] of cases) {
      const response = await t.notify('kunde', notificationBody(override));
      expect(response.status, field).toBe(400);
      expect(
        response.body.errors.map((error: { path: string }) => error.path),
        field,
      ).toContain(field);
    }
    const fifty = await t.notify(
      'kunde',
      notificationBody({
        to: Array.from({ length: 25 }, (_, i) => ({ email: `to${i}@kunde.ch` })),
        cc: Array.from({ length: 25 }, (_, i) => ({ email: `cc${i}@kunde.ch` })),
      }),
    );
    expect(fifty.status).toBe(202);
    const badKey = await t.notify('kunde', notificationBody(), 'x'.repeat(201));
    expect(badKey.status).toBe(400);
  });

  it('stores and sends a text with a lone UTF-16 surrogate, the surrogate replaced by U+FFFD', async () => {
    // Valid JSON, so the API accepts it; UTF-8 cannot carry it, and PostgreSQL refuses it as a JSON escape.
    const { mail, status } = await deliver('kunde', notificationBody({ subject: 'Halb \ud83d kaputt', text: 'Rest \udc4d hier' }));
    expect(status).toMatchObject({ status: 'sent', subject: 'Halb \ufffd kaputt' });
    expect(mail.subject).toBe('Halb \ufffd kaputt');
    expect(mail.text?.split('\n')[0]).toBe('Rest \ufffd hier');
  });

  it('answers 404 for an unknown tenant and for a notification of another tenant', async () => {
    expect((await t.notify('nobody', notificationBody())).status).toBe(404);
    const queued = await t.notify('kunde', notificationBody());
    expect((await request(t.app).get(`/api/v1/tenants/t-gmx/notifications/${queued.body.id}`).set(ADMIN)).status).toBe(404);
    expect((await request(t.app).get('/api/v1/tenants/kunde/notifications/msg_unknown').set(ADMIN)).status).toBe(404);
  });

  it('lists notifications newest first, filtered by status, page by page', async () => {
    await t.putTenant('lister', loopbackTenant({ port: smtp.port, alertSender: { address: 'kos@lister.ch' } }));
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await t.notify('lister', notificationBody({ subject: `Nummer ${i}` }))).body.id);
    for (const id of ids) await t.waitForStatus('lister', id, ['sent']);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: request.Response = await request(t.app)
        .get(`/api/v1/tenants/lister/notifications?limit=2&status=sent${cursor ? `&cursor=${cursor}` : ''}`)
        .set(ADMIN);
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items.map((item: { id: string }) => item.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());
    const none = await request(t.app).get('/api/v1/tenants/lister/notifications?status=failed').set(ADMIN);
    expect(none.body).toEqual({ items: [], nextCursor: null });
    expect((await request(t.app).get('/api/v1/tenants/lister/notifications?status=bogus').set(ADMIN)).status).toBe(400);
    expect((await request(t.app).get('/api/v1/tenants/lister/notifications?cursor=bogus').set(ADMIN)).status).toBe(400);
  });

  it('sends a test mail from the alert address through the host and answers with its outcome', async () => {
    const response = await request(t.app).post('/api/v1/tenants/kunde/mail/test').set(ADMIN).send({ to: 'admin@kunde.ch' });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ id: expect.stringMatching(/^msg_/), status: 'sent', messageId: expect.stringMatching(/@kunde\.ch>$/) });
    const arrived = smtp.received.find((mail) => mail.raw.includes(response.body.messageId))!;
    expect(arrived.envelope).toEqual({ from: 'kos@kunde.ch', to: ['admin@kunde.ch'] });
    const mail = await smtp.parse(arrived);
    expect(addresses(mail.from)).toEqual([{ name: 'KOS Kunde', address: 'kos@kunde.ch' }]);
    expect(mail.subject).toBe('KOS: Test-E-Mail');
    expect(mail.headers.get('auto-submitted')).toBe('auto-generated');
    expect(mail.headers.get('x-auto-response-suppress')).toBe('All');
    expect((await request(t.app).post('/api/v1/tenants/kunde/mail/test').set(ADMIN).send({ to: 'Admin <admin@kunde.ch>' })).status).toBe(400);
    expect((await request(t.app).post('/api/v1/tenants/nobody/mail/test').set(ADMIN).send({ to: 'admin@kunde.ch' })).status).toBe(404);
  });

  it('records every test mail in the tenant audit log with recipient and outcome, never the password', async () => {
    const password = 'geheim-Audit-4711';
    await t.putTenant('audited', loopbackTenant({ port: smtp.port, alertSender: { address: 'kos@audited.ch' }, username: 'kos@audited.ch', password }));
    const sent = await request(t.app).post('/api/v1/tenants/audited/mail/test').set(ADMIN).send({ to: 'admin@audited.ch' });
    expect(sent.body.status).toBe('sent');
    smtp.dataReplies.push({ code: 554, message: '5.6.0 Test mail refused' });
    const failed = await request(t.app).post('/api/v1/tenants/audited/mail/test').set(ADMIN).send({ to: 'other@audited.ch' });
    expect(failed.body.status).toBe('failed');

    const audit = await request(t.app).get('/api/v1/tenants/audited/audit').set(ADMIN);
    expect(audit.status).toBe(200);
    const tests = audit.body.items.filter((entry: { action: string }) => entry.action === 'mail.test-sent');
    expect(tests).toEqual([
      expect.objectContaining({
        actor: 'admin',
        details: {
          to: 'other@audited.ch',
          notificationId: failed.body.id,
          status: 'failed',
          messageId: failed.body.messageId,
          lastError: expect.stringContaining('554 5.6.0 Test mail refused'),
          lastErrorCode: 'message_refused',
          lastErrorParams: { phase: 'data', reply: expect.stringContaining('554 5.6.0') },
        },
      }),
      expect.objectContaining({
        actor: 'admin',
        details: { to: 'admin@audited.ch', notificationId: sent.body.id, status: 'sent', messageId: sent.body.messageId },
      }),
    ]);
    expect(JSON.stringify(audit.body)).not.toContain(password);
  });

  it('counts queued and sent mail per tenant and kind in the metrics', async () => {
    const metrics = (await request(t.app).get('/metrics')).text;
    expect(metrics).toMatch(/kos_mail_queued_total\{tenant="kunde",kind="comment"\} [1-9]/);
    expect(metrics).toMatch(/kos_mail_sent_total\{tenant="kunde",kind="comment"\} [1-9]/);
    expect(metrics).toMatch(/kos_mail_queue_depth\{status="queued"\} \d+/);
    expect(metrics).toMatch(/kos_mail_oldest_queued_age_seconds \d/);
    expect(metrics).toMatch(/kos_mail_send_duration_seconds_count\{outcome="sent"\} [1-9]/);
  });
});
