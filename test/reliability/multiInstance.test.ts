import type { Container } from 'inversify';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertRunner } from '../../src/modules/alerting/application/AlertRunner';
import { AlertSchedule } from '../../src/modules/alerting/infrastructure/AlertSchedule';
import { buildContainer } from '../../src/container';
import { OutboxDispatcher } from '../../src/modules/notification/application/OutboxDispatcher';
import { KnexOutbox } from '../../src/modules/notification/infrastructure/KnexOutbox';
import { DELIVERY_OPTIONS } from '../../src/modules/notification/tokens';
import { DATABASE } from '../../src/shared/tokens';
import { FixedClock } from '../../src/shared/time/FixedClock';
import { bindAlertingNeighbours } from '../support/alertingApp';
import { reportFigures } from '../support/figures';
import { testTenant } from '../support/OverlayTenantDirectory';
import { createTestApp, type TestApp } from '../support/testApp';
import { TestSmtpServer } from '../support/TestSmtpServer';
import { TEST_ADMIN_KEY } from '../support/testConfig';

const MESSAGES = Number(process.env.MULTI_MESSAGES ?? 10_000);
const TENANTS = ['t1', 't2', 't3'];
const RECIPIENTS_PER_TENANT = 8;
const HOUR = 3_600_000;
/** Two 15-day windows: spring (DST starts 2027-03-28) and autumn (DST ends 2027-10-31), each with an outage over 03:00 on another day, so that the DST days fire by schedule. */
const WINDOWS = [
  { start: '2027-03-20T12:00:00Z', days: 15, outage: { from: '2027-03-23T20:00:00Z', to: '2027-03-24T09:00:00Z' } },
  { start: '2027-10-24T12:00:00Z', days: 15, outage: { from: '2027-11-02T20:00:00Z', to: '2027-11-03T09:00:00Z' } },
];

