import 'reflect-metadata';
import type { Knex } from 'knex';
import { Registry } from 'prom-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PendingDigest } from '../../../src/modules/alerting/domain/DigestLog';
import { KnexDigestLog } from '../../../src/modules/alerting/infrastructure/KnexDigestLog';
import { PrometheusDeliveryMetrics } from '../../../src/modules/notification/infrastructure/PrometheusDeliveryMetrics';
import { KnexOutbox } from '../../../src/modules/notification/infrastructure/KnexOutbox';
import { outboxDialectFor } from '../../../src/modules/notification/infrastructure/outbox/OutboxDialect';
import { createDatabase, migrateToLatest } from '../../../src/shared/database/database';
import { FixedClock } from '../../../src/shared/time/FixedClock';
import { CountingDispatchSignal, outboxDigests } from '../../support/alertingApp';
import { createTestDatabase, DATABASE_KINDS, type DatabaseKind, type TestDatabase } from '../../support/databases';

const D = '2027-03-10';

function digest(recipient: string, date = D, tickets = ['T1']): PendingDigest {
  return {
    key: { tenantId: 'acme', recipient: recipient.toLowerCase(), date },
    ticketIds: tickets,
    mail: {
      tenantId: 'acme',
      kind: 'digest',
      from: { address: 'alerts@acme.example.ch' },
      envelopeFrom: 'alerts@acme.example.ch',
      to: [{ address: recipient }],
      cc: [],
      subject: `digest for ${recipient} on ${date}`,
      text: 'text',
      html: '<p>html</p>',
      senderRewritten: false,
      autoSubmitted: true,
    },
  };
}

describe.each(DATABASE_KINDS)('the digest log on %s', (kind: DatabaseKind) => {
  let database: TestDatabase;
  let db: Knex;
  let log: KnexDigestLog;
  let signal: CountingDispatchSignal;
  beforeEach(async () => {
    database = await createTestDatabase(kind);
    db = createDatabase(database.config);
    await migrateToLatest(db);
    const clock = new FixedClock('2027-03-10T03:00:00Z');
    signal = new CountingDispatchSignal();
    log = new KnexDigestLog(db, clock, new KnexOutbox(db, clock, signal, new PrometheusDeliveryMetrics(new Registry()), outboxDialectFor(db)));
  });
  afterEach(async () => {
    await db.destroy();
    await database.drop();
  });

  it('queues a batch except the keys recorded before or repeated in it, each key linked to its own mail', async () => {
    expect(await log.queueMany('run_a', [digest('b@acme.ch')])).toEqual([true]);
    const results = await log.queueMany('run_b', [digest('a@acme.ch'), digest('B@acme.ch'), digest('c@acme.ch'), digest('A@acme.ch')]);
    expect(results).toEqual([true, false, true, false]);

    const mails = await outboxDigests(db);
    expect(mails.map((mail) => mail.to[0]!.address).sort()).toEqual(['a@acme.ch', 'b@acme.ch', 'c@acme.ch']);
    const keys = await db('alert_digests').orderBy('recipient_lower');
    expect(keys.map((key) => [key.recipient_lower, key.run_id])).toEqual([
      ['a@acme.ch', 'run_b'],
      ['b@acme.ch', 'run_a'],
      ['c@acme.ch', 'run_b'],
    ]);
    for (const key of keys) expect(mails.find((mail) => mail.id === key.outbox_id)?.to[0]!.address.toLowerCase()).toBe(key.recipient_lower);
    expect(signal.notified).toBe(2);
  });

  it("writes each key with its mail's ids in the same INSERT, so that no statement rewrites the keys", async () => {
    await log.queueMany('run_a', [digest('b@acme.ch')]);
    const statements: string[] = [];
    db.on('query', (query: { sql: string }) => statements.push(query.sql.trim().toLowerCase()));
    expect(await log.queueMany('run_b', [digest('a@acme.ch'), digest('b@acme.ch'), digest('c@acme.ch')])).toEqual([true, false, true]);
    expect(statements.filter((sql) => sql.startsWith('update'))).toEqual([]);
    for (const key of await db('alert_digests')) {
      const mail = await db('outbox_messages').where({ id: key.outbox_id }).first();
      expect(JSON.parse(mail.to_json)[0].address).toBe(key.recipient_lower);
      expect(mail.message_id).toBe(key.message_id);
    }
  });

  it('a batch whose every key is taken queues nothing and does not wake the dispatcher', async () => {
    await log.queueMany('run_a', [digest('a@acme.ch'), digest('b@acme.ch')]);
    const woken = signal.notified;
    expect(await log.queueMany('run_b', [digest('b@acme.ch'), digest('a@acme.ch')])).toEqual([false, false]);
    expect(await outboxDigests(db)).toHaveLength(2);
    expect(signal.notified).toBe(woken);
  });

  it('two overlapping batches at the same time queue each key once between them', async () => {
    const recipients = Array.from({ length: 600 }, (_, index) => `user${String(index).padStart(4, '0')}@acme.ch`);
    const [first, second] = await Promise.all([
      log.queueMany(
        'run_a',
        recipients.slice(0, 400).map((recipient) => digest(recipient)),
      ),
      log.queueMany(
        'run_b',
        recipients.slice(200).map((recipient) => digest(recipient)),
      ),
    ]);
    const won = first!.filter(Boolean).length + second!.filter(Boolean).length;
    expect(won).toBe(600);
    const mails = await outboxDigests(db);
    expect(new Set(mails.map((mail) => mail.to[0]!.address)).size).toBe(600);
    expect(mails).toHaveLength(600);
  });

  it("tells which recipients have the day's digest and what the latest earlier one listed", async () => {
    await log.queueMany('run_1', [digest('a@acme.ch', '2027-03-08', ['T1']), digest('b@acme.ch', '2027-03-08', ['T2'])]);
    await log.queueMany('run_2', [digest('a@acme.ch', '2027-03-09', ['T1', 'T3'])]);
    await log.queueMany('run_3', [digest('b@acme.ch', D, ['T2']), digest('a@acme.ch', '2027-03-11', ['T9'])]);
    const history = await log.history('acme', ['a@acme.ch', 'b@acme.ch', 'c@acme.ch'], D);
    expect([...history.sent]).toEqual(['b@acme.ch']);
    expect(Object.fromEntries(history.previousTickets)).toEqual({ 'a@acme.ch': ['T1', 'T3'] });
    expect((await log.history('other', ['a@acme.ch'], D)).previousTickets.size).toBe(0);
  });
});
