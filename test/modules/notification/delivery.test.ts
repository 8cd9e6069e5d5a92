import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { DELIVERY_QUEUE, INTAKE_LOAD, MAIL_TRANSPORT } from '../../../src/modules/notification/tokens';
import { DATABASE } from '../../../src/shared/tokens';
import { HOST_LOOKUP } from '../../../src/modules/tenant/tokens';
import { systemLookup, type HostLookup } from '../../../src/shared/net/hostGuard';
import { DATABASE_KINDS } from '../../support/databases';
import { createDeliveryTestApp, loopbackTenant, notificationBody, type DeliveryTestApp, type LoopbackTenant } from '../../support/deliveryApp';
import { startSilentServer, TestSmtpServer } from '../../support/TestSmtpServer';

describe.each(DATABASE_KINDS)('delivery outcomes on %s', (kind) => {
  let t: DeliveryTestApp;
  let smtp: TestSmtpServer;
  let tenantSeq = 0;

  beforeAll(async () => {
    smtp = await TestSmtpServer.start();
    t = await createDeliveryTestApp(kind);
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });
  afterEach(() => {
    smtp.dataReplies.length = 0;
    smtp.onMailFrom = undefined;
    smtp.onRcptTo = undefined;
    smtp.password = undefined;
  });

  /** A fresh tenant on the shared test server, so that tests do not see each other's mail. */
  async function tenant(extra: Partial<LoopbackTenant> = {}): Promise<string> {
    const id = `kunde-${++tenantSeq}`;
    await t.putTenant(id, loopbackTenant({ alertSender: { address: 'kos@kunde.ch' }, allowedSenders: ['*@kunde.ch'], port: smtp.port, ...extra }));
    return id;
  }

  function arrivedWith(subject: string) {
    return smtp.received.filter((mail) => mail.raw.includes(subject));
  }

  it('sends a backlog over at most perTenantConcurrency connections, pipelining messages on them', async () => {
    const host = await TestSmtpServer.start();
    // A slow host: messages pile up on its sessions, so the bound is what limits them.
    host.dataDelayMs = 20;
    try {
      const id = await tenant({ port: host.port });
      for (let i = 0; i < 40; i++) expect((await t.notify(id, notificationBody({ subject: `Stapel ${i}` }))).status).toBe(202);
      await host.waitForMessages(40, 20_000);
      expect(host.maxOpenSessions).toBe(3);
      expect(new Set(host.received.map((mail) => mail.raw.toString().match(/Subject: (Stapel \d+)/)?.[1])).size).toBe(40);
    } finally {
      await t.container.get(MAIL_TRANSPORT).close();
      await host.close();
    }
  });

  it('a recipient refused for now while the others were accepted gets the same message on the retry schedule', async () => {
    const id = await tenant();
    let refusals = 0;
    smtp.onRcptTo = (address) => (address === 'eva@kunde.ch' && refusals++ === 0 ? { code: 452, message: '4.2.2 Mailbox full' } : undefined);
    const queued = await t.notify(id, notificationBody({ subject: 'Teilweise 452', to: [{ email: 'beat@kunde.ch' }, { email: 'eva@kunde.ch' }] }));
    const first = await t.waitForStatus(id, queued.body.id, ['sent', 'failed']);
    expect(first).toMatchObject({ status: 'sent', attempts: 1, rejectedRecipients: [expect.objectContaining({ address: 'eva@kunde.ch', code: 452 })] });

    await expect.poll(() => arrivedWith('Teilweise 452').length, { timeout: 5_000 }).toBe(2);
    const [toBeat, toEva] = arrivedWith('Teilweise 452');
    expect(toBeat!.envelope.to).toEqual(['beat@kunde.ch']);
    expect(toEva!.envelope.to).toEqual(['eva@kunde.ch']);
    // The same message: its Message-ID, and headers that still name both recipients.
    const messageId = (raw: Buffer) => /^Message-ID: (<[^>]+>)/im.exec(raw.toString())?.[1];
    expect(messageId(toEva!.raw)).toBe(messageId(toBeat!.raw));
    expect(toEva!.raw.toString()).toMatch(/^To: beat@kunde\.ch, eva@kunde\.ch\r$/m);

    const rows = async () =>
      (await t.container.get(DATABASE)('outbox_messages').where({ tenant_id: id }).orderBy('id')).map((row) => [
        row.status,
        row.attempts,
        row.envelope_to_json,
      ]);
    await expect.poll(rows, { timeout: 5_000 }).toEqual([
      ['sent', 1, null],
      ['sent', 2, '["eva@kunde.ch"]'],
    ]);
  });

  it('a recipient refused for good while the others were accepted is recorded, not retried', async () => {
    const id = await tenant();
    smtp.onRcptTo = (address) => (address === 'weg@kunde.ch' ? { code: 550, message: '5.1.1 No such user' } : undefined);
    const queued = await t.notify(id, notificationBody({ subject: 'Teilweise 550', to: [{ email: 'beat@kunde.ch' }, { email: 'weg@kunde.ch' }] }));
    expect(await t.waitForStatus(id, queued.body.id, ['sent', 'failed'])).toMatchObject({
      status: 'sent',
      rejectedRecipients: [expect.objectContaining({ address: 'weg@kunde.ch', code: 550 })],
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(arrivedWith('Teilweise 550')).toHaveLength(1);
    expect(Number((await t.container.get(DATABASE)('outbox_messages').where({ tenant_id: id }).count({ n: '*' }))[0]!.n)).toBe(1);
  });

  it('retries 451 on the schedule and delivers exactly once when the host takes it', async () => {
    const id = await tenant();
    smtp.dataReplies.push({ code: 451, message: '4.3.0 Try again later' }, { code: 451, message: '4.3.0 Try again later' });
    const queued = await t.notify(id, notificationBody({ subject: 'Zweimal 451' }));
    const status = await t.waitForStatus(id, queued.body.id, ['sent', 'failed']);
    expect(status).toMatchObject({ status: 'sent', attempts: 3 });
    expect(smtp.dataReplies).toHaveLength(0);
    expect(arrivedWith('Zweimal 451')).toHaveLength(1);
  });

  it('gives up after the retry schedule and says so', async () => {
    const id = await tenant();
    for (let i = 0; i < 4; i++) smtp.dataReplies.push({ code: 452, message: '4.2.2 Mailbox full' });
    const queued = await t.notify(id, notificationBody({ subject: 'Immer 452' }));
    const status = await t.waitForStatus(id, queued.body.id, ['sent', 'failed']);
    expect(status.status).toBe('failed');
    expect(status.attempts).toBe(4);
    expect(status.lastError).toContain('gave up after 4 tries');
    expect(status.lastError).toContain('452 4.2.2 Mailbox full');
    expect(status).toMatchObject({
      lastErrorCode: 'gave_up',
      lastErrorParams: { attempts: 4, causeCode: 'temporary_failure', phase: 'data', reply: '452 4.2.2 Mailbox full' },
    });
    expect(arrivedWith('Immer 452')).toHaveLength(0);
  });

  it('fails a 550 at once with the reply in lastError', async () => {
    const id = await tenant();
    smtp.dataReplies.push({ code: 550, message: '5.6.0 Message refused by content filter' });
    const queued = await t.notify(id, notificationBody({ subject: 'Inhalt 550' }));
    const status = await t.waitForStatus(id, queued.body.id, ['sent', 'failed']);
    expect(status).toMatchObject({ status: 'failed', attempts: 1 });
    expect(status.lastError).toContain('550 5.6.0 Message refused by content filter');
    expect(status).toMatchObject({
      lastErrorCode: 'message_refused',
      lastErrorParams: { phase: 'data', reply: '550 5.6.0 Message refused by content filter' },
    });
  });

  it('sends to the other recipients when one of three is refused, and records the refused one', async () => {
    const id = await tenant();
    smtp.onRcptTo = (address) =>
      address === 'gibtsnicht@kunde.ch' ? { code: 550, message: '5.1.1 <gibtsnicht@kunde.ch>: Recipient address rejected: User unknown' } : undefined;
    const queued = await t.notify(
      id,
      notificationBody({ subject: 'Drei Empfaenger', to: [{ email: 'eins@kunde.ch' }, { email: 'gibtsnicht@kunde.ch' }], cc: [{ email: 'drei@kunde.ch' }] }),
    );
    const status = await t.waitForStatus(id, queued.body.id, ['sent', 'failed']);
    expect(status).toMatchObject({ status: 'sent', attempts: 1 });
    expect(status.rejectedRecipients).toEqual([{ address: 'gibtsnicht@kunde.ch', code: 550, response: expect.stringContaining('5.1.1') }]);
    const arrived = arrivedWith('Drei Empf');
    expect(arrived).toHaveLength(1);
    expect(arrived[0]!.envelope.to).toEqual(['eins@kunde.ch', 'drei@kunde.ch']);
  });

  it.each([
    ['with', '5.7.1 <{}>: Sender address rejected: not owned by user relay@kunde.ch', '553 5.7.1 <'],
    ['without', '<{}>: Sender address rejected: not owned by user relay@kunde.ch', '553 <'],
  ])(
    'recognises Postfix refusing the sender at every RCPT (553, %s enhanced status codes) and fails only when the alert address is refused too',
    async (_, message, shown) => {
      const id = await tenant();
      smtp.onRcptTo = () => ({ code: 553, message: message.replace('{}', 'x') });
      const queued = await t.notify(id, notificationBody({ subject: `Postfix 553 ${_}`, to: [{ email: 'eins@kunde.ch' }, { email: 'zwei@kunde.ch' }] }));
      const status = await t.waitForStatus(id, queued.body.id, ['sent', 'failed']);
      expect(status).toMatchObject({ status: 'failed', attempts: 2, senderRewritten: true });
      expect(status.rewriteReason).toContain('refused anna.meier@kunde.ch as sender');
      expect(status.lastError).toContain('refused the alert address (alertSender) kos@kunde.ch');
      expect(status.lastError).toContain('mail.allowedSenders');
      expect(status.lastError).toContain(shown);
    },
  );

  it('sends a sender refused at MAIL FROM again from the alert address', async () => {
    const id = await tenant();
    smtp.onMailFrom = (address) =>
      address === 'kos@kunde.ch' ? undefined : { code: 550, message: '5.7.60 SMTP; Client does not have permissions to send as this sender' };
    const queued = await t.notify(id, notificationBody({ subject: 'MAIL FROM 550' }));
    const status = await t.waitForStatus(id, queued.body.id, ['sent', 'failed']);
    expect(status).toMatchObject({ status: 'sent', attempts: 2, senderRewritten: true, from: { name: 'Anna Meier via KOS', address: 'kos@kunde.ch' } });
    expect(status.rewriteReason).toContain('550 5.7.60');
    expect(status.rewriteReason).toContain('*@kunde.ch');
    expect(arrivedWith('MAIL FROM 550')).toHaveLength(1);
  });

  it('parks the tenant on 535 until its password is corrected with PUT /tenants/{id}, then sends what waited', async () => {
    const settings = { alertSender: { address: 'kos@kunde.ch' }, allowedSenders: ['*@kunde.ch'], port: smtp.port, username: 'kos@kunde.ch' };
    const id = await tenant({ ...settings, password: 'falsch' });
    smtp.password = 'richtig';
    const before = Date.now();
    const first = await t.notify(id, notificationBody({ subject: 'Geparkt 1' }));
    const parked = await t.waitForStatus(id, first.body.id, ['parked', 'sent', 'failed']);
    expect(parked).toMatchObject({ status: 'parked', attempts: 1 });
    expect(parked.lastError).toContain('535');
    expect(parked).toMatchObject({ lastErrorCode: 'login_refused', lastErrorParams: { reply: expect.stringContaining('535') } });
    const parkedTenant = await t.tenant(id);
    expect(parkedTenant.mailStatus).toEqual({
      state: 'parked',
      since: expect.any(String),
      reason: expect.stringContaining('535'),
      reasonCode: 'login_refused',
      reasonParams: { reply: expect.stringContaining('535') },
    });
    expect(parkedTenant.mailStatus.reason).toContain('mail.password');
    expect(Date.parse(parkedTenant.mailStatus.since)).toBeGreaterThanOrEqual(before - 1_000);
    expect(JSON.stringify(parkedTenant)).not.toContain('falsch');
    expect(smtp.logins.filter((login) => login.username === 'kos@kunde.ch' && !login.ok)).toHaveLength(1);
    const loginsBefore = smtp.logins.length;
    const second = await t.notify(id, notificationBody({ subject: 'Geparkt 2' }));
    const waiting = await t.waitForStatus(id, second.body.id, ['parked', 'sent', 'failed']);
    expect(waiting).toMatchObject({ status: 'parked', attempts: 0 });
    expect(smtp.logins.length).toBe(loginsBefore);

    const released = await t.putTenant(id, loopbackTenant({ ...settings, password: 'richtig' }));
    expect(released.mailStatus).toEqual({ state: 'ok' });
    expect(await t.waitForStatus(id, first.body.id, ['sent', 'failed', 'parked'])).toMatchObject({ status: 'sent', attempts: 2 });
    expect(await t.waitForStatus(id, second.body.id, ['sent', 'failed', 'parked'])).toMatchObject({ status: 'sent', attempts: 1 });
    expect(arrivedWith('Geparkt')).toHaveLength(2);
    expect(smtp.received.find((mail) => mail.raw.includes('Geparkt 1'))!.user).toBe('kos@kunde.ch');
  });

  it("keeps another tenant's mail moving while one tenant's host never answers", async () => {
    const dead = await startSilentServer();
    try {
      const stuck = await tenant({ port: dead.port });
      const healthy = await tenant();
      const stuckIds: string[] = [];
      for (let i = 0; i < 10; i++) stuckIds.push((await t.notify(stuck, notificationBody({ subject: `Tot ${i}` }))).body.id);
      // The dead host has taken its connections: its tenant's lane is full.
      await expect.poll(() => dead.connections(), { timeout: 5_000 }).toBeGreaterThanOrEqual(1);
      const started = Date.now();
      const queued = await t.notify(healthy, notificationBody({ subject: 'Gesund' }));
      await t.waitForStatus(healthy, queued.body.id, ['sent', 'failed']);
      const latency = Date.now() - started;
      expect(arrivedWith('Gesund')).toHaveLength(1);
      expect(latency).toBeLessThan(1_000);
      console.info(`isolation: healthy tenant's mail delivered in ${latency} ms while the other host hung`);
      expect((await t.status(stuck, stuckIds[0]!)).status).toMatch(/queued|sending/);
    } finally {
      await dead.close();
    }
  });

  it('throttles a host to its maxPerMinute', async () => {
    const id = await tenant({ maxPerMinute: 2 });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await t.notify(id, notificationBody({ subject: `Gedrosselt ${i}` }))).body.id);
    await expect.poll(() => arrivedWith('Gedrosselt').length, { timeout: 5_000 }).toBe(2);
    // The third waits for the minute to pass: give the dispatcher several rounds to (wrongly) send it.
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(arrivedWith('Gedrosselt')).toHaveLength(2);
    const statuses = await Promise.all(ids.map((queuedId) => t.status(id, queuedId)));
    expect(statuses.map((status) => status.status).sort()).toEqual(['queued', 'sent', 'sent']);
  });

  it('does not claim on new mail for a tenant whose rate is used up, only on its poll', async () => {
    const id = await tenant({ maxPerMinute: 1 });
    await t.notify(id, notificationBody({ subject: 'Erste' }));
    await expect.poll(() => arrivedWith('Erste').length, { timeout: 5_000 }).toBe(1);
    const queue = t.container.get(DELIVERY_QUEUE);
    const claim = vi.spyOn(queue, 'claim');
    const started = Date.now();
    for (let i = 0; i < 30; i++) await t.notify(id, notificationBody({ subject: `Wartet ${i}` }));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const polls = Math.ceil((Date.now() - started) / 200);
    // Each insert woke the dispatcher, and each such claim would walk past the whole backlog.
    expect(claim.mock.calls.length).toBeLessThanOrEqual(polls + 1);
    claim.mockRestore();
    expect(arrivedWith('Wartet')).toHaveLength(0);
  });
});

