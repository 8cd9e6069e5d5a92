import type { Knex } from 'knex';
import type { OutboxDialect } from './OutboxDialect';
import { BODIES, BODY_COLUMNS, due, MAILS, ROW_COLUMNS, TABLE, type BodyRow, type NewMessage, type OutboxRow } from './outboxRows';

const NEW_COLUMNS = [...ROW_COLUMNS, ...BODY_COLUMNS];
const COLUMN_LIST = NEW_COLUMNS.join(',');
/** The id is never bound once for all rows: a batch that repeated one must fail on the key, not store one row. */
const ID = NEW_COLUMNS.indexOf('id');
/** Statements by row count and shared columns: knex compiled the INSERT anew for every batch (docs/performance.md). */
const insertStatements = new Map<string, string>();
const MAX_STATEMENTS = 512;

/**
 * The INSERT for `rows` new messages, each column marked in `shared` bound once for all of them:
 * the driver binds every value on the main thread, nulls and numbers dearest (docs/performance.md),
 * and the rows of a group commit share most of theirs — status, attempts, nulls, often the tenant.
 */
function insertStatement(rows: number, shared: boolean[]): string {
  const key = `${rows}:${shared.map((column) => (column ? 1 : 0)).join('')}`;
  let sql = insertStatements.get(key);
  if (!sql) {
    let perRow = 0;
    const select = shared.map((column) => (column ? '?' : `column${++perRow}`)).join(',');
    const tuple = `(${Array<string>(perRow).fill('?').join(',')})`;
    const values = Array<string>(rows).fill(tuple).join(',');
    sql =
      perRow === NEW_COLUMNS.length
        ? `insert into ${MAILS}(${COLUMN_LIST})values${values}`
        : `insert into ${MAILS}(${COLUMN_LIST})select ${select} from(values${values})`;
    if (insertStatements.size >= MAX_STATEMENTS) insertStatements.clear();
    insertStatements.set(key, sql);
  }
  return sql;
}

function columnValues({ row, body }: NewMessage): Knex.Value[] {
  return [...ROW_COLUMNS.map((column) => row[column]), ...BODY_COLUMNS.map((column) => body[column])];
}

/** SQLite: one instance, one writer at a time; new mail goes in through the view `outbox_mails`. */
export const sqliteOutboxDialect: OutboxDialect = {
  singleInstance: true,

  async insert(db, messages) {
    const rows = messages.map(columnValues);
    const first = rows[0]!;
    const shared = first.map((value, column) => rows.length > 1 && column !== ID && rows.every((row) => row[column] === value));
    const values: Knex.Value[] = first.filter((_value, column) => shared[column]);
    for (const row of rows) for (let column = 0; column < row.length; column++) if (!shared[column]) values.push(row[column]!);
    await db.raw(insertStatement(rows.length, shared), values);
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
