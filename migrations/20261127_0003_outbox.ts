import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('outbox_messages', (table) => {
    table.string('id', 40).primary();
    table.string('tenant_id', 63).notNullable();
    table.string('kind', 16).notNullable();
    // queued | sending | sent | failed | parked
    table.string('status', 16).notNullable();
    table.integer('attempts').notNullable().defaultTo(0);
    table.bigInteger('next_attempt_at').notNullable();
    table.string('lease_owner', 64).nullable();
    table.bigInteger('lease_until').nullable();
    table.string('envelope_from', 254).notNullable();
    table.text('from_json').notNullable();
    table.text('reply_to_json').nullable();
    table.text('to_json').notNullable();
    table.text('cc_json').notNullable();
    table.text('subject').notNullable();
    table.text('text_body').notNullable();
    table.text('html_body').nullable();
    table.text('ticket_json').nullable();
    table.string('message_id', 300).notNullable();
    table.boolean('sender_rewritten').notNullable();
    table.text('rewrite_reason').nullable();
    table.boolean('auto_submitted').notNullable();
    table.text('last_error').nullable();
    table.text('rejected_recipients_json').nullable();
    table.string('idempotency_key', 200).nullable();
    table.string('request_hash', 64).nullable();
    table.bigInteger('created_at').notNullable();
    table.bigInteger('sent_at').nullable();
    table.unique(['tenant_id', 'idempotency_key']);
    table.index(['status', 'next_attempt_at'], 'outbox_due');
    table.index(['tenant_id', 'created_at', 'id'], 'outbox_tenant_newest');
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('outbox_messages');
}
