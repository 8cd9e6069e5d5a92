import { dirname } from 'node:path';
import knex, { type Knex } from 'knex';
import { types as pgTypes } from 'pg';
import type { DatabaseConfig } from '../config/Config';
import { ensurePrivateDirectory, ensurePrivateFile } from '../files/privateFiles';
import { migrationSource } from '../../../migrations';
import { ImmediateSqlite3Client } from './ImmediateSqlite3Client';

// Timestamps are stored as epoch milliseconds in BIGINT columns, which pg returns as strings by
// default; they stay far below 2^53, so numbers are exact.
pgTypes.setTypeParser(pgTypes.builtins.INT8, (value) => Number(value));

export function createDatabase(config: DatabaseConfig): Knex {
  if (config.client === 'pg') {
    return knex({
      client: 'pg',
      connection: config.connectionString,
      pool: { min: 0, max: 10 },
      compileSqlOnError: false,
    });
  }
  if (config.filename !== ':memory:') {
    ensurePrivateDirectory(dirname(config.filename));
    ensurePrivateFile(config.filename, [`${config.filename}-wal`, `${config.filename}-shm`]);
  }
  return sqlite(config.filename);
}

/**
 * The database the API's group commit stores new mail through. On PostgreSQL the shared pool; on
 * SQLite a second connection to the file, so that the API's INSERTs do not queue behind the
 * dispatcher's claims and updates in the one connection of `createDatabase` (measured under load:
 * an INSERT waited for one or two of them, 5–8 ms each). SQLite still lets one writer at a time
 * in; the other waits under busy_timeout.
 */
export function createIntakeDatabase(config: DatabaseConfig, main: Knex): Knex {
  if (config.client === 'pg' || config.filename === ':memory:') return main;
  return sqlite(config.filename);
}

/**
 * The database long reads go through that must not queue behind writes (the alert run's scan and
 * history while its batches are written). On PostgreSQL the shared pool; on SQLite a read-only
 * connection of its own: in WAL mode it reads while the other connection writes.
 */
export function createReadDatabase(config: DatabaseConfig, main: Knex): Knex {
  if (config.client === 'pg' || config.filename === ':memory:') return main;
  // A scan reads each page once: SQLite's default page cache (2 MB) is enough.
  return sqlite(config.filename, 'PRAGMA query_only = 1;');
}

/**
 * synchronous = FULL: a commit (and so a 202) survives a power cut, not only a crash of this
 * process; with group commit the flush is paid per batch (no difference measured).
 */
const WRITER_PRAGMAS = 'PRAGMA synchronous = FULL; PRAGMA cache_size = -16384;';

function sqlite(filename: string, pragmas = WRITER_PRAGMAS): Knex {
  return knex({
    client: ImmediateSqlite3Client,
    connection: { filename },
    useNullAsDefault: true,
    // A failed statement's message names its placeholders, not the values bound to them (mail text, recipients).
    compileSqlOnError: false,
    // One connection per Knex: SQLite serialises writers anyway, and a single connection keeps a
    // transaction's statements and the rest of the process from waiting on each other's locks.
    pool: {
      min: 1,
      max: 1,
      afterCreate: (connection: { exec(sql: string, done: (error: Error | null) => void): void }, done: (error: Error | null, connection: unknown) => void) => {
        connection.exec(`PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 10000; PRAGMA foreign_keys = ON; PRAGMA temp_store = MEMORY; ${pragmas}`, (error) =>
          done(error, connection),
        );
      },
    },
  });
}

/** The one of `choices` for the database `db` runs on: where SQLite and PostgreSQL must differ, adapters take a dialect object. */
export function forDatabase<T>(db: Knex, choices: { sqlite: T; postgres: T }): T {
  return isPostgres(db) ? choices.postgres : choices.sqlite;
}

export function isPostgres(db: Knex): boolean {
  return db.client.config.client === 'pg';
}

/** Any fixed number, the same in every instance: the advisory lock under which PostgreSQL is migrated. */
const MIGRATION_LOCK = 0x6b6f_736e;

export async function migrateToLatest(db: Knex): Promise<void> {
  if (!isPostgres(db)) return void (await db.migrate.latest({ migrationSource }));
  // Knex's own lock is a row in a table it creates first: instances starting together on an empty
  // database all try to create that table. A transaction-scoped advisory lock lets one in at a time.
  await db.transaction(async (trx) => {
    await trx.raw('select pg_advisory_xact_lock(?)', [MIGRATION_LOCK]);
    await db.migrate.latest({ migrationSource });
  });
}

export async function rollbackAll(db: Knex): Promise<void> {
  await db.migrate.rollback({ migrationSource }, true);
}
