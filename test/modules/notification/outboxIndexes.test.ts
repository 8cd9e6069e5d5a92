import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KnexOutbox } from '../../../src/modules/notification/infrastructure/KnexOutbox';
import { DELIVERY_QUEUE, NOTIFICATION_LOG } from '../../../src/modules/notification/tokens';
import { message } from '../../../src/shared/messages/message';
import { DATABASE } from '../../../src/shared/tokens';
import { DATABASE_KINDS, type DatabaseKind } from '../../support/databases';
import { commentMail } from '../../support/outboxFixture';
import { createTestApp, type TestApp } from '../../support/testApp';

const INDEXES = ['outbox_idempotency', 'outbox_tenant_sent', 'outbox_due'] as const;

describe.each(DATABASE_KINDS)('the outbox indexes on %s', (kind) => {
  let t: TestApp;
  let db: Knex;
  beforeAll(async () => {
    t = await createTestApp(kind);
    db = t.container.get(DATABASE);
    // Tenant `kunde`: 8 mails, 2 with an idempotency key; 3 sent, 1 failed, 1 sending, 3 queued.
    const outbox = t.container.get(KnexOutbox);
    await Promise.all(
      Array.from({ length: 8 }, (_, i) => outbox.enqueue(commentMail(`Index ${i}`), i < 2 ? { key: `key-${i}`, requestHash: 'h' } : undefined)),
    );
    const queue = t.container.get(DELIVERY_QUEUE);
    const ids = (await queue.claim({ owner: 'me', limit: 5, perTenant: new Map(), perTenantDefault: 100, leaseMs: 60_000 })).map((mail) => mail.id);
    expect(ids).toHaveLength(5);
    await Promise.all(ids.slice(0, 3).map((id) => queue.markSent(id, 'me', new Date(), [])));
    await queue.markFailed(ids[3]!, 'me', message('delivery_failed', { error: 'refused' }));
    // And what a store mostly holds, which PostgreSQL plans by: 40 other tenants' sent mail, 16,000
    // rows, most of which never passed through the due index — as there, where the pages that sent
    // mail left in it are reused by new mail, so that the index stays the size of the backlog.
    await Promise.all(Array.from({ length: 2_000 }, (_, i) => outbox.enqueue({ ...commentMail(`Sent ${i}`), tenantId: `other-${i % 40}` })));
    await db('outbox_messages')
      .whereNot({ tenant_id: 'kunde' })
      .update({ status: 'sent', sent_at: db.raw('created_at + 1000') });
    const copied =
      'tenant_id, kind, status, attempts, next_attempt_at, envelope_from, from_json, to_json, cc_json, subject, message_id, sender_rewritten, auto_submitted, created_at, sent_at';
    for (const suffix of ['a', 'b', 'c'])
      await db.raw(`insert into outbox_messages (id, ${copied}) select id || ?, ${copied} from outbox_messages where tenant_id <> 'kunde'`, [suffix]);
    // As autovacuum leaves it, here before it wakes up: statistics and the visibility map.
    if (kind === 'postgres') await db.raw('vacuum analyze outbox_messages');
  });
  afterAll(async () => t?.close());

  it('hold an entry only for the rows their queries read: keyed mail, sent mail, mail still to send', async () => {
    expect(await indexEntries(kind, db)).toEqual({ outbox_idempotency: 2, outbox_tenant_sent: 16_003, outbox_due: 4 });
  });

  it('serve every query that reads them, without a scan of the table or a sort of its rows', async () => {
    const log = t.container.get(NOTIFICATION_LOG);
    const queue = t.container.get(DELIVERY_QUEUE);
    const expected: Array<[string, () => Promise<unknown>, string[]]> = [
      ['claim', () => queue.claim({ owner: 'o', limit: 10, perTenant: new Map([['throttled', 0]]), perTenantDefault: 100, leaseMs: 60_000 }), ['outbox_due']],
      ['queue stats', () => log.stats(), ['outbox_due']],
      // Its count of waiting mail may take either index that holds the statuses, by the planner's costs.
      ['mail health', () => log.tenantQueue('kunde'), ['outbox_tenant_sent']],
      ['idempotent replay', () => log.findByIdempotencyKey('kunde', 'key-1'), ['outbox_idempotency']],
      ['recovery at start-up', () => queue.recoverAbandoned(), ['outbox_due']],
    ];
    for (const [name, run, indexes] of expected) {
      const plans: string[] = [];
      for (const statement of await statementsOf(db, run)) plans.push(await planOf(kind, db, statement));
      for (const index of indexes)
        expect({ name, plans }).toEqual({
          name,
          plans: expect.arrayContaining([expect.stringContaining(kind === 'sqlite' ? `INDEX ${index} (` : `using ${index} on`)]),
        });
      for (const plan of plans) {
        expect({ name, plan }).not.toEqual({ name, plan: expect.stringMatching(kind === 'sqlite' ? /SCAN outbox_messages/ : /Seq Scan on outbox_messages/) });
        // The claim ranks its picks in a sort of its own; the walks that find them must not sort.
        if (name !== 'claim') expect({ name, plan }).not.toEqual({ name, plan: expect.stringContaining(kind === 'sqlite' ? 'TEMP B-TREE' : 'Sort') });
      }
    }
  });
});

/** The number of entries in each of INDEXES. */
async function indexEntries(kind: DatabaseKind, db: Knex): Promise<Record<string, number>> {
  if (kind === 'sqlite') {
    // An index B-tree holds one entry per cell, on interior pages as on leaves.
    const rows: Array<{ name: string; n: number }> = await db.raw(
      `select name, sum(ncell) as n from dbstat where name in (${INDEXES.map(() => '?').join(', ')}) group by name`,
      [...INDEXES],
    );
    return Object.fromEntries(rows.map((row) => [row.name, Number(row.n)]));
  }
  // ANALYZE counts the entries of each index from its sample, here every row.
  await db.raw('analyze outbox_messages');
  const { rows } = await db.raw('select relname as name, reltuples as n from pg_class where relname = any(?)', [[...INDEXES]]);
  return Object.fromEntries((rows as Array<{ name: string; n: number }>).map((row) => [row.name, Number(row.n)]));
}

/** The statements on outbox_messages that `run` sends. */
async function statementsOf(db: Knex, run: () => Promise<unknown>): Promise<Array<{ sql: string; bindings: Knex.RawBinding[] }>> {
  const statements: Array<{ sql: string; bindings: Knex.RawBinding[] }> = [];
  const listener = (query: { sql: string; bindings: Knex.RawBinding[] }): void => {
    if (/outbox_messages/.test(query.sql)) statements.push(query);
  };
  db.on('query', listener);
  try {
    await run();
  } finally {
    db.off('query', listener);
  }
  return statements;
}

/** The plan of a statement as one text. */
async function planOf(kind: DatabaseKind, db: Knex, { sql, bindings }: { sql: string; bindings: Knex.RawBinding[] }): Promise<string> {
  if (kind === 'sqlite') {
    const steps: Array<{ detail: string }> = await db.raw(`explain query plan ${sql}`, bindings);
    return steps.map((step) => step.detail).join('\n');
  }
  // The statement as knex sent it names its parameters $1, $2, … in the order of `bindings`.
  const { rows } = await db.raw(`explain ${sql.replace(/\$\d+/g, '?')}`, bindings);
  return (rows as Array<{ 'QUERY PLAN': string }>).map((row) => row['QUERY PLAN']).join('\n');
}
