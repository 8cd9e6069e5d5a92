import { mkdtempSync, rmSync } from 'node:fs';
import { get, request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killHard, startChildService, type ChildService } from '../support/childService';
import { reportFigures } from '../support/figures';
import { TEST_ADMIN_KEY } from '../support/testConfig';
import { TestSmtpServer } from '../support/TestSmtpServer';

const OPEN_FILES = 512;
const IDLE_CONNECTIONS = 600;

/** GET /healthz on a connection of its own: its status, or the error that ended it. */
function healthz(port: number): Promise<number | string> {
  return new Promise((resolve) => {
    const request = get({ host: '127.0.0.1', port, path: '/healthz', agent: false, timeout: 2_000 }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.on('timeout', () => request.destroy(new Error('timeout')));
    request.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

/** A JSON call on a connection closed after it, so that no keep-alive connection frees a descriptor later. */
function call(port: number, method: string, path: string, body: unknown): Promise<number> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      {
        host: '127.0.0.1',
        port,
        path: `/api/v1${path}`,
        method,
        agent: false,
        headers: { Authorization: `Bearer ${TEST_ADMIN_KEY}`, 'Content-Type': 'application/json', Connection: 'close' },
      },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
      },
    );
    outgoing.on('error', reject);
    outgoing.end(JSON.stringify(body));
  });
}

describe('idle HTTP connections beyond the cap', () => {
  let smtp: TestSmtpServer;
  let service: ChildService;
  let dir: string;
  let port: number;
  let refusing = true;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    smtp = await TestSmtpServer.start();
    // The host turns the service away until the idle connections are all open: its retries then
    // need a new SMTP connection while they are.
    smtp.onConnect = () => (refusing ? { code: 421, message: '4.3.2 try again later' } : undefined);
    dir = mkdtempSync(join(tmpdir(), 'kos-conncap-'));
    service = await startChildService({ RETRY_SCHEDULE: Array(30).fill('500ms').join(',') }, dir, { openFiles: OPEN_FILES });
    port = Number(new URL(service.base).port);
  }, 60_000);
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    if (service) await killHard(service);
    await smtp?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it(`are refused at once under ${OPEN_FILES} descriptors; SMTP still connects, /healthz answers on a fresh connection, held ones time out`, async () => {
    expect(
      await call(port, 'PUT', '/tenants/kunde', {
        name: 'Kunde AG',
        alertSender: { address: 'kos@kunde.ch' },
        mail: { preset: 'custom', host: '127.0.0.1', port: smtp.port, security: 'none', allowedSenders: ['*@kunde.ch'] },
      }),
    ).toBe(201);
    expect(
      await call(port, 'POST', '/tenants/kunde/notifications', {
        author: { name: 'Anna', email: 'anna@kunde.ch' },
        to: [{ email: 'bob@kunde.ch' }],
        subject: 'during the flood',
        text: 'x',
      }),
    ).toBe(202);
    const deadline = Date.now() + 10_000;
    while (smtp.sessions === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(smtp.sessions).toBeGreaterThan(0);

    const started = Date.now();
    // The attacker keeps its connections: each one the server closes is opened again 100 ms later,
    // until the mail has arrived.
    let attacking = true;
    let closedByServer = 0;
    /** Connected sockets and when they connected: the ones the server keeps are those alive for a while. */
    const alive = new Map<Socket, number>();
    const held = (): number => [...alive.values()].filter((at) => at < Date.now() - 500).length;
    const open = (): Promise<void> =>
      new Promise<void>((resolve) => {
        let connected = false;
        const socket = connect({ host: '127.0.0.1', port }, () => {
          connected = true;
          alive.set(socket, Date.now());
          socket.write('GET /healthz HTTP/1.1\r\nHost: kos\r\nX-Slow: ');
          resolve();
        });
        // Read, so that the server's 408 and close reach 'close'.
        socket.resume();
        socket.on('error', () => resolve());
        socket.on('close', () => {
          if (connected) alive.delete(socket);
          closedByServer++;
          if (attacking) setTimeout(() => void open(), 100);
        });
        sockets.push(socket);
      });
    await Promise.all(Array.from({ length: IDLE_CONNECTIONS }, open));
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const heldAfterOpening = held();
    const healthzWhileHeld = await healthz(port);

    refusing = false;
    let mailAfterMs: number | undefined;
    let heldWhenMailArrived: number | undefined;
    try {
      await smtp.waitForMessages(1, 6_000);
      mailAfterMs = Date.now() - started;
      heldWhenMailArrived = held();
    } catch {
      // Measured and asserted below.
    }
    attacking = false;
    const stopped = Date.now();

    let healthzAfterMs: number | undefined;
    let heldWhenHealthzAnswered: number | undefined;
    while (Date.now() - stopped < 40_000) {
      if ((await healthz(port)) === 200) {
        healthzAfterMs = Date.now() - stopped;
        heldWhenHealthzAnswered = held();
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    while (alive.size > 0 && Date.now() - stopped < 40_000) await new Promise((resolve) => setTimeout(resolve, 100));
    const allIdleClosedAfterMs = alive.size === 0 ? Date.now() - stopped : undefined;
    const cap = Number(/"maxConnections":(\d+)/.exec(service.output())?.[1]);
    reportFigures('connection-cap', {
      openFiles: OPEN_FILES,
      maxConnections: cap,
      idleConnections: IDLE_CONNECTIONS,
      closedByServer,
      heldAfterOpening,
      healthzWhileHeld,
      mailAfterMs,
      heldWhenMailArrived,
      healthzAfterMs,
      heldWhenHealthzAnswered,
      allIdleClosedAfterMs,
    });

    // Half the descriptors less a reserve of 128 for SMTP, the database and files.
    expect(heldAfterOpening).toBeLessThanOrEqual(OPEN_FILES / 2 - 128);
    expect(cap).toBe(OPEN_FILES / 2 - 128);
    // The retry opened an SMTP connection while the cap's worth of idle connections was still held.
    expect(mailAfterMs).toBeDefined();
    expect(heldWhenMailArrived).toBeGreaterThan(cap / 2);
    // Once the attacker stops opening new ones, a fresh connection is served as soon as a slot is
    // free, and the idle ones lose theirs after the headers timeout (10 s, checked every 2 s).
    expect(healthzAfterMs).toBeDefined();
    expect(healthzAfterMs!).toBeLessThan(20_000);
    expect(allIdleClosedAfterMs).toBeDefined();
    expect(allIdleClosedAfterMs!).toBeLessThan(20_000);
  }, 90_000);
});
