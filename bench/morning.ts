// npm run bench:morning — the morning after the alert run: 1,000 tenants with 100 digests each, on
// 50 hosts (Postfix smtp-sinks on loopback), half of the tenants on the `hosted` host (its throttle
// off for the run). Timed from the run's start (POST /alert-runs) until the last `sent` is committed,
// against Postfix's smtp-source sending as many messages of the digests' size over as many sessions
// as the service may open (globalConcurrency), alternated over rounds.
//   BENCH_TENANTS (1000)  BENCH_DIGESTS_PER_TENANT (100)  BENCH_HOSTS (50)  BENCH_ROUNDS (3)
//   BENCH_DEADLINES_PER_DIGEST (2)  BENCH_PROFILE=<dir> (CPU profile of the service's timed window)
import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Knex } from 'knex';
import { addDays, calendarDateIn } from '../src/modules/alerting/domain/CalendarDate';
import { DEFAULT_DELIVERY_OPTIONS } from '../src/modules/notification/domain/DeliveryOptions';
import { PrometheusDeliveryMetrics } from '../src/modules/notification/infrastructure/PrometheusDeliveryMetrics';
import { MAILS, toMessage } from '../src/modules/notification/infrastructure/outbox/outboxRows';
import { MESSAGE_COMPOSER } from '../src/modules/notification/tokens';
import { startService } from '../src/server';
import { createLogger } from '../src/shared/logging/logger';
import { DATABASE } from '../src/shared/tokens';
import { startProfiler } from './profiler';
import { BENCH_ADMIN_KEY, benchServiceConfig, fmt, load, machine, median, run, smtpSource, startSmtpSink } from './support';

const TENANTS = Number(process.env.BENCH_TENANTS ?? 1_000);
const DIGESTS_PER_TENANT = Number(process.env.BENCH_DIGESTS_PER_TENANT ?? 100);
const HOSTS = Number(process.env.BENCH_HOSTS ?? 50);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const DEADLINES_PER_DIGEST = Number(process.env.BENCH_DEADLINES_PER_DIGEST ?? 2);
const HOSTED_SENDER = 'kos@hosted.example.ch';

interface Result {
  digests: number;
  seconds: number;
  /** From the run's start until the run had queued every digest. */
  runSeconds: number;
  /** Bytes of one composed digest, for the reference's messages. */
  size: number;
}

async function main(): Promise<void> {
  if (process.argv[2] === '--worker') {
    const result = await serviceWorker(JSON.parse(process.argv[3]!) as number[]);
    process.stdout.write(`${JSON.stringify(result)}\n`);
    process.exit(0);
  }
  const sinks = await Promise.all(Array.from({ length: HOSTS }, () => startSmtpSink()));
  const sessions = Math.min(DEFAULT_DELIVERY_OPTIONS.globalConcurrency, HOSTS * DEFAULT_DELIVERY_OPTIONS.perHostConcurrency);
  const n = TENANTS * DIGESTS_PER_TENANT;
  console.log(`morning benchmark: ${machine()}; load averages ${load()}`);
  console.log(
    `${TENANTS} tenants × ${DIGESTS_PER_TENANT} digests (${DEADLINES_PER_DIGEST} deadlines each) on ${HOSTS} hosts, half of the tenants on the hosted one; reference smtp-source -d -s ${sessions}; ${ROUNDS} rounds`,
  );
  const service: number[] = [];
  const reference: number[] = [];
  try {
    let size = 0;
    for (let round = 1; round <= ROUNDS; round++) {
      // The service first in odd rounds: its first run also tells the reference the digests' size.
      for (const which of round % 2 ? ['service', 'reference'] : ['reference', 'service']) {
        if (which === 'service') {
          const out = await run(process.execPath, [__filename, '--worker', JSON.stringify(sinks.map((sink) => sink.port))]);
          const result = JSON.parse(out.trim().split('\n').pop()!) as Result;
          size = result.size;
          service.push(result.seconds);
          console.log(
            `round ${round}  service    ${result.digests} digests in ${fmt(result.seconds, 2).padStart(6)} s = ${fmt(result.digests / result.seconds).padStart(6)} msg/s, the run done after ${fmt(result.runSeconds, 2)} s (load ${load()})`,
          );
        } else {
          const seconds = await smtpSource({ port: sinks[0]!.port, sessions, messages: n, size, reuse: true });
          reference.push(seconds);
          console.log(`round ${round}  reference  ${n} messages in ${fmt(seconds, 2).padStart(6)} s = ${fmt(n / seconds).padStart(6)} msg/s (load ${load()})`);
        }
      }
    }
  } finally {
    await Promise.all(sinks.map((sink) => sink.stop()));
  }
  console.log(`load averages at the end: ${load()}`);
  console.log(
    `morning: ${fmt(median(service), 1)} s for ${n} digests, reference ${fmt(median(reference), 1)} s, ratio ${fmt(median(reference) / median(service), 2)}`,
  );
}

