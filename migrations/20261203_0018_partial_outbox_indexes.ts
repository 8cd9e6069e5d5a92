import type { Knex } from 'knex';

/**
 * Three outbox indexes keep only the rows their queries read: every entry costs a B-tree insert
 * per message (and a move per status change), read or not.
 *
 * - the idempotency key's unique index holds keyed mail only: digests and most mail have none, and
 *   NULLs never collide, so the key stays as unique as before;
 * - the last-sent index holds sent mail only: `sent` adds its entry instead of moving one;
 * - the due index holds the mail still to be sent: `sent` and `failed` drop out of it, and the
 *   claim's walk stays as small as what waits. A query that reads it names the same statuses, as
 *   this literal: SQLite uses a partial index only when the query's WHERE holds the index's terms.
 */
const WAITING = "status in ('queued', 'sending', 'parked')";

export async function up(db: Knex): Promise<void> {
  // A constraint on PostgreSQL, an index on SQLite: knex drops either as it created it (0003).
  await db.schema.alterTable('outbox_messages', (table) => {
    table.dropUnique(['tenant_id', 'idempotency_key']);
  });
  await db.raw('create unique index outbox_idempotency on outbox_messages (tenant_id, idempotency_key) where idempotency_key is not null');
  await db.raw('drop index outbox_tenant_sent');
  await db.raw('create index outbox_tenant_sent on outbox_messages (tenant_id, sent_at) where sent_at is not null');
  await db.raw('drop index outbox_due');
  await db.raw(`create index outbox_due on outbox_messages (status, next_attempt_at, tenant_id, id) where ${WAITING}`);
}

export async function down(db: Knex): Promise<void> {
  await db.raw('drop index outbox_due');
  await db.raw('create index outbox_due on outbox_messages (status, next_attempt_at, tenant_id, id)');
  await db.raw('drop index outbox_tenant_sent');
  await db.raw('create index outbox_tenant_sent on outbox_messages (tenant_id, sent_at)');
  await db.raw('drop index outbox_idempotency');
  await db.schema.alterTable('outbox_messages', (table) => {
    table.unique(['tenant_id', 'idempotency_key']);
  });
}
