import type { Knex } from 'knex';

/**
 * How often a message's lease ended without an outcome while it may have been sending (the process
 * died, or the lease ran out): a message that takes the process down is set aside after a few.
 */
export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('outbox_messages', (table) => {
    table.integer('interruptions').notNullable().defaultTo(0);
  });
}

export async function down(db: Knex): Promise<void> {
  // Plain SQL: knex rebuilds a SQLite table to drop a column, which the view outbox_mails forbids.
  await db.raw('alter table outbox_messages drop column interruptions');
}