/** Tenants whose mail host is the one on `port`, each sending as `*@<tenant id>.ch` and logging in as itself (so not sharing sessions). */
async function putTenantsOn(t: DeliveryTestApp, port: number, tenantIds: string[]): Promise<void> {
  for (const tenantId of tenantIds) {
    const login = { username: `kos@${tenantId}.ch`, password: 'geheim' };
    await t.putTenant(tenantId, loopbackTenant({ alertSender: { address: `kos@${tenantId}.ch` }, allowedSenders: [`*@${tenantId}.ch`], port, ...login }));
  }
}

describe.each(DATABASE_KINDS)('many tenants on one host, on %s', (kind) => {
  it('keeps at most perHostConnections open to the host, closing idle sessions of other tenants for the next, and delivers every mail once', async () => {
    const host = await TestSmtpServer.start();
    // Without the bound each tenant's pool would keep its session open after its mail went out.
    const t = await createDeliveryTestApp(kind, { delivery: { perHostConcurrency: 2, perHostConnections: 3 } });
    try {
      const tenants = Array.from({ length: 12 }, (_, i) => `geteilt-${i}`);
      await putTenantsOn(t, host.port, tenants);
      for (const tenantId of tenants) {
        for (let i = 0; i < 2; i++) {
          const response = await t.notify(
            tenantId,
            notificationBody({ subject: `Geteilt ${tenantId} ${i}`, author: { name: 'Anna', email: `anna@${tenantId}.ch` } }),
          );
          expect(response.status).toBe(202);
        }
      }
      await host.waitForMessages(24, 20_000);
      expect(host.maxOpenSessions).toBeLessThanOrEqual(3);
      expect(host.sessions).toBeGreaterThanOrEqual(12);
      const subjects = host.received.map((mail) => mail.raw.toString().match(/Subject: (Geteilt [\w-]+ \d)/)?.[1]);
      expect(new Set(subjects).size).toBe(24);
      expect(subjects).toHaveLength(24);
    } finally {
      await t.close();
      await host.close();
    }
  });
});

