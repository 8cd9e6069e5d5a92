import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import knex, { type Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killHard, postJson, startChildService, type ChildService } from '../support/childService';
import { createTestDatabase, type TestDatabase } from '../support/databases';
import { reportFigures } from '../support/figures';
import { TestSmtpServer } from '../support/TestSmtpServer';

const TENANTS = ['p1', 'p2', 'p3'];
/** Recipients of a digest per tenant: enough that the alert run lasts seconds and the kill lands inside it. */
const RECIPIENTS = Number(process.env.MULTI_PROCESS_RECIPIENTS ?? 3_000);
const NOTIFICATIONS = Number(process.env.MULTI_PROCESS_NOTIFICATIONS ?? 1_500);
/** Time for three starts on the migrated database before the scheduled fire. */
const FIRE_AFTER_MS = 30_000;
const LOSER_LOG = 'alert run of this fire time is already recorded by another run';
const DAY_MS = 86_400_000;
const dateOf = (at: number) => new Date(at).toISOString().slice(0, 10);

/**
 * Three `node dist/src/main.js` processes on one PostgreSQL and one SMTP host. The scheduled alert
 * run fires on all three; the one that runs it is killed with SIGKILL in mid-run and restarted.
 * The three started together (migrating once) take the tenants, deadlines and notifications;
 * then they are restarted with the schedule under test, which fires once they listen: the wait
 * for the fire does not depend on how long the set-up took.
 */
