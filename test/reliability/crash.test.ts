import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import knex, { type Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killHard, postJson, startChildService, type ChildService } from '../support/childService';
import { reportFigures } from '../support/figures';
import { TestSmtpServer } from '../support/TestSmtpServer';

const TOTAL = Number(process.env.CRASH_TOTAL ?? 10_000);
const KILLS = 5;

describe('the real server, SIGKILLed five times while it sends', () => {
  let dir: string;
  let smtp: TestSmtpServer;
  let db: Knex;
  let current: ChildService | undefined;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kos-crash-'));
    smtp = await TestSmtpServer.start();
  });
  afterAll(async () => {
    if (current) await killHard(current);
    await db?.destroy();
    await smtp?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const start = () => startChildService({ DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}` }, dir);
  const count = async (status: string) => Number((await db('outbox_messages').where({ status }).count({ n: '*' }))[0]!.n);

  it(`loses none of ${TOTAL} accepted mails; sends twice only mails in flight at a kill (taken by the host, not yet recorded)`, async () => {
    // A slightly slow host, so that every kill lands while sends are under way.
    smtp.dataDelayMs = 5;
    current = await start();
    expect(
      (
        await postJson(
          `${current.base}/tenants/kunde`,
          {
            name: 'Kunde AG',
            alertSender: { address: 'kos@kunde.ch' },
            mail: { preset: 'custom', host: '127.0.0.1', port: smtp.port, security: 'none', allowedSenders: ['*@kunde.ch'] },
          },
          'PUT',
        )
      ).status,
    ).toBe(201);
    const accepted: string[] = [];
    const acceptStarted = Date.now();
    for (let batch = 0; batch < TOTAL / 50; batch++) {
      const responses = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          postJson(`${current!.base}/tenants/kunde/notifications`, {
            author: { name: 'Anna', email: 'anna@kunde.ch' },
            to: [{ email: `r${batch * 50 + i}@kunde.ch` }],
            subject: `Crash ${batch * 50 + i}`,
            text: 'x',
          }),
        ),
      );
      for (const response of responses) {
        expect(response.status).toBe(202);
        accepted.push(((await response.json()) as { id: string }).id);
      }
    }
    const acceptMs = Date.now() - acceptStarted;
    db = knex({ client: 'sqlite3', connection: { filename: join(dir, 'db.sqlite') }, useNullAsDefault: true });

    const messageIdIn = (mail: { raw: Buffer }) => /^Message-ID: (<[^>]+>)/im.exec(mail.raw.toString('utf8'))?.[1];
    // In flight at a kill: what the host had taken while the row was not yet `sent` (its 250 came,
    // its outcome was not committed) — the only mails that may arrive twice.
    const inFlightAt = async (): Promise<string[]> => {
      const arrivedSoFar = new Set(smtp.received.map(messageIdIn));
      const unsent: Array<{ message_id: string }> = await db('outbox_messages').whereNot({ status: 'sent' }).select('message_id');
      return unsent.map((row) => row.message_id).filter((messageId) => arrivedSoFar.has(messageId));
    };
    const kills: Array<{ receivedAtKill: number; claimed: number; deliveredUnrecorded: number }> = [];
    const inFlight = new Set<string>();
    for (let kill = 0; kill < KILLS; kill++) {
      // A random moment: after another 2 to 10 % of the mails have arrived.
      const target = Math.min(TOTAL - 50, smtp.received.length + Math.round(TOTAL * (0.02 + Math.random() * 0.08)));
      await smtp.waitForMessages(target, 120_000);
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 200));
      await killHard(current);
      current = undefined;
      // The host finishes storing what the dead process had fully written.
      await new Promise((resolve) => setTimeout(resolve, 200));
      const delivered = await inFlightAt();
      for (const messageId of delivered) inFlight.add(messageId);
      kills.push({ receivedAtKill: smtp.received.length, claimed: await count('sending'), deliveredUnrecorded: delivered.length });
      current = await start();
    }
    smtp.dataDelayMs = 0;
    const rows: Array<{ id: string; message_id: string }> = await db('outbox_messages').select('id', 'message_id');
    const messageIdOf = new Map(rows.map((row) => [row.id, row.message_id]));
    await expect.poll(async () => (await count('queued')) + (await count('sending')), { timeout: 300_000, interval: 500 }).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 500));

    const arrivedIds = smtp.received.map(messageIdIn);
    const arrived = new Set(arrivedIds);
    const lost = accepted.filter((id) => !arrived.has(messageIdOf.get(id)));
    const seen = new Set<string | undefined>();
    const duplicated = arrivedIds.filter((messageId) => (seen.has(messageId) ? true : (seen.add(messageId), false)));
    reportFigures('crash', {
      accepted: TOTAL,
      acceptMs,
      kills,
      lost: lost.length,
      duplicates: duplicated.length,
      inFlightAtKills: inFlight.size,
      failed: await count('failed'),
      sent: await count('sent'),
    });
    expect(lost).toEqual([]);
    expect(await count('sent')).toBe(TOTAL);
    // Each duplicate was in flight at a kill, and each of those arrived at most twice.
    expect(duplicated.filter((messageId) => !inFlight.has(messageId!))).toEqual([]);
    expect(duplicated.length).toBeLessThanOrEqual(inFlight.size);
    const exited = new Promise((resolve) => current!.child.once('exit', resolve));
    current.child.kill('SIGTERM');
    expect(await exited).toBe(0);
    current = undefined;
  }, 900_000);
});
