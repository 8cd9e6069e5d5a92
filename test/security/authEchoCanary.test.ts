import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE } from '../../src/shared/tokens';
import { captureLog } from '../support/captureLog';
import { DATABASE_KINDS } from '../support/databases';
import { dumpTables } from '../support/dumpTables';
import { reportFigures } from '../support/figures';
import { HostileSmtpHost, type HostileBehaviour } from '../support/HostileSmtpHost';
import { createLiveApp, type LiveApp } from '../support/liveApp';

const CANARY_PASSWORD = 'Echo-Canary-7d2e9b41-Zürich!';
const USERNAME = 'kos@kunde.ch';
const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

const HOSTS: Array<{ name: string; behaviour: HostileBehaviour; mechanisms: string }> = [
  { name: '535 echoing the AUTH PLAIN argument', behaviour: 'auth-echo', mechanisms: 'PLAIN LOGIN' },
  { name: 'Sendmail echoing the AUTH PLAIN line', behaviour: 'auth-echo-sendmail', mechanisms: 'PLAIN LOGIN' },
  { name: '535 echoing both AUTH LOGIN lines', behaviour: 'auth-echo', mechanisms: 'LOGIN' },
  { name: 'Sendmail echoing the AUTH LOGIN password line', behaviour: 'auth-echo-sendmail', mechanisms: 'LOGIN' },
];

/** Every base64 run of the text, decoded at each of the 4 alignments. */
function decodedRuns(text: string): Buffer[] {
  return [...text.replaceAll('[redacted]', ' ').matchAll(/[A-Za-z0-9+/_-]{8,}={0,2}/g)].flatMap((match) =>
    [0, 1, 2, 3].map((shift) => Buffer.from(match[0].slice(shift), 'base64')),
  );
}

/**
 * A host that echoes the AUTH command in its refusal hands the client its own password back. Every
 * place the service keeps or shows a reply is searched for it: API answers, log lines, every row.
 */
describe.each(DATABASE_KINDS)('a host echoing the AUTH command, on %s', (kind) => {
  let live: LiveApp;
  const hosts: HostileSmtpHost[] = [];
  const log = captureLog();

  beforeAll(async () => {
    for (const host of HOSTS) hosts.push(await HostileSmtpHost.start(host.behaviour, { authMechanisms: host.mechanisms }));
    live = await createLiveApp(kind, { logger: log.logger, delivery: { testMailWaitMs: 3_000 } });
  });
  afterAll(async () => {
    await live?.close();
    for (const host of hosts) await host.close();
  });

  it('gets the password, its base64 and the AUTH lines into no answer, log line or row', async () => {
    const responses: string[] = [];
    const call = async (method: string, path: string, options: Parameters<LiveApp['call']>[2] = {}) => {
      const response = await live.call(method, path, options);
      responses.push(`${method} ${path} ${response.status}\n${response.text}`);
      return response;
    };
    for (const [index, host] of hosts.entries()) {
      const id = `echo-${index}`;
      const mail = {
        preset: 'custom',
        host: '127.0.0.1',
        port: host.port,
        security: 'none',
        username: USERNAME,
        password: CANARY_PASSWORD,
        allowedSenders: ['*@kunde.ch'],
      };
      expect((await call('PUT', `/tenants/${id}`, { body: { name: `Echo ${index}`, alertSender: { address: 'kos@kunde.ch' }, mail } })).status).toBe(201);
      const key = (await live.call('POST', `/tenants/${id}/api-keys`, { body: {} })).json.key as string;
      const verify = await call('POST', `/tenants/${id}/mail/verify`, { key, body: {} });
      expect(verify.json.steps.find((step: { step: string }) => step.step === 'auth')).toMatchObject({
        ok: false,
        detail: expect.stringContaining('[redacted]'),
      });
      const test = await call('POST', `/tenants/${id}/mail/test`, { key, body: { to: 'anna@kunde.ch' } });
      expect(test.json).toMatchObject({ status: 'parked', lastError: expect.stringContaining('[redacted]') });
      const queued = await call('POST', `/tenants/${id}/notifications`, {
        key,
        body: { author: { name: 'Anna', email: 'anna@kunde.ch' }, to: [{ email: 'beat@kunde.ch' }], subject: 'Hallo', text: 'x' },
      });
      await expect
        .poll(async () => (await live.call('GET', `/tenants/${id}/notifications/${queued.json.id}`, { key })).json.status, { timeout: 10_000 })
        .toBe('parked');
      await call('GET', `/tenants/${id}/notifications/${queued.json.id}`, { key });
      await call('GET', `/tenants/${id}/notifications`, { key });
      const health = await call('GET', `/tenants/${id}/mail/health`, { key });
      expect(health.json).toMatchObject({ state: 'parked', reason: expect.stringContaining('[redacted]') });
      const tenant = await call('GET', `/tenants/${id}`, { key });
      expect(tenant.json.mailStatus).toMatchObject({ state: 'parked', reason: expect.stringContaining('[redacted]') });
      await call('GET', `/tenants/${id}/audit?limit=500`);
    }

    // The attack happened: the client sent its password's forms, and each host echoed them.
    const sent = hosts.flatMap((host) => host.sessions.flatMap((session) => session.authLines));
    const secretLines = sent.map((line) => line.replace(/^AUTH \S+ ?/i, '')).filter(Boolean);
    expect(secretLines).toEqual(expect.arrayContaining([b64(`\0${USERNAME}\0${CANARY_PASSWORD}`), b64(USERNAME), b64(CANARY_PASSWORD)]));

    const { tables, dump } = await dumpTables(live.container.get(DATABASE));
    const places: Record<string, string> = { responses: responses.join('\n'), logs: log.text(), database: dump };
    const canaries: Record<string, string> = { password: CANARY_PASSWORD, passwordBase64: b64(CANARY_PASSWORD) };
    for (const line of new Set(secretLines)) canaries[`AUTH line ${line.slice(0, 8)}…`] = line;
    const password = Buffer.from(CANARY_PASSWORD, 'utf8');
    const hits: string[] = [];
    for (const [placeName, text] of Object.entries(places)) {
      for (const [canaryName, canary] of Object.entries(canaries)) if (text.includes(canary)) hits.push(`${canaryName} in ${placeName}`);
      if (decodedRuns(text).some((decoded) => decoded.includes(password))) hits.push(`base64 holding the password in ${placeName}`);
    }
    reportFigures(`auth-echo-canary-${kind}`, {
      hosts: HOSTS.length,
      responses: responses.length,
      logLines: log.lines().length,
      tables: tables.length,
      databaseBytes: dump.length,
      redactedInDatabase: dump.split('[redacted]').length - 1,
      hits: hits.length,
    });
    expect(log.text()).toContain('[redacted]');
    expect(dump).toContain('[redacted]');
    expect(hits).toEqual([]);
  }, 60_000);
});