describe.each(DATABASE_KINDS)('tenants with the same login at one host, on %s', (kind) => {
  const sendAll = async (t: DeliveryTestApp, tenants: string[], mails: number, sender: (tenantId: string) => string) => {
    for (const tenantId of tenants) {
      for (let i = 0; i < mails; i++) {
        const response = await t.notify(tenantId, notificationBody({ subject: `Gleich ${tenantId} ${i}`, author: { name: 'Anna', email: sender(tenantId) } }));
        expect(response.status).toBe(202);
      }
    }
  };
  const subjectsOf = (host: TestSmtpServer) => host.received.map((mail) => mail.raw.toString().match(/Subject: (Gleich [\w-]+ \d)/)?.[1]);

  it('pass idle sessions between them instead of closing and reopening: at most perHostConnections connections for every mail, each as its tenant', async () => {
    const host = await TestSmtpServer.start({ password: 'geheim', requireAuth: true });
    const t = await createDeliveryTestApp(kind, { delivery: { perHostConcurrency: 2, perHostConnections: 3 } });
    try {
      const tenants = Array.from({ length: 12 }, (_, i) => `gleich-${i}`);
      for (const tenantId of tenants) {
        const mail = { allowedSenders: [`*@${tenantId}.ch`], port: host.port, username: 'kos@hosted.ch', password: 'geheim' };
        await t.putTenant(tenantId, loopbackTenant({ alertSender: { address: `kos@${tenantId}.ch` }, ...mail }));
      }
      await sendAll(t, tenants, 2, (tenantId) => `anna@${tenantId}.ch`);
      await host.waitForMessages(24, 20_000);
      // Each tenant's pool opened its own session before: 12 or more.
      expect(host.sessions).toBeLessThanOrEqual(3);
      expect(host.logins.length).toBe(host.sessions);
      const subjects = subjectsOf(host);
      expect(new Set(subjects).size).toBe(24);
      for (const mail of host.received) {
        const tenantId = /Subject: Gleich ([\w-]+) \d/.exec(mail.raw.toString())![1]!;
        expect(mail.envelope.from).toBe(`anna@${tenantId}.ch`);
      }
    } finally {
      await t.close();
      await host.close();
    }
  });

  it('the hosted preset: its tenants all log in as the hosted mailbox and share its sessions', async () => {
    const host = await TestSmtpServer.start({ password: 'geheim', requireAuth: true });
    const t = await createDeliveryTestApp(kind, {
      delivery: { perHostConcurrency: 2, perHostConnections: 3 },
      env: {
        HOSTED_SMTP_URL: `smtp://kos%40hosted.ch:geheim@127.0.0.1:${host.port}?security=none`,
        HOSTED_SENDER: 'kos@hosted.ch',
        HOSTED_MAX_PER_MINUTE: '100000',
      },
    });
    try {
      const tenants = Array.from({ length: 8 }, (_, i) => `gehostet-${i}`);
      for (const tenantId of tenants) await t.putTenant(tenantId, { name: `Hosted ${tenantId}`, mail: { preset: 'hosted' } });
      await sendAll(t, tenants, 2, () => 'anna@kunde.ch');
      await host.waitForMessages(16, 20_000);
      expect(host.sessions).toBeLessThanOrEqual(3);
      expect(host.logins.every((login) => login.username === 'kos@hosted.ch' && login.ok)).toBe(true);
      expect(new Set(subjectsOf(host)).size).toBe(16);
    } finally {
      await t.close();
      await host.close();
    }
  });
});

