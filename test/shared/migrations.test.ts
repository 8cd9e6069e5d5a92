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
