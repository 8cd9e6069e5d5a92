import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('api_keys', (table) => {
    table.string('id', 40).primary();
    // null for admin keys
    table.string('tenant_id', 63).nullable().index();
    table.string('key_hash', 64).notNullable().unique();
    table.string('label', 200).nullable();
    table.bigInteger('created_at').notNullable();
    table.string('created_by', 80).notNullable();
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('api_keys');
}
