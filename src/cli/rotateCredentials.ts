import 'reflect-metadata';
import { buildContainer } from '../container';
import { RotateCredentials } from '../modules/tenant/application/RotateCredentials';
import { ConfigError, loadConfig } from '../shared/config/Config';
import { migrateToLatest } from '../shared/database/database';
import { createLogger } from '../shared/logging/logger';
import { DATABASE } from '../shared/tokens';

/**
 * `npm run rotate-credentials`: with the new key in CREDENTIALS_KEY and the old one(s) in
 * CREDENTIALS_KEY_PREVIOUS, re-encrypts every stored SMTP password and OAuth 2.0 secret (client secret, private key) under the new key.
 * Exit codes: 0 done, 1 some rows could not be decrypted, 78 configuration problem.
 */
async function main(): Promise<number> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`rotate-credentials: ${error.message}\n`);
      return 78;
    }
    throw error;
  }
  if (!config.credentialsKey) {
    process.stderr.write('rotate-credentials: set CREDENTIALS_KEY to the new key and CREDENTIALS_KEY_PREVIOUS to the old one(s)\n');
    return 78;
  }
  const container = buildContainer(config, { logger: createLogger(config.logLevel, process.stderr) });
  try {
    await migrateToLatest(container.get(DATABASE));
    const result = await container.get(RotateCredentials).execute();
    process.stdout.write(`${JSON.stringify(result)}\n`);
    if (result.failed.length > 0) {
      process.stderr.write(
        `rotate-credentials: ${result.failed.length} tenant(s) have secrets under a key that is neither CREDENTIALS_KEY nor in CREDENTIALS_KEY_PREVIOUS: ${result.failed.join(', ')}\n`,
      );
      return 1;
    }
    return 0;
  } finally {
    await container.unbindAllAsync();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`rotate-credentials failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
