import type { Knex } from 'knex';

/** The state columns of `outbox_messages` after this migration (all but the bodies), as the view `outbox_mails` lists them. */
export const STATE_COLUMNS = [
  'id',
  'tenant_id',
  'kind',
  'status',
  'attempts',
  'next_attempt_at',
  'lease_owner',
  'lease_until',
  'envelope_from',
  'from_json',
  'reply_to_json',
  'to_json',
  'cc_json',
  'subject',
  'ticket_json',
  'message_id',
  'sender_rewritten',
  'rewrite_reason',
  'auto_submitted',
  'last_error',
  'rejected_recipients_json',
  'idempotency_key',
  'request_hash',
  'created_at',
  'sent_at',
  'envelope_to_json',
];

/**
 * The message bodies move out of `outbox_messages` into `outbox_bodies`, written once and read
 * once per try. Every state change rewrites its row, and on SQLite a row is rewritten whole:
 * with the bodies inside, each claim and each `sent` copied kilobytes per message (measured:
 * updating 200 rows of 3 KB bodies cost five times as much as without them).
 *
 * `envelope_to_json` limits a message's envelope to some of its recipients: a retry of those a
 * host refused with a temporary code while it accepted the others.
 *
 * New mail goes in through the view `outbox_mails` (state and bodies), whose INSTEAD OF trigger
 * writes both tables: one INSERT statement stores a batch atomically, where a transaction of two
 * INSERTs needed four round trips between the event loop and the database.
 */
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('outbox_bodies', (table) => {
    table.string('id', 40).primary();
    table.text('text_body').notNullable();
    table.text('html_body').nullable();
  });
  await db.raw('insert into outbox_bodies (id, text_body, html_body) select id, text_body, html_body from outbox_messages');
  await db.schema.alterTable('outbox_messages', (table) => {
    table.dropColumn('text_body');
    table.dropColumn('html_body');
  });
  await db.schema.alterTable('outbox_messages', (table) => {
    // Set on a retry of the recipients a host refused for now: the envelope goes to these only.
    table.text('envelope_to_json').nullable();
  });

  await db.raw(
    `create view outbox_mails as select ${STATE_COLUMNS.map((column) => `m.${column}`).join(', ')}, b.text_body, b.html_body from outbox_messages m join outbox_bodies b on b.id = m.id`,
  );
  if (db.client.config.client === 'pg') await createPostgresInsertTrigger(db);
  else await db.raw(`create trigger outbox_mails_insert instead of insert on outbox_mails begin ${insertBoth} end`);
}

const insertBoth = `insert into outbox_bodies (id, text_body, html_body) values (NEW.id, NEW.text_body, NEW.html_body);
    insert into outbox_messages (${STATE_COLUMNS.join(', ')}) values (${STATE_COLUMNS.map((column) => `NEW.${column}`).join(', ')});`;

/** The view's INSERT on PostgreSQL (dropped again by migration 0008, restored by its down). */
export async function createPostgresInsertTrigger(db: Knex): Promise<void> {
  await db.raw(`create function outbox_mails_insert() returns trigger language plpgsql as $$ begin ${insertBoth} return NEW; end $$`);
  await db.raw('create trigger outbox_mails_insert instead of insert on outbox_mails for each row execute function outbox_mails_insert()');
}

export async function down(db: Knex): Promise<void> {
  await db.raw('drop view outbox_mails');
  if (db.client.config.client === 'pg') await db.raw('drop function outbox_mails_insert()');
  await db.schema.alterTable('outbox_messages', (table) => {
    table.dropColumn('envelope_to_json');
  });
  await db.schema.alterTable('outbox_messages', (table) => {
    table.text('text_body').notNullable().defaultTo('');
    table.text('html_body').nullable();
  });
  await db.raw(
    'update outbox_messages set text_body = (select b.text_body from outbox_bodies b where b.id = outbox_messages.id), html_body = (select b.html_body from outbox_bodies b where b.id = outbox_messages.id) where id in (select id from outbox_bodies)',
  );
  await db.schema.dropTable('outbox_bodies');
}
