import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_KINDS } from '../../support/databases';
import { createDeliveryTestApp, loopbackTenant, notificationBody, type DeliveryTestApp } from '../../support/deliveryApp';
import { smtpError } from '../../support/smtpHosts';

/** Exchange Online after basic authentication was switched off: every password login is refused. */
async function exchangeWithoutBasicAuth(reply: string): Promise<{ port: number; close(): Promise<void> }> {
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    authOptional: false,
    disableReverseLookup: true,
    logger: false,
    closeTimeout: 500,
    onAuth: (_auth, _session, callback) => callback(smtpError(535, reply)),
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.server.address() as AddressInfo).port, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe.each(DATABASE_KINDS)('a password login refused by Microsoft 365 on %s', (kind) => {
  let t: DeliveryTestApp;

  beforeAll(async () => {
    t = await createDeliveryTestApp(kind);
  });
  afterAll(async () => t?.close());

  it.each([
    ['5.7.30 Basic authentication is not supported for Client Submission.', 'switch the tenant to the microsoft365 preset'],
    ['5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant.', 'mail.transport to "graph"'],
  ])('%s parks the tenant naming the way out', async (reply, words) => {
    const host = await exchangeWithoutBasicAuth(reply);
    try {
      const id = `basic-${reply.slice(0, 6).replace(/\W/g, '')}`;
      await t.putTenant(
        id,
        loopbackTenant({
          port: host.port,
          alertSender: { address: 'kos@kunde.ch' },
          allowedSenders: ['*@kunde.ch'],
          username: 'kos@kunde.ch',
          password: 'altes-passwort',
        }),
      );
      const queued = await t.notify(id, notificationBody());
      await t.waitForStatus(id, queued.body.id, ['parked']);
      const reason = (await t.tenant(id)).mailStatus.reason as string;
      expect(reason).toContain(reply.slice(0, 8));
      expect(reason).toContain(words);
    } finally {
      await host.close();
    }
  });
});
