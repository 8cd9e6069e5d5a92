import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import knex from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../support/databases';
import { killHard, postJson, startChildService, type ChildService } from '../support/childService';
import { TestSmtpServer } from '../support/TestSmtpServer';
import { TEST_ADMIN_KEY } from '../support/testConfig';

/** The steps of deploy/Dockerfile this machine can replay without a container engine. */
function dockerfileSteps() {
  const lines = readFileSync(join('deploy', 'Dockerfile'), 'utf8')
    .replace(/\\\n\s*/g, ' ')
    .split('\n');
  const json = (prefix: RegExp): string[] => {
    const line = lines.find((candidate) => prefix.test(candidate));
    if (!line) throw new Error(`deploy/Dockerfile has no line ${prefix}`);
    return JSON.parse(line.replace(prefix, '')) as string[];
  };
  const prune = /npm prune [^&\n]*/.exec(lines.join('\n'))?.[0].trim().split(/\s+/);
  if (!prune) throw new Error('deploy/Dockerfile does not prune the dev dependencies');
  return { prune: prune.slice(1), healthcheck: json(/^HEALTHCHECK .*?CMD /), command: json(/^CMD /) };
}

/**
 * The production path as deploy/Dockerfile runs it: the built service with production dependencies
 * only (node_modules of `npm ci`, then the Dockerfile's `npm prune --omit=dev`), started with the
 * Dockerfile's CMD from a directory that holds no sources, no TypeScript and no dev dependency.
 */
describe('the built service from a copy with production dependencies only', () => {
  let release: string;
  const steps = dockerfileSteps();

  beforeAll(() => {
    if (!existsSync(join('dist', '.build-stamp'))) throw new Error('run `npm run build` first');
    release = mkdtempSync(join(tmpdir(), 'kos-release-'));
    for (const entry of ['dist', 'package.json', 'package-lock.json', 'node_modules']) cpSync(entry, join(release, entry), { recursive: true });
    // --offline: the copy already holds every package; pruning needs no registry.
    execFileSync('npm', [...steps.prune, '--offline'], { cwd: release, stdio: 'pipe' });
  }, 120_000);

  it("runs the Dockerfile's CMD, node dist/src/main.js", () => {
    expect(steps.command).toEqual(['node', 'dist/src/main.js']);
  });
  afterAll(() => rmSync(release, { recursive: true, force: true }));

  it('holds no dev dependency after the prune', () => {
    for (const dev of ['typescript', 'vitest', 'supertest', 'smtp-server', 'mailparser'])
      expect(existsSync(join(release, 'node_modules', dev)), dev).toBe(false);
    for (const runtime of ['express', 'knex', 'sqlite3', 'pg', 'nodemailer', 'prom-client'])
      expect(existsSync(join(release, 'node_modules', runtime)), runtime).toBe(true);
  });

  describe.each(DATABASE_KINDS)('on %s', (kind) => {
    let database: TestDatabase;
    let smtp: TestSmtpServer;
    let service: ChildService | undefined;
    let dataDir: string;

    beforeAll(async () => {
      database = await createTestDatabase(kind);
      smtp = await TestSmtpServer.start();
      dataDir = mkdtempSync(join(tmpdir(), 'kos-release-data-'));
    });
    afterAll(async () => {
      if (service) await killHard(service);
      await smtp?.close();
      await database?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('starts with NODE_ENV=production, migrates, answers the probes and the API, delivers, and stops on SIGTERM', async () => {
      const databaseUrl = database.config.client === 'pg' ? database.config.connectionString : `sqlite:${database.config.filename}`;
      // NODE_PATH empty: modules resolve from the copy alone, never from the worktree.
      service = await startChildService({ NODE_ENV: 'production', NODE_PATH: '', DATABASE_URL: databaseUrl }, dataDir, { cwd: release });
      const origin = service.base.replace('/api/v1', '');

      expect((await fetch(`${origin}/healthz`)).status).toBe(200);
      expect((await fetch(`${origin}/readyz`)).status).toBe(200);
      expect((await fetch(`${origin}/console/`)).status).toBe(200);
      const port = new URL(origin).port;
      const healthcheck = () =>
        spawnSync(process.execPath, steps.healthcheck.slice(1), { env: { PATH: process.env.PATH, PORT: port }, timeout: 10_000 }).status;
      expect(healthcheck()).toBe(0);

      const migrations = readdirSync(join(release, 'dist', 'migrations')).filter((file) => /^\d{8}_\d{4}_.*\.js$/.test(file));
      const db = knex(
        database.config.client === 'pg'
          ? { client: 'pg', connection: database.config.connectionString }
          : { client: 'sqlite3', connection: { filename: database.config.filename }, useNullAsDefault: true },
      );
      try {
        const applied: Array<{ name: string }> = await db('knex_migrations').select('name');
        expect(migrations.length).toBeGreaterThan(0);
        expect(applied.map((row) => row.name.replace(/\.(js|ts)$/, '')).sort()).toEqual(migrations.map((file) => file.replace(/\.js$/, '')).sort());
      } finally {
        await db.destroy();
      }

      const tenant = {
        name: 'Kunde AG',
        alertSender: { address: 'kos@kunde.ch' },
        mail: { preset: 'custom', host: '127.0.0.1', port: smtp.port, security: 'none', allowedSenders: ['*@kunde.ch'] },
      };
      expect((await postJson(`${service.base}/tenants/kunde`, tenant, 'PUT')).status).toBe(201);
      const queued = await postJson(`${service.base}/tenants/kunde/notifications`, {
        author: { name: 'Anna Meier', email: 'anna@kunde.ch' },
        to: [{ email: 'bruno@kunde.ch' }],
        subject: 'Production path',
        text: 'hello',
      });
      expect(queued.status).toBe(202);
      const { id } = (await queued.json()) as { id: string };
      const [mail] = await smtp.waitForMessages(1, 20_000);
      expect(mail!.raw.toString('utf8')).toMatch(/^Subject: Production path/m);
      const statusOf = async () => {
        const response = await fetch(`${service!.base}/tenants/kunde/notifications/${id}`, { headers: { Authorization: `Bearer ${TEST_ADMIN_KEY}` } });
        return ((await response.json()) as { status: string }).status;
      };
      await expect.poll(statusOf, { timeout: 10_000 }).toBe('sent');

      const exited = new Promise((resolve) => service!.child.once('exit', resolve));
      service.child.kill('SIGTERM');
      expect(await exited).toBe(0);
      service = undefined;
      expect(healthcheck()).toBe(1);
    }, 120_000);
  });
});
