import type { Knex } from 'knex';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { DATABASE, INTAKE_DATABASE } from '../../src/shared/tokens';
import { DATABASE_KINDS, type DatabaseKind } from '../support/databases';
import { createDeliveryTestApp, loopbackTenant, notificationBody, type DeliveryTestApp } from '../support/deliveryApp';
import { reportFigures } from '../support/figures';
import { TestSmtpServer } from '../support/TestSmtpServer';

/**
 * Fills the disk as far as the service can tell. SQLite: the connections may not grow the file
 * (a real SQLITE_FULL). PostgreSQL: a full disk cannot be made here; triggers answer every new
 * outbox row and readiness probe with a real server error of SQLSTATE 53100 (disk_full) instead.
 */
const disk = {
  async fill(kind: DatabaseKind, connections: Knex[]): Promise<void> {
    if (kind === 'sqlite') {
      for (const db of connections) {
        const [row] = (await db.raw('pragma page_count')) as Array<{ page_count: number }>;
        await db.raw(`pragma max_page_count = ${row!.page_count}`);
      }
      return;
    }
    const db = connections[0]!;
    await db.raw(
      `create function disk_full() returns trigger language plpgsql as $$ begin raise exception 'could not extend file: No space left on device' using errcode = '53100'; end $$`,
    );
    for (const table of ['outbox_messages', 'storage_probe'])
      await db.raw(`create trigger disk_full before insert on ${table} for each row execute function disk_full()`);
  },
  async free(kind: DatabaseKind, connections: Knex[]): Promise<void> {
    if (kind === 'sqlite') {
      for (const db of connections) await db.raw('pragma max_page_count = 1073741823');
      return;
    }
    const db = connections[0]!;
    for (const table of ['outbox_messages', 'storage_probe']) await db.raw(`drop trigger disk_full on ${table}`);
  },
};

describe.each(DATABASE_KINDS)('a full disk (%s)', (kind) => {
  let t: DeliveryTestApp | undefined;
  let smtp: TestSmtpServer | undefined;
  afterEach(async () => {
    await t?.close();
    await smtp?.close();
  });

  it('answers 503 with Retry-After and turns /readyz 503 while writes fail, recovers by itself, and loses nothing accepted', async () => {
    smtp = await TestSmtpServer.start();
    // The host turns every session away until the disk has room again: what was accepted before
    // the disk filled is delivered after, through the retries.
    let hostDown = true;
    smtp.onConnect = () => (hostDown ? { code: 421, message: '4.3.2 try again later' } : undefined);
    t = await createDeliveryTestApp(kind, { delivery: { leaseMs: 2_000 }, env: { RETRY_SCHEDULE: Array(60).fill('250ms').join(',') } });
    await t.putTenant('kunde', loopbackTenant({ port: smtp.port, alertSender: { address: 'kos@kunde.ch' }, allowedSenders: ['*@kunde.ch'] }));
    const connections = [...new Set([t.container.get(DATABASE), t.container.get(INTAKE_DATABASE)])];
    const accepted: string[] = [];
    let n = 0;
    // Each mail needs fresh pages: 20 KB of text. Every 202 is remembered by its subject.
    const post = async (): Promise<request.Response> => {
      const subject = `mail ${++n}`;
      const response = await t!.notify('kunde', notificationBody({ subject, text: `${n} `.repeat(10_000) }));
      if (response.status === 202) accepted.push(subject);
      return response;
    };

    for (let i = 0; i < 10; i++) expect((await post()).status).toBe(202);
    expect((await request(t.app).get('/readyz')).status).toBe(200);

    await disk.fill(kind, connections);
    let refused: request.Response | undefined;
    for (let i = 0; i < 50 && !refused; i++) {
      const response = await post();
      if (response.status !== 202) refused = response;
    }
    expect(refused?.status).toBe(503);
    expect(refused!.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refused!.body).toMatchObject({ status: 503, type: 'https://kos-notify.dev/problems/storage_full' });
    expect(Number(refused!.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    const notReady = await request(t.app).get('/readyz');
    expect(notReady.status).toBe(503);
    expect(notReady.body.type).toBe('https://kos-notify.dev/problems/storage_full');
    expect(Number(notReady.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    const acceptedWhileFilling = accepted.length - 10;

    await disk.free(kind, connections);
    const freed = Date.now();
    let readyAfterMs: number | undefined;
    while (Date.now() - freed < 10_000) {
      if ((await request(t.app).get('/readyz')).status === 200) {
        readyAfterMs = Date.now() - freed;
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(readyAfterMs).toBeDefined();
    expect((await post()).status).toBe(202);
    expect(smtp.received).toHaveLength(0);
    hostDown = false;

    const deadline = Date.now() + 30_000;
    const delivered = () => new Set(smtp!.received.map((mail) => /^Subject: (.*)$/m.exec(mail.raw.toString())?.[1]?.trim()));
    while (accepted.some((subject) => !delivered().has(subject)) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
    const lost = accepted.filter((subject) => !delivered().has(subject));
    reportFigures(`storage-full-${kind}`, {
      accepted: accepted.length,
      acceptedWhileFilling,
      refusedStatus: refused!.status,
      retryAfter: Number(refused!.headers['retry-after']),
      readyAfterFreedMs: readyAfterMs,
      delivered: accepted.length - lost.length,
      lost: lost.length,
      duplicates: smtp.received.length - delivered().size,
    });
    expect(lost).toEqual([]);
  }, 90_000);
});
