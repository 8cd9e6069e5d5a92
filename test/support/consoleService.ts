import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CaptureSmtpServer } from '../../scripts/CaptureSmtpServer';
import { HOST_LOOKUP } from '../../src/modules/tenant/tokens';
import { startService } from '../../src/server';
import { systemLookup, type HostLookup } from '../../src/shared/net/hostGuard';
import { selfSignedCertificate, type Certificate } from './smtpHosts';
import { testConfig, TEST_ADMIN_KEY } from './testConfig';

/** The name of the console tests' mail host; it resolves to loopback. */
export const MAIL_HOST = 'mail.kunde.test';

export interface ConsoleService {
  /** http://127.0.0.1:port, where the console is /console */
  base: string;
  /** The mail host: STARTTLS with `certificate`, and the login it was started with. */
  smtp: CaptureSmtpServer;
  certificate: Certificate;
  /** A call to /api/v1 with the admin key; the body is sent as JSON. */
  api: (method: string, path: string, body?: unknown) => Promise<Response>;
  stop(): Promise<void>;
}

/** The service as the console's browser tests drive it: SQLite in a temporary directory, and a capturing mail host. */
export async function startConsoleService(login: { username: string; password: string }): Promise<ConsoleService> {
  const certificate = selfSignedCertificate(MAIL_HOST, `DNS:${MAIL_HOST}`);
  const lookup: HostLookup = async (name) => (name === MAIL_HOST ? [{ address: '127.0.0.1', family: 4 }] : systemLookup(name));
  const dir = mkdtempSync(join(tmpdir(), 'kos-notify-console-'));
  const smtp = new CaptureSmtpServer({ tls: certificate, login });
  await smtp.listen();
  const service = await startService(
    testConfig(
      { port: 0, dataDir: dir, database: { client: 'sqlite', filename: join(dir, 'console.sqlite') } },
      { SMTP_ALLOW_PRIVATE_HOSTS: 'true', RATE_LIMIT_PER_MINUTE: '100000' },
    ),
    {
      prepare: async (container) => {
        // The mail host's name resolves to loopback, for the verification and for delivery.
        (await container.rebind(HOST_LOOKUP)).toConstantValue(lookup);
      },
    },
  );
  const base = `http://127.0.0.1:${service.port}`;
  return {
    base,
    smtp,
    certificate,
    api: (method, path, body) =>
      fetch(`${base}/api/v1${path}`, {
        method,
        headers: { Authorization: `Bearer ${TEST_ADMIN_KEY}`, 'Content-Type': 'application/json' },
        ...(body ? { body: JSON.stringify(body) } : {}),
      }),
    stop: async () => {
      await service.stop();
      await smtp.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
