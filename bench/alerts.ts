// The daily alert run at scale: 100,000 and 1,000,000 open deadlines (1,000 per tenant, due
// D-60..D+60, 100 assignees per tenant, seeded), against a plain SQL scan of the same rows; the
// cost per deadline of each size shows whether the run stays linear.
//   npm run bench:alerts                       SQLite only
//   BENCH_DATABASE_URL=postgres://… npm run bench:alerts   PostgreSQL (own database, dropped after), then SQLite
// Env: BENCH_ROUNDS (default 3), BENCH_DEADLINES (sizes, default 100000,1000000), BENCH_ALERTS_3M=1
// (adds 3,000,000), BENCH_DEADLINES_PER_TENANT (1000), BENCH_ASSIGNEES_PER_TENANT (100),
// BENCH_CPU_PROF=<dir> (profile each run child with --cpu-prof), BENCH_TRACE=1 (each child's SQL counts and times).
// Each measurement runs in a fresh child process, so that its peak RSS (VmHWM) is the run's alone.
import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Knex } from 'knex';
import { Registry } from 'prom-client';
import { RunDailyAlerts } from '../src/modules/alerting/application/RunDailyAlerts';
import { addDays } from '../src/modules/alerting/domain/CalendarDate';
import { KnexDeadlineRepository } from '../src/modules/alerting/infrastructure/KnexDeadlineRepository';
import { KnexDigestLog } from '../src/modules/alerting/infrastructure/KnexDigestLog';
import { PrometheusDeliveryMetrics } from '../src/modules/notification/infrastructure/PrometheusDeliveryMetrics';
import { KnexOutbox } from '../src/modules/notification/infrastructure/KnexOutbox';
import { outboxDialectFor } from '../src/modules/notification/infrastructure/outbox/OutboxDialect';
import { LOCALES, type Tenant } from '../src/modules/tenant/domain/Tenant';
import type { TenantDirectory } from '../src/modules/tenant/domain/TenantDirectory';
import type { DatabaseConfig } from '../src/shared/config/Config';
import { createDatabase, createReadDatabase, isPostgres, migrateToLatest } from '../src/shared/database/database';
import { FixedClock } from '../src/shared/time/FixedClock';
import { traceQueries, withScratchPostgres } from './support';

const SIZES = [...(process.env.BENCH_DEADLINES ?? '100000,1000000').split(',').map(Number), ...(process.env.BENCH_ALERTS_3M ? [3_000_000] : [])];
const PER_TENANT = Number(process.env.BENCH_DEADLINES_PER_TENANT ?? 1_000);
const ASSIGNEES = Number(process.env.BENCH_ASSIGNEES_PER_TENANT ?? 100);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const LEAD_DAYS = 7;
// 04:00 in Zurich on 2027-03-10: run date D.
const NOW = '2027-03-10T03:00:00Z';
const D = '2027-03-10';

type Mode = 'run' | 'floor';
interface Measurement {
  seconds: number;
  rows: number;
  digests: number;
  peakMb: number;
}

// --- deterministic data --------------------------------------------------------------------

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST = ['Anna', 'Bruno', 'Chiara', 'Daniel', 'Elena', 'Fabian', 'Gina', 'Hugo', 'Iris', 'Jonas', 'Katrin', 'Luca'];
const LAST = ['Meier', 'Müller', 'Rossi', 'Favre', 'Keller', 'Bianchi', 'Weber', 'Dubois', 'Huber', 'Schmid'];
const WORDS = ['Offerte', 'Rechnung', 'Lieferung', 'Vertrag', 'Wartung', 'Prüfung', 'Reklamation', 'Planung', 'Abnahme', 'Bestellung', 'Mahnung', 'Termin'];

function tenantOf(index: number): Tenant {
  const id = `t${String(index).padStart(4, '0')}`;
  return {
    id,
    name: `Mandant ${index} AG`,
    locale: LOCALES[index % LOCALES.length]!,
    alertSender: { address: `fristen@${id}.example.ch` },
    mail: { preset: 'custom', host: '127.0.0.1', port: 2525, security: 'none', hasPassword: false, allowedSenders: [] },
    mailStatus: { state: 'ok' },
    settingsVersion: 1,
    createdAt: new Date('2027-01-01T00:00:00Z'),
    updatedAt: new Date('2027-01-01T00:00:00Z'),
  };
}

interface Assignee {
  email: string;
  name: string | null;
  locale: string | null;
}

