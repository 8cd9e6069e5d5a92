import type { Knex } from 'knex';
import type { OutboxDialect } from './OutboxDialect';
import { BODIES, BODY_COLUMNS, due, ROW_COLUMNS, TABLE, type OutboxRow } from './outboxRows';

// Both tables from two JSON parameters in one statement: the view's INSTEAD OF trigger ran
// PL/pgSQL per row and the driver encoded each value as a parameter of its own (docs/performance.md).
const INSERT = `with bodies as (insert into ${BODIES} (id, ${BODY_COLUMNS.join(', ')}) select id, ${BODY_COLUMNS.join(', ')} from json_populate_recordset(null::${BODIES}, ?::json))
  insert into ${TABLE} (${ROW_COLUMNS.join(', ')}) select ${ROW_COLUMNS.join(', ')} from json_populate_recordset(null::${TABLE}, ?::json)`;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * JSON for PostgreSQL. A lone UTF-16 surrogate (the API accepts any string) becomes U+FFFD, as it
 * does when the driver sends a string parameter as UTF-8; as a JSON escape PostgreSQL refuses it.
 * JSON.stringify writes only lone surrogates as `\udXXX` escapes, so the slow pass is rare.
 */
function toJson(rows: object[]): string {
  const json = JSON.stringify(rows);
  return /\\ud[89a-f]/.test(json)
    ? JSON.stringify(rows, (_key, value: unknown) => (typeof value === 'string' ? value.replace(LONE_SURROGATE, '\uFFFD') : value))
    : json;
}

/** PostgreSQL: several instances share the store; claims skip the rows another instance holds. */
export const postgresOutboxDialect: OutboxDialect = {
  singleInstance: false,

  async insert(db, messages) {
    await db.raw(INSERT, [toJson(messages.map(({ body }) => body)), toJson(messages.map(({ row }) => row))]);
  },

  async claim(db, candidates, lease, now) {
    // One statement. Another instance may hold some of these rows: skip them rather than wait,
    // and re-check due-ness under the lock.
    const claimed = db(TABLE)
      .update(lease)
      .whereIn(
        'id',
        db(TABLE)
          .select('id')
          .whereIn('id', candidates)
          .where((query: Knex.QueryBuilder) => due(query, now))
          .forUpdate()
          .skipLocked(),
      )
      .returning('*');
    const rows: OutboxRow[] = await db
      .with('claimed', claimed)
      .select('m.*', ...BODY_COLUMNS.map((column) => `b.${column}`))
      .from({ m: 'claimed' })
      .join({ b: BODIES }, 'b.id', 'm.id')
      .orderBy([{ column: 'm.next_attempt_at' }, { column: 'm.id' }]);
    return rows;
  },
};
