import 'reflect-metadata';
import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { SmtpMailTransport } from '../../../src/modules/notification/infrastructure/SmtpMailTransport';
import type { SmtpEndpoint } from '../../../src/modules/tenant/domain/MailHostDirectory';
import { ScriptedHost } from '../../support/ScriptedHost';
import { loopbackTransport } from '../../support/loopbackTransport';
import { TestSmtpServer } from '../../support/TestSmtpServer';

const ENVELOPE = { from: 'anna@kunde.ch', to: ['bob@kunde.ch'] };
const RAW = Buffer.from('From: anna@kunde.ch\r\nTo: bob@kunde.ch\r\nSubject: voraus\r\n\r\nHallo\r\n');

/** Each tenant logs in as itself: tenants that log in alike share idle sessions (sharedSessions.test.ts). */
function endpoint(tenantId: string, port: number): SmtpEndpoint {
  return { tenantId, host: '127.0.0.1', port, security: 'none', username: `kos@${tenantId}.ch`, password: 'geheim', settingsVersion: 1 };
}

describe("SMTP connections opened ahead of a tenant's first send", () => {
  let host: TestSmtpServer | undefined;
  let scripted: ScriptedHost | undefined;
  let transport: SmtpMailTransport | undefined;
  afterEach(async () => {
    await transport?.close();
    await host?.close();
    await scripted?.close();
    host = scripted = transport = undefined;
  });

  it('opens the session before the send, and the send goes over it', async () => {
    host = await TestSmtpServer.start();
    transport = loopbackTransport();
    transport.prepare(endpoint('a', host.port));
    await expect.poll(() => host!.openSessions).toBe(1);
    expect(host.received).toHaveLength(0);
    await transport.send(endpoint('a', host.port), ENVELOPE, RAW);
    expect(host.received).toHaveLength(1);
    expect(host.sessions).toBe(1);
  });

  it('a send that comes while that session is still opening waits for it instead of opening another', async () => {
    host = await TestSmtpServer.start();
    host.greetingDelayMs = 100;
    transport = loopbackTransport();
    transport.prepare(endpoint('a', host.port));
    transport.prepare(endpoint('a', host.port));
    await transport.send(endpoint('a', host.port), ENVELOPE, RAW);
    expect(host.received).toHaveLength(1);
    expect(host.sessions).toBe(1);
  });

  it('takes room from a session that sent and went idle, never from a busy one or one opened ahead, and stays within perHostConnections', async () => {
    host = await TestSmtpServer.start();
    transport = loopbackTransport({ perHostConnections: 2 });
    const port = host.port;
    await transport.send(endpoint('a', port), ENVELOPE, RAW);
    transport.prepare(endpoint('b', port));
    await expect.poll(() => host!.sessions).toBe(2);
    // At the limit: a's idle session is closed for c's.
    transport.prepare(endpoint('c', port));
    await expect.poll(() => host!.sessions).toBe(3);
    await expect.poll(() => host!.openSessions).toBe(2);
    // Only sessions opened ahead are left: d gets none ahead of its send.
    transport.prepare(endpoint('d', port));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(host.sessions).toBe(3);
    expect(host.openSessions).toBe(2);
    // Its send does: it closes one of them (b's, the least recently idle) and goes.
    await transport.send(endpoint('d', port), ENVELOPE, RAW);
    await transport.send(endpoint('c', port), ENVELOPE, RAW);
    expect(host.sessions).toBe(4);
    expect(host.maxOpenSessions).toBe(2);

    // Every connection busy: nothing is opened ahead.
    host.dataDelayMs = 200;
    const sending = [transport.send(endpoint('c', port), ENVELOPE, RAW), transport.send(endpoint('d', port), ENVELOPE, RAW)];
    await new Promise((resolve) => setTimeout(resolve, 50));
    transport.prepare(endpoint('e', port));
    await Promise.all(sending);
    expect(host.sessions).toBe(4);
    expect(host.maxOpenSessions).toBe(2);
    expect(host.received).toHaveLength(5);
  });

  it('sends over a fresh session when the host drops the one opened ahead before MAIL FROM is answered', async () => {
    let connections = 0;
    const first = new Set<Socket>();
    scripted = await ScriptedHost.start(['PIPELINING'], (line, socket) => {
      if (line.startsWith('EHLO') && connections++ === 0) first.add(socket);
      if (line.startsWith('MAIL FROM') && first.has(socket)) socket.destroy();
      return undefined;
    });
    transport = loopbackTransport();
    transport.prepare(endpoint('a', scripted.port));
    await expect.poll(() => connections).toBe(1);
    const result = await transport.send(endpoint('a', scripted.port), ENVELOPE, RAW);
    expect(result.accepted).toEqual(ENVELOPE.to);
    expect(connections).toBe(2);
    expect(scripted.lines.filter((line) => line === '.')).toHaveLength(1);
  });
});