describe.each(DATABASE_KINDS)('connections opened ahead at a shared host, on %s', (kind) => {
  it("opens the next tenants' sessions while the host holds another tenant's message, and sends their mail over them", async () => {
    const host = await TestSmtpServer.start();
    const t = await createDeliveryTestApp(kind, { delivery: { perHostConcurrency: 1, perHostConnections: 3 } });
    try {
      const tenants = ['vorne', 'zweite', 'dritte'];
      await putTenantsOn(t, host.port, tenants);
      const mail = (tenantId: string, subject: string) =>
        t.notify(tenantId, notificationBody({ subject, author: { name: 'Anna', email: `anna@${tenantId}.ch` } }));
      // One mail each first, so that the dispatcher knows the tenants share the host; then no session is left.
      for (const tenantId of tenants) await mail(tenantId, `Erste ${tenantId}`);
      await host.waitForMessages(3, 10_000);
      await t.dispatcher.stop();
      await t.container.get(MAIL_TRANSPORT).close();
      await expect.poll(() => host.openSessions, { timeout: 5_000 }).toBe(0);
      for (const tenantId of tenants) await mail(tenantId, `Zweite ${tenantId}`);
      const before = host.sessions;
      // The host holds the first tenant's message for 2 s.
      host.onData = (received) => (received.raw.includes('Zweite vorne') ? { stallMs: 2_000 } : undefined);
      await t.dispatcher.start();
      await host.waitForMessages(4, 5_000);
      expect(host.received.at(-1)!.raw.toString()).toContain('Zweite vorne');
      // perHostConcurrency 1: nothing else may be sent meanwhile, but both sessions may open.
      await expect.poll(() => host.sessions - before, { timeout: 1_500 }).toBe(3);
      expect(host.received).toHaveLength(4);
      await host.waitForMessages(6, 10_000);
      // Their mail went over the sessions opened ahead: no further connection, never more than perHostConnections.
      expect(host.sessions - before).toBe(3);
      expect(host.maxOpenSessions).toBeLessThanOrEqual(3);
      expect(host.received.filter((received) => received.raw.includes('Zweite'))).toHaveLength(3);
    } finally {
      await t.close();
      await host.close();
    }
  });
});

