import type { Knex } from 'knex';
import { afterEach, describe, expect, it } from 'vitest';
import { migrationSource } from '../../migrations';
import { createDatabase, createIntakeDatabase, isPostgres, migrateToLatest, rollbackAll } from '../../src/shared/database/database';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../support/databases';

describe.each(DATABASE_KINDS)('migrations on %s', (kind) => {
  let database: TestDatabase | undefined;
  afterEach(async () => database?.drop());

  it('migrate up to the latest, down to nothing, and up again', async () => {
    database = await createTestDatabase(kind);
    const db = createDatabase(database.config);
    try {
      await migrateToLatest(db);
      expect(await db.schema.hasTable('api_keys')).toBe(true);
      const [, pending] = await db.migrate.list({ migrationSource });
      expect(pending).toEqual([]);

      await rollbackAll(db);
      expect(await db.schema.hasTable('api_keys')).toBe(false);

      await migrateToLatest(db);
      expect(await db.schema.hasTable('api_keys')).toBe(true);
    } finally {
      await db.destroy();
    }
  });

  it('0018 makes three outbox indexes partial, and its down makes them whole again, the idempotency key unique throughout', async () => {
    database = await createTestDatabase(kind);
    const db = createDatabase(database.config);
    const partial = [
      { name: 'outbox_due', unique: false, partial: true },
      { name: 'outbox_idempotency', unique: true, partial: true },
      { name: 'outbox_tenant_newest', unique: false, partial: false },
      { name: 'outbox_tenant_sent', unique: false, partial: true },
      { name: 'outbox_tenant_status', unique: false, partial: false },
    ];
    try {
      await migrateToLatest(db);
      expect(await outboxIndexes(db)).toEqual(partial);
      await db.migrate.down({ migrationSource, name: '20261203_0018_partial_outbox_indexes' });
      expect(await outboxIndexes(db)).toEqual([
        { name: 'outbox_due', unique: false, partial: false },
        { name: 'outbox_messages_tenant_id_idempotency_key_unique', unique: true, partial: false },
        { name: 'outbox_tenant_newest', unique: false, partial: false },
        { name: 'outbox_tenant_sent', unique: false, partial: false },
        { name: 'outbox_tenant_status', unique: false, partial: false },
      ]);
      await migrateToLatest(db);
      expect(await outboxIndexes(db)).toEqual(partial);
    } finally {
      await db.destroy();
    }
  });
});

/** The secondary indexes of outbox_messages (not its primary key), by name. */
async function outboxIndexes(db: Knex): Promise<Array<{ name: string; unique: boolean; partial: boolean }>> {
  if (isPostgres(db)) {
    const { rows } = await db.raw(
      "select indexname as name, indexdef from pg_indexes where tablename = 'outbox_messages' and indexname <> 'outbox_messages_pkey' order by indexname",
    );
    return (rows as Array<{ name: string; indexdef: string }>).map(({ name, indexdef }) => ({
      name,
      unique: indexdef.startsWith('CREATE UNIQUE'),
      partial: indexdef.includes(' WHERE '),
    }));
  }
  const rows: Array<{ name: string; unique: number; origin: string; partial: number }> = await db.raw('pragma index_list(outbox_messages)');
  return rows
    .filter((row) => row.origin !== 'pk')
    .map((row) => ({ name: row.name, unique: row.unique === 1, partial: row.partial === 1 }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

describe.skipIf(!process.env.TEST_DATABASE_URL)('instances starting together on an empty PostgreSQL database', () => {
  let database: TestDatabase | undefined;
  afterEach(async () => database?.drop());

  it('migrate it once, none of them failing', async () => {
    database = await createTestDatabase('postgres');
    for (let round = 0; round < 3; round++) {
      const instances = Array.from({ length: 4 }, () => createDatabase(database!.config));
      try {
        const outcomes = await Promise.allSettled(instances.map((db) => migrateToLatest(db)));
        expect(outcomes.filter((outcome) => outcome.status === 'rejected')).toEqual([]);
        const applied: Array<{ name: string }> = await instances[0]!('knex_migrations').select('name');
        const [completed] = await instances[0]!.migrate.list({ migrationSource });
        expect(applied).toHaveLength(completed.length);
        await rollbackAll(instances[0]!);
        await instances[0]!.schema.dropTable('knex_migrations').dropTable('knex_migrations_lock');
      } finally {
        await Promise.all(instances.map((db) => db.destroy()));
      }
    }
  });
});

describe('the embedded SQLite connections', () => {
  let database: TestDatabase | undefined;
  afterEach(async () => database?.drop());

  it('commit durably: WAL with synchronous FULL, so an answered 202 survives a power cut', async () => {
    database = await createTestDatabase('sqlite');
    const db = createDatabase(database.config);
    const intake = createIntakeDatabase(database.config, db);
    try {
      expect(intake).not.toBe(db);
      for (const connection of [db, intake]) {
        const pragma = async (name: string) => Object.values(((await connection.raw(`PRAGMA ${name}`)) as Array<Record<string, unknown>>)[0]!)[0];
        expect(await pragma('journal_mode')).toBe('wal');
        // 2 = FULL (NORMAL, 1, loses the last commits on a power cut in WAL mode).
        expect(await pragma('synchronous')).toBe(2);
        expect(await pragma('foreign_keys')).toBe(1);
      }
    } finally {
      await intake.destroy();
      await db.destroy();
    }
  });

  it('let a transaction that reads first write after the intake connection committed', async () => {
    database = await createTestDatabase('sqlite');
    const db = createDatabase(database.config);
    const intake = createIntakeDatabase(database.config, db);
    try {
      await db.schema.createTable('counters', (table) => {
        table.string('name').primary();
        table.integer('value');
      });
      await intake.raw('select 1');
      let intakeInsert: Promise<unknown> | undefined;
      await db.transaction(async (trx) => {
        await trx('counters').select();
        // With a deferred BEGIN this INSERT commits now, and the write below fails with
        // SQLITE_BUSY: the transaction's snapshot is older than the database.
        intakeInsert = intake('counters')
          .insert({ name: 'intake', value: 1 })
          .then(() => 'stored');
        await new Promise((resolve) => setTimeout(resolve, 50));
        await trx('counters').insert({ name: 'transaction', value: 2 });
      });
      expect(await intakeInsert).toBe('stored');
      expect((await db('counters').orderBy('name')).map((row: { name: string }) => row.name)).toEqual(['intake', 'transaction']);
    } finally {
      await intake.destroy();
      await db.destroy();
    }
  });

  it('share one connection on PostgreSQL', () => {
    const config = { client: 'pg', connectionString: 'postgres://nobody@127.0.0.1:1/none' } as const;
    const db = createDatabase(config);
    expect(createIntakeDatabase(config, db)).toBe(db);
    return db.destroy();
  });
});
