// npm run bench:delivery — end-to-end delivery, outbox → Postfix smtp-sink on loopback, against
// Postfix's smtp-source and the nodemailer peers at the same parallelism, alternated over rounds.
//   BENCH_N (20000)  BENCH_ROUNDS (3)  BENCH_PROFILE=<dir> (CPU profile of the service's timed window)
//   BENCH_ONLY=<part of a contender's name> runs only that one (for profiling)
//   BENCH_TRACE=1 prints the service's query counts; BENCH_REQUIRE=<file> preloads a module into the service worker
import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { OutboxDispatcher } from '../src/modules/notification/application/OutboxDispatcher';
import { DEFAULT_DELIVERY_OPTIONS } from '../src/modules/notification/domain/DeliveryOptions';
import { PrometheusDeliveryMetrics } from '../src/modules/notification/infrastructure/PrometheusDeliveryMetrics';
import { KnexOutbox } from '../src/modules/notification/infrastructure/KnexOutbox';
import { composeMessage } from '../src/modules/notification/infrastructure/composeMessage';
import { startService } from '../src/server';
import { createLogger } from '../src/shared/logging/logger';
import { DATABASE } from '../src/shared/tokens';
import { benchMail } from './benchMail';
import { startProfiler } from './profiler';
import { BENCH_ADMIN_KEY, benchServiceConfig, fmt, load, machine, median, run, smtpSource as runSmtpSource, startSmtpSink, traceQueries } from './support';

interface Result {
  messages: number;
  seconds: number;
}

async function main(): Promise<void> {
  const [mode, ...args] = process.argv.slice(2);
  if (mode === '--worker') {
    const [kind, port, a, b] = args;
    const result = await worker(kind!, Number(port), Number(a), Number(b));
    process.stdout.write(`${JSON.stringify(result)}\n`);
    process.exit(0);
  }
  await orchestrate();
}

