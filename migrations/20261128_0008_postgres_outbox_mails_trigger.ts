import type { Knex } from 'knex';
import { createPostgresInsertTrigger } from './20261128_0006_outbox_bodies';

/**
 * On PostgreSQL new mail goes into `outbox_messages` and `outbox_bodies` from JSON in one
 * statement (KnexOutbox.insertRows): the view's INSTEAD OF trigger, PL/pgSQL run per row, is no
 * longer used, and goes. SQLite keeps it: there it is the one-statement INSERT of both tables.
 */
export async function up(db: Knex): Promise<void> {
  if (db.client.config.client !== 'pg') return;
  await db.raw('drop trigger outbox_mails_insert on outbox_mails');
  await db.raw('drop function outbox_mails_insert()');
}

export async function down(db: Knex): Promise<void> {
  if (db.client.config.client !== 'pg') return;
  await createPostgresInsertTrigger(db);
}