function assigneesOf(tenantIndex: number, random: () => number): Assignee[] {
  return Array.from({ length: ASSIGNEES }, (_, k) => {
    const first = FIRST[Math.floor(random() * FIRST.length)]!;
    const last = LAST[Math.floor(random() * LAST.length)]!;
    const local = `${first}.${last}${k}`.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
    const roll = random();
    return {
      // A third written with capitals, as KOS sends them: grouping is case-insensitive.
      email: `${roll < 0.33 ? local : local.toLowerCase()}@t${tenantIndex}.example.ch`,
      name: roll < 0.8 ? `${first} ${last}` : null,
      locale: roll > 0.9 ? LOCALES[k % LOCALES.length]! : null,
    };
  });
}

/** Loads every tenant's deadlines (and the run's assignee rows) in multi-row inserts; returns the expected digest count. */
async function load(db: Knex, tenantCount: number): Promise<number> {
  const random = mulberry32(20271310);
  const lastDay = addDays(D, LEAD_DAYS);
  const pg = isPostgres(db);
  // SQLite refuses an INSERT of more than 500 rows; PostgreSQL takes at most 65,535 parameters.
  const chunk = pg ? 5_000 : 500;
  let expected = 0;
  const now = Date.parse(NOW);
  const tenantsPerTransaction = 20;
  for (let first = 0; first < tenantCount; first += tenantsPerTransaction) {
    const deadlines: unknown[][] = [];
    const assignees: unknown[][] = [];
    for (let t = first; t < Math.min(tenantCount, first + tenantsPerTransaction); t += 1) {
      const tenantId = tenantOf(t).id;
      const people = assigneesOf(t, random);
      const inDigest = new Set<number>();
      for (let i = 0; i < PER_TENANT; i += 1) {
        const ticketId = `K-${t}-${i}`;
        const title = `${WORDS[Math.floor(random() * WORDS.length)]} ${i} ${random() < 0.05 ? '<Müller & Söhne>' : 'Gebäude Nord'}`;
        const dueDate = addDays(D, Math.floor(random() * 121) - 60);
        const who = Math.floor(random() * people.length);
        const person = people[who]!;
        const url = `https://kos.example.ch/${tenantId}/tickets/${ticketId}`;
        if (dueDate <= lastDay) inDigest.add(who);
        const assigneeJson = JSON.stringify([
          { email: person.email, ...(person.name ? { name: person.name } : {}), ...(person.locale ? { locale: person.locale } : {}) },
        ]);
        deadlines.push([tenantId, ticketId, title, dueDate, assigneeJson, url, false, now, now]);
        assignees.push([tenantId, ticketId, person.email.toLowerCase(), person.email, person.name, person.locale, dueDate, title, url]);
      }
      expected += inDigest.size;
    }
    await db.transaction(async (trx) => {
      await insertRows(
        trx,
        'deadlines',
        ['tenant_id', 'ticket_id', 'title', 'due_date', 'assignees_json', 'url', 'done', 'created_at', 'updated_at'],
        deadlines,
        chunk,
      );
      await insertRows(
        trx,
        'deadline_assignees',
        ['tenant_id', 'ticket_id', 'email_lower', 'email', 'name', 'locale', 'due_date', 'title', 'url'],
        assignees,
        chunk,
      );
    });
  }
  await db.raw(pg ? 'vacuum analyze' : 'analyze');
  return expected;
}

async function insertRows(trx: Knex.Transaction, table: string, columns: string[], rows: unknown[][], chunk: number): Promise<void> {
  for (let start = 0; start < rows.length; start += chunk) {
    const part = rows.slice(start, start + chunk);
    if (isPostgres(trx)) {
      // One parameter per statement: the rows as JSON, spread into the table's own row type.
      const objects = part.map((values) => Object.fromEntries(columns.map((column, index) => [column, values[index]])));
      await trx.raw(`insert into ${table} select * from json_populate_recordset(null::${table}, ?::json)`, [JSON.stringify(objects)]);
    } else {
      const row = `(${columns.map(() => '?').join(',')})`;
      await trx.raw(`insert into ${table} (${columns.join(',')}) values ${part.map(() => row).join(',')}`, part.flat() as Knex.Value[]);
    }
  }
}

// --- the measured work, in a child process ---------------------------------------------------

