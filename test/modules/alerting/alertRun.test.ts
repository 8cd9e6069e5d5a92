import 'reflect-metadata';
import type { Knex } from 'knex';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { AlertRunner } from '../../../src/modules/alerting/application/AlertRunner';
import type { DigestLog, PendingDigest } from '../../../src/modules/alerting/domain/DigestLog';
import { KnexDigestLog } from '../../../src/modules/alerting/infrastructure/KnexDigestLog';
import { DIGEST_LOG } from '../../../src/modules/alerting/tokens';
import type { PreparedMail } from '../../../src/modules/notification/domain/TransactionalOutbox';
import { KnexOutbox } from '../../../src/modules/notification/infrastructure/KnexOutbox';
import { generateApiKey, hashApiKey } from '../../../src/shared/auth/apiKeys';
import { FixedClock } from '../../../src/shared/time/FixedClock';
import { API_KEY_STORE, DATABASE } from '../../../src/shared/tokens';
import { bindAlertingNeighbours, databaseOf, outboxDigests } from '../../support/alertingApp';
import { DATABASE_KINDS, type DatabaseKind } from '../../support/databases';
import { OverlayTenantDirectory, testTenant } from '../../support/OverlayTenantDirectory';
import { createTestApp, type TestApp } from '../../support/testApp';
import { TEST_ADMIN_KEY } from '../../support/testConfig';

const admin = { Authorization: `Bearer ${TEST_ADMIN_KEY}` };
// 11:00 in Zurich on Wednesday 2027-03-10: run date D = 2027-03-10, lead days 7 → up to 2027-03-17.
const NOW = '2027-03-10T10:00:00Z';

const acme = testTenant('acme', { name: 'ACME AG', locale: 'de', alertSender: { address: 'alerts@acme.example.ch', name: 'ACME Fristen' } });
const beta = testTenant('beta', { name: 'Beta SA', locale: 'fr', alertSender: { address: 'kos@beta.example.ch' } });

const SCRIPT_TITLE = `<script>alert("x")</script> & 'quotes'`;

/** Overdue, due today, within and beyond the lead days, done; mixed case addresses and locales. */
const ACME_DEADLINES = [
  {
    ticketId: 'T1',
    title: 'Offerte Müller',
    dueDate: '2027-03-07',
    assignees: [
      { email: 'Anna.Meier@acme.ch', name: 'Anna Meier' },
      { email: 'bob@acme.ch', locale: 'en' },
    ],
    url: 'https://kos.example/t/T1',
  },
  { ticketId: 'T2', title: 'Lieferung prüfen', dueDate: '2027-03-10', assignees: [{ email: 'anna.meier@ACME.ch' }] },
  { ticketId: 'T3', title: 'Rechnung 4711', dueDate: '2027-03-15', assignees: [{ email: 'anna.meier@acme.ch' }, { email: 'carl@acme.ch', locale: 'it' }] },
  { ticketId: 'T4', title: 'Jahresplanung', dueDate: '2027-03-20', assignees: [{ email: 'dora@acme.ch' }, { email: 'anna.meier@acme.ch' }] },
  { ticketId: 'T5', title: 'Erledigt', dueDate: '2027-03-01', assignees: [{ email: 'erin@acme.ch' }, { email: 'anna.meier@acme.ch' }], done: true },
  { ticketId: 'T6', title: SCRIPT_TITLE, dueDate: '2027-03-09', assignees: [{ email: 'BOB@acme.ch' }], url: 'https://kos.example/t/6?a=1&b="2"' },
];

/** Fails the n-th batch before it reaches the database, as a process dying between two batches would. */
class CrashingDigestLog implements DigestLog {
  batches = 0;
  constructor(
    private readonly inner: DigestLog,
    public crashAtBatch: number,
  ) {}
  history(tenantId: string, recipients: string[], date: string) {
    return this.inner.history(tenantId, recipients, date);
  }
  async queueMany(runId: string, digests: PendingDigest[]) {
    this.batches += 1;
    if (this.batches === this.crashAtBatch) throw new Error('simulated crash in mid-run');
    return this.inner.queueMany(runId, digests);
  }
  deleteTenant(tenantId: string) {
    return this.inner.deleteTenant(tenantId);
  }
}

