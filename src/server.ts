import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Container } from 'inversify';
import { createApp } from './app';
import { buildContainer, type ContainerOptions } from './container';
import { ensureGeneratedAdminKey } from './shared/auth/ensureAdminKey';
import type { Config } from './shared/config/Config';
import { loadOrCreateCredentialsKey } from './shared/crypto/credentialsKeyFile';
import { loadOrCreateWebhookSecret } from './shared/crypto/webhookSecretFile';
import { migrateToLatest } from './shared/database/database';
import type { BackgroundService } from './shared/lifecycle/BackgroundService';
import { connectionCap, limitConnections } from './shared/http/connectionLimits';
import { createHttpServer } from './shared/http/httpServer';
import { createLogger } from './shared/logging/logger';
import { API_KEY_STORE, BACKGROUND_SERVICES, CLOCK, DATABASE } from './shared/tokens';
import { nextFireAfter } from './shared/time/cronPattern';

export interface RunningService {
  container: Container;
  server: Server;
  port: number;
  /** Set when this start generated the admin key; it is shown once and never stored. */
  generatedAdminKey?: string;
  /** Stops taking requests and work, lets what is in flight finish, closes the database. */
  stop(): Promise<void>;
}

export interface StartOptions extends ContainerOptions {
  /** Runs after the container is built and migrated, before the app is made (tests rebind here). */
  prepare?(container: Container): void | Promise<void>;
}

export async function startService(config: Config, options: StartOptions = {}): Promise<RunningService> {
  const log = options.logger ?? createLogger(config.logLevel);
  const withKey: Config = config.credentialsKey ? config : { ...config, credentialsKey: loadOrCreateCredentialsKey(config.dataDir, log) };
  const resolved: Config =
    !withKey.webhookUrl || withKey.webhookSecret ? withKey : { ...withKey, webhookSecret: loadOrCreateWebhookSecret(withKey.dataDir, log) };
  const container = buildContainer(resolved, { ...options, logger: log });
  await migrateToLatest(container.get(DATABASE));
  const generatedAdminKey = resolved.adminApiKey ? undefined : await ensureGeneratedAdminKey(container.get(API_KEY_STORE), container.get(CLOCK).now());

  await options.prepare?.(container);
  const app = createApp(container);
  const server = createHttpServer(app);
  const maxConnections = connectionCap();
  limitConnections(server, maxConnections);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(resolved.port, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const services: BackgroundService[] = container.isBound(BACKGROUND_SERVICES) ? container.getAll(BACKGROUND_SERVICES) : [];
  for (const service of services) await service.start();
  // The one global alert time, so that an operator sees when every tenant's digests go out next.
  const nextRunAt = nextFireAfter(resolved.alertCron, resolved.alertTimezone, container.get(CLOCK).now())?.toISOString() ?? null;
  const alertRun = { cron: resolved.alertCron, timezone: resolved.alertTimezone, nextRunAt };
  log.info({ port, database: resolved.database.client, maxConnections, services: services.map((service) => service.name), alertRun }, 'kos-notify started');

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      for (const service of [...services].reverse()) await service.stop();
      await closed;
      await container.unbindAllAsync();
      log.info('kos-notify stopped');
    })());
  return { container, server, port, generatedAdminKey, stop };
}