async function orchestrate(): Promise<void> {
  const n = Number(process.env.BENCH_N ?? 20_000);
  const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
  const options = DEFAULT_DELIVERY_OPTIONS;
  const oneTenantSessions = Math.min(options.perTenantConcurrency, options.perHostConcurrency);
  const manyTenantSessions = Math.min(20 * options.perTenantConcurrency, options.perHostConcurrency, options.globalConcurrency);
  const sample = benchMail('t0', 0);
  const size = (
    await composeMessage(
      { ...sample, id: 'x', status: 'queued', attempts: 0, interruptions: 0, messageId: '<x@t0.ch>', nextAttemptAt: new Date(), createdAt: new Date() },
      { alertSenderAddress: 'kos@t0.ch' },
    )
  ).length;
  const sink = await startSmtpSink();
  console.log(`delivery benchmark: ${machine()}; load averages ${load()}`);
  console.log(
    `N=${n} messages of ${size} bytes, ${rounds} rounds; one tenant → ${oneTenantSessions} sessions, 20 or 1000 tenants on one host → ${manyTenantSessions} sessions; sink smtp-sink on 127.0.0.1:${sink.port}`,
  );

  const contenders: Array<{ name: string; run: () => Promise<Result> }> = [
    { name: `smtp-source -s ${oneTenantSessions}`, run: () => smtpSource(sink.port, oneTenantSessions, n, size, true) },
    { name: 'service, 1 tenant', run: () => spawnWorker('service', sink.port, 1, n) },
    { name: `nodemailer pool ${oneTenantSessions}`, run: () => spawnWorker('nodemailer-pool', sink.port, oneTenantSessions, n) },
    { name: 'nodemailer no pool', run: () => spawnWorker('nodemailer-single', sink.port, 1, Math.max(100, Math.round(n / 10))) },
    { name: `smtp-source -s ${manyTenantSessions}`, run: () => smtpSource(sink.port, manyTenantSessions, n, size, true) },
    { name: 'service, 20 tenants', run: () => spawnWorker('service', sink.port, 20, n) },
    // After the 03:00 run: every tenant holds a few digests, and many share one host.
    { name: 'service, 1000 tenants', run: () => spawnWorker('service', sink.port, 1000, n) },
    // 1,000 tenants need a session each, so nearly every message of theirs opens a connection:
    // the reference for them opens one per message too.
    { name: `smtp-source -s ${manyTenantSessions} no -d`, run: () => smtpSource(sink.port, manyTenantSessions, n, size, false) },
  ];
  const rates = new Map<string, number[]>(contenders.map((contender) => [contender.name, []]));
  try {
    for (let round = 0; round < rounds; round++) {
      // Rotate the order so that no contender always runs in the same slot of a batch.
      const order = contenders.map((_, index) => contenders[(index + round * 2) % contenders.length]!);
      for (const contender of order) {
        if (process.env.BENCH_ONLY && !contender.name.includes(process.env.BENCH_ONLY)) continue;
        const result = await contender.run();
        const rate = result.messages / result.seconds;
        rates.get(contender.name)!.push(rate);
        console.log(
          `round ${round + 1}  ${contender.name.padEnd(24)} ${String(result.messages).padStart(6)} msgs in ${fmt(result.seconds, 2).padStart(6)} s = ${fmt(rate).padStart(6)} msg/s`,
        );
      }
    }
  } finally {
    await sink.stop();
  }
  const med = (name: string): number => (rates.get(name)!.length > 0 ? median(rates.get(name)!) : NaN);
  console.log('\nmedians:');
  for (const contender of contenders) console.log(`  ${contender.name.padEnd(24)} ${fmt(med(contender.name)).padStart(6)} msg/s`);
  const source1 = med(contenders[0]!.name);
  const service1 = med(contenders[1]!.name);
  const source20 = med(contenders[4]!.name);
  const service20 = med(contenders[5]!.name);
  const service1000 = med(contenders[6]!.name);
  console.log(
    `  20 tenants: service ${fmt(service20)} msg/s, smtp-source -s ${manyTenantSessions} ${fmt(source20)} msg/s, ratio ${fmt(service20 / source20, 2)}`,
  );
  const source1000 = med(contenders[7]!.name);
  console.log(
    `  1000 tenants: service ${fmt(service1000)} msg/s, smtp-source -s ${manyTenantSessions} ${fmt(source20)} msg/s, ratio ${fmt(service1000 / source20, 2)}; without connection reuse ${fmt(source1000)} msg/s, ratio ${fmt(service1000 / source1000, 2)}`,
  );
  console.log(`  nodemailer pool / smtp-source: ${fmt(med(contenders[2]!.name) / source1, 2)}`);
  console.log(`load averages at the end: ${load()}`);
  const ratios = `ratios 1 tenant ${fmt(service1 / source1, 2)}, 20 tenants ${fmt(service20 / source20, 2)}, 1000 tenants ${fmt(service1000 / source1000, 2)} (no reuse)`;
  console.log(`delivery: service ${fmt(service1)} msg/s, smtp-source ${fmt(source1)} msg/s, ratio ${fmt(service1 / source1, 2)}; ${ratios}`);
}

async function smtpSource(port: number, sessions: number, n: number, size: number, reuse: boolean): Promise<Result> {
  return { messages: n, seconds: await runSmtpSource({ port, sessions, messages: n, size, reuse }) };
}

async function spawnWorker(kind: string, port: number, a: number, b: number): Promise<Result> {
  const profile = kind === 'service' && process.env.BENCH_REQUIRE ? ['-r', process.env.BENCH_REQUIRE] : [];
  const out = await run(process.execPath, [...profile, __filename, '--worker', kind, String(port), String(a), String(b)]);
  return JSON.parse(out.trim().split('\n').pop()!) as Result;
}