describe.each(DATABASE_KINDS)('tenants taking turns at one host, on %s', (kind) => {
  it("sends a small tenant's mail after a turn of the large backlog ahead of it, not after the whole lane", async () => {
    const host = await TestSmtpServer.start();
    const t = await createDeliveryTestApp(kind);
    try {
      await putTenantsOn(t, host.port, ['gross', 'klein']);
      // One mail each first, so that the dispatcher knows both tenants' host and counts their sends there.
      await t.notify('gross', notificationBody({ subject: 'Gross 0', author: { name: 'Gret', email: 'gret@gross.ch' } }));
      await t.notify('klein', notificationBody({ subject: 'Klein 0', author: { name: 'Kurt', email: 'kurt@klein.ch' } }));
      await host.waitForMessages(2, 5_000);
      host.received.length = 0;
      // Queued while the dispatcher stands: one claim leases 200 of the backlog and the small
      // tenant's one mail behind them.
      await t.dispatcher.stop();
      for (let start = 0; start < 300; start += 50) {
        await Promise.all(
          Array.from({ length: 50 }, (_, i) =>
            t.notify('gross', notificationBody({ subject: `Rueckstand ${start + i}`, author: { name: 'Gret', email: 'gret@gross.ch' } })),
          ),
        );
      }
      expect((await t.notify('klein', notificationBody({ subject: 'Klein 1', author: { name: 'Kurt', email: 'kurt@klein.ch' } }))).status).toBe(202);
      // Each message holds its session 20 ms: the backlog goes at ≈ 300 msg/s.
      host.dataDelayMs = 20;
      await t.dispatcher.start();
      await host.waitForMessages(301, 30_000);
      const position = host.received.findIndex((mail) => mail.raw.includes('Klein 1'));
      // A turn is 100 sends, 6 more in flight when it ends, and ≈ 30 while the small tenant's new
      // session waits for smtp-server's greeting (100 ms; stop() closed the pools). Without turns: 300.
      expect(position).toBeGreaterThan(50);
      expect(position).toBeLessThanOrEqual(200);
    } finally {
      await t.close();
      await host.close();
    }
  });
});