describe.skipIf(!process.env.TEST_DATABASE_URL)('three processes on one PostgreSQL, the alert runner killed in mid-run', () => {
  let database: TestDatabase;
  let db: Knex;
  let smtp: TestSmtpServer;
  const dirs: string[] = [];
  const services: Array<ChildService | undefined> = [];
  let env: Record<string, string>;
  let fireAt: Date;
  /** The day the deadlines are due and the scheduled run's date (the next day only close to midnight UTC). */
  let today: string;

  beforeAll(async () => {
    database = await createTestDatabase('postgres');
    if (database.config.client !== 'pg') throw new Error('PostgreSQL expected');
    db = knex({ client: 'pg', connection: database.config.connectionString });
    smtp = await TestSmtpServer.start();
    // A slightly slow host, so that sends are in flight when the kill comes.
    smtp.dataDelayMs = 2;
    today = dateOf(Date.now() + 10 * 60_000);
    // While setting up, a yearly schedule whose latest fire was the day before: its catch-up finds nothing due.
    const dayBefore = new Date(Date.parse(today) - DAY_MS);
    const cron = `0 0 12 ${dayBefore.getUTCDate()} ${dayBefore.getUTCMonth() + 1} *`;
    env = { DATABASE_URL: database.config.connectionString, ALERT_CRON: cron, ALERT_TIMEZONE: 'UTC', ALERT_LEAD_DAYS: '0' };
  });
  afterAll(async () => {
    for (const service of services) if (service) await killHard(service);
    await db?.destroy();
    await smtp?.close();
    await database?.drop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  const start = (index: number) => {
    dirs[index] ??= mkdtempSync(join(tmpdir(), `kos-process-${index}-`));
    return startChildService(env, dirs[index]!);
  };
  const count = async (query: Knex.QueryBuilder) => Number((await query.count({ n: '*' }))[0]!.n);

  const stop = async (index: number) => {
    const service = services[index]!;
    const exited = new Promise((resolve) => service.child.once('exit', resolve));
    service.child.kill('SIGTERM');
    expect(await exited).toBe(0);
    services[index] = undefined;
  };

  it('sends every digest and every queued mail; a second copy only of what the killed process had in flight', async () => {
    // All three at once: the migrations run once under Knex's lock.
    const setupStarted = Date.now();
    services.push(...(await Promise.all([0, 1, 2].map(start))));
    for (const id of TENANTS) {
      const tenant = {
        name: `Kunde ${id}`,
        alertSender: { address: `kos@${id}.ch` },
        mail: { preset: 'custom', host: '127.0.0.1', port: smtp.port, security: 'none', allowedSenders: [`*@${id}.ch`] },
      };
      expect((await postJson(`${services[0]!.base}/tenants/${id}`, tenant, 'PUT')).status).toBe(201);
      const deadlines = Array.from({ length: RECIPIENTS }, (_, i) => ({
        ticketId: `${id}-T${i}`,
        title: `Ticket ${i}`,
        dueDate: today,
        assignees: [{ email: `d${i}@${id}.ch` }],
      }));
      expect((await postJson(`${services[1]!.base}/tenants/${id}/deadlines`, { deadlines }, 'PUT')).status).toBe(200);
    }
    // Personal mail through all three instances; what is not sent when they stop waits for the restart.
    for (let batch = 0; batch < NOTIFICATIONS / 50; batch++) {
      const responses = await Promise.all(
        Array.from({ length: 50 }, (_, i) => {
          const n = batch * 50 + i;
          const tenant = TENANTS[n % TENANTS.length]!;
          return postJson(`${services[n % 3]!.base}/tenants/${tenant}/notifications`, {
            author: { name: 'Anna', email: `anna@${tenant}.ch` },
            to: [{ email: `n${n}@${tenant}.ch` }],
            subject: `Persönlich ${n}`,
            text: 'x',
          });
        }),
      );
      for (const response of responses) expect(response.status).toBe(202);
    }
    const setupMs = Date.now() - setupStarted;
    await Promise.all([0, 1, 2].map(stop));

    // Restarted together with the schedule under test, on `today` (after midnight when the set-up began close to it).
    fireAt = new Date(Math.ceil(Math.max(Date.now() + FIRE_AFTER_MS, Date.parse(today) + FIRE_AFTER_MS) / 1000) * 1000);
    expect(dateOf(fireAt.getTime()), 'the set-up must end on the day the deadlines are due').toBe(today);
    env.ALERT_CRON = `${fireAt.getUTCSeconds()} ${fireAt.getUTCMinutes()} ${fireAt.getUTCHours()} * * *`;
    const restartAt = fireAt.getTime() - FIRE_AFTER_MS;
    if (restartAt > Date.now()) await new Promise((resolve) => setTimeout(resolve, restartAt - Date.now()));
    const restartStarted = Date.now();
    services.splice(0, 3, ...(await Promise.all([0, 1, 2].map(start))));
    const restartMs = Date.now() - restartStarted;
    const setupLeftMs = fireAt.getTime() - Date.now();
    expect(setupLeftMs, 'the set-up must end before the scheduled fire').toBeGreaterThan(0);

    // The fire: two processes log that another one holds it; the third runs it.
    const run = async () => db('alert_runs').where({ run_date: today, trigger: 'schedule' }).first();
    await expect.poll(run, { timeout: setupLeftMs + 30_000, interval: 100 }).toBeTruthy();
    await expect.poll(() => services.filter((service) => service!.output().includes(LOSER_LOG)).length, { timeout: 30_000, interval: 50 }).toBe(2);
    const runnerIndex = services.findIndex((service) => !service!.output().includes(LOSER_LOG));
    const runner = services[runnerIndex]!;
    const expectedDigests = TENANTS.length * RECIPIENTS;
    await expect
      .poll(() => count(db('alert_digests').where({ run_date: today })), { timeout: 60_000, interval: 20 })
      .toBeGreaterThanOrEqual(expectedDigests / 5);

    await killHard(runner);
    const digestsAtKill = await count(db('alert_digests').where({ run_date: today }));
    const runStatusAtKill = (await run()).status;
    // The killed process's leases stay as they were: exactly the mails it had in flight.
    const inFlight: Array<{ message_id: string }> = await db('outbox_messages')
      .where({ status: 'sending' })
      .andWhereLike('lease_owner', `${hostname()}:${runner.child.pid}:%`)
      .select('message_id');
    const receivedAtKill = smtp.received.length;
    services[runnerIndex] = await start(runnerIndex);

    // The killed run is abandoned when its heartbeat is stale; a survivor catches the day up.
    await expect.poll(async () => count(db('alert_runs').where({ run_date: today, status: 'completed' })), { timeout: 400_000, interval: 1_000 }).toBe(1);
    const total = NOTIFICATIONS + expectedDigests;
    // Leases of the killed process expire before its mails go again.
    await expect.poll(async () => count(db('outbox_messages').whereIn('status', ['queued', 'sending'])), { timeout: 600_000, interval: 1_000 }).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 1_000));

    const rows: Array<{ id: string; kind: string; message_id: string; status: string }> = await db('outbox_messages').select(
      'id',
      'kind',
      'message_id',
      'status',
    );
    const digests: Array<{ tenant_id: string; recipient_lower: string; outbox_id: string }> = await db('alert_digests').where({ run_date: today });
    const runs: Array<{ trigger: string; status: string }> = await db('alert_runs').where({ run_date: today }).select('trigger', 'status');
    const arrived = smtp.received.map((mail) => /^Message-ID: (<[^>]+>)/im.exec(mail.raw.toString('utf8'))?.[1] ?? '');
    const arrivals = new Map<string, number>();
    for (const id of arrived) arrivals.set(id, (arrivals.get(id) ?? 0) + 1);
    const twice = [...arrivals.entries()].filter(([, n]) => n > 1).map(([id]) => id);
    const inFlightIds = new Set(inFlight.map((row) => row.message_id));
    const lost = rows.filter((row) => !arrivals.has(row.message_id));
    // A digest is one per tenant, recipient and day: the recipients that got more than one distinct digest.
    const digestMailsPer = new Map<string, Set<string>>();
    for (const mail of smtp.received) {
      const raw = mail.raw.toString('utf8');
      if (!/^Auto-Submitted: auto-generated/im.test(raw) || !/^X-KOS-Tenant:/im.test(raw) || !mail.envelope.to[0]?.startsWith('d')) continue;
      const key = `${/^X-KOS-Tenant: (\S+)/im.exec(raw)?.[1]} ${mail.envelope.to.join(',')}`;
      digestMailsPer.set(key, (digestMailsPer.get(key) ?? new Set()).add(/^Message-ID: (<[^>]+>)/im.exec(raw)?.[1] ?? ''));
    }
    const digestTwice = [...digestMailsPer.values()].filter((ids) => ids.size > 1).length;

    reportFigures('multi-process', {
      processes: 3,
      notifications: NOTIFICATIONS,
      digestsExpected: expectedDigests,
      setupMs,
      restartMs,
      setupLeftMs,
      digestsAtKill,
      runStatusAtKill,
      inFlightAtKill: inFlight.length,
      receivedAtKill,
      runs,
      outbox: rows.length,
      arrived: arrived.length,
      duplicates: arrived.length - arrivals.size,
      lost: lost.length,
      digestTwice,
    });
    expect(runStatusAtKill).toBe('running');
    expect(runs).toEqual(
      expect.arrayContaining([
        { trigger: 'schedule', status: 'failed' },
        { trigger: 'catch-up', status: 'completed' },
      ]),
    );
    expect(runs).toHaveLength(2);
    expect(digests).toHaveLength(expectedDigests);
    expect(new Set(digests.map((digest) => digest.outbox_id)).size).toBe(expectedDigests);
    expect(rows).toHaveLength(total);
    expect(rows.filter((row) => row.status !== 'sent')).toEqual([]);
    expect(lost).toEqual([]);
    expect(digestMailsPer.size).toBe(expectedDigests);
    expect(digestTwice).toBe(0);
    // At least once: only a mail the killed process had in flight may arrive twice.
    expect(twice.filter((id) => !inFlightIds.has(id))).toEqual([]);

    await Promise.all([0, 1, 2].map(stop));
  }, 900_000);
});
