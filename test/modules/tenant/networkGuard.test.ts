import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOST_LOOKUP, TENANT_REPOSITORY } from '../../../src/modules/tenant/tokens';
import { systemLookup, type HostLookup } from '../../../src/shared/net/hostGuard';
import { DATABASE_KINDS } from '../../support/databases';
import { startSmtpHost, type TestSmtpHost } from '../../support/smtpHosts';
import { createTestApp, type TestApp } from '../../support/testApp';
import { TEST_ADMIN_KEY } from '../../support/testConfig';

const admin = { Authorization: `Bearer ${TEST_ADMIN_KEY}` };
const REFUSED_HOSTS = ['127.0.0.1', '::1', '::ffff:127.0.0.1', '2130706433', '0.0.0.0', '169.254.169.254', '10.1.2.3', '192.168.1.1', 'internal.kunde.test'];

/** A stub resolver: one name points inside, one is public at save time and inside afterwards (rebinding). */
function stubResolver() {
  let rebound = false;
  const lookup: HostLookup = async (name) => {
    if (name === 'internal.kunde.test') return [{ address: '127.0.0.1', family: 4 }];
    if (name === 'public.kunde.test') return [{ address: '93.184.216.34', family: 4 }];
    if (name === 'rebind.kunde.test') return [{ address: rebound ? '127.0.0.1' : '93.184.216.34', family: 4 }];
    return systemLookup(name);
  };
  return { lookup, rebind: () => void (rebound = true) };
}

const body = (host: string, security = 'starttls', port = 587) => ({
  name: 'Kunde AG',
  alertSender: { address: 'kos@kunde.ch' },
  mail: { preset: 'custom', host, port, security, username: 'kos@kunde.ch', password: 'pw-123456', allowedSenders: ['*@kunde.ch'] },
});

describe.each(DATABASE_KINDS)('network guard for tenant mail hosts on %s', (kind) => {
  describe('with private hosts refused (production)', () => {
    let t: TestApp;
    let smtp: TestSmtpHost;
    const resolver = stubResolver();

    beforeAll(async () => {
      smtp = await startSmtpHost({ login: { username: 'kos@kunde.ch', password: 'pw-123456' } });
      t = await createTestApp(kind, {
        config: { smtpAllowPrivateHosts: false },
        prepare: async (container) => {
          (await container.rebind(HOST_LOOKUP)).toConstantValue(resolver.lookup);
        },
      });
    });
    afterAll(async () => {
      await t.close();
      await smtp.close();
    });

    it.each(REFUSED_HOSTS)('refuses to save %s with 422 naming mail.host', async (host) => {
      const response = await request(t.app).put('/api/v1/tenants/kunde').set(admin).send(body(host));
      expect(response.status).toBe(422);
      expect(response.body.errors).toContainEqual(expect.objectContaining({ path: 'mail.host' }));
      expect(response.body.detail).toContain('SMTP_ALLOW_PRIVATE_HOSTS');
    });

    it('accepts a public host, and refuses security none on it', async () => {
      expect((await request(t.app).put('/api/v1/tenants/public').set(admin).send(body('public.kunde.test'))).status).toBe(201);
      const clear = await request(t.app).put('/api/v1/tenants/public').set(admin).send(body('public.kunde.test', 'none'));
      expect(clear.status).toBe(422);
      expect(clear.body.errors).toContainEqual(expect.objectContaining({ path: 'mail.security' }));
    });

    it('refuses at connect time a name that resolved to a public address at save time (DNS rebinding)', async () => {
      expect(
        (
          await request(t.app)
            .put('/api/v1/tenants/rebind')
            .set(admin)
            .send(body('rebind.kunde.test', 'starttls', smtp.port))
        ).status,
      ).toBe(201);
      resolver.rebind();
      const report = (await request(t.app).post('/api/v1/tenants/rebind/mail/verify').set(admin).send({})).body;
      expect(report.ok).toBe(false);
      expect(report.steps[0]).toMatchObject({ step: 'connect', ok: false });
      expect(report.steps[0].detail).toContain('non-public');
      expect(smtp.commands).toEqual([]);
    });

    it.each(REFUSED_HOSTS)('refuses to connect to %s with the same answer whether or not a port is open', async (host) => {
      const repository = t.container.get(TENANT_REPOSITORY);
      const details: string[] = [];
      for (const port of [smtp.port, 1]) {
        const now = new Date();
        await repository.save({
          id: 'stored',
          settings: {
            name: 'Stored',
            locale: 'de',
            alertSender: { address: 'kos@kunde.ch' },
            mail: { preset: 'custom', host, port, security: 'none', allowedSenders: [] },
          },
          settingsVersion: 1,
          mailStatus: { state: 'ok' },
          createdAt: now,
          updatedAt: now,
        });
        const report = (await request(t.app).post('/api/v1/tenants/stored/mail/verify').set(admin).send({})).body;
        expect(report.steps[0]).toMatchObject({ step: 'connect', ok: false });
        details.push(report.steps[0].detail);
      }
      expect(details[0]).toBe(details[1]);
      expect(details[0]).not.toMatch(/refused the connection|connection was refused|\d{2,5}\b.*port/);
      expect(smtp.commands).toEqual([]);
    });
  });

  describe('with SMTP_ALLOW_PRIVATE_HOSTS=true', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp(kind, {
        prepare: async (container) => {
          (await container.rebind(HOST_LOOKUP)).toConstantValue(stubResolver().lookup);
        },
      });
    });
    afterAll(async () => t.close());

    it.each(REFUSED_HOSTS)('accepts %s', async (host) => {
      const response = await request(t.app)
        .put(`/api/v1/tenants/host-${REFUSED_HOSTS.indexOf(host)}`)
        .set(admin)
        .send(body(host));
      expect(response.status).toBe(201);
      expect(response.body.mail.host).toBe(host);
    });

    it('accepts security none for a private host and verifies against it', async () => {
      const smtp = await startSmtpHost({ login: { username: 'kos@kunde.ch', password: 'pw-123456' } });
      try {
        expect(
          (
            await request(t.app)
              .put('/api/v1/tenants/local')
              .set(admin)
              .send(body('internal.kunde.test', 'none', smtp.port))
          ).status,
        ).toBe(201);
        const report = (await request(t.app).post('/api/v1/tenants/local/mail/verify').set(admin).send({})).body;
        expect(report.ok).toBe(true);
        expect(smtp.commands.map((command) => command.command)).toEqual(['AUTH', 'MAIL', 'RCPT']);
      } finally {
        await smtp.close();
      }
    });
  });
});
