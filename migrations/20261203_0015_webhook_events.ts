import type { Knex } from 'knex';

/** Delivery events for KOS, stored with the change they report and sent by a queue of their own. */
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('webhook_events', (table) => {
    table.string('id', 48).primary();
    table.string('type', 40).notNullable();
    table.string('tenant_id', 63).nullable();
    table.text('body').notNullable();
    table.string('status', 16).notNullable();
    table.integer('attempts').notNullable().defaultTo(0);
    table.bigInteger('next_attempt_at').notNullable();
    table.string('lease_owner', 100).nullable();
    table.bigInteger('lease_until').nullable();
    table.text('last_error').nullable();
    table.bigInteger('created_at').notNullable();
    table.bigInteger('delivered_at').nullable();
    table.index(['status', 'next_attempt_at'], 'webhook_events_due');
    table.index(['created_at', 'id'], 'webhook_events_newest');
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('webhook_events');
}
