import type { Knex } from 'knex';
import type { OutboxDialect } from './OutboxDialect';
import { BODIES, BODY_COLUMNS, due, MAILS, ROW_COLUMNS, TABLE, type BodyRow, type OutboxRow } from './outboxRows';

const NEW_COLUMNS = [...ROW_COLUMNS, ...BODY_COLUMNS];
/** The INSERT for a number of rows, built once: knex compiled it anew for every batch (docs/performance.md). */
const insertStatements = new Map<number, string>();

function insertStatement(rows: number): string {
  let sql = insertStatements.get(rows);
  if (!sql) {
    const placeholders = `(${NEW_COLUMNS.map(() => '?').join(', ')})`;
    sql = `insert into ${MAILS} (${NEW_COLUMNS.join(', ')}) values ${Array.from({ length: rows }, () => placeholders).join(', ')}`;
    insertStatements.set(rows, sql);
  }
  return sql;
}

/** SQLite: one instance, one writer at a time; new mail goes in through the view `outbox_mails`. */
export const sqliteOutboxDialect: OutboxDialect = {
  singleInstance: true,

  async insert(db, messages) {
    const values: Knex.Value[] = [];
    for (const { row, body } of messages) {
      for (const column of ROW_COLUMNS) values.push(row[column]);
      values.push(body.text_body, body.html_body, body.snapshot_json);
    }
    await db.raw(insertStatement(messages.length), values);
  },

  async claim(db, candidates, lease, now) {
    // The pick is a read of its own: inside the UPDATE its walk over the due rows held the write
    // lock, and the API's inserts waited for all of it (docs/performance.md). One instance writes,
    // and the UPDATE re-checks due-ness, so a row can change in between without being leased twice.
    const picked = (await candidates) as Array<{ id: string }>;
    if (picked.length === 0) return [];
    // RETURNING may not name another table, so the bodies follow in a second read. `+status`: the
    // re-check must not name an index of its own, or SQLite walks every due row through outbox_due
    // and tests each against the candidates instead of looking them up by id.
    const rows: OutboxRow[] = await db(TABLE)
      .update(lease)
      .whereIn(
        'id',
        picked.map((row) => row.id),
      )
      .where((query: Knex.QueryBuilder) => due(query, now, db.raw('+??', ['status'])))
      .returning('*');
    if (rows.length === 0) return [];
    const bodies = new Map<string, BodyRow>();
    for (const body of (await db<BodyRow>(BODIES)
      .select('id', ...BODY_COLUMNS)
      .whereIn(
        'id',
        rows.map((row) => row.id),
      )) as BodyRow[])
      bodies.set(body.id, body);
    return rows.sort((a, b) => a.next_attempt_at - b.next_attempt_at || (a.id < b.id ? -1 : 1)).map((row) => ({ ...row, ...bodies.get(row.id)! }));
  },
};
