import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('tenants', (table) => {
    // smtp | graph (microsoft365 only)
    table.string('transport', 8).nullable();
    // mail.oauth2 as the tenant wrote it, without its secret (JSON)
    table.text('oauth2_json').nullable();
    // The client secret or private key: AES-256-GCM like the password, its purpose bound in too.
    table.text('oauth2_secret_ciphertext').nullable();
    table.string('oauth2_secret_key_id', 40).nullable();
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('tenants', (table) => {
    table.dropColumn('oauth2_secret_key_id');
    table.dropColumn('oauth2_secret_ciphertext');
    table.dropColumn('oauth2_json');
    table.dropColumn('transport');
  });
}
