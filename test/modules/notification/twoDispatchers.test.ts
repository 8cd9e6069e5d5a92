import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Container } from 'inversify';
import { buildContainer } from '../../../src/container';
import { OutboxDispatcher } from '../../../src/modules/notification/application/OutboxDispatcher';
import { KnexOutbox } from '../../../src/modules/notification/infrastructure/KnexOutbox';
import { DELIVERY_OPTIONS } from '../../../src/modules/notification/tokens';
import { DATABASE, METRICS } from '../../../src/shared/tokens';
import { createDeliveryTestApp, loopbackTenant, type DeliveryTestApp } from '../../support/deliveryApp';
import { TestSmtpServer } from '../../support/TestSmtpServer';

const TOTAL = 2_000;
const TENANTS = ['a', 'b', 'c', 'd'];

describe.skipIf(!process.env.TEST_DATABASE_URL)('two dispatchers on one PostgreSQL', () => {
  let smtp: TestSmtpServer;
  let first: DeliveryTestApp;
  let second: Container;

  beforeAll(async () => {
    smtp = await TestSmtpServer.start();
    first = await createDeliveryTestApp('postgres');
    // Both instances read these tenants from the one database.
    for (const id of TENANTS) await first.putTenant(id, loopbackTenant({ alertSender: { address: `kos@${id}.ch` }, port: smtp.port }));
    await first.dispatcher.stop();
    second = buildContainer(first.config);
    const configured = second.get(DELIVERY_OPTIONS);
    second.rebind(DELIVERY_OPTIONS).toConstantValue({ ...configured, pollIntervalMs: 200 });
  });
  afterAll(async () => {
    await second?.get(OutboxDispatcher).stop();
    await second?.unbindAllAsync();
    await first?.close();
    await smtp?.close();
  });

  it(`deliver ${TOTAL} messages with no duplicate`, async () => {
    const outbox = first.container.get(KnexOutbox);
    await first.container.get(DATABASE).transaction(async (trx) => {
      for (let i = 0; i < TOTAL; i++) {
        const tenantId = TENANTS[i % TENANTS.length]!;
        await outbox.addIn(trx, [
          {
            tenantId,
            kind: 'digest',
            from: { address: `kos@${tenantId}.ch` },
            envelopeFrom: `kos@${tenantId}.ch`,
            to: [{ address: `r${i}@kunde.ch` }],
            cc: [],
            subject: `Zwei ${i}`,
            text: 'x',
            senderRewritten: false,
            autoSubmitted: true,
          },
        ]);
      }
    });
    const dispatchers = [first.container.get(OutboxDispatcher), second.get(OutboxDispatcher)];
    const started = Date.now();
    await Promise.all(dispatchers.map((dispatcher) => dispatcher.start()));
    await smtp.waitForMessages(TOTAL, 90_000);
    const elapsed = Date.now() - started;
    await expect
      .poll(async () => Number((await first.container.get(DATABASE)('outbox_messages').where({ status: 'sent' }).count({ n: '*' }))[0]!.n), { timeout: 10_000 })
      .toBe(TOTAL);
    // Nothing more may arrive once all are sent: give stragglers a moment to show up.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const ids = smtp.received.map((mail) => /^Message-ID: (<[^>]+>)/im.exec(mail.raw.toString('utf8'))?.[1]);
    expect(ids).toHaveLength(TOTAL);
    expect(new Set(ids).size).toBe(TOTAL);
    const attempts = await first.container.get(DATABASE)('outbox_messages').max({ max: 'attempts' }).first();
    expect(Number(attempts!.max)).toBe(1);
    const shares = await Promise.all(
      [first.container, second].map(async (container) => {
        const metric = await container.get(METRICS).getSingleMetric('kos_mail_sent_total')!.get();
        return metric.values.reduce((sum, value) => sum + value.value, 0);
      }),
    );
    expect(shares[0]! + shares[1]!).toBe(TOTAL);
    expect(Math.min(...shares)).toBeGreaterThan(0);
    console.info(`two dispatchers: ${TOTAL} delivered in ${elapsed} ms, no duplicate; shares ${shares.join(' / ')}`);
  }, 180_000);
});
