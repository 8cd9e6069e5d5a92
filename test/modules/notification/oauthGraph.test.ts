import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_KINDS } from '../../support/databases';
import { createDeliveryTestApp, notificationBody, type DeliveryTestApp } from '../../support/deliveryApp';
import { FakeIdentityProvider } from '../../support/oauth/FakeIdentityProvider';
import { CANARY_CLIENT_SECRET, DIRECTORY, microsoftTenant, oauthEnv, OWN_APP } from '../../support/oauth/oauthTenants';

describe.each(DATABASE_KINDS)('Microsoft 365 through Graph sendMail on %s', (kind) => {
  let t: DeliveryTestApp;
  let idp: FakeIdentityProvider;
  let seq = 0;

  beforeAll(async () => {
    idp = await FakeIdentityProvider.start();
    idp.addApp(DIRECTORY, OWN_APP, { secret: CANARY_CLIENT_SECRET });
    t = await createDeliveryTestApp(kind, { env: oauthEnv(idp) });
  });
  afterAll(async () => {
    await t?.close();
    await idp?.close();
  });

  async function tenant(oauth2: Record<string, unknown> = {}): Promise<string> {
    const id = `graph-${++seq}`;
    const body = microsoftTenant(0, oauth2, { transport: 'graph' }) as { mail: Record<string, unknown> };
    for (const field of ['host', 'port', 'security']) delete body.mail[field];
    const saved = await t.putTenant(id, body);
    expect(saved.mail).toMatchObject({ preset: 'microsoft365', transport: 'graph', host: 'smtp.office365.com' });
    return id;
  }

  const sent = (subject: string) => idp.graphMail.filter((mail) => mail.mime.includes(subject));

  it("personal mail leaves as its author through the author's mailbox, the same MIME message as over SMTP", async () => {
    const id = await tenant();
    const queued = await t.notify(
      id,
      notificationBody({ subject: 'Graph Anna', ticket: { id: 'T-4711', title: 'Heizung', url: 'https://kos.example/T-4711' } }),
    );
    expect((await t.waitForStatus(id, queued.body.id, ['sent'])).senderRewritten).toBe(false);
    const [mail] = sent('Graph Anna');
    expect(mail!.user).toBe('anna.meier@kunde.ch');
    const parsed = await simpleParser(mail!.mime);
    expect(parsed.from?.value[0]?.address).toBe('anna.meier@kunde.ch');
    expect(parsed.messageId).toMatch(/@kunde\.ch>$/);
    expect(parsed.inReplyTo).toBe(`<ticket.T-4711.${id}@kunde.ch>`);
    expect(parsed.headers.get('x-kos-tenant')).toBe(id);
    expect(idp.tokenRequests('microsoft').at(-1)!.form.scope).toBe('https://graph.microsoft.com/.default');
  });

  it('a token Graph refuses (401) is renewed once and the mail goes out', async () => {
    const id = await tenant();
    const first = await t.notify(id, notificationBody({ subject: 'Graph erstes' }));
    await t.waitForStatus(id, first.body.id, ['sent']);
    const before = idp.tokenRequests().length;
    idp.issued.clear(); // the cached token is no longer known to Graph
    const second = await t.notify(id, notificationBody({ subject: 'Graph zweites' }));
    await t.waitForStatus(id, second.body.id, ['sent']);
    expect(idp.tokenRequests().length - before).toBe(1);
    expect(sent('Graph zweites')).toHaveLength(1);
  });

  it('refused twice (401), the tenant is parked with a reason naming Mail.Send', async () => {
    const id = await tenant();
    idp.graphRefuseTokens = true;
    try {
      const queued = await t.notify(id, notificationBody({ subject: 'Graph 401' }));
      await t.waitForStatus(id, queued.body.id, ['parked']);
      expect((await t.tenant(id)).mailStatus.reason).toMatch(
        /Microsoft Graph refused the token for anna\.meier@kunde\.ch twice \(401 InvalidAuthenticationToken.*Mail\.Send/,
      );
    } finally {
      idp.graphRefuseTokens = false;
    }
  });

  it('an app without Mail.Send (403 ErrorAccessDenied) parks the tenant naming the permission', async () => {
    const noRole = '33333333-2222-4333-8444-555555555555';
    idp.addApp(DIRECTORY, noRole, { secret: 'no-role-secret', roles: { smtp: [], graph: [] } });
    const id = await tenant({ clientId: noRole, clientSecret: 'no-role-secret' });
    const queued = await t.notify(id, notificationBody({ subject: 'Graph 403' }));
    await t.waitForStatus(id, queued.body.id, ['parked']);
    expect((await t.tenant(id)).mailStatus.reason).toMatch(
      /denied the app access to anna\.meier@kunde\.ch \(403 ErrorAccessDenied.*Mail\.Send \(application\) with admin consent/,
    );
  });

  it('a busy Graph (503 with Retry-After) and an identity-provider outage are temporary: retried, then sent', async () => {
    const id = await tenant();
    idp.outages = 1;
    idp.graphBusy = 1;
    const queued = await t.notify(id, notificationBody({ subject: 'Graph besetzt' }));
    const status = await t.waitForStatus(id, queued.body.id, ['sent', 'parked', 'failed']);
    expect(status).toMatchObject({ status: 'sent', attempts: 3 });
    expect(sent('Graph besetzt')).toHaveLength(1);
    expect((await t.tenant(id)).mailStatus.state).toBe('ok');
  });

  it("ErrorSendAsDenied for one mailbox: that mail goes out via the alert address's mailbox", async () => {
    const id = await tenant();
    idp.graphSendAsDenied.add('eva@kunde.ch');
    const denied = await t.notify(id, notificationBody({ subject: 'Graph Eva', author: { name: 'Eva', email: 'eva@kunde.ch' } }));
    const status = await t.waitForStatus(id, denied.body.id, ['failed', 'sent']);
    expect(status).toMatchObject({
      status: 'sent',
      attempts: 2,
      senderRewritten: true,
      from: { name: 'Eva via KOS', address: 'kos@kunde.ch' },
      replyTo: { address: 'eva@kunde.ch' },
    });
    expect(status.rewriteReason).toContain('403 ErrorSendAsDenied');
    const [mail] = sent('Graph Eva');
    expect(mail!.user).toBe('kos@kunde.ch');
    expect((await simpleParser(mail!.mime)).replyTo?.value[0]?.address).toBe('eva@kunde.ch');
    expect((await t.tenant(id)).mailStatus.state).toBe('ok');
  });
});
