import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { createApp } from '../src/app';
import { buildContainer } from '../src/container';
import { loadConfig } from '../src/shared/config/Config';
import { createHttpServer } from '../src/shared/http/httpServer';

/**
 * Prints the /openapi.json the built app serves (npm run lint:openapi lints it). The container is
 * composed as at start-up, but nothing is migrated or started: the document needs only the routes.
 */
async function main(): Promise<void> {
  const config = loadConfig({ DATABASE_URL: 'sqlite::memory:', CREDENTIALS_KEY: randomBytes(32).toString('base64'), LOG_LEVEL: 'silent' });
  const container = buildContainer(config);
  const server = createHttpServer(createApp(container));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/openapi.json`);
    if (!response.ok) throw new Error(`/openapi.json answered ${response.status}`);
    process.stdout.write(`${JSON.stringify(await response.json(), null, 2)}\n`);
  } finally {
    server.close();
    await container.unbindAllAsync();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
