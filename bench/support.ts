import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { createServer } from 'node:net';
import { join } from 'node:path';
import knex, { type Knex } from 'knex';
import { loadConfig, type Config } from '../src/shared/config/Config';

/** A free TCP port on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * Runs `use` with the URL of a new database on the PostgreSQL server of `serverUrl`, dropped after,
 * so that a run starts empty and leaves nothing behind (the outbox of an earlier run would slow
 * the next one's queries).
 */
export async function withScratchPostgres<T>(serverUrl: string, use: (url: string) => Promise<T>): Promise<T> {
  const name = `kos_bench_${randomBytes(4).toString('hex')}`;
  const admin = knex({ client: 'pg', connection: serverUrl, pool: { min: 0, max: 1 } });
  try {
    await admin.raw(`create database ${name}`);
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    try {
      return await use(url.toString());
    } finally {
      await admin.raw(`drop database if exists ${name} with (force)`);
    }
  } finally {
    await admin.destroy();
  }
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export function machine(): string {
  return `${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, node ${process.version}`;
}

/** Postfix's smtp-sink on loopback; as root it must drop to an unprivileged user. */
export async function startSmtpSink(): Promise<{ port: number; process: ChildProcess; stop(): Promise<void> }> {
  const port = await freePort();
  const asRoot = process.getuid?.() === 0;
  const child = spawn(process.env.SMTP_SINK ?? '/usr/sbin/smtp-sink', [...(asRoot ? ['-u', 'nobody'] : []), `127.0.0.1:${port}`, '1024'], { stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    if (await canConnect(port)) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    port,
    process: child,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = require('node:net').connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Runs a command to its end; resolves to its stdout. */
export function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString();
      if (process.env.BENCH_TRACE) process.stderr.write(chunk);
    });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${command} ${args.join(' ')} exited with ${code}:\n${err}${out}`))));
  });
}

/**
 * Postfix's smtp-source: `messages` of `size` bytes over `sessions` sessions; `reuse` (-d) keeps
 * each session's connection for its next message, without it every message opens a connection.
 * Resolves to the seconds it took.
 */
export async function smtpSource(options: { port: number; sessions: number; messages: number; size: number; reuse: boolean }): Promise<number> {
  const started = performance.now();
  const { port, sessions, messages, size, reuse } = options;
  const args = [
    ...(reuse ? ['-d'] : []),
    '-s',
    String(sessions),
    '-m',
    String(messages),
    '-l',
    String(size),
    '-f',
    'anna.meier@t0.ch',
    '-t',
    'beat.keller@t0.ch',
    `127.0.0.1:${port}`,
  ];
  await run(process.env.SMTP_SOURCE ?? '/usr/sbin/smtp-source', args);
  return (performance.now() - started) / 1000;
}

/** The machine's load averages (1, 5, 15 minutes), to print beside figures taken on a shared machine. */
export function load(): string {
  return loadavg()
    .map((value) => value.toFixed(2))
    .join(' ');
}

/**
 * Counts each statement kind (its first 60 characters) and its total time on `db`; the returned
 * function prints the top ones to stderr, to see where a run waits on the database.
 */
export function traceQueries(db: Knex): () => void {
  const queries = new Map<string, { n: number; ms: number }>();
  const startedAt = new Map<string, { sql: string; at: number }>();
  db.on('query', (query: { sql: string; __knexQueryUid: string }) =>
    startedAt.set(query.__knexQueryUid, { sql: query.sql.slice(0, 60), at: performance.now() }),
  );
  db.on('query-response', (_response: unknown, query: { __knexQueryUid: string }) => {
    const begun = startedAt.get(query.__knexQueryUid);
    if (!begun) return;
    startedAt.delete(query.__knexQueryUid);
    const entry = queries.get(begun.sql) ?? { n: 0, ms: 0 };
    entry.n += 1;
    entry.ms += performance.now() - begun.at;
    queries.set(begun.sql, entry);
  });
  return () => {
    for (const [sql, { n, ms }] of [...queries].sort((a, b) => b[1].ms - a[1].ms).slice(0, 12))
      console.error(`${String(n).padStart(7)} × ${(ms / n).toFixed(2).padStart(7)} ms = ${(ms / 1000).toFixed(2).padStart(6)} s  ${sql}`);
  };
}

export const fmt = (value: number, digits = 0): string => value.toFixed(digits);

export const BENCH_ADMIN_KEY = 'bench-admin-key-0123456789abcdef';

/** The built service's configuration for a benchmark: its own SQLite file in `dir`, no request limit, local hosts allowed. */
export function benchServiceConfig(dir: string, extra: Record<string, string> = {}): Config {
  return loadConfig({
    PORT: '0',
    DATA_DIR: dir,
    DATABASE_URL: `sqlite:${join(dir, 'bench.sqlite')}`,
    ADMIN_API_KEY: BENCH_ADMIN_KEY,
    CREDENTIALS_KEY: randomBytes(32).toString('base64'),
    SMTP_ALLOW_PRIVATE_HOSTS: 'true',
    RATE_LIMIT_PER_MINUTE: '1000000',
    LOG_LEVEL: 'warn',
    ...extra,
  });
}
