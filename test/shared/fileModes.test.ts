import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startService } from '../../src/server';
import { createLogger } from '../../src/shared/logging/logger';
import { createTestDatabase, DATABASE_KINDS } from '../support/databases';
import { testConfig, TEST_ADMIN_KEY } from '../support/testConfig';

const mode = (path: string): string => (statSync(path).mode & 0o777).toString(8).padStart(4, '0');

describe.each(DATABASE_KINDS)('files of a fresh data directory (%s)', (kind) => {
  it('are readable by the service owner only: the directory 0700, the database, its journal and the credentials key and webhook secret 0600', async () => {
    const root = mkdtempSync(join(tmpdir(), 'kos-modes-'));
    const dataDir = join(root, 'data');
    const database = kind === 'sqlite' ? undefined : await createTestDatabase(kind);
    const filename = join(dataDir, 'kos-notify.sqlite');
    const previousUmask = process.umask(0o022);
    try {
      const config = {
        ...testConfig({ port: 0, dataDir, database: database?.config ?? { client: 'sqlite', filename }, webhookUrl: 'http://127.0.0.1:9/hooks' }),
        credentialsKey: undefined,
      };
      const service = await startService(config, { logger: createLogger('silent') });
      try {
        // A write, so that the journal files exist.
        const saved = await fetch(`http://127.0.0.1:${service.port}/api/v1/tenants/acme`, {
          method: 'PUT',
          headers: { Authorization: `Bearer ${TEST_ADMIN_KEY}`, 'Content-Type': 'application/json' },
          body: JSON.stringify({
            name: 'Acme',
            mail: { preset: 'custom', host: 'mail.kunde.ch', port: 587, security: 'starttls', username: 'u', password: 'p' },
            alertSender: { address: 'kos@kunde.ch' },
          }),
        });
        expect(saved.status).toBe(201);
        const modes: Record<string, string> = {
          data: mode(dataDir),
          'credentials.key': mode(join(dataDir, 'credentials.key')),
          'webhook.secret': mode(join(dataDir, 'webhook.secret')),
        };
        if (kind === 'sqlite') for (const suffix of ['', '-wal', '-shm']) modes[`kos-notify.sqlite${suffix}`] = mode(`${filename}${suffix}`);
        console.info(`modes (${kind}, umask 022): ${JSON.stringify(modes)}`);
        expect(modes).toEqual({
          data: '0700',
          'credentials.key': '0600',
          'webhook.secret': '0600',
          ...(kind === 'sqlite' ? { 'kos-notify.sqlite': '0600', 'kos-notify.sqlite-wal': '0600', 'kos-notify.sqlite-shm': '0600' } : {}),
        });
      } finally {
        await service.stop();
      }
    } finally {
      process.umask(previousUmask);
      rmSync(root, { recursive: true, force: true });
      await database?.drop();
    }
  });
});
