import 'reflect-metadata';
import { ConfigError, loadConfig } from './shared/config/Config';
import { createLogger } from './shared/logging/logger';
import { startService } from './server';

const SHUTDOWN_DEADLINE_MS = 9_000;

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`kos-notify: ${error.message}\n`);
      process.exit(78);
    }
    throw error;
  }
  const log = createLogger(config.logLevel);
  const service = await startService(config, { logger: log });
  if (service.generatedAdminKey) {
    // Printed once, outside the JSON log, so that it never lands in log storage.
    process.stdout.write(
      `\n  ADMIN_API_KEY was not set: generated an admin key. It is shown only now:\n\n    ${service.generatedAdminKey}\n\n  Store it safely; only its hash is kept.\n\n`,
    );
  }

  const shutdown = (signal: string): void => {
    log.info({ signal }, 'shutting down');
    setTimeout(() => {
      log.error('shutdown took too long; exiting');
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS).unref();
    service.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(`kos-notify failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
