import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('tenants', (table) => {
    table.string('id', 63).primary();
    table.string('name', 200).notNullable();
    table.string('locale', 2).notNullable();
    // The settings as the tenant wrote them (JSON); preset defaults are applied on read.
    table.text('alert_sender_json').nullable();
    table.string('preset', 16).notNullable();
    table.string('host', 253).nullable();
    table.integer('port').nullable();
    table.string('security', 8).nullable();
    table.string('username', 254).nullable();
    table.text('allowed_senders_json').notNullable();
    table.text('ca_certificate').nullable();
    table.integer('max_per_minute').nullable();
    // AES-256-GCM: base64 of iv | tag | ciphertext, the tenant id as associated data.
    table.text('password_ciphertext').nullable();
    table.string('password_key_id', 40).nullable();
    table.integer('settings_version').notNullable().defaultTo(1);
    // ok | parked
    table.string('mail_state', 8).notNullable().defaultTo('ok');
    table.bigInteger('mail_state_since').nullable();
    table.text('mail_state_reason').nullable();
    table.bigInteger('created_at').notNullable();
    table.bigInteger('updated_at').notNullable();
  });
  await db.schema.createTable('tenant_audit', (table) => {
    table.increments('id').primary();
    table.string('tenant_id', 63).notNullable();
    table.bigInteger('at').notNullable();
    table.string('actor', 80).notNullable();
    table.string('action', 40).notNullable();
    table.text('details_json').notNullable();
    table.index(['tenant_id', 'id'], 'tenant_audit_by_tenant');
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('tenant_audit');
  await db.schema.dropTable('tenants');
}
