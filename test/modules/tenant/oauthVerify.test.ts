import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_KINDS } from '../../support/databases';
import { FakeIdentityProvider, FakeServiceAccount } from '../../support/oauth/FakeIdentityProvider';
import { CANARY_CLIENT_SECRET, DIRECTORY, googleTenant, microsoftTenant, oauthEnv, OWN_APP } from '../../support/oauth/oauthTenants';
import { OAuthSmtpHost } from '../../support/oauth/OAuthSmtpHost';
import { createTestApp, type TestApp } from '../../support/testApp';
import { TEST_ADMIN_KEY } from '../../support/testConfig';

const admin = { Authorization: `Bearer ${TEST_ADMIN_KEY}` };
const NO_ROLE_APP = '44444444-2222-4333-8444-555555555555';

describe.each(DATABASE_KINDS)('verify of an OAuth tenant on %s', (kind) => {
  let t: TestApp;
  let idp: FakeIdentityProvider;
  let host: OAuthSmtpHost;
  let gmail: OAuthSmtpHost;
  const account = new FakeServiceAccount('mailer@kunde-project.iam.gserviceaccount.com', '1048576000004');
  let seq = 0;
  const bodies: string[] = [];

  beforeAll(async () => {
    idp = await FakeIdentityProvider.start();
    idp.addApp(DIRECTORY, OWN_APP, { secret: CANARY_CLIENT_SECRET });
    idp.addApp(DIRECTORY, NO_ROLE_APP, { secret: 'no-role', roles: { smtp: [], graph: ['Mail.Send'] } });
    host = await OAuthSmtpHost.start(idp, 'microsoft');
    idp.addServiceAccount(account, ['kos@kunde.ch', 'anna@kunde.ch']);
    gmail = await OAuthSmtpHost.start(idp, 'google');
    t = await createTestApp(kind, { env: oauthEnv(idp) });
  });
  afterAll(async () => {
    const everything = bodies.join('\n');
    for (const token of idp.issued.keys()) expect(everything).not.toContain(token);
    expect(everything).not.toContain(CANARY_CLIENT_SECRET);
    await t?.close();
    await host?.close();
    await gmail?.close();
    await idp?.close();
  });

  async function verify(oauth2: Record<string, unknown>, probeSenders: string[] = [], mail: Record<string, unknown> = {}) {
    const id = `verify-${++seq}`;
    const saved = await request(t.app)
      .put(`/api/v1/tenants/${id}`)
      .set(admin)
      .send(microsoftTenant(host.port, oauth2, mail));
    expect(saved.status, JSON.stringify(saved.body)).toBe(201);
    const response = await request(t.app).post(`/api/v1/tenants/${id}/mail/verify`).set(admin).send({ probeSenders });
    bodies.push(JSON.stringify(response.body));
    expect(response.status).toBe(200);
    return response.body as { ok: boolean; steps: Array<{ step: string; ok: boolean; skipped?: boolean; detail: string; address?: string }> };
  }

  it('starts with the token step, then logs in as the alert address, and each probe sender as itself', async () => {
    const loginsBefore = host.logins.length;
    const report = await verify({}, ['anna@kunde.ch', 'gast@other.ch']);
    expect(report.steps.map((step) => [step.step, step.ok, step.address ?? ''])).toEqual([
      ['token', true, ''],
      ['connect', true, ''],
      ['tls', true, ''],
      ['auth', true, ''],
      ['sender', true, 'kos@kunde.ch'],
      ['sender', true, 'anna@kunde.ch'],
      ['sender', true, 'gast@other.ch'],
    ]);
    expect(report.ok).toBe(true);
    expect(report.steps[0]!.detail).toContain('grants SMTP.SendAsApp');
    expect(report.steps[3]!.detail).toBe('logged in as kos@kunde.ch with an OAuth token (AUTH XOAUTH2)');
    expect(report.steps[6]).toMatchObject({ skipped: true, detail: expect.stringContaining('via the alert address') });
    expect(host.logins.slice(loginsBefore).map((login) => [login.mailbox, login.ok])).toEqual([
      ['kos@kunde.ch', true],
      ['anna@kunde.ch', true],
    ]);
  });

  it('names a missing SMTP.SendAsApp in the token step', async () => {
    const report = await verify({ clientId: NO_ROLE_APP, clientSecret: 'no-role' });
    expect(report.ok).toBe(false);
    expect(report.steps[0]).toMatchObject({ step: 'token', ok: false });
    expect(report.steps[0]!.detail).toContain('grants no SMTP.SendAsApp (roles: —)');
    expect(report.steps[0]!.detail).toContain('Office 365 Exchange Online → SMTP.SendAsApp and grant admin consent');
    expect(report.steps.find((step) => step.step === 'auth')).toMatchObject({
      ok: false,
      detail: expect.stringContaining('Exchange refused the OAuth token for kos@kunde.ch twice'),
    });
  });

  it('a host quoting the refused token back: the auth step says so without the token', async () => {
    host.refuseAll = true;
    host.echoTokens = true;
    try {
      const report = await verify({});
      const auth = report.steps.find((step) => step.step === 'auth')!;
      expect(auth.ok).toBe(false);
      expect(auth.detail).toContain('for token [redacted]');
    } finally {
      host.refuseAll = false;
      host.echoTokens = false;
    }
  });

  it('an identity-provider refusal fails the token step in plain words and skips the rest', async () => {
    const report = await verify({ clientSecret: 'falsch' }, ['anna@kunde.ch']);
    expect(report.steps[0]).toMatchObject({ step: 'token', ok: false });
    expect(report.steps[0]!.detail).toContain('AADSTS7000215');
    expect(report.steps[0]!.detail).toContain('mail.oauth2.clientSecret');
    expect(report.steps.slice(1).every((step) => step.skipped && step.detail === 'not tried: the token step failed')).toBe(true);
    expect(report.steps.slice(1).map((step) => step.step)).toEqual(['connect', 'tls', 'auth', 'sender', 'sender']);
  });

  it('under transport graph checks the token for Mail.Send and skips connect, tls and auth', async () => {
    const report = await verify({}, [], { transport: 'graph' });
    expect(report.steps.map((step) => [step.step, step.ok, step.skipped ?? false])).toEqual([
      ['token', true, false],
      ['connect', true, true],
      ['tls', true, true],
      ['auth', true, true],
      ['sender', true, true],
    ]);
    expect(report.steps[0]!.detail).toContain('grants Mail.Send');
  });

  it('google-workspace: the token step for the alert address, then each probe sender with a token of its own', async () => {
    const saved = await request(t.app)
      .put('/api/v1/tenants/verify-gws')
      .set(admin)
      .send(googleTenant(gmail.port, { serviceAccount: { clientEmail: account.clientEmail, privateKey: account.privateKey } }));
    expect(saved.status).toBe(201);
    const response = await request(t.app)
      .post('/api/v1/tenants/verify-gws/mail/verify')
      .set(admin)
      .send({ probeSenders: ['anna@kunde.ch', 'eva@kunde.ch'] });
    bodies.push(JSON.stringify(response.body));
    const steps = response.body.steps as Array<{ step: string; ok: boolean; address?: string; detail: string }>;
    expect(steps.map((step) => [step.step, step.ok, step.address ?? ''])).toEqual([
      ['token', true, ''],
      ['connect', true, ''],
      ['tls', true, ''],
      ['auth', true, ''],
      ['sender', true, 'kos@kunde.ch'],
      ['sender', true, 'anna@kunde.ch'],
      ['sender', false, 'eva@kunde.ch'],
    ]);
    expect(steps[6]!.detail).toMatch(
      /logging in as eva@kunde\.ch failed \(auth\): Google does not let .* act as eva@kunde\.ch .*Domain-wide delegation with the scope https:\/\/mail\.google\.com\//,
    );
  });
});
