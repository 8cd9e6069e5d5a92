import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { injectable } from 'inversify';
import { describe, expect, it } from 'vitest';
import { route, type RouteSource } from '../../src/shared/http/Route';
import { HTTP_ROUTES } from '../../src/shared/tokens';
import { startService } from '../../src/server';
import { createLogger } from '../../src/shared/logging/logger';
import { testConfig, TEST_ADMIN_KEY } from '../support/testConfig';

@injectable()
class SlowRoutes implements RouteSource {
  routes() {
    return [
      route({
        method: 'post',
        path: '/slow',
        operationId: 'slow',
        summary: 'answers after 300 ms',
        tag: 'test',
        access: 'admin',
        responses: { 200: { description: 'done' } },
        handle: async () => {
          await new Promise((resolve) => setTimeout(resolve, 300));
          return { status: 200, body: { done: true } };
        },
      }),
    ];
  }
}

describe('graceful shutdown', () => {
  it('lets a request in flight complete before it stops', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kos-shutdown-'));
    try {
      const config = testConfig({ port: 0, dataDir: dir, database: { client: 'sqlite', filename: join(dir, 'db.sqlite') } });
      const service = await startService(config, {
        logger: createLogger('silent'),
        prepare: (container) => void container.bind(HTTP_ROUTES).to(SlowRoutes).inSingletonScope(),
      });
      const inFlight = fetch(`http://127.0.0.1:${service.port}/api/v1/slow`, { method: 'POST', headers: { Authorization: `Bearer ${TEST_ADMIN_KEY}` } });
      await new Promise((resolve) => setTimeout(resolve, 50));
      const stopped = service.stop();
      const response = await inFlight;
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ done: true });
      await stopped;
      await expect(fetch(`http://127.0.0.1:${service.port}/healthz`)).rejects.toThrow();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the built server exits 0 within 10 s of SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kos-sigterm-'));
    try {
      const child = spawn(process.execPath, ['dist/src/main.js'], {
        env: {
          ...process.env,
          PORT: '0',
          DATA_DIR: dir,
          DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}`,
          LOG_LEVEL: 'info',
          ADMIN_API_KEY: '',
          CREDENTIALS_KEY: '',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      // The key is printed once startService has returned, a moment after the start line.
      const keyShown = /generated an admin key\. It is shown only now:\s+kn_[\w-]{43}/;
      await waitFor(
        () => output.includes('kos-notify started') && keyShown.test(output),
        20_000,
        () => output,
      );
      expect(output).toContain('generated a credentials key');
      // the start line names the next alert run
      const alertRun = /"alertRun":(\{[^}]*\})[^\n]*"msg":"kos-notify started"/.exec(output);
      expect(alertRun).not.toBeNull();
      const named = JSON.parse(alertRun![1]!) as { cron: string; timezone: string; nextRunAt: string };
      expect(named).toMatchObject({ cron: '0 3 * * *', timezone: 'Europe/Zurich' });
      expect(Date.parse(named.nextRunAt)).toBeGreaterThan(Date.now());
      expect(Date.parse(named.nextRunAt)).toBeLessThanOrEqual(Date.now() + 25 * 3600_000);
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      const signalled = Date.now();
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(Date.now() - signalled).toBeLessThan(10_000);
      expect(output).toContain('kos-notify stopped');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

async function waitFor(condition: () => boolean, timeoutMs: number, describe: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out; output so far:\n${describe()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
