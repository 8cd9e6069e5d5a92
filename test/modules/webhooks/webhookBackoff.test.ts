import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { WebhookSender } from '../../../src/modules/webhooks/application/WebhookSender';
import { KnexWebhookStore } from '../../../src/modules/webhooks/infrastructure/KnexWebhookStore';
import { DEFAULT_WEBHOOK_OPTIONS, WEBHOOK_OPTIONS } from '../../../src/modules/webhooks/tokens';
import { DATABASE } from '../../../src/shared/tokens';
import { DATABASE_KINDS } from '../../support/databases';
import { createTestApp, type TestApp } from '../../support/testApp';
import { WebhookReceiver } from '../../support/WebhookReceiver';

const EVENTS = 100;
const options = { ...DEFAULT_WEBHOOK_OPTIONS, pollIntervalMs: 50, maxBackoffMs: 400, timeoutMs: 300 };

describe.each(DATABASE_KINDS)('a failing webhook receiver on %s is probed, not flooded', (kind) => {
  let t: TestApp | undefined;
  let receiver: WebhookReceiver | undefined;
  afterEach(async () => {
    await t?.container.get(WebhookSender).stop();
    await t?.close();
    await receiver?.close();
  });

  /** An app whose sender POSTs to a fresh receiver, with EVENTS events waiting. */
  async function start(): Promise<{ store: KnexWebhookStore; receiver: WebhookReceiver }> {
    receiver = await WebhookReceiver.start();
    const url = receiver.url;
    // A retry schedule much shorter than the test: without the back-off every event would be tried 4 times.
    t = await createTestApp(kind, {
      config: { webhookUrl: url, webhookSecret: randomBytes(32) },
      prepare: (container) => void container.rebind(WEBHOOK_OPTIONS).toConstantValue(options),
    });
    const store = t.container.get(KnexWebhookStore);
    await store.record(
      t.container.get(DATABASE),
      Array.from({ length: EVENTS }, (_, i) => ({ type: 'tenant.mail_resumed' as const, data: { tenantId: `t${i}`, mailStatus: { state: 'ok' } } })),
    );
    return { store, receiver };
  }

  it('while the receiver answers 503: a few POSTs, the other events untried; all delivered once it answers 200', async () => {
    const { store, receiver } = await start();
    receiver.respond = () => 503;
    await t!.container.get(WebhookSender).start();
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    // 8 at first, then one probe per wait (50, 100, 200, 400, 400 ms …); without the back-off: 4 tries of each of the 100.
    expect(receiver.received.length).toBeLessThanOrEqual(20);
    const untried = (await store.list({ status: 'pending', limit: EVENTS })).filter((event) => event.attempts === 0);
    expect(untried.length).toBeGreaterThanOrEqual(EVENTS - 20);
    expect(await store.list({ status: 'failed', limit: EVENTS })).toEqual([]);

    receiver.respond = () => 200;
    await expect.poll(async () => (await store.list({ status: 'delivered', limit: EVENTS })).length, { timeout: 10_000, interval: 100 }).toBe(EVENTS);
    const delivered = new Set(receiver.received.filter((webhook) => webhook.answered === 200).map((webhook) => webhook.headers['webhook-id']));
    expect(delivered.size).toBe(EVENTS);
  });

  it('while the receiver hangs: the first POSTs time out together, then one at a time', async () => {
    const { receiver } = await start();
    receiver.respond = () => 'hang';
    await t!.container.get(WebhookSender).start();
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    // 8 at first; after their 300 ms, one probe per wait; without the back-off 8 every 300 ms (about 50).
    expect(receiver.received.length).toBeGreaterThanOrEqual(options.concurrency);
    expect(receiver.received.length).toBeLessThanOrEqual(options.concurrency + 6);
  });
});