/** The built service on its own SQLite file: the tenants through the API, their deadlines stored, then the run. */
async function serviceWorker(ports: number[]): Promise<Result> {
  const dir = mkdtempSync(join(tmpdir(), 'kos-bench-morning-'));
  const config = benchServiceConfig(dir, {
    HOSTED_SMTP_URL: `smtp://127.0.0.1:${ports[0]}?security=none`,
    HOSTED_SENDER,
  });
  // The hosted mailbox's throttle off for the run (0: no limit), to see what the rest allows.
  const service = await startService({ ...config, hostedMaxPerMinute: 0 }, { logger: createLogger('warn') });
  try {
    const base = `http://127.0.0.1:${service.port}/api/v1`;
    const admin = { Authorization: `Bearer ${BENCH_ADMIN_KEY}`, 'Content-Type': 'application/json' };
    for (let t = 0; t < TENANTS; t++) {
      const id = tenantId(t);
      // Even tenants on the hosted host, odd ones spread over the other hosts.
      const mail =
        t % 2 === 0 || ports.length === 1
          ? { preset: 'hosted' }
          : { preset: 'custom', host: '127.0.0.1', port: ports[1 + (t % (ports.length - 1))], security: 'none', allowedSenders: [`*@${id}.ch`] };
      const body = { name: `Mandant ${t} AG`, ...(mail.preset === 'hosted' ? {} : { alertSender: { address: `fristen@${id}.ch` } }), mail };
      const response = await fetch(`${base}/tenants/${id}`, { method: 'PUT', headers: admin, body: JSON.stringify(body) });
      if (response.status !== 201) throw new Error(`PUT tenant ${id}: ${response.status} ${await response.text()}`);
    }
    const db = service.container.get(DATABASE);
    const today = calendarDateIn(new Date(), config.alertTimezone);
    await storeDeadlines(db, today);
    const sentCounter = service.container.get(PrometheusDeliveryMetrics).sent;
    const sent = async (): Promise<number> => (await sentCounter.get()).values.reduce((sum, value) => sum + value.value, 0);
    const n = TENANTS * DIGESTS_PER_TENANT;
    const profiler = process.env.BENCH_PROFILE ? await startProfiler() : undefined;
    const started = performance.now();
    const response = await fetch(`${base}/alert-runs`, { method: 'POST', headers: admin, body: JSON.stringify({ date: today }) });
    if (response.status !== 202) throw new Error(`POST alert-runs: ${response.status} ${await response.text()}`);
    const runId = ((await response.json()) as { id: string }).id;
    let runSeconds = 0;
    // Every 25 ms: reading a counter of 1,000 tenants' labels every 5 ms took 5 % of the service's CPU.
    for (let polls = 0; (await sent()) < n; polls++) {
      if (runSeconds === 0 && polls % 4 === 0 && (await db('alert_runs').where({ id: runId }).first()).status !== 'running') {
        runSeconds = (performance.now() - started) / 1000;
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    const seconds = (performance.now() - started) / 1000;
    runSeconds ||= seconds;
    await profiler?.(join(process.env.BENCH_PROFILE!, `morning-${Date.now()}.cpuprofile`));
    const wrong = await db('outbox_messages').whereNot({ status: 'sent' }).orWhereNot({ attempts: 1 }).count({ n: '*' });
    if (Number(wrong[0]!.n) !== 0) throw new Error(`${wrong[0]!.n} digests not sent exactly once`);
    const digests = Number((await db('outbox_messages').where({ kind: 'digest' }).count({ n: '*' }))[0]!.n);
    if (digests !== n) throw new Error(`expected ${n} digests, the outbox holds ${digests}`);
    const sample = toMessage(await db(MAILS).where({ kind: 'digest' }).first());
    const size = service.container.get(MESSAGE_COMPOSER).compose(sample, { alertSenderAddress: HOSTED_SENDER }).length;
    return { digests, seconds, runSeconds, size };
  } finally {
    await service.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const tenantId = (index: number): string => `m${String(index).padStart(4, '0')}`;

/** Each tenant's assignees, each with DEADLINES_PER_DIGEST deadlines due within the lead days: one digest each. */
async function storeDeadlines(db: Knex, today: string): Promise<void> {
  const now = Date.now();
  const columns = ['tenant_id', 'ticket_id', 'title', 'due_date', 'assignees_json', 'url', 'done', 'created_at', 'updated_at'];
  const assigneeColumns = ['tenant_id', 'ticket_id', 'email_lower', 'email', 'name', 'locale', 'due_date', 'title', 'url'];
  for (let t = 0; t < TENANTS; t++) {
    const id = tenantId(t);
    const deadlines: unknown[][] = [];
    const assignees: unknown[][] = [];
    for (let person = 0; person < DIGESTS_PER_TENANT; person++) {
      const email = `person${person}@${id}.ch`;
      for (let k = 0; k < DEADLINES_PER_DIGEST; k++) {
        const ticket = `K-${person}-${k}`;
        const title = `Lieferung prüfen ${person}.${k}`;
        const due = addDays(today, (person + k) % 7);
        const url = `https://kos.example.ch/${id}/tickets/${ticket}`;
        deadlines.push([id, ticket, title, due, JSON.stringify([{ email, name: `Person ${person}` }]), url, false, now, now]);
        assignees.push([id, ticket, email, email, `Person ${person}`, null, due, title, url]);
      }
    }
    await db.transaction(async (trx) => {
      await insertRows(trx, 'deadlines', columns, deadlines);
      await insertRows(trx, 'deadline_assignees', assigneeColumns, assignees);
    });
  }
}

async function insertRows(trx: Knex.Transaction, table: string, columns: string[], rows: unknown[][]): Promise<void> {
  // At most 500 rows per INSERT on SQLite.
  for (let start = 0; start < rows.length; start += 500) {
    const part = rows.slice(start, start + 500);
    const row = `(${columns.map(() => '?').join(',')})`;
    await trx.raw(`insert into ${table} (${columns.join(',')}) values ${part.map(() => row).join(',')}`, part.flat() as Knex.Value[]);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
