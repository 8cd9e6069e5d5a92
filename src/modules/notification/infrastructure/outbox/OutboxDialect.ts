import type { ServiceIdentifier } from 'inversify';
import type { Knex } from 'knex';
import { forDatabase } from '../../../../shared/database/database';
import { INSERT_BATCH, type NewMessage, type OutboxRow } from './outboxRows';
import { postgresOutboxDialect } from './postgresOutboxDialect';
import { sqliteOutboxDialect } from './sqliteOutboxDialect';

/** Where the outbox's SQL must differ between SQLite and PostgreSQL; everything else is shared. */
export interface OutboxDialect {
  /** One instance serves the store: what is `sending` at start-up was in flight when the last process died. */
  readonly singleInstance: boolean;
  /** Stores up to INSERT_BATCH messages, state rows and bodies, in one statement. */
  insert(db: Knex | Knex.Transaction, messages: NewMessage[]): Promise<void>;
  /** Leases those of `candidates` (a query of ids) that are still due, and returns them with their bodies, oldest first. */
  claim(db: Knex, candidates: Knex.QueryBuilder, lease: Record<string, unknown>, now: number): Promise<OutboxRow[]>;
}

export const OUTBOX_DIALECT: ServiceIdentifier<OutboxDialect> = Symbol.for('notification.OutboxDialect');

export function outboxDialectFor(db: Knex): OutboxDialect {
  return forDatabase(db, { sqlite: sqliteOutboxDialect, postgres: postgresOutboxDialect });
}

/** The one way a message is stored: multi-row INSERTs of INSERT_BATCH, each one statement and so atomic on its own. */
export async function insertMessages(db: Knex | Knex.Transaction, dialect: OutboxDialect, messages: NewMessage[]): Promise<void> {
  for (let start = 0; start < messages.length; start += INSERT_BATCH) await dialect.insert(db, messages.slice(start, start + INSERT_BATCH));
}
