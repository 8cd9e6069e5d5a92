import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CachedAccessTokens } from '../../../src/modules/tenant/infrastructure/oauth/CachedAccessTokens';
import { ACCESS_TOKENS, HOST_LOOKUP } from '../../../src/modules/tenant/tokens';
import type { Clock } from '../../../src/shared/time/Clock';
import { CONFIG } from '../../../src/shared/tokens';
import { DATABASE_KINDS } from '../../support/databases';
import { createDeliveryTestApp, notificationBody, type DeliveryTestApp } from '../../support/deliveryApp';
import { FakeIdentityProvider, FakeServiceAccount } from '../../support/oauth/FakeIdentityProvider';
import { CANARY_CLIENT_SECRET, DIRECTORY, googleTenant, microsoftTenant, oauthEnv, OWN_APP } from '../../support/oauth/oauthTenants';
import { OAuthSmtpHost } from '../../support/oauth/OAuthSmtpHost';

/** Real time moved by the identity provider's offset: tokens age as the test says. */
function clockOf(idp: FakeIdentityProvider): Clock {
  return { now: () => new Date(idp.now()), schedule: () => ({ stop: () => undefined }), latestScheduledTime: () => undefined };
}

describe.each(DATABASE_KINDS)('Google Workspace over SMTP with XOAUTH2, and token renewal, on %s', (kind) => {
  let t: DeliveryTestApp;
  let idp: FakeIdentityProvider;
  let gmail: OAuthSmtpHost;
  let exchange: OAuthSmtpHost;
  const operatorAccount = new FakeServiceAccount('kos-notify@operator-project.iam.gserviceaccount.com', '104857600000000000001');
  const ownAccount = new FakeServiceAccount('mailer@kunde-project.iam.gserviceaccount.com', '104857600000000000002');
  let seq = 0;

  beforeAll(async () => {
    idp = await FakeIdentityProvider.start();
    idp.addApp(DIRECTORY, OWN_APP, { secret: CANARY_CLIENT_SECRET });
    idp.addServiceAccount(operatorAccount, ['anna.meier@kunde.ch', 'kos@kunde.ch']);
    idp.addServiceAccount(ownAccount);
    gmail = await OAuthSmtpHost.start(idp, 'google');
    exchange = await OAuthSmtpHost.start(idp, 'microsoft');
    t = await createDeliveryTestApp(kind, {
      env: oauthEnv(idp, { google: operatorAccount }),
      prepare: (container) => {
        container.rebind(ACCESS_TOKENS).toConstantValue(new CachedAccessTokens(container.get(CONFIG), clockOf(idp), container.get(HOST_LOOKUP)));
      },
    });
  });
  afterAll(async () => {
    await t?.close();
    await gmail?.close();
    await exchange?.close();
    await idp?.close();
  });

  it("personal mail leaves as its author, the token's subject being that author (own service account)", async () => {
    const id = `gws-${++seq}`;
    const saved = await t.putTenant(
      id,
      googleTenant(gmail.port, { serviceAccount: { clientEmail: ownAccount.clientEmail, privateKey: ownAccount.privateKey } }),
    );
    expect(saved.mail.oauth2).toEqual({ serviceAccount: { clientEmail: ownAccount.clientEmail }, hasPrivateKey: true });
    const queued = await t.notify(id, notificationBody({ subject: 'Google Anna' }));
    expect((await t.waitForStatus(id, queued.body.id, ['sent'])).senderRewritten).toBe(false);
    expect(gmail.received.find((mail) => mail.raw.includes('Google Anna'))).toMatchObject({
      user: 'anna.meier@kunde.ch',
      envelope: { from: 'anna.meier@kunde.ch' },
    });
    const assertion = idp.tokenRequests('google').at(-1)!.form.assertion!;
    const claims = JSON.parse(Buffer.from(assertion.split('.')[1]!, 'base64url').toString());
    expect(claims).toMatchObject({ iss: ownAccount.clientEmail, sub: 'anna.meier@kunde.ch', scope: 'https://mail.google.com/', aud: idp.googleTokenUrl });
    expect(claims.exp - claims.iat).toBeLessThanOrEqual(3600);
  });

  it("the operator's service account: reads show the delegation client id; a mailbox without delegation parks with the delegation step", async () => {
    const id = `gws-${++seq}`;
    const saved = await t.putTenant(id, googleTenant(gmail.port));
    expect(saved.mail.oauth2).toEqual({ hasPrivateKey: false, delegationClientId: operatorAccount.clientId });
    const allowed = await t.notify(id, notificationBody({ subject: 'Delegiert' }));
    await t.waitForStatus(id, allowed.body.id, ['sent']);
    const refused = await t.notify(id, notificationBody({ subject: 'Nicht delegiert', author: { name: 'Eva', email: 'eva@kunde.ch' } }));
    await t.waitForStatus(id, refused.body.id, ['parked']);
    const reason = (await t.tenant(id)).mailStatus.reason as string;
    expect(reason).toContain('unauthorized_client');
    expect(reason).toContain(
      `add ${operatorAccount.clientId} under Security → Access and data control → API controls → Domain-wide delegation with the scope https://mail.google.com/`,
    );
  });

  it('a mailbox Google does not know (invalid_grant) is a sender refusal: that mail goes via the alert address, the tenant is not parked', async () => {
    const id = `gws-${++seq}`;
    await t.putTenant(id, googleTenant(gmail.port, { serviceAccount: { clientEmail: ownAccount.clientEmail, privateKey: ownAccount.privateKey } }));
    idp.unknownMailboxes.add('ehemalig@kunde.ch');
    const gone = await t.notify(id, notificationBody({ subject: 'Ausgetreten', author: { name: 'Ehemalig', email: 'ehemalig@kunde.ch' } }));
    const status = await t.waitForStatus(id, gone.body.id, ['failed', 'parked', 'sent']);
    expect(status).toMatchObject({
      status: 'sent',
      attempts: 2,
      senderRewritten: true,
      from: { address: 'kos@kunde.ch' },
      replyTo: { address: 'ehemalig@kunde.ch' },
    });
    expect(status.rewriteReason).toContain('Google knows no active mailbox ehemalig@kunde.ch (Google answered invalid_grant');
    expect(gmail.received.filter((mail) => mail.raw.includes('Ausgetreten'))).toMatchObject([{ user: 'kos@kunde.ch', envelope: { from: 'kos@kunde.ch' } }]);
    const other = await t.notify(id, notificationBody({ subject: 'Noch da' }));
    expect((await t.waitForStatus(id, other.body.id, ['sent'])).senderRewritten).toBe(false);
    expect((await t.tenant(id)).mailStatus.state).toBe('ok');
  });

  it('a token about to expire during a run is renewed before any host refuses it', async () => {
    const id = `m365-${++seq}`;
    await t.putTenant(id, microsoftTenant(exchange.port));
    const send = async (subject: string) => {
      const queued = await t.notify(id, notificationBody({ subject }));
      await t.waitForStatus(id, queued.body.id, ['sent']);
    };
    const before = idp.tokenRequests('microsoft').length;
    await send('Vorher 1');
    await send('Vorher 2');
    expect(idp.tokenRequests('microsoft').length - before).toBe(1);
    // 56 minutes later the hour-long token has less than 5 minutes left, and is still live at the host.
    idp.offsetMs += 56 * 60_000;
    await send('Nachher 1');
    expect(idp.tokenRequests('microsoft').length - before).toBe(2);
    // Past the first token's expiry: every session in use carries the second one.
    idp.offsetMs += 5 * 60_000;
    await send('Nachher 2');
    expect(idp.tokenRequests('microsoft').length - before).toBe(2);
    expect(exchange.logins.filter((login) => !login.ok)).toEqual([]);
    expect(exchange.received.filter((mail) => /Subject: (Vorher|Nachher)/.test(mail.raw.toString()))).toHaveLength(4);
  });
});
