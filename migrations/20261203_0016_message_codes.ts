import type { Knex } from 'knex';

/**
 * The code and params beside each stored English text (a message's last error, a parked tenant's
 * reason), so that clients can show them in the reader's language; and when a tenant's mail host
 * last passed a verify, which tells an unverified tenant from a healthy one.
 */
export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('outbox_messages', (table) => {
    table.string('last_error_code', 64).nullable();
    table.text('last_error_params').nullable();
  });
  await db.schema.alterTable('tenants', (table) => {
    table.string('mail_state_reason_code', 64).nullable();
    table.text('mail_state_reason_params').nullable();
    table.bigInteger('mail_verified_at').nullable();
  });
}

export async function down(db: Knex): Promise<void> {
  // Plain SQL: knex rebuilds a SQLite table to drop a column, which the view outbox_mails forbids.
  for (const column of ['last_error_code', 'last_error_params']) await db.raw(`alter table outbox_messages drop column ${column}`);
  for (const column of ['mail_state_reason_code', 'mail_state_reason_params', 'mail_verified_at']) await db.raw(`alter table tenants drop column ${column}`);
}