async function worker(kind: string, port: number, a: number, b: number): Promise<Result> {
  if (kind === 'service') return serviceWorker(port, a, b);
  const mail = benchMail('t0', 0);
  const message = (i: number) => ({
    from: mail.from,
    to: mail.to,
    subject: `${mail.subject} ${i}`,
    text: mail.text,
    html: mail.html,
    messageId: `<bench.${i}.${Date.now()}@t0.ch>`,
    headers: {
      'X-KOS-Tenant': 't0',
      'List-Id': '<t0.kos-notify.t0.ch>',
      'X-KOS-Ticket': '4711',
      'In-Reply-To': '<ticket.4711.t0@t0.ch>',
      References: '<ticket.4711.t0@t0.ch>',
    },
  });
  if (kind === 'nodemailer-pool') {
    const transport = nodemailer.createTransport({
      pool: true,
      maxConnections: a,
      maxMessages: Infinity,
      host: '127.0.0.1',
      port,
      secure: false,
      ignoreTLS: true,
    });
    const started = performance.now();
    await Promise.all(Array.from({ length: b }, (_, i) => transport.sendMail(message(i))));
    const seconds = (performance.now() - started) / 1000;
    transport.close();
    return { messages: b, seconds };
  }
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });
  const started = performance.now();
  for (let i = 0; i < b; i++) await transport.sendMail(message(i));
  return { messages: b, seconds: (performance.now() - started) / 1000 };
}

/** The built service on its own SQLite file: tenants through the API, N mails in the outbox, then the dispatcher. */
async function serviceWorker(port: number, tenantCount: number, n: number): Promise<Result> {
  const dir = mkdtempSync(join(tmpdir(), 'kos-bench-delivery-'));
  const config = benchServiceConfig(dir);
  const service = await startService(config, { logger: createLogger('warn') });
  try {
    const tenants = Array.from({ length: tenantCount }, (_, i) => `t${i}`);
    for (const id of tenants) {
      const response = await fetch(`http://127.0.0.1:${service.port}/api/v1/tenants/${id}`, {
        method: 'PUT',
        headers: { Authorization: `Bearer ${BENCH_ADMIN_KEY}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({
          name: `Tenant ${id}`,
          alertSender: { address: `kos@${id}.ch` },
          mail: { preset: 'custom', host: '127.0.0.1', port, security: 'none', allowedSenders: [`*@${id}.ch`] },
        }),
      });
      if (response.status !== 201) throw new Error(`PUT tenant ${id}: ${response.status} ${await response.text()}`);
    }
    const dispatcher = service.container.get(OutboxDispatcher);
    await dispatcher.stop();
    const db = service.container.get(DATABASE);
    const outbox = service.container.get(KnexOutbox);
    for (let start = 0; start < n; start += 1_000) {
      await db.transaction(async (trx) => {
        for (let i = start; i < Math.min(n, start + 1_000); i++) await outbox.addIn(trx, [benchMail(tenants[i % tenantCount]!, i)]);
      });
    }
    // The counter goes up once a `sent` is committed; polling it keeps the database out of the measurement.
    const sentCounter = service.container.get(PrometheusDeliveryMetrics).sent;
    const sent = async (): Promise<number> => (await sentCounter.get()).values.reduce((sum, value) => sum + value.value, 0);
    // BENCH_TRACE: count and total time of each statement kind, to see where the run waits.
    const report = process.env.BENCH_TRACE ? traceQueries(db) : undefined;
    const profiler = process.env.BENCH_PROFILE ? await startProfiler() : undefined;
    const started = performance.now();
    await dispatcher.start();
    // Every state change is in the outbox: the run ends when the last `sent` is recorded.
    // Every 25 ms: reading a counter of 1,000 tenants' labels every 5 ms took 5 % of the service's CPU.
    while ((await sent()) < n) await new Promise((resolve) => setTimeout(resolve, 25));
    const seconds = (performance.now() - started) / 1000;
    await profiler?.(join(process.env.BENCH_PROFILE!, `service-${tenantCount}-${Date.now()}.cpuprofile`));
    report?.();
    const wrong = await db('outbox_messages').whereNot({ status: 'sent' }).orWhereNot({ attempts: 1 }).count({ n: '*' });
    if (Number(wrong[0]!.n) !== 0) throw new Error(`${wrong[0]!.n} messages not sent exactly once`);
    return { messages: n, seconds };
  } finally {
    await service.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
