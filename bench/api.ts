// npm run bench:api — POST /tenants/{id}/notifications on the built service (SQLite by default;
// with BENCH_DATABASE_URL a new database on that PostgreSQL server, dropped after) against a bare
// Express 5 hello-world, with autocannon at 64 connections, alternated over rounds. The ratio is to
// the hello-world as Express's guide writes it (`app.listen`); the same hello-world on the
// service's own HTTP server (`createHttpServer`) runs too, for what Express can do at best here.
//   BENCH_ROUNDS (3)  BENCH_DURATION seconds per run (10)  BENCH_PROFILE=<dir> (node --cpu-prof for the service)
//   BENCH_API_QUIET=1 throttles the tenant to 1 mail a minute, so that the run measures intake alone
//   BENCH_API_BACKLOG (200000): then the same rounds again with that many rows of another tenant,
//   throttled to 1 mail a minute, waiting in the outbox (0 leaves this case out)
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import express from 'express';
import { Registry } from 'prom-client';
import { KnexOutbox } from '../src/modules/notification/infrastructure/KnexOutbox';
import { PrometheusDeliveryMetrics } from '../src/modules/notification/infrastructure/PrometheusDeliveryMetrics';
import { outboxDialectFor } from '../src/modules/notification/infrastructure/outbox/OutboxDialect';
import { createDatabase } from '../src/shared/database/database';
import { CronerClock } from '../src/shared/time/CronerClock';
import { createHttpServer } from '../src/shared/http/httpServer';
import { benchMail } from './benchMail';
import { fmt, load as loadAverages, machine, median, startSmtpSink, withScratchPostgres } from './support';

const ADMIN_KEY = 'bench-admin-key-0123456789abcdef';
const CONNECTIONS = 64;

const BODY = JSON.stringify({
  kind: 'comment',
  author: { name: 'Anna Meier', email: 'anna.meier@kunde.ch' },
  to: [{ name: 'Beat Keller', email: 'beat.keller@kunde.ch' }],
  subject: 'Neuer Kommentar zu Ticket 4711: Lieferung prüfen',
  text: 'Anna Meier hat kommentiert: Die Lieferung vom Montag ist unvollständig, bitte bis Freitag klären.',
  html: '<p><b>Anna Meier</b> hat kommentiert: Die Lieferung vom Montag ist unvollständig, bitte bis Freitag klären.</p>',
  ticket: { id: '4711', title: 'Lieferung prüfen', url: 'https://kos.example.ch/tickets/4711' },
});

interface Figures {
  requests: number;
  p99: number;
  non2xx: number;
  /** Mail the service delivered to the sink during the run (service runs only). */
  delivered?: number;
}

async function main(): Promise<void> {
  if (process.argv[2] === '--bare') return bareExpress(false);
  if (process.argv[2] === '--bare-server') return bareExpress(true);
  const serverUrl = process.env.BENCH_DATABASE_URL;
  await (serverUrl ? withScratchPostgres(serverUrl, bench) : bench());
}