async function child(mode: Mode, config: DatabaseConfig, tenantCount: number): Promise<void> {
  const db = createDatabase(config);
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 100);
  const clock = new FixedClock(NOW);
  const tenants = Array.from({ length: tenantCount }, (_, index) => tenantOf(index));
  const byId = new Map(tenants.map((tenant) => [tenant.id, tenant]));
  const directory: TenantDirectory = {
    list: async () => tenants,
    get: async (id) => byId.get(id),
    getMany: async (ids) => new Map(ids.flatMap((id) => (byId.has(id) ? [[id, byId.get(id)!] as const] : []))),
  };
  // The run reads beside its writes as in the service: on SQLite through a connection of its own.
  const reader = mode === 'run' ? createReadDatabase(config, db) : db;
  await db.raw('select 1');
  await reader.raw('select 1');
  const reports = process.env.BENCH_TRACE ? [...new Set([db, reader])].map((traced) => traceQueries(traced)) : [];
  const started = process.hrtime.bigint();
  let rows = 0;
  let digests = 0;
  if (mode === 'floor') {
    // The reference: the same rows in the same order, read with plain SQL and nothing done with them.
    const lastDay = addDays(D, LEAD_DAYS);
    for (const tenant of tenants) {
      const result = await db.raw(
        'select tenant_id, ticket_id, email_lower, email, name, locale, due_date, title, url from deadline_assignees where tenant_id = ? and due_date <= ? order by email_lower, due_date, ticket_id',
        [tenant.id, lastDay],
      );
      const list: Array<{ email_lower: string }> = isPostgres(db) ? result.rows : result;
      rows += list.length;
      let previous = '';
      for (const row of list) {
        if (row.email_lower === previous) continue;
        previous = row.email_lower;
        digests += 1;
      }
    }
  } else {
    const outbox = new KnexOutbox(
      db,
      clock,
      { notify() {}, wait: async () => 'any' as const },
      new PrometheusDeliveryMetrics(new Registry()),
      outboxDialectFor(db),
    );
    const run = new RunDailyAlerts(
      new KnexDeadlineRepository(db, clock, reader),
      new KnexDigestLog(db, clock, outbox, reader),
      { alertLeadDays: LEAD_DAYS },
      directory,
    );
    const { counts, errors } = await run.execute({ id: `run_bench_${randomBytes(4).toString('hex')}`, date: D });
    if (errors.length > 0) throw new Error(`run errors: ${JSON.stringify(errors.slice(0, 3))}`);
    digests = counts.queued;
    rows = counts.recipients;
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  for (const report of reports) report();
  clearInterval(sampler);
  const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  const peakMb = Math.round(Math.max(peak, hwm ? Number(hwm[1]) * 1024 : 0) / 1e6);
  if (reader !== db) await reader.destroy();
  await db.destroy();
  process.stdout.write(`${JSON.stringify({ seconds, rows, digests, peakMb } satisfies Measurement)}\n`);
}

function measure(mode: Mode, config: DatabaseConfig, tenantCount: number, label: string): Promise<Measurement> {
  const profile = process.env.BENCH_CPU_PROF;
  const args = [
    ...(profile && mode === 'run' ? ['--cpu-prof', `--cpu-prof-dir=${profile}`, `--cpu-prof-name=${label}.cpuprofile`] : []),
    __filename,
    '--child',
    mode,
    JSON.stringify(config),
    String(tenantCount),
  ];
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    proc.stdout.on('data', (data: Buffer) => (out += data.toString()));
    proc.on('error', reject);
    proc.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop()!)) : reject(new Error(`${mode} child exited with ${code}`))));
  });
}

// --- orchestration ---------------------------------------------------------------------------