describe.each(DATABASE_KINDS)('delivery while KOS waits on the API, on %s', (kind) => {
  it('goes on one send per tenant at a time while many notifications wait for their commit, at full pace once the intake has been calm a while', async () => {
    const host = await TestSmtpServer.start();
    // Each message holds its connection for 100 ms: sends at once show as open sessions.
    host.dataDelayMs = 100;
    const hanging = await TestSmtpServer.start();
    hanging.dataDelayMs = 5_000;
    const intake = { storing: 0 };
    const t = await createDeliveryTestApp(kind, {
      delivery: { yieldToIntakeAt: 8, sendsWhileYielding: 1, yieldHoldMs: 600, stopTimeoutMs: 300 },
      prepare: async (container) => {
        (await container.rebind(INTAKE_LOAD)).toConstantValue(intake);
      },
    });
    try {
      await t.putTenant('kunde', loopbackTenant({ alertSender: { address: 'kos@kunde.ch' }, allowedSenders: ['*@kunde.ch'], port: host.port }));
      await t.putTenant('langsam', loopbackTenant({ alertSender: { address: 'kos@langsam.ch' }, allowedSenders: ['*@langsam.ch'], port: hanging.port }));
      intake.storing = 8;
      // A tenant whose host hangs holds its own send, not the other tenant's turn.
      for (let i = 0; i < 3; i++) await t.notify('langsam', notificationBody({ subject: `Hängt ${i}`, author: { name: 'Lea', email: 'lea@langsam.ch' } }));
      await hanging.waitForMessages(1, 5_000);
      for (let i = 0; i < 12; i++) expect((await t.notify('kunde', notificationBody({ subject: `Unter Last ${i}` }))).status).toBe(202);
      await host.waitForMessages(4, 3_000);
      expect(host.maxOpenSessions).toBe(1);
      expect(hanging.maxOpenSessions).toBe(1);
      // Between the API's waves few notifications wait: delivery keeps yielding for yieldHoldMs.
      intake.storing = 7;
      await new Promise((resolve) => setTimeout(resolve, 250));
      expect(host.maxOpenSessions).toBe(1);
      await host.waitForMessages(12, 5_000);
      expect(host.maxOpenSessions).toBe(3);
    } finally {
      await t.close();
      await host.close();
      await hanging.close();
    }
  });

  it('starts at most sendsPerSecondWhileYielding sends a second while yielding, however fast the host answers', async () => {
    const host = await TestSmtpServer.start();
    const intake = { storing: 8 };
    const t = await createDeliveryTestApp(kind, {
      delivery: { yieldToIntakeAt: 8, sendsWhileYielding: 6, sendsPerSecondWhileYielding: 20, yieldHoldMs: 300 },
      prepare: async (container) => {
        (await container.rebind(INTAKE_LOAD)).toConstantValue(intake);
      },
    });
    try {
      await t.putTenant('kunde', loopbackTenant({ alertSender: { address: 'kos@kunde.ch' }, allowedSenders: ['*@kunde.ch'], port: host.port }));
      // Nothing can be sent before the first notification is stored: the pace counts from there.
      const start = Date.now();
      for (let i = 0; i < 40; i++) expect((await t.notify('kunde', notificationBody({ subject: `Gedrosselt ${i}` }))).status).toBe(202);
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, start + 1_200 - Date.now())));
      const seconds = (Date.now() - start) / 1000;
      // 20 a second after a burst of at most a tenth of a second's worth (2); unpaced, all 40 go
      // out within a few hundred milliseconds.
      expect(host.received.length).toBeGreaterThan(1);
      expect(host.received.length).toBeLessThanOrEqual(Math.ceil(2 + 20 * seconds));
      intake.storing = 0;
      await host.waitForMessages(40, 5_000);
    } finally {
      await t.close();
      await host.close();
    }
  });
});

