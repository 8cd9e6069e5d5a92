import request from 'supertest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HOST_LOOKUP } from '../../../src/modules/tenant/tokens';
import { createLogger } from '../../../src/shared/logging/logger';
import { systemLookup, type HostLookup } from '../../../src/shared/net/hostGuard';
import { DATABASE_KINDS } from '../../support/databases';
import { selfSignedCertificate, smtpError, startSmtpHost, type TestSmtpHost } from '../../support/smtpHosts';
import { createTestApp, type TestApp } from '../../support/testApp';
import { TEST_ADMIN_KEY } from '../../support/testConfig';

const admin = { Authorization: `Bearer ${TEST_ADMIN_KEY}` };
const CANARY = 'canary-Pa55-7f3c9e';
const HOST = 'mail.kunde.test';
const stubLookup: HostLookup = async (name) => (name === HOST ? [{ address: '127.0.0.1', family: 4 }] : systemLookup(name));

const certificate = selfSignedCertificate(HOST, `DNS:${HOST}`);
const otherCertificate = selfSignedCertificate(HOST, `DNS:${HOST}`);
const login = { username: 'kos@kunde.ch', password: CANARY };
const onlyKunde = (address: string) =>
  address.toLowerCase().endsWith('@kunde.ch') ? undefined : smtpError(553, `5.7.1 <${address}>: Sender address rejected: not owned by user kos@kunde.ch`);

