import type { Knex } from 'knex';

/** Where /readyz writes a row (and removes it) to learn whether the disk has room again after a write failed for lack of it. */
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('storage_probe', (table) => {
    table.string('id', 40).primary();
    table.text('filler').notNullable();
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('storage_probe');
}
