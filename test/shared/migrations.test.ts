import { afterEach, describe, expect, it } from 'vitest';
import { migrationSource } from '../../migrations';
import { createDatabase, migrateToLatest, rollbackAll } from '../../src/shared/database/database';
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
});

describe('the embedded SQLite connection', () => {
  it('commits durably: WAL with synchronous FULL, so an answered 202 survives a power cut', async () => {
    const database = await createTestDatabase('sqlite');
    const db = createDatabase(database.config);
    try {
      const pragma = async (name: string) => Object.values(((await db.raw(`PRAGMA ${name}`)) as Array<Record<string, unknown>>)[0]!)[0];
      expect(await pragma('journal_mode')).toBe('wal');
      // 2 = FULL (NORMAL, 1, loses the last commits on a power cut in WAL mode).
      expect(await pragma('synchronous')).toBe(2);
      expect(await pragma('foreign_keys')).toBe(1);
    } finally {
      await db.destroy();
      await database.drop();
    }
  });
});
