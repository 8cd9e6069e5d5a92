import 'reflect-metadata';
import { Container, type ContainerModule } from 'inversify';
import type { Knex } from 'knex';
import { alertingModule } from './modules/alerting/alertingModule';
import { notificationModule } from './modules/notification/notificationModule';
import { tenantModule } from './modules/tenant/tenantModule';
import { webhooksModule } from './modules/webhooks/webhooksModule';
import { Authenticator } from './shared/auth/Authenticator';
import { KnexApiKeyStore } from './shared/auth/KnexApiKeyStore';
import type { Config } from './shared/config/Config';
import { CredentialsKeyring } from './shared/crypto/CredentialsKeyring';
import { createDatabase, createIntakeDatabase, createReadDatabase } from './shared/database/database';
import { StorageSpace } from './shared/database/StorageSpace';
import { createLogger, type Logger } from './shared/logging/logger';
import { createMetricsRegistry } from './shared/metrics/metrics';
import { CronerClock } from './shared/time/CronerClock';
import type { Clock } from './shared/time/Clock';
import { API_KEY_STORE, CLOCK, CONFIG, CREDENTIALS_KEYRING, DATABASE, INTAKE_DATABASE, LOGGER, METRICS, READ_DATABASE, STORAGE_SPACE } from './shared/tokens';

/** The domain modules, in the order their bindings are loaded. */
const MODULES: ContainerModule[] = [tenantModule, notificationModule, alertingModule, webhooksModule];

export interface ContainerOptions {
  logger?: Logger;
  clock?: Clock;
}

/**
 * The composition root: config, then the adapters every module shares, then the modules.
 * `config.credentialsKey` must be resolved before (see bootstrap).
 */
export function buildContainer(config: Config, options: ContainerOptions = {}): Container {
  if (!config.credentialsKey) throw new Error('buildContainer needs config.credentialsKey; resolve it at start-up');
  const container = new Container();
  container.bind(CONFIG).toConstantValue(config);
  container.bind(LOGGER).toConstantValue(options.logger ?? createLogger(config.logLevel));
  let database: Knex | undefined;
  container
    .bind(DATABASE)
    .toDynamicValue(() => (database = createDatabase(config.database)))
    .inSingletonScope()
    .onDeactivation((db: Knex) => db.destroy());
  container
    .bind(INTAKE_DATABASE)
    .toDynamicValue((context) => {
      const intake = createIntakeDatabase(config.database, context.get(DATABASE));
      if (intake !== context.get(DATABASE)) context.get(STORAGE_SPACE).watch(intake);
      return intake;
    })
    .inSingletonScope()
    .onDeactivation(async (db: Knex) => {
      if (db !== database) await db.destroy();
    });
  container
    .bind(READ_DATABASE)
    .toDynamicValue((context) => createReadDatabase(config.database, context.get(DATABASE)))
    .inSingletonScope()
    .onDeactivation(async (db: Knex) => {
      if (db !== database) await db.destroy();
    });
  container
    .bind(STORAGE_SPACE)
    .toDynamicValue((context) => new StorageSpace(context.get(DATABASE)))
    .inSingletonScope();
  if (options.clock) container.bind(CLOCK).toConstantValue(options.clock);
  else container.bind(CLOCK).to(CronerClock).inSingletonScope();
  container.bind(METRICS).toConstantValue(createMetricsRegistry());
  container.bind(CREDENTIALS_KEYRING).toConstantValue(new CredentialsKeyring(config.credentialsKey, config.previousCredentialsKeys));
  container.bind(API_KEY_STORE).to(KnexApiKeyStore).inSingletonScope();
  container.bind(Authenticator).toSelf().inSingletonScope();
  container.load(...MODULES);
  return container;
}
