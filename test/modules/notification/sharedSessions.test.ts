import 'reflect-metadata';
import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { connectionIdentity } from '../../../src/modules/notification/infrastructure/connectionIdentity';
import type { SmtpMailTransport } from '../../../src/modules/notification/infrastructure/SmtpMailTransport';
import type { SmtpEndpoint } from '../../../src/modules/tenant/domain/MailHostDirectory';
import type { AccessTokens } from '../../../src/modules/tenant/domain/oauth/AccessTokens';
import { ScriptedHost } from '../../support/ScriptedHost';
import { loopbackTransport } from '../../support/loopbackTransport';
import { TestSmtpServer } from '../../support/TestSmtpServer';

const TOKENS: AccessTokens = {
  get: () => Promise.resolve({ value: 'token-for-the-mailbox', expiresAt: Date.now() + 3_600_000 }),
  fresh: () => true,
  drop: () => undefined,
};

/** The hosted preset's shape: every tenant logs in to the same host as the same mailbox. */
function hosted(tenantId: string, port: number, mail: Partial<SmtpEndpoint> = {}): SmtpEndpoint {
  return { tenantId, host: '127.0.0.1', port, security: 'none', username: 'kos@hosted.ch', password: 'geheim', settingsVersion: 1, ...mail };
}

/** A mail of the tenant, as the tenant, with its own subject. */
function mailOf(tenantId: string, i: number): [{ from: string; to: string[] }, Buffer] {
  const from = `kos@${tenantId}.ch`;
  return [{ from, to: ['beat@kunde.ch'] }, Buffer.from(`From: ${from}\r\nTo: beat@kunde.ch\r\nSubject: ${tenantId} ${i}\r\n\r\nHallo\r\n`)];
}

