import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MAIL_TRANSPORT } from '../../../src/modules/notification/tokens';
import { HOST_LOOKUP } from '../../../src/modules/tenant/tokens';
import { systemLookup, type HostLookup } from '../../../src/shared/net/hostGuard';
import { DATABASE_KINDS } from '../../support/databases';
import { createDeliveryTestApp, loopbackTenant, notificationBody, type DeliveryTestApp, type LoopbackTenant } from '../../support/deliveryApp';
import { selfSignedCertificate, startSmtpHost, type HostBehaviour, type TestSmtpHost } from '../../support/smtpHosts';

const HOST = 'mail.kunde.test';
const stubLookup: HostLookup = async (name) => (name === HOST ? [{ address: '127.0.0.1', family: 4 }] : systemLookup(name));
const certificate = selfSignedCertificate(HOST, `DNS:${HOST}`);
const login = { username: 'kos@kunde.ch', password: 'tls-Pa55-9d1e' };

describe.each(DATABASE_KINDS)('SMTP transport security on %s', (kind) => {
  let t: DeliveryTestApp;
  let host: TestSmtpHost | undefined;
  let seq = 0;

  beforeAll(async () => {
    t = await createDeliveryTestApp(kind, {
      prepare: async (container) => {
        (await container.rebind(HOST_LOOKUP)).toConstantValue(stubLookup);
      },
    });
  });
  afterEach(async () => {
    // Pooled sessions stay open; smtp-server's close would wait for them.
    await t.container.get(MAIL_TRANSPORT).close();
    await host?.close();
    host = undefined;
  });
  afterAll(async () => t.close());

  /** Starts the host, stores a tenant pointing at it by name, sends one notification and waits for its outcome. */
  async function sendThrough(behaviour: HostBehaviour, mail: Partial<LoopbackTenant>): Promise<Record<string, any>> {
    host = await startSmtpHost({ login, ...behaviour });
    const id = `tls-${++seq}`;
    await t.putTenant(
      id,
      loopbackTenant({ host: HOST, port: host.port, alertSender: { address: 'kos@kunde.ch' }, allowedSenders: ['*@kunde.ch'], ...login, ...mail }),
    );
    const queued = await t.notify(id, notificationBody({ subject: `TLS ${seq}` }));
    expect(queued.status).toBe(202);
    return t.waitForStatus(id, queued.body.id, ['sent', 'failed', 'parked']);
  }

  it('under security starttls, a host that hides STARTTLS gets neither the login nor the mail', async () => {
    const status = await sendThrough({ certificate }, { security: 'starttls', caCertificate: certificate.cert });
    // Retried on the (short) test schedule, then failed; every try stopped before AUTH.
    expect(status).toMatchObject({ status: 'failed', attempts: 4 });
    expect(status.lastError).toContain('TLS failed');
    expect(status.lastError).toContain('STARTTLS');
    expect(host!.commands).toEqual([]);
  });

  it.each([
    ['STARTTLS', 'starttls', { starttls: true, certificate }],
    ['implicit TLS', 'tls', { secure: true, certificate }],
  ] as const)('with the CA pinned in mail.caCertificate, the mail arrives over %s', async (_label, security, behaviour) => {
    const status = await sendThrough(behaviour, { security, caCertificate: certificate.cert });
    expect(status).toMatchObject({ status: 'sent', attempts: 1 });
    expect(host!.commands.map((command) => [command.command, command.secure])).toEqual([
      ['AUTH', true],
      ['MAIL', true],
      ['RCPT', true],
      ['DATA', true],
    ]);
  });

  it.each([
    ['starttls', { starttls: true, certificate }],
    ['tls', { secure: true, certificate }],
  ] as const)('under security %s, a self-signed host whose CA is not pinned fails certificate verification', async (security, behaviour) => {
    const status = await sendThrough(behaviour, { security });
    expect(status).toMatchObject({ status: 'failed', attempts: 4 });
    expect(status.lastError).toContain('TLS failed');
    expect(status.lastError).toMatch(/self[- ]signed certificate/i);
    expect(status.lastError).toContain('mail.caCertificate');
    expect(host!.commands).toEqual([]);
  });

  it('a pinned CA of another host does not make a certificate for the wrong name acceptable', async () => {
    const stranger = selfSignedCertificate('mail.other.test', 'DNS:mail.other.test');
    const status = await sendThrough({ secure: true, certificate: stranger }, { security: 'tls', caCertificate: stranger.cert });
    expect(status).toMatchObject({ status: 'failed' });
    expect(status.lastError).toContain('TLS failed');
    expect(status.lastError).toMatch(/mail\.kunde\.test|altnames|Hostname/i);
    expect(host!.commands).toEqual([]);
  });
});
