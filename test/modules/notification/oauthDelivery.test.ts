import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAIL_TRANSPORT } from '../../../src/modules/notification/tokens';
import { DATABASE_KINDS } from '../../support/databases';
import { reportFigures } from '../../support/figures';
import { createDeliveryTestApp, notificationBody, type DeliveryTestApp } from '../../support/deliveryApp';
import { FakeIdentityProvider } from '../../support/oauth/FakeIdentityProvider';
import { CANARY_CLIENT_SECRET, DIRECTORY, microsoftTenant, oauthEnv, OPERATOR_APP, OWN_APP } from '../../support/oauth/oauthTenants';
import { OAuthSmtpHost } from '../../support/oauth/OAuthSmtpHost';

describe.each(DATABASE_KINDS)('Microsoft 365 over SMTP with XOAUTH2 on %s', (kind) => {
  let t: DeliveryTestApp;
  let idp: FakeIdentityProvider;
  let host: OAuthSmtpHost;
  let seq = 0;

  beforeAll(async () => {
    idp = await FakeIdentityProvider.start();
    idp.addApp(DIRECTORY, OWN_APP, { secret: CANARY_CLIENT_SECRET });
    host = await OAuthSmtpHost.start(idp, 'microsoft');
    t = await createDeliveryTestApp(kind, { env: oauthEnv(idp, { microsoft: true }) });
  });
  afterAll(async () => {
    await t?.close();
    await host?.close();
    await idp?.close();
  });

  async function tenant(oauth2: Record<string, unknown> = {}, port = host.port): Promise<string> {
    const id = `m365-${++seq}`;
    await t.putTenant(id, microsoftTenant(port, oauth2));
    return id;
  }

  const arrived = (subject: string) => host.received.filter((mail) => mail.raw.includes(subject));

  it("personal mail of an allowed author leaves as that author, authenticated as the author's mailbox; others via the alert address", async () => {
    const id = await tenant();
    const own = await t.notify(id, notificationBody({ subject: 'Als Anna', author: { name: 'Anna Meier', email: 'Anna.Meier@kunde.ch' } }));
    const foreign = await t.notify(id, notificationBody({ subject: 'Als Gast', author: { name: 'Gast', email: 'gast@other.ch' } }));
    expect((await t.waitForStatus(id, own.body.id, ['sent'])).senderRewritten).toBe(false);
    expect((await t.waitForStatus(id, foreign.body.id, ['sent'])).senderRewritten).toBe(true);

    const [asAnna] = arrived('Als Anna');
    expect(asAnna).toMatchObject({ user: 'anna.meier@kunde.ch', envelope: { from: 'anna.meier@kunde.ch' } });
    expect((await simpleParser(asAnna!.raw)).from?.value[0]).toEqual({ name: 'Anna Meier', address: 'Anna.Meier@kunde.ch' });
    const [asGuest] = arrived('Als Gast');
    expect(asGuest).toMatchObject({ user: 'kos@kunde.ch', envelope: { from: 'kos@kunde.ch' } });
    const tokenForms = idp.tokenRequests('microsoft').map((request) => request.form);
    expect(
      tokenForms.every(
        (form) => form.client_id === OWN_APP && form.scope === 'https://outlook.office365.com/.default' && form.grant_type === 'client_credentials',
      ),
    ).toBe(true);
  });

  it('1,000 mails from 10 authors cost one token request per author', async () => {
    const id = await tenant();
    const before = idp.tokenRequests().length;
    const loginsBefore = host.logins.length;
    const authors = Array.from({ length: 10 }, (_, i) => ({ name: `Autor ${i}`, email: `autor${i}@kunde.ch` }));
    const ids: string[] = [];
    for (let i = 0; i < 1000; i++) {
      const response = await t.notify(id, notificationBody({ subject: `Last ${id} ${i}`, author: authors[i % 10] }));
      ids.push(response.body.id);
    }
    await expect.poll(() => arrived(`Last ${id} `).length, { timeout: 60_000, interval: 200 }).toBe(1000);
    const requests = idp.tokenRequests().length - before;
    reportFigures(`oauth-token-requests-${kind}`, { mails: 1000, authors: 10, tokenRequests: requests, sessions: host.logins.length - loginsBefore });
    expect(requests).toBeLessThanOrEqual(10);
    const mails = arrived(`Last ${id} `);
    expect(mails.every((mail) => mail.user === mail.envelope.from)).toBe(true);
    expect(new Set(mails.map((mail) => mail.user)).size).toBe(10);
  }, 120_000);

  it('50 concurrent first sends of one author make one token request', async () => {
    const id = await tenant();
    const before = idp.tokenRequests().length;
    idp.delayMs = 200;
    try {
      await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          t.notify(id, notificationBody({ subject: `Gleichzeitig ${id} ${i}`, author: { name: 'Beat', email: 'beat@kunde.ch' } })),
        ),
      );
      await expect.poll(() => arrived(`Gleichzeitig ${id} `).length, { timeout: 20_000 }).toBe(50);
    } finally {
      idp.delayMs = 0;
    }
    expect(idp.tokenRequests().length - before).toBe(1);
    // more than one session logged in with that one token
    expect(new Set(host.logins.filter((login) => login.mailbox === 'beat@kunde.ch' && login.ok).map((login) => login.token)).size).toBe(1);
  });

  it('a token the host refuses is renewed once, then the tenant is parked with a reason naming the setting', async () => {
    const id = await tenant();
    host.refuseAll = true;
    try {
      const before = idp.tokenRequests().length;
      const queued = await t.notify(id, notificationBody({ subject: 'Abgelehnt' }));
      const status = await t.waitForStatus(id, queued.body.id, ['parked']);
      expect(idp.tokenRequests().length - before).toBe(2);
      expect(host.logins.filter((login) => login.mailbox === 'anna.meier@kunde.ch' && !login.ok).length).toBeGreaterThanOrEqual(2);
      const reason = (await t.tenant(id)).mailStatus.reason as string;
      expect(reason).toMatch(/Exchange refused the OAuth token for anna\.meier@kunde\.ch twice \(535 /);
      expect(reason).toContain('SMTP.SendAsApp');
      expect(reason).toContain('Add-MailboxPermission');
      expect(reason).toContain('mail.oauth2');
      expect(status.lastError).toContain('SMTP.SendAsApp');
    } finally {
      host.refuseAll = false;
    }
  });

  const EXPIRING_APP = '22222222-2222-4333-8444-555555555555';
  it.each<[string, Record<string, unknown>, string[]]>([
    ['a wrong client secret', { clientSecret: 'wrong' }, ['AADSTS7000215', 'mail.oauth2.clientSecret', 'is wrong or expired']],
    ['an expired client secret', { clientId: EXPIRING_APP, clientSecret: 'expired-one' }, ['AADSTS7000222', 'mail.oauth2.clientSecret', 'has expired']],
    ['an unknown app', { clientId: '00000000-0000-4000-8000-000000000000' }, ['AADSTS700016', 'mail.oauth2.clientId', 'mail.oauth2.directoryId']],
    ['an unknown directory', { directoryId: 'nicht-da.onmicrosoft.com' }, ['mail.oauth2.directoryId']],
  ])('%s parks the tenant with a reason in plain words', async (_case, oauth2, words) => {
    idp.addApp(DIRECTORY, EXPIRING_APP, { secret: 'expired-one', secretExpired: true });
    const id = await tenant(oauth2);
    const queued = await t.notify(id, notificationBody({ subject: `IdP ${id}` }));
    await t.waitForStatus(id, queued.body.id, ['parked']);
    const reason = (await t.tenant(id)).mailStatus.reason as string;
    for (const word of words) expect(reason).toContain(word);
    expect(reason).not.toContain(CANARY_CLIENT_SECRET);
  });

  it("without consent for the operator's app the reason gives the exact consent URL", async () => {
    const consentless = 'kunde-ohne-consent.onmicrosoft.com';
    idp.addApp(consentless, OPERATOR_APP, { secret: 'Operator~Secret.0a9b8c7d6e', consented: false });
    const id = `m365-${++seq}`;
    const body = microsoftTenant(host.port, { directoryId: consentless }) as { mail: { oauth2: Record<string, unknown> } };
    body.mail.oauth2 = { directoryId: consentless };
    const saved = await t.putTenant(id, body);
    const consentUrl = `${idp.url}/${consentless}/adminconsent?client_id=${OPERATOR_APP}`;
    expect(saved.mail.oauth2).toEqual({ directoryId: consentless, hasClientSecret: false, consentUrl });
    const queued = await t.notify(id, notificationBody({ subject: 'Ohne Consent' }));
    await t.waitForStatus(id, queued.body.id, ['parked']);
    const reason = (await t.tenant(id)).mailStatus.reason as string;
    expect(reason).toContain('AADSTS65001');
    expect(reason).toContain(`open the consent URL ${consentUrl} once`);
  });

  it('SMTP AUTH switched off for the mailbox (535 5.7.139) parks with the mailbox setting and the Graph alternative', async () => {
    const id = await tenant();
    host.smtpAuthDisabled.add('anna.meier@kunde.ch');
    try {
      const queued = await t.notify(id, notificationBody({ subject: 'Ohne SMTP AUTH' }));
      await t.waitForStatus(id, queued.body.id, ['parked']);
      const reason = (await t.tenant(id)).mailStatus.reason as string;
      expect(reason).toContain('5.7.139');
      expect(reason).toContain('Set-CASMailbox -Identity anna.meier@kunde.ch -SmtpClientAuthenticationDisabled $false');
      expect(reason).toContain('mail.transport to "graph"');
    } finally {
      host.smtpAuthDisabled.clear();
    }
  });

  it('SendAsDenied for one mailbox: that mail goes out via the alert address, the others as their authors', async () => {
    const id = await tenant();
    host.sendAsDenied.add('eva@kunde.ch');
    try {
      const denied = await t.notify(id, notificationBody({ subject: 'Eva verweigert', author: { name: 'Eva', email: 'eva@kunde.ch' } }));
      const fine = await t.notify(id, notificationBody({ subject: 'Otto erlaubt', author: { name: 'Otto', email: 'otto@kunde.ch' } }));
      const status = await t.waitForStatus(id, denied.body.id, ['failed', 'sent']);
      expect(status).toMatchObject({
        status: 'sent',
        attempts: 2,
        senderRewritten: true,
        from: { name: 'Eva via KOS', address: 'kos@kunde.ch' },
        replyTo: { address: 'eva@kunde.ch' },
      });
      expect(status.rewriteReason).toContain('554 5.2.252 SendAsDenied');
      expect(status.rewriteReason).toContain('mail.allowedSenders');
      const [viaAlert] = arrived('Eva verweigert');
      expect(viaAlert).toMatchObject({ user: 'kos@kunde.ch', envelope: { from: 'kos@kunde.ch' } });
      expect((await simpleParser(viaAlert!.raw)).replyTo?.value[0]?.address).toBe('eva@kunde.ch');
      expect((await t.waitForStatus(id, fine.body.id, ['sent'])).senderRewritten).toBe(false);
      expect(arrived('Otto erlaubt')[0]).toMatchObject({ user: 'otto@kunde.ch' });
      expect((await t.tenant(id)).mailStatus.state).toBe('ok');
    } finally {
      host.sendAsDenied.clear();
      await t.container.get(MAIL_TRANSPORT).close();
    }
  });
});