describe('dispatcher shutdown', () => {
  it('stops claiming, hands a hanging send back untried within the deadline', async () => {
    const dead = await startSilentServer();
    const t = await createDeliveryTestApp('sqlite', { delivery: { stopTimeoutMs: 300 } });
    try {
      await t.putTenant('kunde', loopbackTenant({ alertSender: { address: 'kos@kunde.ch' }, port: dead.port }));
      const queued = await t.notify('kunde', notificationBody());
      await t.waitForStatus('kunde', queued.body.id, ['sending']);
      const started = Date.now();
      await t.dispatcher.stop();
      expect(Date.now() - started).toBeLessThan(2_000);
      expect(await t.status('kunde', queued.body.id)).toMatchObject({ status: 'queued', attempts: 0 });
      // The abandoned session ends when its pool closes; whatever it reports then is not recorded.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect(await t.status('kunde', queued.body.id)).toMatchObject({ status: 'queued', attempts: 0 });
    } finally {
      await t.close();
      await dead.close();
    }
  });
});

describe('network guard at connect time', () => {
  it('fails mail to a host that resolved public when saved and to loopback when sending, without connecting', async () => {
    const smtp = await TestSmtpServer.start();
    let rebound = false;
    const lookup: HostLookup = async (name) =>
      name === 'rebind.kunde.test' ? [{ address: rebound ? '127.0.0.1' : '93.184.216.34', family: 4 }] : systemLookup(name);
    const t = await createDeliveryTestApp('sqlite', {
      config: { smtpAllowPrivateHosts: false },
      prepare: async (container) => {
        (await container.rebind(HOST_LOOKUP)).toConstantValue(lookup);
      },
    });
    try {
      await t.putTenant(
        'kunde',
        loopbackTenant({ alertSender: { address: 'kos@kunde.ch' }, host: 'rebind.kunde.test', security: 'starttls', port: smtp.port }),
      );
      rebound = true;
      const queued = await t.notify('kunde', notificationBody());
      const status = await t.waitForStatus('kunde', queued.body.id, ['sent', 'failed']);
      expect(status).toMatchObject({ status: 'failed', attempts: 1 });
      expect(status.lastError).toContain('SMTP_ALLOW_PRIVATE_HOSTS');
      expect(smtp.received).toHaveLength(0);
    } finally {
      await t.close();
      await smtp.close();
    }
  });
});