describe('idle SMTP sessions taken over by tenants whose connection is identical', () => {
  let host: TestSmtpServer | undefined;
  let scripted: ScriptedHost | undefined;
  let transport: SmtpMailTransport | undefined;
  afterEach(async () => {
    await transport?.close();
    await host?.close();
    await scripted?.close();
    host = scripted = transport = undefined;
  });

  it('many tenants with the same login sending in turn use one connection, each mail with its own envelope and From', async () => {
    host = await TestSmtpServer.start({ password: 'geheim', requireAuth: true });
    transport = loopbackTransport({}, TOKENS);
    const tenants = ['a', 'b', 'c', 'd', 'e'];
    for (let round = 0; round < 3; round++) {
      for (const tenantId of tenants) await transport.send(hosted(tenantId, host.port), ...mailOf(tenantId, round));
    }
    expect(host.sessions).toBe(1);
    expect(host.logins).toEqual([{ username: 'kos@hosted.ch', ok: true }]);
    expect(host.received).toHaveLength(15);
    for (const mail of host.received) {
      const tenantId = /Subject: (\w+) \d/.exec(mail.raw.toString())![1]!;
      expect(mail.envelope).toEqual({ from: `kos@${tenantId}.ch`, to: ['beat@kunde.ch'] });
      expect(mail.raw.toString()).toContain(`From: kos@${tenantId}.ch\r\n`);
    }
    expect(new Set(host.received.map((mail) => /Subject: (\w+ \d)/.exec(mail.raw.toString())![1])).size).toBe(15);
  });

  it('a session idle at a full host is taken over by another tenant with the same login, not closed', async () => {
    host = await TestSmtpServer.start();
    transport = loopbackTransport({ perHostConnections: 1 }, TOKENS);
    await transport.send(hosted('a', host.port), ...mailOf('a', 0));
    await transport.send(hosted('b', host.port), ...mailOf('b', 0));
    await transport.send(hosted('a', host.port), ...mailOf('a', 1));
    expect(host.sessions).toBe(1);
    expect(host.received).toHaveLength(3);
  });

  it('a tenant waiting at a full host takes over the session of the same login that goes idle, instead of having it closed', async () => {
    host = await TestSmtpServer.start();
    host.onData = (mail) => (mail.envelope.from === 'kos@a.ch' ? { stallMs: 200 } : undefined);
    transport = loopbackTransport({ perHostConnections: 1 }, TOKENS);
    const first = transport.send(hosted('a', host.port), ...mailOf('a', 0));
    await expect.poll(() => host!.sessions).toBe(1);
    const waiting = transport.send(hosted('b', host.port), ...mailOf('b', 0));
    await Promise.all([first, waiting]);
    expect(host.sessions).toBe(1);
    expect(host.received.map((mail) => mail.envelope.from)).toEqual(['kos@a.ch', 'kos@b.ch']);
  });

  it('never shares between different passwords, users, a login and none, security or CA; a tenant whose settings change stops using the old ones', async () => {
    host = await TestSmtpServer.start();
    transport = loopbackTransport({}, TOKENS);
    const port = host.port;
    const variants: SmtpEndpoint[] = [
      hosted('a', port),
      hosted('b', port, { password: 'anderes' }),
      hosted('c', port, { username: 'kos@c.ch' }),
      hosted('d', port, { username: undefined, password: undefined }),
      hosted('e', port, { caCertificate: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n' }),
    ];
    for (let round = 0; round < 2; round++) for (const endpoint of variants) await transport.send(endpoint, ...mailOf(endpoint.tenantId, round));
    expect(host.sessions).toBe(5);
    expect(host.logins.map((login) => login.username).sort()).toEqual(['kos@c.ch', 'kos@hosted.ch', 'kos@hosted.ch', 'kos@hosted.ch']);

    // b changes its password to a's: its new pool takes over a's idle session; a changes to a new one and opens its own.
    await transport.send(hosted('b', port, { settingsVersion: 2 }), ...mailOf('b', 2));
    expect(host.sessions).toBe(5);
    await transport.send(hosted('a', port, { password: 'neu', settingsVersion: 2 }), ...mailOf('a', 2));
    expect(host.sessions).toBe(6);
    await transport.send(hosted('a', port, { password: 'neu', settingsVersion: 2 }), ...mailOf('a', 3));
    await transport.send(hosted('b', port, { settingsVersion: 2 }), ...mailOf('b', 3));
    expect(host.sessions).toBe(6);
    expect(host.received).toHaveLength(14);
  });

  it('an OAuth 2.0 tenant never shares its sessions, not even with a tenant of the same settings', async () => {
    let connections = 0;
    scripted = await ScriptedHost.start(['PIPELINING', 'AUTH XOAUTH2'], (line) => {
      if (line.startsWith('EHLO')) connections++;
      return line.startsWith('AUTH XOAUTH2') ? '235 2.7.0 accepted' : undefined;
    });
    transport = loopbackTransport({}, TOKENS);
    const oauth2 = { provider: 'microsoft' as const, directoryId: 'dir', clientId: 'app', clientSecret: 'secret', ownApp: true };
    const m365 = (tenantId: string) => ({ ...hosted(tenantId, scripted!.port, { username: undefined, password: undefined }), oauth2 });
    for (let round = 0; round < 2; round++) {
      await transport.send(m365('a'), { from: 'anna@kunde.ch', to: ['beat@kunde.ch'] }, Buffer.from('Subject: a\r\n\r\nHallo\r\n'));
      await transport.send(m365('b'), { from: 'anna@kunde.ch', to: ['beat@kunde.ch'] }, Buffer.from('Subject: b\r\n\r\nHallo\r\n'));
    }
    expect(connections).toBe(2);
    expect(scripted.lines.filter((line) => line === '.')).toHaveLength(4);
  });

  it('a session keeps its message count from pool to pool: renewed after 100 messages over all the tenants it served', async () => {
    const mailsOn = new Map<Socket, number>();
    scripted = await ScriptedHost.start(['PIPELINING'], (line, socket) => {
      // Its replies go out line by line: without this each send waits for a delayed ACK.
      socket.setNoDelay(true);
      if (line.startsWith('MAIL FROM')) mailsOn.set(socket, (mailsOn.get(socket) ?? 0) + 1);
      return undefined;
    });
    transport = loopbackTransport({}, TOKENS);
    for (let i = 0; i < 150; i++) {
      const tenantId = ['a', 'b', 'c'][i % 3]!;
      await transport.send(hosted(tenantId, scripted.port), ...mailOf(tenantId, i));
    }
    expect([...mailsOn.values()]).toEqual([100, 50]);
  });

  it('a taken-over session the host dropped while idle: the mail goes once over a fresh one', async () => {
    let connections = 0;
    const mailsOn = new Map<Socket, number>();
    let cut = 0;
    scripted = await ScriptedHost.start(['PIPELINING'], (line, socket) => {
      if (line.startsWith('EHLO')) connections++;
      if (!line.startsWith('MAIL FROM')) return undefined;
      const count = (mailsOn.get(socket) ?? 0) + 1;
      mailsOn.set(socket, count);
      // The first connection is gone by its second transaction, as if the host had dropped it while idle.
      if (connections === 1 && count === 2) {
        cut++;
        socket.destroy();
      }
      return undefined;
    });
    transport = loopbackTransport({}, TOKENS);
    await transport.send(hosted('a', scripted.port), ...mailOf('a', 0));
    const result = await transport.send(hosted('b', scripted.port), ...mailOf('b', 0));
    expect(result.accepted).toEqual(['beat@kunde.ch']);
    expect(cut).toBe(1);
    expect(connections).toBe(2);
    expect(scripted.lines.filter((line) => line === '.')).toHaveLength(2);
    expect(scripted.lines.filter((line) => line === 'MAIL FROM:<kos@b.ch>')).toHaveLength(2);
  });

  it('a busy session is never taken over: a tenant sending while another is mid-message opens its own', async () => {
    host = await TestSmtpServer.start();
    host.onData = (mail) => (mail.envelope.from === 'kos@a.ch' ? { stallMs: 300 } : undefined);
    transport = loopbackTransport({}, TOKENS);
    const slow = transport.send(hosted('a', host.port), ...mailOf('a', 0));
    await expect.poll(() => host!.sessions).toBe(1);
    const started = Date.now();
    await transport.send(hosted('b', host.port), ...mailOf('b', 0));
    expect(Date.now() - started).toBeLessThan(250);
    await slow;
    expect(host.sessions).toBe(2);
  });
});

describe('connectionIdentity', () => {
  it('is the same for tenants that connect alike (host in any case), different otherwise, never the password itself, and none for OAuth 2.0 or Graph', () => {
    const a = connectionIdentity(hosted('a', 25))!;
    expect(connectionIdentity(hosted('b', 25, { host: '127.0.0.1'.toUpperCase(), settingsVersion: 7 }))).toBe(a);
    expect(connectionIdentity({ ...hosted('b', 25), host: 'SMTP.Hosted.CH' })).toBe(connectionIdentity({ ...hosted('c', 25), host: 'smtp.hosted.ch' }));
    for (const other of [
      { port: 587 },
      { security: 'starttls' as const },
      { username: 'x@hosted.ch' },
      { password: 'anders' },
      { password: undefined },
      { caCertificate: 'pem' },
    ])
      expect(connectionIdentity(hosted('b', 25, other))).not.toBe(a);
    expect(a).not.toContain('geheim');
    const oauth2 = { provider: 'microsoft' as const, directoryId: 'dir', clientId: 'app', clientSecret: 'secret', ownApp: true };
    expect(connectionIdentity(hosted('a', 25, { oauth2 }))).toBeUndefined();
    expect(connectionIdentity(hosted('a', 25, { transport: 'graph' }))).toBeUndefined();
  });
});
