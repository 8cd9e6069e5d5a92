import type { Container } from 'inversify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildContainer } from '../../../src/container';
import { OutboxDispatcher } from '../../../src/modules/notification/application/OutboxDispatcher';
import { DEFAULT_DELIVERY_OPTIONS } from '../../../src/modules/notification/domain/DeliveryOptions';
import { DELIVERY_OPTIONS } from '../../../src/modules/notification/tokens';
import { FixedClock } from '../../../src/shared/time/FixedClock';
import { DATABASE } from '../../../src/shared/tokens';
import { DATABASE_KINDS } from '../../support/databases';
import { createDeliveryTestApp, loopbackTenant, notificationBody, type DeliveryTestApp } from '../../support/deliveryApp';
import { TestSmtpServer } from '../../support/TestSmtpServer';

const T0 = Date.parse('2027-03-01T08:00:00Z');
const GMX_MAILS = 100;
const MAX_PER_MINUTE = 20;
const HOSTED_TENANTS = ['h1', 'h2', 'h3'];
const HOSTED_MAILS_EACH = 12;
const HOSTED_MAX_PER_MINUTE = 10;
/** How far the test moves the shared clock once every instance has done what it could. */
const STEP_MS = 10_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The most arrivals in any 60 s span (the span's start taken at each arrival). */
function mostInAMinute(arrivals: number[]): number {
  const sorted = [...arrivals].sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[j]! <= sorted[i]! - 60_000) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

// Three instances share PostgreSQL; SQLite serves one instance, which must keep the same limits.
describe.each(DATABASE_KINDS)('throttles across instances on %s', (kind) => {
  const instances = kind === 'postgres' ? 3 : 1;
  const clock = new FixedClock(new Date(T0));
  let gmx: TestSmtpServer;
  let platform: TestSmtpServer;
  let first: DeliveryTestApp;
  const others: Container[] = [];
  const arrivals = { gmx: [] as number[], platform: [] as number[] };

  beforeAll(async () => {
    gmx = await TestSmtpServer.start();
    platform = await TestSmtpServer.start();
    // When the mail reached the host, on the clock every instance shares.
    gmx.onData = () => void arrivals.gmx.push(clock.now().getTime());
    platform.onData = () => void arrivals.platform.push(clock.now().getTime());
    first = await createDeliveryTestApp(kind, {
      clock,
      delivery: { pollIntervalMs: 50 },
      env: {
        HOSTED_SMTP_URL: `smtp://127.0.0.1:${platform.port}?security=none`,
        HOSTED_SENDER: 'kos@gmx.ch',
        HOSTED_MAX_PER_MINUTE: String(HOSTED_MAX_PER_MINUTE),
      },
    });
    for (let i = 1; i < instances; i++) {
      const container = buildContainer(first.config, { clock });
      container.rebind(DELIVERY_OPTIONS).toConstantValue({ ...DEFAULT_DELIVERY_OPTIONS, pollIntervalMs: 50 });
      await container.get(OutboxDispatcher).start();
      others.push(container);
    }
    await first.putTenant(
      'gmx',
      loopbackTenant({ port: gmx.port, alertSender: { address: 'kos@kunde.ch' }, allowedSenders: ['*@kunde.ch'], maxPerMinute: MAX_PER_MINUTE }),
    );
    for (const id of HOSTED_TENANTS) await first.putTenant(id, { name: `Hosted ${id}`, mail: { preset: 'hosted' } });
  });
  afterAll(async () => {
    for (const container of others) {
      await container.get(OutboxDispatcher).stop();
      await container.unbindAllAsync();
    }
    await first?.close();
    await gmx?.close();
    await platform?.close();
  });

  /** Until no message is being sent and nothing more arrives: all the instances could send at this instant is sent. */
  async function quiet(): Promise<void> {
    const db = first.container.get(DATABASE);
    let seen = -1;
    for (;;) {
      await sleep(300);
      const arrived = gmx.received.length + platform.received.length;
      const sending = Number((await db('outbox_messages').where({ status: 'sending' }).count({ n: '*' }))[0]!.n);
      if (sending === 0 && arrived === seen) return;
      seen = arrived;
    }
  }

  it(`a tenant with maxPerMinute ${MAX_PER_MINUTE} and the hosted mailbox get at most their limits in any 60 s across ${instances} instance(s)`, async () => {
    const queued: Array<Promise<unknown>> = [];
    for (let i = 0; i < GMX_MAILS; i++)
      queued.push(
        first
          .notify('gmx', notificationBody({ author: { name: 'Anna', email: 'anna@kunde.ch' }, subject: `GMX ${i}` }))
          .then((response) => expect(response.status).toBe(202)),
      );
    for (const id of HOSTED_TENANTS)
      for (let i = 0; i < HOSTED_MAILS_EACH; i++)
        queued.push(first.notify(id, notificationBody({ subject: `${id} ${i}` })).then((response) => expect(response.status).toBe(202)));
    await Promise.all(queued);
    const total = GMX_MAILS + HOSTED_TENANTS.length * HOSTED_MAILS_EACH;
    for (let step = 0; gmx.received.length + platform.received.length < total && step < 40; step++) {
      await quiet();
      clock.advance(STEP_MS);
    }
    await quiet();

    expect(arrivals.gmx).toHaveLength(GMX_MAILS);
    expect(arrivals.platform).toHaveLength(HOSTED_TENANTS.length * HOSTED_MAILS_EACH);
    expect(mostInAMinute(arrivals.gmx)).toBe(MAX_PER_MINUTE);
    expect(mostInAMinute(arrivals.platform)).toBe(HOSTED_MAX_PER_MINUTE);
    // Held to the limit, not below it: a full window each minute, 100 mails in four minutes.
    expect(Math.max(...arrivals.gmx) - T0).toBeLessThanOrEqual(4 * 60_000);
    expect(Math.max(...arrivals.platform) - T0).toBeLessThanOrEqual(3 * 60_000);
    const ids = [...gmx.received, ...platform.received].map((mail) => /^Message-ID: (<[^>]+>)/im.exec(mail.raw.toString('utf8'))?.[1]);
    expect(new Set(ids).size).toBe(total);
    // A message that waited for the window went back to the queue untried.
    const db = first.container.get(DATABASE);
    expect(Number((await db('outbox_messages').max({ max: 'attempts' }).first())!.max)).toBe(1);
    console.info(
      `${kind}, ${instances} instance(s): gmx ${GMX_MAILS} mails, at most ${mostInAMinute(arrivals.gmx)} in 60 s; hosted ${arrivals.platform.length} mails, at most ${mostInAMinute(arrivals.platform)} in 60 s`,
    );
  }, 120_000);
});
