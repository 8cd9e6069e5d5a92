import type { Knex } from 'knex';
import { isPostgres } from '../../src/shared/database/database';

/** Every row of every table of the database as text (binary columns as latin1): where a leaked secret would sit. */
export async function dumpTables(db: Knex): Promise<{ tables: string[]; dump: string }> {
  const tables: string[] = isPostgres(db)
    ? (await db.raw(`select table_name as name from information_schema.tables where table_schema = current_schema()`)).rows.map(
        (row: { name: string }) => row.name,
      )
    : (await db.raw(`select name from sqlite_master where type = 'table'`)).map((row: { name: string }) => row.name);
  let dump = '';
  for (const table of tables)
    dump += `${table}\n${JSON.stringify(await db(table).select('*'), (_key, value) => (Buffer.isBuffer(value) ? value.toString('latin1') : value))}\n`;
  return { tables, dump };
}