/** The rounds against the service on `postgresUrl`, or on a new SQLite file without one. */
async function bench(postgresUrl?: string): Promise<void> {
  const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
  const duration = Number(process.env.BENCH_DURATION ?? 10);
  const sink = await startSmtpSink();
  const bare = await startChild(process.execPath, [__filename, '--bare'], {}).catch(async (error: unknown) => {
    await sink.stop();
    throw error;
  });
  const bareServer = await startChild(process.execPath, [__filename, '--bare-server'], {}).catch(async (error: unknown) => {
    await bare.stop();
    await sink.stop();
    throw error;
  });
  const dir = mkdtempSync(join(tmpdir(), 'kos-bench-api-'));
  const databaseUrl = postgresUrl ?? `sqlite:${join(dir, 'bench.sqlite')}`;
  const profile = process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [];
  const started = startChild(process.execPath, [...profile, 'dist/src/main.js'], {
    PORT: '0',
    DATA_DIR: dir,
    DATABASE_URL: databaseUrl,
    ADMIN_API_KEY: ADMIN_KEY,
    CREDENTIALS_KEY: randomBytes(32).toString('base64'),
    SMTP_ALLOW_PRIVATE_HOSTS: 'true',
    RATE_LIMIT_PER_MINUTE: '1000000',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
  });
  const service = await started.catch(async (error: unknown) => {
    await bareServer.stop();
    await bare.stop();
    await sink.stop();
    throw error;
  });
  try {
    const base = `http://127.0.0.1:${service.port}/api/v1`;
    const tenant = `bench-${randomBytes(3).toString('hex')}`;
    const admin = { Authorization: `Bearer ${ADMIN_KEY}`, 'Content-Type': 'application/json' };
    // The tenant's host is the smtp-sink: the service delivers while it accepts, as in production.
    const put = await fetch(`${base}/tenants/${tenant}`, {
      method: 'PUT',
      headers: admin,
      body: JSON.stringify({
        name: 'Kunde AG',
        alertSender: { address: 'kos@kunde.ch' },
        mail: {
          preset: 'custom',
          host: '127.0.0.1',
          port: sink.port,
          security: 'none',
          allowedSenders: ['*@kunde.ch'],
          ...(process.env.BENCH_API_QUIET ? { maxPerMinute: 1 } : {}),
        },
      }),
    });
    if (put.status !== 201) throw new Error(`PUT tenant: ${put.status} ${await put.text()}`);
    const key = ((await (await fetch(`${base}/tenants/${tenant}/api-keys`, { method: 'POST', headers: admin, body: '{}' })).json()) as { key: string }).key;
    const serviceTarget = { url: `${base}/tenants/${tenant}/notifications`, headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' } };
    const bareTargets = {
      bare: { url: `http://127.0.0.1:${bare.port}/`, headers: { 'Content-Type': 'application/json' } },
      'bare on createHttpServer': { url: `http://127.0.0.1:${bareServer.port}/`, headers: { 'Content-Type': 'application/json' } },
    };

    console.log(`API benchmark: ${machine()}`);
    console.log(
      `${CONNECTIONS} connections, ${duration} s per run, ${rounds} rounds; database ${databaseUrl.startsWith('postgres') ? 'PostgreSQL' : 'SQLite'}; log level ${process.env.LOG_LEVEL ?? 'info'}; load averages ${loadAverages()}`,
    );
    await load(serviceTarget, 2);
    for (const target of Object.values(bareTargets)) await load(target, 2);
    const results = { service: [] as Figures[], bare: [] as Figures[], 'bare on createHttpServer': [] as Figures[], 'service, backlog': [] as Figures[] };
    const backlog = Number(process.env.BENCH_API_BACKLOG ?? 200_000);
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? (['bare', 'bare on createHttpServer', 'service'] as const) : (['service', 'bare on createHttpServer', 'bare'] as const);
      for (const which of order) {
        const sentBefore = which === 'service' ? await sentSoFar(base) : 0;
        const started = performance.now();
        const cpuBefore = cpuMs(service.child.pid);
        const figures = await load(which === 'service' ? serviceTarget : bareTargets[which], duration);
        if (which === 'service') figures.delivered = ((await sentSoFar(base)) - sentBefore) / ((performance.now() - started) / 1000);
        results[which].push(figures);
        const delivered =
          figures.delivered === undefined
            ? ''
            : `  delivered meanwhile ${fmt(figures.delivered).padStart(5)} msg/s${cpuPerRequest(cpuBefore, service.child.pid, figures, duration)}`;
        console.log(
          `round ${round + 1}  ${which.padEnd(24)} ${fmt(figures.requests).padStart(7)} req/s  p99 ${fmt(figures.p99).padStart(4)} ms  non-2xx ${figures.non2xx}${delivered}`,
        );
      }
    }
    if (backlog > 0) {
      // Another tenant on the same host, throttled to 1 mail a minute, with its backlog waiting.
      const throttled = `${tenant}-throttled`;
      const created = await fetch(`${base}/tenants/${throttled}`, {
        method: 'PUT',
        headers: admin,
        body: JSON.stringify({
          name: 'Langsam AG',
          alertSender: { address: `kos@${throttled}.ch` },
          mail: { preset: 'custom', host: '127.0.0.1', port: sink.port, security: 'none', allowedSenders: [`*@${throttled}.ch`], maxPerMinute: 1 },
        }),
      });
      if (created.status !== 201) throw new Error(`PUT throttled tenant: ${created.status} ${await created.text()}`);
      const loadStarted = performance.now();
      await addBacklog(databaseUrl, throttled, backlog);
      console.log(`${backlog} messages of a tenant throttled to 1 a minute stored in ${fmt((performance.now() - loadStarted) / 1000, 1)} s`);
      await load(serviceTarget, 2);
      for (let round = 0; round < rounds; round++) {
        const order =
          round % 2 === 0 ? (['bare on createHttpServer', 'service, backlog'] as const) : (['service, backlog', 'bare on createHttpServer'] as const);
        for (const which of order) {
          const cpuBefore = cpuMs(service.child.pid);
          const figures = await load(which === 'service, backlog' ? serviceTarget : bareTargets[which], duration);
          results[which].push(figures);
          const cpu = which === 'service, backlog' ? cpuPerRequest(cpuBefore, service.child.pid, figures, duration) : '';
          console.log(
            `round ${round + 1}  ${which.padEnd(24)} ${fmt(figures.requests).padStart(7)} req/s  p99 ${fmt(figures.p99).padStart(4)} ms  non-2xx ${figures.non2xx}  (${backlog} throttled rows waiting)${cpu}`,
          );
        }
      }
    }
    const stats = await fetch(`${base}/tenants/${tenant}/notifications?limit=1`, { headers: admin });
    if (stats.status !== 200) throw new Error(`the service stopped answering: ${stats.status}`);
    const serviceRate = median(results.service.map((figures) => figures.requests));
    const serviceP99 = median(results.service.map((figures) => figures.p99));
    const bareRate = median(results.bare.map((figures) => figures.requests));
    const bareServerRate = median(results['bare on createHttpServer'].map((figures) => figures.requests));
    console.log(
      `\nmedians: bare express ${fmt(bareRate)} req/s (p99 ${fmt(median(results.bare.map((figures) => figures.p99)))} ms), service ${fmt(serviceRate)} req/s (p99 ${fmt(serviceP99)} ms), delivering ${fmt(median(results.service.map((figures) => figures.delivered!)))} msg/s meanwhile`,
    );
    console.log(
      `bare express on createHttpServer ${fmt(bareServerRate)} req/s (p99 ${fmt(median(results['bare on createHttpServer'].map((figures) => figures.p99)))} ms): the service reaches ${fmt(serviceRate / bareServerRate, 2)} of it`,
    );
    const withBacklog = results['service, backlog'];
    const backlogFigures =
      withBacklog.length > 0
        ? `; with ${backlog} throttled rows waiting ${fmt(median(withBacklog.map((figures) => figures.requests)))} req/s, p99 ${fmt(median(withBacklog.map((figures) => figures.p99)))} ms`
        : '';
    console.log(`load averages at the end: ${loadAverages()}`);
    console.log(
      `api: ${fmt(serviceRate)} req/s, p99 ${fmt(serviceP99)} ms, ratio to bare express ${fmt(serviceRate / bareRate, 2)}; to createHttpServer ${fmt(serviceRate / bareServerRate, 2)}${backlogFigures}`,
    );
  } finally {
    await service.stop();
    await bareServer.stop();
    await bare.stop();
    await sink.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Stores `count` typical notifications of `tenantId` straight into the service's outbox, as its own intake would. */
async function addBacklog(databaseUrl: string, tenantId: string, count: number): Promise<void> {
  const db = createDatabase(
    databaseUrl.startsWith('postgres') ? { client: 'pg', connectionString: databaseUrl } : { client: 'sqlite', filename: databaseUrl.slice('sqlite:'.length) },
  );
  try {
    const outbox = new KnexOutbox(
      db,
      new CronerClock(),
      { notify() {}, wait: async () => 'any' as const },
      new PrometheusDeliveryMetrics(new Registry()),
      outboxDialectFor(db),
    );
    for (let start = 0; start < count; start += 2_000) {
      const mails = Array.from({ length: Math.min(2_000, count - start) }, (_, i) => benchMail(tenantId, start + i));
      await db.transaction((trx) => outbox.addIn(trx, mails));
    }
  } finally {
    await db.destroy();
  }
}

/** CPU time (user + system) a process has used, in ms, from /proc; undefined elsewhere. */
function cpuMs(pid: number | undefined): number | undefined {
  try {
    // Fields 14 and 15 of /proc/<pid>/stat, after the command's closing parenthesis; clock ticks of 10 ms.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(')')[1]!.trim().split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}

/** The service's CPU per answered request over a run (all its threads, delivery included): steadier than req/s on a shared machine. */
function cpuPerRequest(before: number | undefined, pid: number | undefined, figures: Figures, seconds: number): string {
  const after = cpuMs(pid);
  if (before === undefined || after === undefined || figures.requests === 0) return '';
  return `  CPU ${fmt(((after - before) * 1000) / (figures.requests * seconds)).padStart(4)} µs/req`;
}

/** The service's count of mail the sink accepted (`kos_mail_sent_total`, all tenants). */
async function sentSoFar(base: string): Promise<number> {
  const text = await (await fetch(base.replace(/\/api\/v1$/, '/metrics'))).text();
  return [...text.matchAll(/^kos_mail_sent_total\{[^}]*\} (\d+)/gm)].reduce((sum, match) => sum + Number(match[1]), 0);
}

async function load(target: { url: string; headers: Record<string, string> }, seconds: number): Promise<Figures> {
  const result = await autocannon({ url: target.url, method: 'POST', headers: target.headers, body: BODY, connections: CONNECTIONS, duration: seconds });
  const non2xx = result.non2xx + result.errors + result.timeouts;
  if (non2xx > 0) throw new Error(`${target.url}: ${non2xx} failed requests (${result.errors} errors, ${result.timeouts} timeouts)`);
  return { requests: result.requests.average, p99: result.latency.p99, non2xx };
}

/**
 * The HTTP limit: Express 5 answering a hello-world to the same request, body unread; served by
 * `app.listen` as Express's guide does, or by the service's own `createHttpServer`.
 */
function bareExpress(onServiceServer: boolean): void {
  const app = express();
  app.all('/', (_req, res) => {
    res.send('Hello World!');
  });
  const announce = (): void => console.log(JSON.stringify({ msg: 'kos-notify started', port: (server.address() as { port: number }).port }));
  const server = onServiceServer ? createHttpServer(app).listen(0, '127.0.0.1', announce) : app.listen(0, '127.0.0.1', announce);
}

/** Starts a server process and waits for its start line, which names the port. */
async function startChild(command: string, args: string[], env: Record<string, string>): Promise<{ port: number; child: ChildProcess; stop(): Promise<void> }> {
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${args.join(' ')} did not start (it must log "kos-notify started", i.e. LOG_LEVEL info or lower):\n${output}`));
    }, 30_000);
    const onData = (chunk: Buffer): void => {
      if (output.length < 100_000) output += chunk.toString();
      const match = /"port":(\d+)[^\n]*"msg":"kos-notify started"|"msg":"kos-notify started","port":(\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        child.stdout!.removeListener('data', onData);
        child.stdout!.resume();
        resolve(Number(match[1] ?? match[2]));
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code}:\n${output}`)));
  });
  return {
    port,
    child,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
