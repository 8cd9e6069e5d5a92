import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, createDeliveryTestApp, loopbackTenant, notificationBody, type DeliveryTestApp } from '../support/deliveryApp';
import { reportFigures } from '../support/figures';
import { HostileSmtpHost, type HostileBehaviour, type HostileOptions } from '../support/HostileSmtpHost';
import { TestSmtpServer } from '../support/TestSmtpServer';

const MB = 1024 * 1024;
/** What a hostile host may write before the client must have hung up: 64 KiB read, the rest in socket buffers (about 4 MB here). */
const HUNG_UP_WITHIN = 16 * MB;

interface Attack {
  behaviour: HostileBehaviour;
  options?: HostileOptions;
  /** What the failed session says. */
  error: RegExp;
  code: 'EPROTOCOL' | 'ECONNECTION';
  /** The verify step that fails; `connect` unless said. */
  step?: 'connect' | 'auth';
}

const ATTACKS: Record<string, Attack> = {
  'endless 220- lines': { behaviour: 'endless-greeting', options: { budgetBytes: 32 * MB }, error: /a reply of more than 1,000 lines/, code: 'EPROTOCOL' },
  'endless 220- lines of 4,000 characters': {
    behaviour: 'endless-greeting',
    options: { budgetBytes: 32 * MB, lineLength: 4000 },
    error: /a reply of more than 64 KiB/,
    code: 'EPROTOCOL',
  },
  'an endless EHLO reply': { behaviour: 'endless-ehlo', options: { budgetBytes: 32 * MB }, error: /a reply of more than 1,000 lines/, code: 'EPROTOCOL' },
  'a greeting without line end': {
    behaviour: 'greeting-without-end',
    options: { budgetBytes: 32 * MB },
    error: /a line longer than 4096 characters/,
    code: 'EPROTOCOL',
  },
  'replies nobody asked for': { behaviour: 'unsolicited', options: { budgetBytes: 32 * MB }, error: /a reply to no command/, code: 'EPROTOCOL' },
  'a connection closed mid-reply': { behaviour: 'close-mid-reply', error: /closed the connection/, code: 'ECONNECTION' },
  // Not a refused login: the tenant is not parked, the try is retried.
  'an endless reply to AUTH': {
    behaviour: 'endless-auth',
    options: { budgetBytes: 32 * MB },
    error: /a reply of more than 1,000 lines/,
    code: 'EPROTOCOL',
    step: 'auth',
  },
};

/**
 * The hostile host against the real dispatcher and the verify probe: every attack ends only the
 * session it is in, quickly, with what the host did in words, while a neighbour's mail goes out.
 */
describe('a hostile mail host', () => {
  let t: DeliveryTestApp;
  let healthy: TestSmtpServer;
  let n = 0;
  const figures: Record<string, unknown> = {};

  beforeAll(async () => {
    healthy = await TestSmtpServer.start();
    t = await createDeliveryTestApp('sqlite', {
      delivery: { pollIntervalMs: 50, greetingTimeoutMs: 10_000, socketTimeoutMs: 10_000, connectionTimeoutMs: 2_000 },
    });
    await t.putTenant('healthy', loopbackTenant({ alertSender: { address: 'kos@healthy.ch' }, allowedSenders: ['*@healthy.ch'], port: healthy.port }));
  });
  afterAll(async () => {
    reportFigures('hostile-host', figures);
    await t?.close();
    await healthy?.close();
  });

  describe.each(Object.entries(ATTACKS))('%s', (name, attack) => {
    let host: HostileSmtpHost;
    let tenantId: string;

    beforeAll(async () => {
      host = await HostileSmtpHost.start(attack.behaviour, attack.options);
      tenantId = `hostile-${++n}`;
      const login = attack.step === 'auth' ? { username: 'kos@kunde.ch', password: 'Secret-Pw-0815' } : {};
      await t.putTenant(tenantId, loopbackTenant({ alertSender: { address: 'kos@kunde.ch' }, allowedSenders: ['*@kunde.ch'], port: host.port, ...login }));
    });
    afterAll(async () => host?.close());

    it(`fails each delivery try with ${attack.code}, retries it, keeps memory bounded, and the neighbour's mail goes out meanwhile`, async () => {
      const rssBefore = process.memoryUsage().rss;
      let rssPeak = rssBefore;
      const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), 10);
      const started = Date.now();
      try {
        const queued = await t.notify(tenantId, notificationBody());
        const neighbour = await t.notify(
          'healthy',
          notificationBody({ author: { name: 'Beat', email: 'beat@healthy.ch' }, to: [{ email: 'eva@healthy.ch' }] }),
        );
        expect(await t.waitForStatus('healthy', neighbour.body.id, ['sent', 'failed'], 5_000)).toMatchObject({ status: 'sent' });
        const view = await t.waitForStatus(tenantId, queued.body.id, ['failed', 'sent', 'parked'], 20_000);
        const elapsed = Date.now() - started;
        // RETRY_SCHEDULE of the tests is 50ms,100ms,200ms: the first try and three retries.
        expect(view).toMatchObject({ status: 'failed', attempts: 4 });
        expect(view.lastError).toContain(`${attack.code}:`);
        expect(view.lastError).toMatch(attack.error);
        expect(host.sessions).toHaveLength(4);
        // The client hung up on every session long before the host's budget was spent.
        expect(host.sessions.every((session) => session.closedByClient)).toBe(true);
        expect(host.maxWritten).toBeLessThan(HUNG_UP_WITHIN);
        const health = (await request(t.app).get(`/api/v1/tenants/${tenantId}/mail/health`).set(ADMIN)).body;
        expect(health.failures24h.connection).toBe(4);
        figures[`${name}: delivery`] = {
          tries: 4,
          msForAllTries: elapsed,
          hostBytesMaxPerSession: host.maxWritten,
          rssBeforeMb: mb(rssBefore),
          rssPeakMb: mb(rssPeak),
        };
      } finally {
        clearInterval(sampler);
      }
    });

    it(`makes mail/verify answer 200 at once with the ${attack.step ?? 'connect'} step failed in words`, async () => {
      const started = Date.now();
      const response = await request(t.app).post(`/api/v1/tenants/${tenantId}/mail/verify`).set(ADMIN).send({});
      const elapsed = Date.now() - started;
      expect(response.status).toBe(200);
      expect(response.body.ok).toBe(false);
      const failed = response.body.steps.find((step: { ok: boolean; skipped?: boolean }) => !step.ok && !step.skipped);
      expect(failed).toMatchObject({ step: attack.step ?? 'connect' });
      expect(failed.detail).toMatch(attack.error);
      expect(elapsed).toBeLessThan(3_000);
      figures[`${name}: verify`] = { ms: elapsed, detail: failed.detail };
    });
  });
});

function mb(bytes: number): number {
  return Math.round(bytes / MB);
}
