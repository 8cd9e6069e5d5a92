import type { Knex } from 'knex';

/** Authors a tenant's host refused as sender: for 24 hours their mail goes from the alert address at once. */
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('refused_senders', (table) => {
    table.string('tenant_id', 63).notNullable();
    table.string('address', 320).notNullable();
    table.bigInteger('refused_at').notNullable();
    table.text('reply').notNullable();
    table.primary(['tenant_id', 'address']);
    table.index(['refused_at']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('refused_senders');
}
