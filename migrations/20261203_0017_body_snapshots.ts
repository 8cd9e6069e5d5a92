import type { Knex } from 'knex';
import { STATE_COLUMNS } from './20261128_0006_outbox_bodies';

/**
 * A body may be stored as the data it is rendered from (`snapshot_json`) and rendered when the mail
 * is sent: the alert run writes each digest's lines instead of its text and HTML. The view
 * `outbox_mails` (and on SQLite its INSERT trigger) gains the column.
 */
export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('outbox_bodies', (table) => {
    table.text('snapshot_json').nullable();
  });
  await replaceView(db, ['text_body', 'html_body', 'snapshot_json']);
}

export async function down(db: Knex): Promise<void> {
  await replaceView(db, ['text_body', 'html_body']);
  // Plain SQL: knex rebuilds a SQLite table to drop a column.
  await db.raw('alter table outbox_bodies drop column snapshot_json');
}

async function replaceView(db: Knex, bodyColumns: string[]): Promise<void> {
  // Dropping the view drops SQLite's INSTEAD OF trigger with it (PostgreSQL has none since 0008).
  await db.raw('drop view outbox_mails');
  await db.raw(
    `create view outbox_mails as select ${STATE_COLUMNS.map((column) => `m.${column}`).join(', ')}, ${bodyColumns.map((column) => `b.${column}`).join(', ')} from outbox_messages m join outbox_bodies b on b.id = m.id`,
  );
  if (db.client.config.client === 'pg') return;
  await db.raw(
    `create trigger outbox_mails_insert instead of insert on outbox_mails begin
    insert into outbox_bodies (id, ${bodyColumns.join(', ')}) values (NEW.id, ${bodyColumns.map((column) => `NEW.${column}`).join(', ')});
    insert into outbox_messages (${STATE_COLUMNS.join(', ')}) values (${STATE_COLUMNS.map((column) => `NEW.${column}`).join(', ')});
  end`,
  );
}
