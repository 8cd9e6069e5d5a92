import type { Knex } from 'knex';

/**
 * API keys get an expiry and the time of their last use (written at most once a minute per key);
 * audit entries keep the name of the key that acted, which outlives the key.
 */
export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('api_keys', (table) => {
    table.bigInteger('expires_at').nullable();
    table.bigInteger('last_used_at').nullable();
  });
  await db.schema.alterTable('tenant_audit', (table) => {
    table.string('actor_name', 200).nullable();
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('tenant_audit', (table) => {
    table.dropColumn('actor_name');
  });
  await db.schema.alterTable('api_keys', (table) => {
    table.dropColumn('last_used_at');
    table.dropColumn('expires_at');
  });
}
