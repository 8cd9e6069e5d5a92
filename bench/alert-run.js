// Times one alert run over N deadlines (one tenant, R recipients) against the built code.
//   npm run build && node bench/alert-run.js [N] [R] [DATABASE_URL]
require('reflect-metadata');
const { createDatabase, migrateToLatest } = require('../dist/src/shared/database/database');
const { FixedClock } = require('../dist/src/shared/time/FixedClock');
const { KnexDeadlineRepository } = require('../dist/src/modules/alerting/infrastructure/KnexDeadlineRepository');
const { KnexDigestLog } = require('../dist/src/modules/alerting/infrastructure/KnexDigestLog');
const { KnexOutbox } = require('../dist/src/modules/notification/infrastructure/KnexOutbox');
const { RunDailyAlerts } = require('../dist/src/modules/alerting/application/RunDailyAlerts');
const { mkdtempSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

async function main() {
  const n = Number(process.argv[2] ?? 50_000);
  const recipients = Number(process.argv[3] ?? 1_000);
  const url = process.argv[4];
  const db = createDatabase(url ? { client: 'pg', connectionString: url } : { client: 'sqlite', filename: join(mkdtempSync(join(tmpdir(), 'kos-bench-')), 'bench.sqlite') });
  await migrateToLatest(db);
  const clock = new FixedClock('2027-03-10T10:00:00Z');
  const deadlines = new KnexDeadlineRepository(db, clock);
  const tenant = { id: 'acme', name: 'ACME AG', locale: 'de', alertSender: { address: 'alerts@acme.example.ch' }, mail: { allowedSenders: [] } };
  let loaded = Date.now();
  for (let start = 0; start < n; start += 5_000) {
    const batch = Array.from({ length: Math.min(5_000, n - start) }, (_, k) => {
      const index = start + k;
      return { ticketId: `T${index}`, title: `Ticket ${index}`, dueDate: `2027-03-${String((index % 28) + 1).padStart(2, '0')}`, assignees: [{ email: `user${index % recipients}@acme.ch` }], url: `https://kos.example/t/${index}`, done: false };
    });
    await deadlines.putMany('acme', batch, { replace: false });
  }
  loaded = Date.now() - loaded;
  const outbox = new KnexOutbox(db, clock, { notify() {}, async wait() {} });
  const run = new RunDailyAlerts(deadlines, new KnexDigestLog(db, clock, outbox), { alertLeadDays: 7 }, { list: async () => [tenant], get: async () => tenant });
  const before = process.memoryUsage().rss;
  const started = Date.now();
  const { counts } = await run.execute({ id: 'run_bench', date: '2027-03-10' });
  const ms = Date.now() - started;
  console.log(JSON.stringify({ database: url ? 'postgres' : 'sqlite', deadlines: n, loadMs: loaded, runMs: ms, digestsPerSecond: Math.round((counts.queued / ms) * 1000), ...counts, rssMbBefore: Math.round(before / 1e6), rssMbAfter: Math.round(process.memoryUsage().rss / 1e6) }));
  await db.destroy();
}
main();
