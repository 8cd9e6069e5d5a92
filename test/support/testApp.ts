import type { Container } from 'inversify';
import type { Express } from 'express';
import { createApp } from '../../src/app';
import { buildContainer, type ContainerOptions } from '../../src/container';
import type { Config } from '../../src/shared/config/Config';
import { migrateToLatest } from '../../src/shared/database/database';
import { DATABASE } from '../../src/shared/tokens';
import { createTestDatabase, type DatabaseKind, type TestDatabase } from './databases';
import { testConfig } from './testConfig';

export interface TestApp {
  container: Container;
  app: Express;
  config: Config;
  database: TestDatabase;
  close(): Promise<void>;
}

export interface TestAppOptions extends ContainerOptions {
  config?: Partial<Config>;
  env?: Record<string, string>;
  /** Runs after the container is built and before the app is created: the place for rebinds. */
  prepare?(container: Container): void | Promise<void>;
}

/** The real container on a fresh database of the kind, migrated, with the Express app over it. */
export async function createTestApp(kind: DatabaseKind, options: TestAppOptions = {}): Promise<TestApp> {
  const database = await createTestDatabase(kind);
  const config = testConfig({ ...options.config, database: database.config }, options.env);
  const container = buildContainer(config, options);
  await migrateToLatest(container.get(DATABASE));
  await options.prepare?.(container);
  const app = createApp(container);
  return {
    container,
    app,
    config,
    database,
    close: async () => {
      await container.unbindAllAsync();
      await database.drop();
    },
  };
}
