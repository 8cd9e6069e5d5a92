import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE } from '../../src/shared/tokens';
import { captureLog } from '../support/captureLog';
import { DATABASE_KINDS } from '../support/databases';
import { dumpTables } from '../support/dumpTables';
import { reportFigures } from '../support/figures';
import { createLiveApp, type LiveApp } from '../support/liveApp';
import { TestSmtpServer } from '../support/TestSmtpServer';
import { TEST_ADMIN_KEY } from '../support/testConfig';

const CANARY_PASSWORD = 'Canary-Pw-3f9c1e7a-Zürich!';
const CANARY_UNKNOWN_KEY = 'kn_CanaryUnknownKey0000000000000000000000000';

describe.each(DATABASE_KINDS)('canary secrets on %s', (kind) => {
  let live: LiveApp;
  let smtp: TestSmtpServer;
  const log = captureLog();
  const responses: string[] = [];

  beforeAll(async () => {
    // The host wants another password: every login with the canary fails, the path most likely to leak it.
    smtp = await TestSmtpServer.start({ password: 'the-right-one', requireAuth: true });
    live = await createLiveApp(kind, { logger: log.logger, delivery: { testMailWaitMs: 3_000 } });
  });
  afterAll(async () => {
    await live?.close();
    await smtp?.close();
  });

  it('appear in no response, log line, audit entry or database row', async () => {
    const call = async (method: string, path: string, options: Parameters<LiveApp['call']>[2] = {}) => {
      const response = await live.call(method, path, options);
      responses.push(`${[...response.headers].map(([k, v]) => `${k}: ${v}`).join('\n')}\n\n${response.text}`);
      return response;
    };
    const mail = {
      preset: 'custom',
      host: '127.0.0.1',
      port: smtp.port,
      security: 'none',
      username: 'kos',
      password: CANARY_PASSWORD,
      allowedSenders: ['*@kunde.ch'],
    };
    expect((await call('PUT', '/tenants/c', { body: { name: 'Canary AG', alertSender: { address: 'kos@kunde.ch' }, mail } })).status).toBe(201);
    // A bad save that echoes the body in its problem: the password must not come back.
    expect((await call('PUT', '/tenants/c', { body: { name: 'Canary AG', alertSender: { address: 'nope@other.ch' }, mail } })).status).toBe(422);
    expect(
      (await call('PUT', '/tenants/c', { body: { name: 'Canary AG', alertSender: { address: 'kos@kunde.ch' }, mail: { ...mail, port: 'x' } } })).status,
    ).toBe(400);
    const created = await live.call('POST', '/tenants/c/api-keys', { body: { name: 'canary' } });
    expect(created.status).toBe(201);
    // Shown once, in this answer, by design: every other place is searched.
    const canaryKey = created.json.key as string;
    await call('GET', '/tenants/c', { key: canaryKey });
    await call('POST', '/tenants/c/mail/verify', { key: canaryKey, body: {} });
    await call('POST', '/tenants/c/mail/test', { key: canaryKey, body: { to: 'anna@kunde.ch' } });
    const queued = await call('POST', '/tenants/c/notifications', {
      key: canaryKey,
      body: { author: { name: 'Anna', email: 'anna@kunde.ch' }, to: [{ email: 'beat@kunde.ch' }], subject: 'Hallo', text: 'x' },
    });
    await expect
      .poll(async () => (await call('GET', `/tenants/c/notifications/${queued.json.id}`, { key: canaryKey })).json.status, { timeout: 10_000 })
      .toBe('parked');
    await call('GET', '/tenants/c/notifications', { key: canaryKey });
    await call('GET', '/tenants/c/audit?limit=500');
    await call('GET', '/tenants');
    await call('GET', '/tenants/c', { key: CANARY_UNKNOWN_KEY });
    await call('GET', '/tenants/c', { key: canaryKey.slice(0, -1) });
    await call('PUT', '/tenants/c', { body: { name: 'Canary AG', alertSender: { address: 'kos@kunde.ch' }, mail: { ...mail, password: undefined } } });
    expect(smtp.logins.length).toBeGreaterThan(0);
    expect(smtp.logins.every((login) => !login.ok)).toBe(true);
    const metrics = await fetch(live.base.replace(/\/api\/v1$/, '/metrics'));
    responses.push(await metrics.text());

    const { tables, dump } = await dumpTables(live.container.get(DATABASE));

    const canaries: Record<string, string> = {
      password: CANARY_PASSWORD,
      passwordBase64: Buffer.from(CANARY_PASSWORD).toString('base64'),
      apiKey: canaryKey,
      apiKeyBody: canaryKey.slice(3),
      unknownKey: CANARY_UNKNOWN_KEY,
      adminKey: TEST_ADMIN_KEY,
    };
    const places: Record<string, string> = { responses: responses.join('\n'), logs: log.text(), database: dump };
    const hits: string[] = [];
    for (const [placeName, text] of Object.entries(places)) {
      for (const [canaryName, canary] of Object.entries(canaries)) if (text.includes(canary)) hits.push(`${canaryName} in ${placeName}`);
    }
    reportFigures(`canary-${kind}`, {
      responses: responses.length,
      logLines: log.lines().length,
      tables: tables.length,
      databaseBytes: dump.length,
      hits: hits.length,
    });
    expect(log.lines().length).toBeGreaterThan(10);
    expect(dump).toContain('Canary AG');
    expect(hits).toEqual([]);
  }, 60_000);
});
