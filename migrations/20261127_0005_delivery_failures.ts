import type { Knex } from 'knex';

/**
 * Failed delivery tries by class, for GET /tenants/{id}/mail/health. Rows older than two days
 * are pruned by the writer; the health view counts the last 24 hours per tenant.
 */
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('delivery_failures', (table) => {
    table.increments('id').primary();
    table.string('tenant_id', 63).notNullable();
    // auth | sender | tls | connection | rejected | other
    table.string('category', 16).notNullable();
    table.bigInteger('at').notNullable();
    table.index(['tenant_id', 'at'], 'delivery_failures_tenant_at');
    table.index(['at'], 'delivery_failures_at');
  });
  await db.schema.alterTable('outbox_messages', (table) => {
    // The health view's per-tenant queue depth, oldest waiting mail and last success.
    table.index(['tenant_id', 'status', 'created_at'], 'outbox_tenant_status');
    table.index(['tenant_id', 'sent_at'], 'outbox_tenant_sent');
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('outbox_messages', (table) => {
    table.dropIndex(['tenant_id', 'sent_at'], 'outbox_tenant_sent');
    table.dropIndex(['tenant_id', 'status', 'created_at'], 'outbox_tenant_status');
  });
  await db.schema.dropTable('delivery_failures');
}
