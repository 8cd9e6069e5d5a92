import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killHard, postJson, startChildService, type ChildService } from '../../support/childService';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../../support/databases';
import { TestSmtpServer } from '../../support/TestSmtpServer';
import { TEST_ADMIN_KEY } from '../../support/testConfig';
import { WebhookReceiver } from '../../support/WebhookReceiver';

const secret = `whsec_${randomBytes(32).toString('base64')}`;
/**
 * On PostgreSQL the dead process's lease must run out first (a new instance may not take a live
 * one's POST): a lease just over the 10 s a POST may take brings the event back within this.
 */
const REDELIVERY_MS = 30_000;

describe.each(DATABASE_KINDS)('webhook events of the real server on %s survive kill -9 between the change and the POST', (kind) => {
  let dir: string;
  let database: TestDatabase;
  let smtp: TestSmtpServer;
  let receiver: WebhookReceiver;
  let current: ChildService | undefined;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kos-webhook-crash-'));
    database = await createTestDatabase(kind);
    smtp = await TestSmtpServer.start();
    receiver = await WebhookReceiver.start();
  });
  afterAll(async () => {
    if (current) await killHard(current);
    await receiver?.close();
    await smtp?.close();
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  const databaseUrl = () => (database.config.client === 'pg' ? database.config.connectionString : `sqlite:${database.config.filename}`);
  const start = () => startChildService({ DATABASE_URL: databaseUrl(), WEBHOOK_URL: receiver.url, WEBHOOK_SECRET: secret, RETRY_SCHEDULE: '100ms,100ms' }, dir);

  it('delivers the event of a mail sent before the kill, with its webhook-id, after the restart', { timeout: REDELIVERY_MS + 30_000 }, async () => {
    // The receiver takes the POST but never answers: the event is stored, its delivery under way.
    receiver.respond = () => 'hang';
    current = await start();
    const tenant = {
      name: 'Kunde AG',
      alertSender: { address: 'kos@kunde.ch' },
      mail: { preset: 'custom', host: '127.0.0.1', port: smtp.port, security: 'none', allowedSenders: ['*@kunde.ch'] },
    };
    expect((await postJson(`${current.base}/tenants/kunde`, tenant, 'PUT')).status).toBe(201);
    const queued = await postJson(`${current.base}/tenants/kunde/notifications`, {
      author: { name: 'Anna', email: 'anna@kunde.ch' },
      to: [{ email: 'beat@kunde.ch' }],
      subject: 'Vor dem Kill',
      text: 'x',
    });
    const { id } = (await queued.json()) as { id: string };
    const sentEvent = () => receiver.ofType('notification.sent').filter((webhook) => JSON.parse(webhook.body).data.id === id);
    await expect.poll(() => sentEvent().length, { timeout: 10_000 }).toBe(1);
    const eventId = sentEvent()[0]!.headers['webhook-id'];
    await killHard(current);

    receiver.respond = () => 200;
    current = await start();
    await expect.poll(() => sentEvent().filter((webhook) => webhook.answered === 200).length, { timeout: REDELIVERY_MS }).toBe(1);
    const delivered = sentEvent().find((webhook) => webhook.answered === 200)!;
    expect(delivered.headers['webhook-id']).toBe(eventId);
    const event = new Webhook(secret).verify(delivered.body, delivered.headers as Record<string, string>) as { data: { id: string; status: string } };
    expect(event.data).toMatchObject({ id, status: 'sent' });
    const listed = await fetch(`${current.base}/webhook-deliveries?status=delivered`, { headers: { Authorization: `Bearer ${TEST_ADMIN_KEY}` } });
    expect(((await listed.json()) as { items: Array<{ id: string; attempts: number }> }).items.find((item) => item.id === eventId)).toMatchObject({
      attempts: 2,
    });
  });
});
