import type { Knex } from 'knex';

/**
 * The throttles' shared windows: one row per key that a grant locks while it counts, and the
 * grants of the last minute per key (a row per batch granted at one instant).
 */
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('send_throttles', (table) => {
    table.string('key', 200).primary();
    table.bigInteger('touched_at').notNullable();
  });
  await db.schema.createTable('send_grants', (table) => {
    table.string('key', 200).notNullable();
    table.bigInteger('granted_at').notNullable();
    table.integer('count').notNullable();
    table.primary(['key', 'granted_at']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('send_grants');
  await db.schema.dropTable('send_throttles');
}
