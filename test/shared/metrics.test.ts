import { readFileSync } from 'node:fs';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app';
import { buildContainer } from '../../src/container';
import { DATABASE_KINDS } from '../support/databases';
import { ADMIN, createDeliveryTestApp, loopbackTenant, notificationBody, type DeliveryTestApp } from '../support/deliveryApp';
import { captureLog } from '../support/captureLog';
import { createTestApp } from '../support/testApp';
import { TestSmtpServer } from '../support/TestSmtpServer';

const METRICS_TOKEN = 'metrics-token-6f1d2c9a8b7e';

/** The value of an unlabelled sample in Prometheus text. */
function sample(text: string, name: string): number {
  const match = new RegExp(`^${name} (\\S+)$`, 'm').exec(text);
  if (!match) throw new Error(`no sample ${name} in:\n${text.slice(0, 2000)}`);
  return Number(match[1]);
}

describe('GET /metrics behind METRICS_TOKEN', () => {
  it('answers 401 problem+json without the token or with another one, and the metrics with it', async () => {
    const log = captureLog();
    const t = await createTestApp('sqlite', { env: { METRICS_TOKEN }, logger: log.logger });
    try {
      const missing = await request(t.app).get('/metrics');
      expect(missing.status).toBe(401);
      expect(missing.type).toBe('application/problem+json');
      expect(missing.body).toMatchObject({ status: 401, type: expect.stringContaining('unauthenticated'), detail: expect.stringContaining('METRICS_TOKEN') });
      const wrong = await request(t.app).get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}x`);
      expect(wrong.status).toBe(401);
      expect(wrong.text).not.toContain(METRICS_TOKEN);
      // The admin API key is not the metrics token.
      expect((await request(t.app).get('/metrics').set(ADMIN)).status).toBe(401);
      const granted = await request(t.app).get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}`);
      expect(granted.status).toBe(200);
      expect(granted.text).toContain('process_cpu_seconds_total');
      expect(granted.text).toContain('kos_tenants_parked 0');
      expect(log.text()).not.toContain(METRICS_TOKEN);
    } finally {
      await t.close();
    }
  });

  it('stays open without METRICS_TOKEN', async () => {
    const t = await createTestApp('sqlite');
    try {
      expect((await request(t.app).get('/metrics')).status).toBe(200);
    } finally {
      await t.close();
    }
  });
});

describe.each(DATABASE_KINDS)('operations gauges on %s, read from the database by every instance', (kind) => {
  let t: DeliveryTestApp;
  let smtp: TestSmtpServer;
  let other: ReturnType<typeof createApp>;
  let otherContainer: ReturnType<typeof buildContainer>;

  beforeAll(async () => {
    smtp = await TestSmtpServer.start();
    t = await createDeliveryTestApp(kind);
    // A second instance on the same database that itself runs nothing.
    otherContainer = buildContainer(t.config);
    other = createApp(otherContainer);
  });
  afterAll(async () => {
    await otherContainer?.unbindAllAsync();
    await t?.close();
    await smtp?.close();
  });

  const scrape = async (app: ReturnType<typeof createApp>) => (await request(app).get('/metrics').expect(200)).text;

  it('are all listed in docs/operations.md, with every other metric of the service', async () => {
    const names = [...(await scrape(t.app)).matchAll(/^# HELP (kos_\w+)/gm)].map((match) => match[1]!);
    expect(names).toEqual(
      expect.arrayContaining(['kos_mail_oldest_queued_age_seconds', 'kos_alert_run_last_success_day_timestamp_seconds', 'kos_tenants_parked']),
    );
    const documented = readFileSync('docs/operations.md', 'utf8');
    expect(names.filter((name) => !documented.includes(`| \`${name}\` |`))).toEqual([]);
  });

  it('report 0 before the first alert run and with no tenant parked', async () => {
    for (const app of [t.app, other]) {
      const text = await scrape(app);
      expect(sample(text, 'kos_alert_run_last_success_timestamp_seconds')).toBe(0);
      expect(sample(text, 'kos_alert_run_last_success_day_timestamp_seconds')).toBe(0);
      expect(sample(text, 'kos_tenants_parked')).toBe(0);
      expect(sample(text, 'kos_tenants_parked_oldest_since_timestamp_seconds')).toBe(0);
    }
  });

  it('show the finish and the day of a completed alert run (the day as 00:00 Europe/Zurich, on a DST day too)', async () => {
    for (const date of ['2026-03-29', '2026-03-28']) {
      const started = await request(t.app).post('/api/v1/alert-runs').set(ADMIN).send({ date });
      expect(started.status).toBe(202);
      await expect
        .poll(async () => (await request(t.app).get(`/api/v1/alert-runs/${started.body.id}`).set(ADMIN)).body.status, { timeout: 10_000 })
        .toBe('completed');
    }
    const runs = (await request(t.app).get('/api/v1/alert-runs').set(ADMIN)).body.items as Array<{ finishedAt: string }>;
    const latestFinish = Math.max(...runs.map((run) => Date.parse(run.finishedAt))) / 1000;
    for (const app of [t.app, other]) {
      const text = await scrape(app);
      expect(sample(text, 'kos_alert_run_last_success_timestamp_seconds')).toBe(latestFinish);
      // The later day counts, not the later run: 2026-03-29 began at 00:00 CET = 23:00 UTC the day before.
      expect(sample(text, 'kos_alert_run_last_success_day_timestamp_seconds')).toBe(Date.parse('2026-03-28T23:00:00Z') / 1000);
    }
  });

  it('count a tenant parked after its host refused the login, and since when', async () => {
    smtp.password = 'richtig';
    await t.putTenant(
      'geparkt',
      loopbackTenant({
        alertSender: { address: 'kos@kunde.ch' },
        allowedSenders: ['*@kunde.ch'],
        port: smtp.port,
        username: 'kos@kunde.ch',
        password: 'falsch',
      }),
    );
    const queued = await t.notify('geparkt', notificationBody({ subject: 'Geparkt' }));
    await t.waitForStatus('geparkt', queued.body.id, ['parked', 'sent', 'failed']);
    const since = Date.parse((await t.tenant('geparkt')).mailStatus.since) / 1000;
    expect(since).toBeGreaterThan(0);
    for (const app of [t.app, other]) {
      const text = await scrape(app);
      expect(sample(text, 'kos_tenants_parked')).toBe(1);
      expect(sample(text, 'kos_tenants_parked_oldest_since_timestamp_seconds')).toBe(since);
    }
  });
});