/**
 * The real outbox, except that while armed it writes the first mail of a batch of several and
 * then fails, inside the batch's transaction: a crash in the middle of a batch.
 */
function crashingOutbox(outbox: KnexOutbox): KnexOutbox & { armed: boolean } {
  const crashing = Object.create(outbox) as KnexOutbox & { armed: boolean };
  crashing.armed = true;
  crashing.addPreparedIn = async (trx: Knex.Transaction, mails: PreparedMail[]) => {
    if (!crashing.armed || mails.length < 2) return outbox.addPreparedIn(trx, mails);
    await outbox.addPreparedIn(trx, mails.slice(0, 1));
    throw new Error('simulated crash in mid-batch');
  };
  return crashing;
}

describe.each(DATABASE_KINDS)('the daily alert run on %s', (kind: DatabaseKind) => {
  let t: TestApp;
  let clock: FixedClock;
  let directory: OverlayTenantDirectory;
  let crashOutbox: { armed: boolean } | undefined;
  afterEach(async () => t?.close());

  async function setUp(options: { crashAtBatch?: number; crashInBatch?: boolean } = {}): Promise<void> {
    clock = new FixedClock(NOW);
    t = await createTestApp(kind, {
      clock,
      config: { rateLimitPerMinute: 100_000 },
      prepare: async (container) => {
        directory = await bindAlertingNeighbours(container, [acme, beta]);
        if (options.crashAtBatch !== undefined) {
          container.bind(KnexDigestLog).toSelf().inSingletonScope();
          const crashing = new CrashingDigestLog(container.get(KnexDigestLog), options.crashAtBatch);
          container.rebind(DIGEST_LOG).toConstantValue(crashing);
        }
        if (options.crashInBatch) {
          const outbox = crashingOutbox(container.get(KnexOutbox));
          container.rebind(DIGEST_LOG).toConstantValue(new KnexDigestLog(container.get(DATABASE), clock, outbox));
          crashOutbox = outbox;
        }
      },
    });
    const bulk = await request(t.app).put('/api/v1/tenants/acme/deadlines').set(admin).send({ deadlines: ACME_DEADLINES });
    expect(bulk.status).toBe(200);
    expect(bulk.body).toEqual({ created: 6, replaced: 0, removed: 0 });
    const single = await request(t.app)
      .put('/api/v1/tenants/beta/deadlines/B-1')
      .set(admin)
      .send({ title: 'Contrat', dueDate: '2027-03-08', assignees: [{ email: 'anna.meier@acme.ch' }] });
    expect(single.status).toBe(201);
  }

  async function runNow(date?: string): Promise<request.Response> {
    const started = await request(t.app)
      .post('/api/v1/alert-runs')
      .set(admin)
      .send(date ? { date } : {});
    expect(started.status).toBe(202);
    await t.container.get(AlertRunner).settled();
    return request(t.app).get(`/api/v1/alert-runs/${started.body.id}`).set(admin);
  }

  it('queues one digest per tenant and assignee, with the right sections, counts, language and sender', async () => {
    await setUp();
    const started = await request(t.app).post('/api/v1/alert-runs').set(admin).send({});
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ id: expect.any(String), date: '2027-03-10', status: 'running' });
    await t.container.get(AlertRunner).settled();
    const run = await request(t.app).get(`/api/v1/alert-runs/${started.body.id}`).set(admin);
    expect(run.body).toMatchObject({
      date: '2027-03-10',
      trigger: 'manual',
      status: 'completed',
      tenants: 2,
      recipients: 4,
      queued: 4,
      alreadySent: 0,
      errors: [],
    });
    expect(run.body.finishedAt).toEqual(expect.any(String));
    expect(run.body).not.toHaveProperty('scheduledAt');
    const schedule = await request(t.app).get('/api/v1/alert-schedule').set(admin);
    expect(schedule.status).toBe(200);
    expect(schedule.body).toMatchObject({
      timezone: 'Europe/Zurich',
      nextRunAt: expect.stringMatching(/^2027-03-1[01]T/),
      lastRun: { id: started.body.id, date: '2027-03-10', status: 'completed', finishedAt: run.body.finishedAt },
    });

    const digests = await outboxDigests(databaseOf(t.container));
    expect(digests.map((digest) => `${digest.tenantId} ${digest.to[0]!.address}`).sort()).toEqual([
      'acme Anna.Meier@acme.ch',
      'acme bob@acme.ch',
      'acme carl@acme.ch',
      'beta anna.meier@acme.ch',
    ]);
    expect(digests.every((digest) => digest.autoSubmitted && digest.kind === 'digest')).toBe(true);

    const anna = digests.find((digest) => digest.tenantId === 'acme' && digest.to[0]!.address === 'Anna.Meier@acme.ch')!;
    expect(anna.from).toEqual({ name: 'ACME Fristen', address: 'alerts@acme.example.ch' });
    expect(anna.envelopeFrom).toBe('alerts@acme.example.ch');
    expect(anna.to).toEqual([{ name: 'Anna Meier', address: 'Anna.Meier@acme.ch' }]);
    expect(anna.subject).toBe('KOS: 2 Fristen erreicht, 1 bald fällig');
    const reached = anna.text.indexOf('Frist erreicht (2)');
    const soon = anna.text.indexOf('Bald fällig (1)');
    expect(reached).toBeGreaterThan(0);
    expect(soon).toBeGreaterThan(reached);
    const t1 = anna.text.indexOf('Offerte Müller (T1) · fällig am 07.03.2027 · 3 Tage überfällig');
    const t2 = anna.text.indexOf('Lieferung prüfen (T2) · fällig am 10.03.2027 · heute fällig');
    const t3 = anna.text.indexOf('Rechnung 4711 (T3) · fällig am 15.03.2027 · in 5 Tagen');
    expect(t1).toBeGreaterThan(reached);
    expect(t2).toBeGreaterThan(t1);
    expect(t3).toBeGreaterThan(soon);
    expect(anna.text).toContain('https://kos.example/t/T1');
    expect(anna.text).not.toContain('Jahresplanung');
    expect(anna.text).not.toContain('Erledigt');
    expect(anna.text).toMatch(/Fristwarnungen sind Pflicht und können nicht abbestellt werden/);

    const bob = digests.find((digest) => digest.to[0]!.address === 'bob@acme.ch')!;
    expect(bob.subject).toBe('KOS: 2 deadlines reached');
    expect(bob.text).toContain('Offerte Müller (T1) · due 2027-03-07 · 3 days overdue');
    expect(bob.text).not.toContain('Due soon');
    const carl = digests.find((digest) => digest.to[0]!.address === 'carl@acme.ch')!;
    expect(carl.subject).toBe('KOS: 1 scadenza imminente');
    const betaAnna = digests.find((digest) => digest.tenantId === 'beta')!;
    expect(betaAnna.subject).toBe('KOS : 1 échéance atteinte');
    expect(betaAnna.from).toEqual({ name: 'Beta SA', address: 'kos@beta.example.ch' });
    expect(betaAnna.text).toContain('en retard de 2 jours');
  });

  it('escapes every KOS value in the HTML', async () => {
    await setUp();
    await runNow();
    const bob = (await outboxDigests(databaseOf(t.container))).find((digest) => digest.to[0]!.address === 'bob@acme.ch')!;
    expect(bob.html).not.toContain('<script>');
    expect(bob.html).not.toContain(`"x"`);
    expect(bob.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quotes&#39;');
    expect(bob.html).toContain('href="https://kos.example/t/6?a=1&amp;b=&quot;2&quot;"');
    expect(bob.text).toContain(SCRIPT_TITLE);
  });

  it('a second trigger for the same day queues nothing and counts what was already sent', async () => {
    await setUp();
    await runNow();
    clock.advance(60_000);
    const second = await runNow('2027-03-10');
    expect(second.body).toMatchObject({ status: 'completed', recipients: 4, queued: 0, alreadySent: 4 });
    expect(await outboxDigests(databaseOf(t.container))).toHaveLength(4);
    const runs = await request(t.app).get('/api/v1/alert-runs?limit=1').set(admin);
    expect(runs.body.items).toHaveLength(1);
    expect(runs.body.items[0].id).toBe(second.body.id);
    expect(runs.body.nextCursor).toEqual(expect.any(String));
    const older = await request(t.app).get(`/api/v1/alert-runs?limit=5&cursor=${runs.body.nextCursor}`).set(admin);
    expect(older.body.items.map((run: { alreadySent: number }) => run.alreadySent)).toEqual([0]);
  });

  it('two triggers at the same moment queue each digest once between them', async () => {
    await setUp();
    const [a, b] = await Promise.all([1, 2].map(() => request(t.app).post('/api/v1/alert-runs').set(admin).send({})));
    await t.container.get(AlertRunner).settled();
    const runs = await Promise.all([a!, b!].map((started) => request(t.app).get(`/api/v1/alert-runs/${started.body.id}`).set(admin)));
    expect(runs[0]!.body.queued + runs[1]!.body.queued).toBe(4);
    expect(runs[0]!.body.alreadySent + runs[1]!.body.alreadySent).toBe(4);
    expect(await outboxDigests(databaseOf(t.container))).toHaveLength(4);
  });

  it('a run that crashes between two batches, then runs again, sends each digest exactly once', async () => {
    // One batch per tenant here: acme's three digests go through, beta's batch crashes.
    await setUp({ crashAtBatch: 2 });
    const crashed = await runNow();
    expect(crashed.body).toMatchObject({
      status: 'completed',
      queued: 3,
      alreadySent: 0,
      errors: [{ tenantId: 'beta', message: 'simulated crash in mid-run' }],
    });
    expect(await outboxDigests(databaseOf(t.container))).toHaveLength(3);

    const rerun = await runNow();
    expect(rerun.body).toMatchObject({ status: 'completed', recipients: 4, queued: 1, alreadySent: 3, errors: [] });
    const digests = await outboxDigests(databaseOf(t.container));
    const keys = digests.map((digest) => `${digest.tenantId} ${digest.to[0]!.address.toLowerCase()}`);
    expect(keys).toHaveLength(4);
    expect(new Set(keys).size).toBe(4);
  });

  it('a crash in the middle of a batch leaves none of its keys or mails; the re-run sends only what is missing', async () => {
    await setUp({ crashInBatch: true });
    const crashed = await runNow();
    // acme's batch of three failed after its first mail was written; beta's single mail is not a split batch.
    expect(crashed.body).toMatchObject({
      status: 'completed',
      queued: 1,
      alreadySent: 0,
      errors: [{ tenantId: 'acme', message: 'simulated crash in mid-batch' }],
    });
    const db = databaseOf(t.container);
    expect((await outboxDigests(db)).map((digest) => digest.tenantId)).toEqual(['beta']);
    expect(await db('alert_digests').where({ tenant_id: 'acme' })).toEqual([]);

    crashOutbox!.armed = false;
    const rerun = await runNow();
    expect(rerun.body).toMatchObject({ status: 'completed', recipients: 4, queued: 3, alreadySent: 1, errors: [] });
    const digests = await outboxDigests(db);
    expect(digests).toHaveLength(4);
    // Each key points at its own mail.
    const keys = await db('alert_digests').select('tenant_id', 'recipient_lower', 'outbox_id');
    expect(keys).toHaveLength(4);
    for (const key of keys) {
      const mail = digests.find((digest) => digest.id === key.outbox_id);
      expect(mail && `${mail.tenantId} ${mail.to[0]!.address.toLowerCase()}`).toBe(`${key.tenant_id} ${key.recipient_lower}`);
    }
  });

  it('a failing tenant is recorded and does not stop the others', async () => {
    await setUp();
    directory.add({ ...acme, alertSender: undefined as never });
    const run = await runNow();
    expect(run.body.status).toBe('completed');
    expect(run.body.errors).toEqual([{ tenantId: 'acme', message: expect.any(String) }]);
    expect((await outboxDigests(databaseOf(t.container))).map((digest) => digest.tenantId)).toEqual(['beta']);
  });

  it('marks lines that are new since the previous digest; a past day sends only what is missing', async () => {
    await setUp();
    await runNow();
    clock.set('2027-03-11T10:00:00Z');
    await request(t.app)
      .put('/api/v1/tenants/acme/deadlines/T7')
      .set(admin)
      .send({ title: 'Neue Aufgabe', dueDate: '2027-03-12', assignees: [{ email: 'anna.meier@acme.ch' }] });
    await runNow();
    const annaNext = (await outboxDigests(databaseOf(t.container))).filter(
      (digest) => digest.tenantId === 'acme' && digest.to[0]!.address.toLowerCase() === 'anna.meier@acme.ch',
    );
    expect(annaNext).toHaveLength(2);
    const latest = annaNext.find((digest) => digest.text.includes('Neue Aufgabe'))!;
    expect(latest.text).toContain('- [NEU] Neue Aufgabe');
    expect(latest.text).toContain('- Offerte Müller');
    expect(latest.text).not.toContain('[NEU] Offerte');
    expect(latest.html).toContain('NEU</strong> Neue Aufgabe');

    const past = await runNow('2027-03-10');
    expect(past.body).toMatchObject({ date: '2027-03-10', queued: 0, alreadySent: 4 });
  });

  it('refuses a future day with 422 and unknown tenants and runs with 404', async () => {
    await setUp();
    const future = await request(t.app).post('/api/v1/alert-runs').set(admin).send({ date: '2027-03-11' });
    expect(future.status).toBe(422);
    expect(future.body.detail).toMatch(/future/);
    expect((await request(t.app).post('/api/v1/alert-runs').set(admin).send({ date: '2027-02-30' })).status).toBe(400);
    expect((await request(t.app).get('/api/v1/alert-runs/run_nope').set(admin)).status).toBe(404);
    expect((await request(t.app).put('/api/v1/tenants/nobody/deadlines/X').set(admin).send({ title: 'x', dueDate: '2027-03-10', assignees: [] })).status).toBe(
      404,
    );
    const badTitle = await request(t.app)
      .put('/api/v1/tenants/acme/deadlines/X')
      .set(admin)
      .send({ title: 'a\r\nBcc: x@y.ch', dueDate: '2027-03-10', assignees: [{ email: '"a b"@x.ch' }] });
    expect(badTitle.status).toBe(400);
    expect(badTitle.body.errors.map((error: { path: string }) => error.path).sort()).toEqual(['assignees.0.email', 'title']);
  });

  it("previews a tenant's digests without queuing anything, also for the tenant's own key", async () => {
    await setUp();
    const key = generateApiKey();
    await t.container
      .get(API_KEY_STORE)
      .insert({ id: 'key_beta', tenantId: 'beta', keyHash: hashApiKey(key), name: null, createdAt: new Date(), createdBy: 'test' });
    const preview = await request(t.app).get('/api/v1/tenants/acme/alerts/preview?date=2027-03-10').set(admin);
    expect(preview.status).toBe(200);
    expect(preview.body.items.map((digest: { subject: string }) => digest.subject)).toEqual([
      'KOS: 2 Fristen erreicht, 1 bald fällig',
      'KOS: 2 deadlines reached',
      'KOS: 1 scadenza imminente',
    ]);
    expect(preview.body.items[0].recipients).toEqual([{ name: 'Anna Meier', address: 'Anna.Meier@acme.ch' }]);
    expect(preview.body.items.map((digest: { from: unknown }) => digest.from)).toEqual(
      Array(3).fill({ name: 'ACME Fristen', address: 'alerts@acme.example.ch' }),
    );
    expect(preview.body.items[0].html).toContain('<!DOCTYPE html>');
    expect(await outboxDigests(databaseOf(t.container))).toHaveLength(0);
    const own = await request(t.app)
      .get('/api/v1/tenants/beta/alerts/preview')
      .set({ Authorization: `Bearer ${key}` });
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({
      date: '2027-03-10',
      items: [{ subject: 'KOS : 1 échéance atteinte', from: { name: 'Beta SA', address: 'kos@beta.example.ch' } }],
    });
    expect(
      (
        await request(t.app)
          .get('/api/v1/tenants/acme/alerts/preview')
          .set({ Authorization: `Bearer ${key}` })
      ).status,
    ).toBe(404);
    expect(
      (
        await request(t.app)
          .post('/api/v1/alert-runs')
          .set({ Authorization: `Bearer ${key}` })
          .send({})
      ).status,
    ).toBe(403);
  });
});
