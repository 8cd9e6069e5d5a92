import 'reflect-metadata';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { AlertRunner, HEARTBEAT_TTL_MS } from '../../../src/modules/alerting/application/AlertRunner';
import { calendarDateIn } from '../../../src/modules/alerting/domain/CalendarDate';
import { AlertSchedule } from '../../../src/modules/alerting/infrastructure/AlertSchedule';
import { buildContainer } from '../../../src/container';
import { FixedClock } from '../../../src/shared/time/FixedClock';
import { bindAlertingNeighbours, databaseOf, outboxDigests } from '../../support/alertingApp';
import { DATABASE_KINDS } from '../../support/databases';
import { testTenant } from '../../support/OverlayTenantDirectory';
import { createTestApp, type TestApp } from '../../support/testApp';
import { TEST_ADMIN_KEY } from '../../support/testConfig';

const admin = { Authorization: `Bearer ${TEST_ADMIN_KEY}` };
const tenant = testTenant('acme', { alertSender: { address: 'alerts@acme.example.ch' } });
const HOUR = 3_600_000;

interface RunView {
  id: string;
  date: string;
  trigger: string;
  status: string;
  scheduledAt: string | null;
  queued: number;
  alreadySent: number;
}

describe.each(DATABASE_KINDS)('the alert schedule on %s', (kind) => {
  let t: TestApp;
  let clock: FixedClock;
  afterEach(async () => t?.close());

  async function setUp(start: string, env: Record<string, string> = {}): Promise<void> {
    clock = new FixedClock(start);
    t = await createTestApp(kind, { clock, env, prepare: (container) => bindAlertingNeighbours(container, [tenant]).then(() => undefined) });
    // Due long ago, so every day's run has a digest for it.
    await request(t.app)
      .put('/api/v1/tenants/acme/deadlines/T1')
      .set(admin)
      .send({ title: 'Offen', dueDate: '2027-01-01', assignees: [{ email: 'anna@acme.ch' }] })
      .expect(201);
  }

  const runner = () => t.container.get(AlertRunner);
  async function runs(): Promise<RunView[]> {
    await runner().settled();
    const response = await request(t.app).get('/api/v1/alert-runs?limit=100').set(admin);
    return (response.body.items as RunView[]).reverse();
  }
  async function advance(ms: number): Promise<void> {
    // In steps, settling in between, as time passes for a running service.
    for (let left = ms; left > 0; left -= HOUR) {
      clock.advance(Math.min(left, HOUR));
      await runner().settled();
    }
  }

  it('fires at 03:00 Zurich once a day across the spring and autumn DST changes; each day one digest', async () => {
    await setUp('2027-03-26T12:00:00Z');
    const schedule = t.container.get(AlertSchedule);
    await schedule.start();
    await advance(4 * 24 * HOUR);
    await schedule.stop();
    clock.set('2027-10-29T12:00:00Z');
    await schedule.start();
    await advance(4 * 24 * HOUR);
    await schedule.stop();
    const all = await runs();
    expect(all.map((run) => `${run.trigger} ${run.date}`)).toEqual([
      'catch-up 2027-03-26',
      'schedule 2027-03-27',
      'schedule 2027-03-28',
      'schedule 2027-03-29',
      'schedule 2027-03-30',
      'catch-up 2027-10-29',
      'schedule 2027-10-30',
      'schedule 2027-10-31',
      'schedule 2027-11-01',
      'schedule 2027-11-02',
    ]);
    const local = (iso: string) => new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Zurich', hour: '2-digit', minute: '2-digit' }).format(new Date(iso));
    expect(all.map((run) => local(run.scheduledAt!))).toEqual(Array(10).fill('03:00'));
    expect(all.every((run) => run.status === 'completed' && run.queued === 1)).toBe(true);
    expect(await outboxDigests(databaseOf(t.container))).toHaveLength(10);
  });

  it('after downtime over 03:00, start-up catches up the latest day once; older days are not replayed', async () => {
    await setUp('2027-03-10T12:00:00Z');
    const first = t.container.get(AlertSchedule);
    await first.start();
    await runner().settled();
    await first.stop();
    expect((await runs()).map((run) => `${run.trigger} ${run.date}`)).toEqual(['catch-up 2027-03-10']);

    // Down from the 10th to the 13th at 09:00: the 11th, 12th and 13th were missed.
    clock.set('2027-03-13T08:00:00Z');
    const restarted = t.container.get(AlertSchedule);
    await restarted.start();
    await runner().settled();
    await restarted.stop();
    await restarted.start();
    await runner().settled();
    await restarted.stop();
    const all = await runs();
    expect(all.map((run) => `${run.trigger} ${run.date}`)).toEqual(['catch-up 2027-03-10', 'catch-up 2027-03-13']);
    expect(calendarDateIn(new Date(all[1]!.scheduledAt!), 'Europe/Zurich')).toBe('2027-03-13');
  });

  it("before the day's fire time, start-up catches up yesterday only if it has no completed run", async () => {
    await setUp('2027-03-10T01:00:00Z');
    await runner().startManual('2027-03-09');
    await runner().settled();
    await t.container.get(AlertSchedule).start();
    await t.container.get(AlertSchedule).stop();
    expect((await runs()).map((run) => run.trigger)).toEqual(['manual']);
  });

  it('honours ALERT_CRON and ALERT_TIMEZONE from the environment', async () => {
    await setUp('2027-03-10T00:00:00Z', { ALERT_CRON: '0 30 6 * * 1-5', ALERT_TIMEZONE: 'America/New_York' });
    const schedule = t.container.get(AlertSchedule);
    await schedule.start();
    await advance(4 * 24 * HOUR);
    await schedule.stop();
    const all = await runs();
    // Start 2027-03-09 19:00 in New York: catch-up of Tuesday the 9th, then Wed to Fri; no weekend.
    expect(all.map((run) => `${run.trigger} ${run.date}`)).toEqual([
      'catch-up 2027-03-09',
      'schedule 2027-03-10',
      'schedule 2027-03-11',
      'schedule 2027-03-12',
    ]);
    const local = (iso: string) => new Intl.DateTimeFormat('en-GB', { timeZone: 'America/New_York', hour: '2-digit', minute: '2-digit' }).format(new Date(iso));
    expect(all.map((run) => local(run.scheduledAt!))).toEqual(['06:30', '06:30', '06:30', '06:30']);
  });

  it('a runner that died in mid-run is taken over once its heartbeat expires', async () => {
    await setUp('2027-03-10T02:30:00Z');
    // Another instance recorded the 03:00 run and died before finishing it.
    const db = databaseOf(t.container);
    const fireAt = Date.parse('2027-03-10T02:00:00Z');
    await db('alert_runs').insert({
      id: 'run_dead',
      run_date: '2027-03-10',
      trigger: 'schedule',
      status: 'running',
      fire_at: fireAt,
      scheduled_at: fireAt,
      started_at: fireAt,
      heartbeat_at: fireAt,
      errors_json: '[]',
    });
    clock.set(new Date(fireAt + 1_000));
    expect(await runner().takeOverAbandoned()).toBeUndefined();
    expect(await runner().catchUp()).toBeUndefined();
    clock.set(new Date(fireAt + HEARTBEAT_TTL_MS + 1_000));
    const taken = await runner().takeOverAbandoned();
    expect(taken).toMatchObject({ trigger: 'catch-up', date: '2027-03-10' });
    expect(await runner().takeOverAbandoned()).toBeUndefined();
    const all = await runs();
    expect(all.map((run) => `${run.id === 'run_dead' ? 'dead' : run.trigger} ${run.status}`)).toEqual(['dead failed', 'catch-up completed']);
    expect(all[1]!.queued).toBe(1);
  });
});

