import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killHard, postJson, startChildService, type ChildService } from '../support/childService';
import { reportFigures } from '../support/figures';
import { HostileSmtpHost } from '../support/HostileSmtpHost';
import { TestSmtpServer } from '../support/TestSmtpServer';
import { TEST_ADMIN_KEY } from '../support/testConfig';

const MB = 1024 * 1024;

/** Peak and current resident memory of a process, from /proc (Linux). */
function memoryOf(pid: number): { peakMb: number; nowMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { peakMb: Math.round(kb('VmHWM') / 1024), nowMb: Math.round(kb('VmRSS') / 1024) };
}

/**
 * The built server against a host whose greeting never ends, in lines of 4,000 characters: joined,
 * they once passed the longest string V8 can make, and the RangeError thrown in the socket's data
 * handler ended the process, again after every restart.
 */
describe('the real server process against an endless greeting', () => {
  let dir: string;
  let hostile: HostileSmtpHost;
  let healthy: TestSmtpServer;
  let service: ChildService | undefined;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kos-hostile-'));
    // 600 MB and a last line are sent only to a client that never hangs up: joined, more than a string may hold.
    hostile = await HostileSmtpHost.start('endless-greeting', { lineLength: 4000, budgetBytes: 600 * MB, finalLine: true });
    healthy = await TestSmtpServer.start();
    service = await startChildService({ DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}`, RETRY_SCHEDULE: '200ms,200ms,200ms' }, dir);
  });
  afterAll(async () => {
    if (service) await killHard(service);
    await hostile?.close();
    await healthy?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const get = async (path: string): Promise<Record<string, any>> => {
    const { child } = service!;
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`the service died (${child.exitCode ?? child.signalCode}):\n${service!.output().slice(-1500)}`);
    return (await fetch(`${service!.base}${path}`, { headers: { Authorization: `Bearer ${TEST_ADMIN_KEY}` } })).json() as Promise<Record<string, any>>;
  };

  it("lives, fails that tenant's tries with EPROTOCOL, and sends the other tenant's mail", async () => {
    const base = service!.base;
    const memoryBefore = memoryOf(service!.child.pid!);
    for (const [id, port] of [
      ['hostile', hostile.port],
      ['healthy', healthy.port],
    ] as const) {
      const saved = await postJson(
        `${base}/tenants/${id}`,
        {
          name: id,
          alertSender: { address: `kos@${id}.ch` },
          mail: { preset: 'custom', host: '127.0.0.1', port, security: 'none', allowedSenders: [`*@${id}.ch`] },
        },
        'PUT',
      );
      expect(saved.status).toBe(201);
    }
    const started = Date.now();
    const queued = (await (
      await postJson(`${base}/tenants/hostile/notifications`, {
        author: { name: 'A', email: 'a@hostile.ch' },
        to: [{ email: 'b@hostile.ch' }],
        subject: 'x',
        text: 'x',
      })
    ).json()) as { id: string };
    expect(
      (
        await postJson(`${base}/tenants/healthy/notifications`, {
          author: { name: 'A', email: 'a@healthy.ch' },
          to: [{ email: 'b@healthy.ch' }],
          subject: 'y',
          text: 'y',
        })
      ).status,
    ).toBe(202);
    await healthy.waitForMessages(1, 10_000);

    await expect.poll(async () => (await get(`/tenants/hostile/notifications/${queued.id}`)).status, { timeout: 20_000, interval: 100 }).toBe('failed');
    const failedAfterMs = Date.now() - started;
    const view = await get(`/tenants/hostile/notifications/${queued.id}`);
    expect(view.attempts).toBe(4);
    expect(view.lastError).toContain('EPROTOCOL: the host sent a reply of more than 64 KiB');
    expect(service!.child.exitCode).toBeNull();
    expect((await fetch(base.replace(/\/api\/v1$/, '/healthz'))).status).toBe(200);
    expect(service!.output()).not.toContain('RangeError');
    const verify = await postJson(`${base}/tenants/hostile/mail/verify`, {});
    expect(verify.status).toBe(200);
    expect(((await verify.json()) as { steps: Array<{ detail: string }> }).steps[0]!.detail).toContain('a reply of more than 64 KiB');
    // Five sessions (four tries and the verify), each hung up on by the service.
    expect(hostile.sessions).toHaveLength(5);
    // The host sees the verify's hang-up a moment after the service answered it.
    await expect.poll(() => hostile.sessions.every((session) => session.closedByClient), { timeout: 5_000, interval: 20 }).toBe(true);
    const memoryAfter = memoryOf(service!.child.pid!);
    reportFigures('hostile-host-process', {
      failedAfterMs,
      hostBytesMaxPerSession: hostile.maxWritten,
      rssBeforeMb: memoryBefore.nowMb,
      rssAfterMb: memoryAfter.nowMb,
      rssPeakMb: memoryAfter.peakMb,
    });
    expect(hostile.maxWritten).toBeLessThan(16 * MB);
  }, 60_000);
});