describe.skipIf(!process.env.TEST_DATABASE_URL)('three instances on one PostgreSQL', () => {
  let smtp: TestSmtpServer;
  let first: TestApp;
  const clocks = [0, 1, 2].map(() => new FixedClock(WINDOWS[0]!.start));
  let containers: Container[];

  beforeAll(async () => {
    smtp = await TestSmtpServer.start();
    const tenants = TENANTS.map((id) =>
      testTenant(id, {
        alertSender: { address: `kos@${id}.ch` },
        mail: { preset: 'custom', host: '127.0.0.1', port: smtp.port, security: 'none', hasPassword: false, allowedSenders: [`*@${id}.ch`] },
      }),
    );
    first = await createTestApp('postgres', { clock: clocks[0], prepare: (container) => bindAlertingNeighbours(container, tenants).then(() => undefined) });
    containers = [first.container];
    for (const clock of clocks.slice(1)) {
      const container = buildContainer(first.config, { clock });
      await bindAlertingNeighbours(container, tenants);
      containers.push(container);
    }
    for (const container of containers) {
      const configured = container.get(DELIVERY_OPTIONS);
      container.rebind(DELIVERY_OPTIONS).toConstantValue({ ...configured, pollIntervalMs: 200 });
    }
    for (const id of TENANTS) {
      const deadlines = Array.from({ length: 24 }, (_, i) => ({
        ticketId: `${id}-T${i}`,
        title: `Ticket ${i}`,
        dueDate: '2027-01-15',
        assignees: [{ email: `user${i % RECIPIENTS_PER_TENANT}@${id}.ch` }],
      }));
      await request(first.app)
        .put(`/api/v1/tenants/${id}/deadlines`)
        .set({ Authorization: `Bearer ${TEST_ADMIN_KEY}` })
        .send({ deadlines })
        .expect(200);
    }
  });
  afterAll(async () => {
    for (const container of containers.slice(1)) {
      await container.get(OutboxDispatcher).stop();
      await container.unbindAllAsync();
    }
    await first?.container.get(OutboxDispatcher).stop();
    await first?.close();
    await smtp?.close();
  });

  const settled = () => Promise.all(containers.map((container) => container.get(AlertRunner).settled()));
  const setAll = async (at: string | number) => {
    for (const clock of clocks) clock.set(new Date(at));
    await settled();
  };

  it('30 simulated days across both DST changes and two outages over 03:00: one digest per recipient and day', async () => {
    const schedules = () => containers.map((container) => container.get(AlertSchedule));
    const expectedDays: string[] = [];
    for (const window of WINDOWS) {
      await setAll(window.start);
      for (const schedule of schedules()) await schedule.start();
      const end = Date.parse(window.start) + window.days * 24 * HOUR;
      let down = false;
      for (let at = Date.parse(window.start); at < end; at += HOUR) {
        if (!down && at >= Date.parse(window.outage.from) && at < Date.parse(window.outage.to)) {
          for (const schedule of schedules()) await schedule.stop();
          down = true;
        }
        if (down && at >= Date.parse(window.outage.to)) {
          // All three come back at once; each start-up looks for a missed 03:00.
          await setAll(at);
          await Promise.all(schedules().map((schedule) => schedule.start()));
          down = false;
        }
        await setAll(at);
      }
      for (const schedule of schedules()) await schedule.stop();
      // The start day by catch-up (started after 03:00), then one fire a day: days + 1 run dates.
      for (let day = 0; day <= window.days; day++) expectedDays.push(new Date(Date.parse(window.start) + day * 24 * HOUR).toISOString().slice(0, 10));
    }
    await settled();
    const db = first.container.get(DATABASE);
    const runs: Array<{ run_date: string; trigger: string; status: string }> = await db('alert_runs').orderBy('run_date');
    const digests: Array<{ tenant_id: string; recipient_lower: string; run_date: string; outbox_id: string }> = await db('alert_digests');
    const outboxDigests = Number((await db('outbox_messages').where({ kind: 'digest' }).count({ n: '*' }))[0]!.n);
    const perKey = new Map<string, number>();
    for (const digest of digests)
      perKey.set(
        `${digest.tenant_id} ${digest.recipient_lower} ${digest.run_date}`,
        (perKey.get(`${digest.tenant_id} ${digest.recipient_lower} ${digest.run_date}`) ?? 0) + 1,
      );
    const missed: string[] = [];
    for (const day of expectedDays)
      for (const tenant of TENANTS)
        for (let r = 0; r < RECIPIENTS_PER_TENANT; r++) if (!perKey.has(`${tenant} user${r}@${tenant}.ch ${day}`)) missed.push(`${tenant} user${r} ${day}`);
    const runsPerDay = new Map<string, number>();
    for (const run of runs.filter((r) => r.status === 'completed')) runsPerDay.set(run.run_date, (runsPerDay.get(run.run_date) ?? 0) + 1);
    const duplicated =
      [...perKey.values()].filter((n) => n > 1).length + (outboxDigests - digests.length) + new Set(digests.map((d) => d.outbox_id)).size - digests.length;
    reportFigures('multi-instance-alerts', {
      instances: containers.length,
      days: expectedDays.length,
      runs: runs.length,
      triggers: Object.fromEntries(['schedule', 'catch-up', 'manual'].map((trigger) => [trigger, runs.filter((r) => r.trigger === trigger).length])),
      digestsExpected: expectedDays.length * TENANTS.length * RECIPIENTS_PER_TENANT,
      digests: digests.length,
      outboxDigests,
      duplicated,
      missed: missed.length,
    });
    expect(missed).toEqual([]);
    expect(duplicated).toBe(0);
    expect(digests).toHaveLength(expectedDays.length * TENANTS.length * RECIPIENTS_PER_TENANT);
    expect(expectedDays.filter((day) => runsPerDay.get(day) !== 1)).toEqual([]);
    expect([...runsPerDay.keys()].filter((day) => !expectedDays.includes(day))).toEqual([]);
    expect(runs.every((run) => run.status === 'completed')).toBe(true);
  });

  it(`three dispatchers deliver ${MESSAGES} messages and every digest, none twice`, async () => {
    const db = first.container.get(DATABASE);
    const outbox = first.container.get(KnexOutbox);
    for (let offset = 0; offset < MESSAGES; offset += 1_000) {
      await db.transaction(async (trx) => {
        for (let i = offset; i < Math.min(MESSAGES, offset + 1_000); i++) {
          const tenantId = TENANTS[i % TENANTS.length]!;
          await outbox.addIn(trx, [
            {
              tenantId,
              kind: 'message',
              from: { address: `kos@${tenantId}.ch` },
              envelopeFrom: `kos@${tenantId}.ch`,
              to: [{ address: `r${i}@${tenantId}.ch` }],
              cc: [],
              subject: `Drei ${i}`,
              text: 'x',
              senderRewritten: false,
              autoSubmitted: false,
            },
          ]);
        }
      });
    }
    const total = Number((await db('outbox_messages').count({ n: '*' }))[0]!.n);
    // Real time from here: the dispatchers' clocks follow the wall clock again.
    for (const clock of clocks) clock.set(new Date(Date.now() + 400 * 24 * HOUR));
    const started = Date.now();
    await Promise.all(containers.map((container) => container.get(OutboxDispatcher).start()));
    await smtp.waitForMessages(total, 600_000);
    const elapsed = Date.now() - started;
    await expect.poll(async () => Number((await db('outbox_messages').where({ status: 'sent' }).count({ n: '*' }))[0]!.n), { timeout: 30_000 }).toBe(total);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const ids = smtp.received.map((mail) => /^Message-ID: (<[^>]+>)/im.exec(mail.raw.toString('utf8'))?.[1]);
    const maxAttempts = Number((await db('outbox_messages').max({ max: 'attempts' }).first())!.max);
    reportFigures('multi-instance-delivery', {
      instances: 3,
      messages: total,
      delivered: ids.length,
      duplicates: ids.length - new Set(ids).size,
      maxAttempts,
      elapsedMs: elapsed,
      perSecond: Math.round(total / (elapsed / 1000)),
    });
    expect(ids).toHaveLength(total);
    expect(new Set(ids).size).toBe(total);
    expect(maxAttempts).toBe(1);
  });
});
