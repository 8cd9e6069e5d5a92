import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAIL_TRANSPORT } from '../../src/modules/notification/tokens';
import { WebhookSender } from '../../src/modules/webhooks/application/WebhookSender';
import { isPostgres } from '../../src/shared/database/database';
import { DATABASE } from '../../src/shared/tokens';
import { xoauth2Response } from '../../src/shared/smtp/xoauth2';
import { captureLog } from '../support/captureLog';
import { DATABASE_KINDS } from '../support/databases';
import { createLiveApp, type LiveApp } from '../support/liveApp';
import { FakeIdentityProvider, FakeServiceAccount } from '../support/oauth/FakeIdentityProvider';
import { CANARY_CLIENT_SECRET, DIRECTORY, googleTenant, microsoftTenant, oauthEnv, OPERATOR_SECRET, OWN_APP } from '../support/oauth/oauthTenants';
import { OAuthSmtpHost } from '../support/oauth/OAuthSmtpHost';
import { WebhookReceiver } from '../support/WebhookReceiver';

describe.each(DATABASE_KINDS)('OAuth canary secrets on %s', (kind) => {
  let live: LiveApp;
  let idp: FakeIdentityProvider;
  let exchange: OAuthSmtpHost;
  let gmail: OAuthSmtpHost;
  let receiver: WebhookReceiver;
  const account = new FakeServiceAccount('mailer@kunde-project.iam.gserviceaccount.com', '1048576000003');
  const log = captureLog();
  const responses: string[] = [];

  beforeAll(async () => {
    idp = await FakeIdentityProvider.start();
    idp.addApp(DIRECTORY, OWN_APP, { secret: CANARY_CLIENT_SECRET });
    idp.addServiceAccount(account, ['anna@kunde.ch', 'kos@kunde.ch']);
    exchange = await OAuthSmtpHost.start(idp, 'microsoft');
    gmail = await OAuthSmtpHost.start(idp, 'google');
    receiver = await WebhookReceiver.start();
    // Delivery events on: their bodies (stored and posted) must not carry a secret either.
    const webhooks = { WEBHOOK_URL: receiver.url, WEBHOOK_SECRET: `whsec_${Buffer.alloc(32, 7).toString('base64')}` };
    live = await createLiveApp(kind, { logger: log.logger, env: { ...oauthEnv(idp, { microsoft: true }), ...webhooks } });
    await live.container.get(WebhookSender).start();
  });
  afterAll(async () => {
    await live?.container.get(WebhookSender).stop();
    await live?.close();
    await exchange?.close();
    await gmail?.close();
    await idp?.close();
    await receiver?.close();
  });

  it('client secret, private key and every token appear in no response, log line, audit entry or table', async () => {
    const call = async (method: string, path: string, body?: unknown) => {
      const response = await live.call(method, path, { body });
      responses.push(`${[...response.headers].map(([k, v]) => `${k}: ${v}`).join('\n')}\n\n${response.text}`);
      return response;
    };
    const note = { author: { name: 'Anna', email: 'anna@kunde.ch' }, to: [{ email: 'beat@kunde.ch' }], subject: 'Hallo', text: 'x' };
    expect((await call('PUT', '/tenants/ms', microsoftTenant(exchange.port))).status).toBe(201);
    expect(
      (await call('PUT', '/tenants/gws', googleTenant(gmail.port, { serviceAccount: { clientEmail: account.clientEmail, privateKey: account.privateKey } })))
        .status,
    ).toBe(201);
    // Bad saves that may echo the body in their problem.
    expect((await call('PUT', '/tenants/ms', microsoftTenant(exchange.port, { clientId: 'kein-guid' }))).status).toBe(400);
    expect(
      (
        await call('PUT', '/tenants/gws', {
          ...googleTenant(gmail.port, { serviceAccount: { clientEmail: account.clientEmail, privateKey: account.privateKey } }),
          alertSender: { address: 'x@other.ch' },
        })
      ).status,
    ).toBe(422);
    for (const id of ['ms', 'gws']) {
      await call('POST', `/tenants/${id}/mail/verify`, { probeSenders: ['anna@kunde.ch', 'eva@kunde.ch'] });
      const sent = await call('POST', `/tenants/${id}/notifications`, note);
      await expect.poll(async () => (await call('GET', `/tenants/${id}/notifications/${sent.json.id}`)).json.status, { timeout: 10_000 }).toBe('sent');
    }
    // Refused tokens, then a refused secret: the paths most likely to echo what was sent.
    // Sessions already logged in would carry the mail without a new login.
    await live.container.get(MAIL_TRANSPORT).close();
    exchange.refuseAll = true;
    exchange.echoTokens = true;
    const refused = await call('POST', '/tenants/ms/notifications', note);
    await expect.poll(async () => (await call('GET', `/tenants/ms/notifications/${refused.json.id}`)).json.status, { timeout: 10_000 }).toBe('parked');
    exchange.refuseAll = false;
    await call('PUT', '/tenants/ms', microsoftTenant(exchange.port, { clientSecret: `${CANARY_CLIENT_SECRET}-falsch` }));
    await call('POST', '/tenants/ms/mail/verify', {});
    const wrong = await call('POST', '/tenants/ms/notifications', note);
    await expect.poll(async () => (await call('GET', `/tenants/ms/notifications/${wrong.json.id}`)).json.status, { timeout: 10_000 }).toBe('parked');
    for (const id of ['ms', 'gws']) {
      await call('GET', `/tenants/${id}`);
      await call('GET', `/tenants/${id}/audit?limit=500`);
      await call('GET', `/tenants/${id}/notifications`);
    }
    await call('GET', '/tenants');
    responses.push(await (await fetch(live.base.replace(/\/api\/v1$/, '/metrics'))).text());

    const db = live.container.get(DATABASE);
    const tables: string[] = isPostgres(db)
      ? (await db.raw(`select table_name as name from information_schema.tables where table_schema = current_schema()`)).rows.map(
          (row: { name: string }) => row.name,
        )
      : (await db.raw(`select name from sqlite_master where type = 'table'`)).map((row: { name: string }) => row.name);
    let dump = '';
    for (const table of tables) dump += `${table}\n${JSON.stringify(await db(table).select('*'))}\n`;

    const keyBody = account.privateKey.split('\n')[5]!;
    const canaries: Record<string, string> = { clientSecret: CANARY_CLIENT_SECRET, operatorSecret: OPERATOR_SECRET, privateKeyLine: keyBody };
    for (const [token, issued] of idp.issued) {
      canaries[`token ${token.slice(-8)}`] = token;
      canaries[`sasl ${token.slice(-8)}`] = xoauth2Response(issued.mailbox ?? 'kos@kunde.ch', token);
    }
    expect(idp.issued.size).toBeGreaterThan(3);
    await expect.poll(() => receiver.ofType('notification.parked').length, { timeout: 10_000 }).toBeGreaterThan(0);
    const places: Record<string, string> = {
      responses: responses.join('\n'),
      logs: log.text(),
      database: dump,
      webhooks: receiver.received.map((hook) => hook.body).join('\n'),
    };
    const hits: string[] = [];
    for (const [placeName, text] of Object.entries(places)) {
      for (const [canaryName, canary] of Object.entries(canaries)) if (text.includes(canary)) hits.push(`${canaryName} in ${placeName}`);
    }
    expect(log.lines().length).toBeGreaterThan(10);
    expect(dump).toContain('oauth2_secret_ciphertext');
    const eventTypes = (await db('webhook_events').select('type')).map((row: { type: string }) => row.type);
    expect(eventTypes).toEqual(expect.arrayContaining(['notification.sent', 'notification.parked', 'tenant.mail_parked']));
    expect(hits).toEqual([]);
  }, 60_000);
});