describe.each(DATABASE_KINDS)('mail host verification on %s', (kind) => {
  let t: TestApp;
  let host: TestSmtpHost | undefined;
  const logLines: string[] = [];
  const bodies: string[] = [];

  beforeAll(async () => {
    t = await createTestApp(kind, {
      logger: createLogger('trace', { write: (line: string) => void logLines.push(line) }),
      prepare: async (container) => {
        (await container.rebind(HOST_LOOKUP)).toConstantValue(stubLookup);
      },
    });
  });
  afterEach(async () => {
    await host?.close();
    host = undefined;
  });
  afterAll(async () => {
    const everything = [...bodies, ...logLines].join('\n');
    // Checked once more over everything any test of this file saw.
    expect(everything).not.toContain(CANARY);
    expect(everything).not.toContain(Buffer.from(CANARY).toString('base64'));
    await t.close();
  });

  async function tenantOn(port: number, mail: Record<string, unknown>, id = 'kunde'): Promise<void> {
    const response = await request(t.app)
      .put(`/api/v1/tenants/${id}`)
      .set(admin)
      .send({
        name: 'Kunde AG',
        alertSender: { address: 'kos@kunde.ch' },
        mail: { preset: 'custom', host: HOST, port, username: login.username, password: CANARY, allowedSenders: ['*@kunde.ch'], ...mail },
      });
    bodies.push(JSON.stringify(response.body));
    expect(response.status, JSON.stringify(response.body)).toBeLessThan(300);
  }

  async function verify(probeSenders?: string[], id = 'kunde') {
    const response = await request(t.app)
      .post(`/api/v1/tenants/${id}/mail/verify`)
      .set(admin)
      .send(probeSenders ? { probeSenders } : {});
    bodies.push(JSON.stringify(response.body));
    expect(response.status).toBe(200);
    return response.body as {
      ok: boolean;
      steps: Array<{ step: string; ok: boolean; skipped?: boolean; detail: string; code: string; params: Record<string, unknown>; address?: string }>;
    };
  }

  it('reports every step of a healthy STARTTLS host with a pinned CA, and sends no mail', async () => {
    host = await startSmtpHost({ starttls: true, certificate, login });
    await tenantOn(host.port, { security: 'starttls', caCertificate: certificate.cert });
    const report = await verify(['anna.meier@kunde.ch']);
    expect(report.steps.map((step) => [step.step, step.ok, step.address, step.code])).toEqual([
      ['connect', true, undefined, 'verify_connected_smtp'],
      ['tls', true, undefined, 'verify_starttls_pinned'],
      ['auth', true, undefined, 'verify_logged_in'],
      ['sender', true, 'kos@kunde.ch', 'verify_alert_sender_accepted'],
      ['sender', true, 'anna.meier@kunde.ch', 'verify_allowed_sender_accepted'],
    ]);
    expect(report.steps[2]!.params).toEqual({ username: 'kos@kunde.ch' });
    expect(report.steps[4]!.params).toEqual({ address: 'anna.meier@kunde.ch' });
    expect(report.ok).toBe(true);
    expect(host.commands.map((command) => [command.command, command.value, command.secure])).toEqual([
      ['AUTH', 'kos@kunde.ch', true],
      ['MAIL', 'kos@kunde.ch', true],
      ['RCPT', 'kos@kunde.ch', true],
      ['MAIL', 'anna.meier@kunde.ch', true],
      ['RCPT', 'kos@kunde.ch', true],
    ]);
  });

  it('fails a host without STARTTLS under security starttls and never sends the password', async () => {
    host = await startSmtpHost({ starttls: false, login });
    await tenantOn(host.port, { security: 'starttls' });
    const report = await verify();
    expect(report.ok).toBe(false);
    expect(report.steps[0]).toMatchObject({ step: 'connect', ok: true });
    expect(report.steps[1]).toMatchObject({ step: 'tls', ok: false });
    expect(report.steps[1]!.detail).toContain('does not offer STARTTLS');
    expect(report.steps[1]).toMatchObject({ code: 'verify_starttls_missing', params: { host: HOST } });
    expect(report.steps[2]).toMatchObject({ step: 'auth', ok: false, skipped: true, code: 'verify_step_not_tried', params: { failedStep: 'tls' } });
    expect(host.commands.filter((command) => command.command === 'AUTH')).toEqual([]);
  });

  it('explains a refused login (535) without repeating the password', async () => {
    host = await startSmtpHost({ starttls: true, certificate, login: { username: login.username, password: 'the-right-one' } });
    await tenantOn(host.port, { security: 'starttls', caCertificate: certificate.cert });
    const report = await verify();
    const auth = report.steps.find((step) => step.step === 'auth')!;
    expect(auth.ok).toBe(false);
    expect(auth.detail).toContain('535');
    expect(auth.detail).toContain('mail.password');
    expect(auth.detail).toContain('kos@kunde.ch');
    expect(auth).toMatchObject({ code: 'verify_login_refused', params: { username: 'kos@kunde.ch', reply: expect.stringContaining('535') } });
    expect(report.steps.filter((step) => step.step === 'sender')).toEqual([
      expect.objectContaining({
        ok: false,
        skipped: true,
        address: 'kos@kunde.ch',
        detail: 'not tried: the auth step failed',
        code: 'verify_step_not_tried',
        params: { failedStep: 'auth' },
      }),
    ]);
    expect(JSON.stringify(report)).not.toContain(CANARY);
  });

  it('takes a refused probe outside the policy as the expected answer, not a failure', async () => {
    host = await startSmtpHost({ starttls: true, certificate, login, onMailFrom: onlyKunde });
    await tenantOn(host.port, { security: 'starttls', caCertificate: certificate.cert });
    const report = await verify(['x@other.ch']);
    expect(report.ok).toBe(true);
    const [alert, other] = report.steps.filter((step) => step.step === 'sender');
    expect(alert).toMatchObject({ ok: true, address: 'kos@kunde.ch' });
    expect(other).toMatchObject({ ok: true, address: 'x@other.ch' });
    expect(other!.detail).toContain('the host refused x@other.ch as sender: 553 5.7.1');
    expect(other!.detail).toContain('as expected');
    expect(other!.detail).toContain('via the alert address');
    expect(other!.detail).not.toContain('*@other.ch');
    expect(other).toMatchObject({ code: 'verify_unlisted_sender_refused', params: { address: 'x@other.ch', reply: expect.stringContaining('553 5.7.1') } });
    // reset after the refusal: the next transaction was not mixed up with it
    expect(host.commands.filter((command) => command.command === 'RCPT')).toHaveLength(1);
  });

  it('never advises adding a domain the tenant does not own', async () => {
    host = await startSmtpHost({ starttls: true, certificate, login });
    await tenantOn(host.port, { security: 'starttls', caCertificate: certificate.cert, allowedSenders: ['kos@kunde.ch'] });
    const report = await verify(['bob@gmail.com', 'anna@kunde.ch']);
    expect(report.ok).toBe(true);
    const gmail = report.steps.find((step) => step.address === 'bob@gmail.com')!;
    expect(gmail.ok).toBe(true);
    expect(gmail.detail).not.toContain('*@gmail.com');
    expect(gmail.detail).toContain('not a domain of this tenant');
    const own = report.steps.find((step) => step.address === 'anna@kunde.ch')!;
    expect(own.detail).toContain('add *@kunde.ch to allowedSenders');
  });

  it('fails the alert address when the host refuses it, with a fix that names alertSender', async () => {
    host = await startSmtpHost({
      starttls: true,
      certificate,
      login,
      onMailFrom: (address) => smtpError(553, `5.7.1 <${address}>: Sender address rejected: not owned by user relay@agis.ch`),
    });
    await tenantOn(host.port, { security: 'starttls', caCertificate: certificate.cert });
    const report = await verify();
    expect(report.ok).toBe(false);
    const alert = report.steps.find((step) => step.address === 'kos@kunde.ch')!;
    expect(alert.ok).toBe(false);
    expect(alert.detail).toContain('set alertSender');
    expect(alert.detail).not.toContain('relay access');
  });

  it('recognises the Postfix refusal at RCPT as a sender refusal, not a bad recipient', async () => {
    host = await startSmtpHost({ starttls: true, certificate, login, onRcptTo: (_rcpt, sender) => onlyKunde(sender) });
    await tenantOn(host.port, { security: 'starttls', caCertificate: certificate.cert, allowedSenders: ['*@kunde.ch', '*@other.ch'] });
    const report = await verify(['x@other.ch']);
    const other = report.steps.find((step) => step.address === 'x@other.ch')!;
    expect(other.ok).toBe(false);
    expect(other.detail).toContain('refused x@other.ch as sender: 553 5.7.1');
    expect(other.detail).toContain('remove *@other.ch from allowedSenders');
    expect(other.detail).not.toContain('recipient');
    expect(other.detail).not.toContain('login send as *@other.ch');
    expect(other).toMatchObject({ code: 'verify_allowed_sender_refused_elsewhere', params: { pattern: '*@other.ch' } });
    expect(report.steps.find((step) => step.address === 'kos@kunde.ch')!.ok).toBe(true);
  });

  it('reports a refused recipient as such', async () => {
    host = await startSmtpHost({
      starttls: true,
      certificate,
      login,
      onRcptTo: () => smtpError(550, '5.1.1 <kos@kunde.ch>: Recipient address rejected: User unknown'),
    });
    await tenantOn(host.port, { security: 'starttls', caCertificate: certificate.cert });
    const report = await verify();
    expect(report.steps[3]!.detail).toContain('refused the test recipient kos@kunde.ch');
    expect(report.steps[3]).toMatchObject({ code: 'verify_recipient_refused', params: { address: 'kos@kunde.ch', recipient: 'kos@kunde.ch' } });
  });

  it('verifies a self-signed host only against its pinned CA', async () => {
    host = await startSmtpHost({ secure: true, certificate, login });
    await tenantOn(host.port, { security: 'tls' });
    const unpinned = await verify();
    expect(unpinned.steps.map((step) => [step.step, step.ok])).toEqual([
      ['connect', true],
      ['tls', false],
      ['auth', false],
      ['sender', false],
    ]);
    expect(unpinned.steps[1]!.detail).toContain('mail.caCertificate');
    expect(host.commands).toEqual([]);

    await tenantOn(host.port, { security: 'tls', caCertificate: otherCertificate.cert });
    const wrongPin = await verify();
    expect(wrongPin.steps[1]).toMatchObject({ step: 'tls', ok: false });

    await tenantOn(host.port, { security: 'tls', caCertificate: certificate.cert });
    const pinned = await verify();
    expect(pinned.ok).toBe(true);
    expect(pinned.steps[1]).toMatchObject({ step: 'tls', ok: true });
    expect(host.commands[0]).toMatchObject({ command: 'AUTH', secure: true });
  });

  it('skips tls under security none on a private host', async () => {
    host = await startSmtpHost({ login });
    await tenantOn(host.port, { security: 'none' });
    const report = await verify();
    expect(report.steps[1]).toMatchObject({ step: 'tls', ok: true, skipped: true });
    expect(report.ok).toBe(true);
  });

  it('reports a closed port at the connect step', async () => {
    const closed = await startSmtpHost();
    const port = closed.port;
    await closed.close();
    await tenantOn(port, { security: 'starttls' });
    const report = await verify();
    expect(report.steps[0]).toMatchObject({ step: 'connect', ok: false });
    expect(report.steps[0]!.detail).toContain('refused');
  });

  it('keeps the password out of the log even at trace level', async () => {
    expect(logLines.length).toBeGreaterThan(0);
    expect(logLines.join('\n')).not.toContain(CANARY);
  });
});