async function reset(db: Knex): Promise<void> {
  if (isPostgres(db)) {
    await db.raw('truncate alert_digests, outbox_messages, outbox_bodies');
    await db.raw('vacuum analyze alert_digests, outbox_messages, outbox_bodies');
  } else {
    await db('alert_digests').delete();
    await db('outbox_messages').delete();
    await db('outbox_bodies').delete();
    await db.raw('pragma wal_checkpoint(truncate)');
  }
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

interface SizeResult {
  deadlines: number;
  run: number;
  scan: number;
  peakMb: number;
  digests: number;
}

/** One size on a new database of `config`: load, then ROUNDS of run and scan alternated. */
async function benchOne(label: string, config: DatabaseConfig, total: number): Promise<SizeResult> {
  const tenantCount = Math.ceil(total / PER_TENANT);
  const db = createDatabase(config);
  try {
    await migrateToLatest(db);
    let loadMs = Date.now();
    const expected = await load(db, tenantCount);
    loadMs = Date.now() - loadMs;
    console.log(
      `${label}: loaded ${tenantCount * PER_TENANT} deadlines of ${tenantCount} tenants in ${(loadMs / 1000).toFixed(1)} s; ${expected} recipients have a digest`,
    );
    const runs: Measurement[] = [];
    const floors: Measurement[] = [];
    for (let round = 1; round <= ROUNDS; round += 1) {
      await reset(db);
      // Alternate the order so that drift does not favour one side.
      const order: Mode[] = round % 2 ? ['floor', 'run'] : ['run', 'floor'];
      for (const mode of order) {
        const result = await measure(mode, config, tenantCount, `${label}-${mode}-${round}`);
        (mode === 'run' ? runs : floors).push(result);
        console.log(
          `${label} round ${round} ${mode.padEnd(5)}: ${result.seconds.toFixed(2)} s, ${mode === 'run' ? `${result.digests} digests` : `${result.rows} rows`}, peak ${result.peakMb} MB (load ${load1()})`,
        );
      }
      const n = (await db('outbox_messages').where({ kind: 'digest' }).count({ n: '*' }))[0]?.n;
      const keys = (await db('alert_digests').where({ run_date: D }).count({ keys: '*' }))[0]?.keys;
      if (Number(n) !== expected || Number(keys) !== expected)
        throw new Error(`${label}: expected ${expected} digests, the outbox holds ${n}, the digest log ${keys}`);
    }
    const result = {
      deadlines: tenantCount * PER_TENANT,
      run: median(runs.map((r) => r.seconds)),
      scan: median(floors.map((r) => r.seconds)),
      peakMb: median(runs.map((r) => r.peakMb)),
      digests: runs[0]!.digests,
    };
    console.log(
      `${label}: median of ${ROUNDS}: run ${result.run.toFixed(2)} s (${Math.round(result.digests / result.run)} digests/s, ${perDeadline(result)} µs a deadline), plain SQL scan ${result.scan.toFixed(2)} s (${median(floors.map((r) => r.peakMb))} MB), run/scan ${(result.run / result.scan).toFixed(1)}`,
    );
    return result;
  } finally {
    await db.destroy();
  }
}

const perDeadline = (result: SizeResult): string => ((result.run / result.deadlines) * 1e6).toFixed(1);
const load1 = (): string => loadavg()[0]!.toFixed(2);

/** Every size on `database`, each on a database of its own; the summary line of that store. */
async function benchSizes(store: string, database: (use: (config: DatabaseConfig) => Promise<SizeResult>) => Promise<SizeResult>): Promise<string> {
  const results: SizeResult[] = [];
  for (const size of SIZES) results.push(await database((config) => benchOne(`${store} ${size}`, config, size)));
  const main = results.find((result) => result.deadlines === 1_000_000) ?? results[results.length - 1]!;
  const costs = results.map((result) => result.run / result.deadlines);
  const curve = results.map((result) => `${result.deadlines} → ${perDeadline(result)} µs`).join(', ');
  return (
    `alerts: ${main.run.toFixed(1)} s for ${main.deadlines} deadlines, ${main.digests} digests, peak ${main.peakMb} MB; run/scan ${(main.run / main.scan).toFixed(1)}; ` +
    `per deadline ${curve} (max/min ${(Math.max(...costs) / Math.min(...costs)).toFixed(2)})`
  );
}

async function main(): Promise<void> {
  if (process.argv[2] === '--child') return child(process.argv[3] as Mode, JSON.parse(process.argv[4]!), Number(process.argv[5]));
  console.log(
    `node ${process.version}, sizes ${SIZES.join(', ')} deadlines (${PER_TENANT} per tenant), ${ASSIGNEES} assignees each, run date ${D}, lead days ${LEAD_DAYS}, ${ROUNDS} rounds; load ${loadavg()
      .map((v) => v.toFixed(2))
      .join(' ')}`,
  );
  const lines: string[] = [];
  const serverUrl = process.env.BENCH_DATABASE_URL;
  if (serverUrl) {
    const line = await benchSizes('postgres', (use) => withScratchPostgres(serverUrl, (url) => use({ client: 'pg', connectionString: url })));
    lines.push(`postgres ${line}`);
  }
  lines.push(
    await benchSizes('sqlite', async (use) => {
      const dir = mkdtempSync(join(tmpdir(), 'kos-bench-alerts-'));
      try {
        return await use({ client: 'sqlite', filename: join(dir, 'bench.sqlite') });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }),
  );
  console.log(
    `load averages at the end: ${loadavg()
      .map((v) => v.toFixed(2))
      .join(' ')}`,
  );
  for (const line of lines) console.log(line);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
