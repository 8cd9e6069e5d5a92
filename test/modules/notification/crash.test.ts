import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import knex from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChildService, type ChildService } from '../../support/childService';
import { notificationBody } from '../../support/deliveryApp';
import { TestSmtpServer } from '../../support/TestSmtpServer';
import { TEST_ADMIN_KEY } from '../../support/testConfig';

const TOTAL = 1_000;

describe('a process killed with SIGKILL while sending', () => {
  let dir: string;
  let smtp: TestSmtpServer;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kos-crash-'));
    smtp = await TestSmtpServer.start();
  });
  afterAll(async () => {
    for (const child of children) child.kill('SIGKILL');
    await smtp.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function startChild(): Promise<ChildService> {
    const service = await startChildService({ DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}` }, dir);
    children.push(service.child);
    return service;
  }

  it('loses no accepted mail and sends again only mails the host had taken and the outbox not yet recorded', async () => {
    // A slow host, so that the kill lands while many sends are under way.
    smtp.dataDelayMs = 15;
    const first = await startChild();
    const tenant = await fetch(`${first.base}/tenants/kunde`, {
      method: 'PUT',
      headers: { Authorization: `Bearer ${TEST_ADMIN_KEY}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        name: 'Kunde AG',
        alertSender: { address: 'kos@kunde.ch' },
        mail: { preset: 'custom', host: '127.0.0.1', port: smtp.port, security: 'none', allowedSenders: ['*@kunde.ch'] },
      }),
    });
    expect(tenant.status).toBe(201);
    const accepted: string[] = [];
    const started = Date.now();
    for (let batch = 0; batch < TOTAL / 50; batch++) {
      const responses = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          fetch(`${first.base}/tenants/kunde/notifications`, {
            method: 'POST',
            headers: { Authorization: `Bearer ${TEST_ADMIN_KEY}`, 'Content-Type': 'application/json' },
            body: JSON.stringify(notificationBody({ subject: `Crash ${batch * 50 + i}` })),
          }),
        ),
      );
      for (const response of responses) {
        expect(response.status).toBe(202);
        accepted.push(((await response.json()) as { id: string }).id);
      }
    }
    console.info(`crash: ${TOTAL} accepted in ${Date.now() - started} ms, ${smtp.received.length} received meanwhile`);
    await smtp.waitForMessages(Math.min(300, TOTAL / 3), 30_000);
    first.child.kill('SIGKILL');
    await new Promise((resolve) => first.child.once('exit', resolve));
    // The host finishes storing what the dead process had fully written.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const receivedAtKill = smtp.received.length;
    smtp.dataDelayMs = 0;
    const killedAt = Date.now();

    const db = knex({ client: 'sqlite3', connection: { filename: join(dir, 'db.sqlite') }, useNullAsDefault: true });
    try {
      const messageIdIn = (mail: { raw: Buffer }) => /^Message-ID: (<[^>]+>)/im.exec(mail.raw.toString('utf8'))?.[1];
      const arrivedBeforeKill = new Set(smtp.received.map(messageIdIn));
      const claimed = Number((await db('outbox_messages').where({ status: 'sending' }).count({ n: '*' }))[0]!.n);
      // In flight: taken by the host while the row was not yet `sent` — the only mails that may arrive twice.
      const unsent: Array<{ message_id: string }> = await db('outbox_messages').whereNot({ status: 'sent' }).select('message_id');
      const inFlight = new Set(unsent.map((row) => row.message_id).filter((messageId) => arrivedBeforeKill.has(messageId)));
      expect(receivedAtKill).toBeLessThan(TOTAL);

      const second = await startChild();
      await smtp.waitForMessages(TOTAL, 60_000);
      await expect.poll(async () => Number((await db('outbox_messages').where({ status: 'sent' }).count({ n: '*' }))[0]!.n), { timeout: 30_000 }).toBe(TOTAL);
      const rows: Array<{ id: string; message_id: string }> = await db('outbox_messages').select('id', 'message_id');
      const byId = new Map(rows.map((row) => [row.id, row.message_id]));
      const arrivedIds = smtp.received.map(messageIdIn);
      const arrived = new Set(arrivedIds);
      const missing = accepted.filter((id) => !arrived.has(byId.get(id)));
      expect(missing).toEqual([]);
      const seen = new Set<string | undefined>();
      const duplicated = arrivedIds.filter((messageId) => (seen.has(messageId) ? true : (seen.add(messageId), false)));
      console.info(
        `crash: ${receivedAtKill} of ${TOTAL} received at SIGKILL, ${claimed} leased, ${inFlight.size} taken by the host and not recorded, ${duplicated.length} sent twice after restart; the rest took ${Date.now() - killedAt} ms`,
      );
      expect(duplicated.filter((messageId) => !inFlight.has(messageId!))).toEqual([]);
      expect(duplicated.length).toBeLessThanOrEqual(inFlight.size);
      second.child.kill('SIGTERM');
      expect(await new Promise((resolve) => second.child.once('exit', resolve))).toBe(0);
    } finally {
      await db.destroy();
    }
  }, 180_000);
});