describe.runIf(DATABASE_KINDS.includes('postgres'))('two instances on one PostgreSQL', () => {
  let t: TestApp | undefined;
  afterEach(async () => t?.close());

  it('fire at the same time and run the day once', async () => {
    const clocks = [new FixedClock('2027-03-10T01:30:00Z'), new FixedClock('2027-03-10T01:30:00Z')];
    t = await createTestApp('postgres', { clock: clocks[0], prepare: (container) => bindAlertingNeighbours(container, [tenant]).then(() => undefined) });
    const second = buildContainer(t.config, { clock: clocks[1] });
    await bindAlertingNeighbours(second, [tenant]);
    try {
      const deadlines = Array.from({ length: 300 }, (_, index) => ({
        ticketId: `T${index}`,
        title: `Ticket ${index}`,
        dueDate: '2027-03-09',
        assignees: [{ email: `user${index % 60}@acme.ch` }],
      }));
      await request(t.app).put('/api/v1/tenants/acme/deadlines').set(admin).send({ deadlines }).expect(200);
      // Yesterday completed, so neither start-up catches up.
      await t.container.get(AlertRunner).startManual('2027-03-09');
      await t.container.get(AlertRunner).settled();
      const instances = [t.container, second].map((container) => ({ schedule: container.get(AlertSchedule), runner: container.get(AlertRunner) }));
      for (const instance of instances) await instance.schedule.start();
      for (const clock of clocks) clock.set('2027-03-10T02:00:00Z');
      await Promise.all(instances.map((instance) => instance.runner.settled()));
      for (const instance of instances) await instance.schedule.stop();

      const db = databaseOf(t.container);
      const today = await db('alert_runs').where({ run_date: '2027-03-10' });
      expect(today.map((run) => `${run.trigger} ${run.status} ${run.queued}`)).toEqual(['schedule completed 60']);
      const digests = (await outboxDigests(db)).filter((digest) => digest.text.includes('10.03.2027'));
      expect(digests).toHaveLength(60);
      expect(new Set(digests.map((digest) => digest.to[0]!.address)).size).toBe(60);
    } finally {
      await second.unbindAllAsync();
    }
  });
});
