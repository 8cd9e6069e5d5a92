import type { Knex } from 'knex';

// knex ships these two classes without type declarations of their own.
const Sqlite3Client = require('knex/lib/dialects/sqlite3') as typeof Knex.Client;
const Sqlite3Transaction = require('knex/lib/dialects/sqlite3/execution/sqlite-transaction') as new (
  client: Knex.Client,
  container: unknown,
  config: unknown,
  outerTx: unknown,
) => {
  query(connection: unknown, sql: string): Promise<unknown>;
};

/**
 * A transaction that takes SQLite's write lock at BEGIN, waiting for it under busy_timeout.
 * knex's plain BEGIN defers the lock to the first write; in WAL mode such a transaction that read
 * first fails at once with SQLITE_BUSY when another connection committed in between, and the
 * service writes through two connections (see createIntakeDatabase).
 */
class ImmediateTransaction extends Sqlite3Transaction {
  begin(connection: unknown): Promise<unknown> {
    return this.query(connection, 'BEGIN IMMEDIATE;');
  }
}

/** knex's sqlite3 client whose transactions begin IMMEDIATE. */
export class ImmediateSqlite3Client extends Sqlite3Client {
  override transaction(container: unknown, config: unknown, outerTx: unknown): Knex.Transaction {
    return new ImmediateTransaction(this, container, config, outerTx) as unknown as Knex.Transaction;
  }
}
