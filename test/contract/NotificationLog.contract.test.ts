import { beforeEach, describe, expect, it } from 'vitest';
import type { ClaimRequest } from '../../src/modules/notification/domain/DeliveryQueue';
import type { NotificationLog } from '../../src/modules/notification/domain/NotificationLog';
import type { MessageStatus } from '../../src/modules/notification/domain/OutboxMessage';
import { outgoingMail, STORE_KINDS, T0, useStores } from '../support/contractStores';
import { message, type Message } from '../../src/shared/messages/message';

/** A stored text as the stores take it: with a code and params. */
const said = (text: string): Message => message('delivery_failed', { error: text });

const claimBy = (owner: string, limit = 100): ClaimRequest => ({ owner, limit, perTenant: new Map(), perTenantDefault: 100, leaseMs: 60_000 });

describe.each(STORE_KINDS)('NotificationLog contract: %s', (_name, make) => {
  const context = useStores(make);
  let log: NotificationLog;
  beforeEach(() => {
    log = context.stores.notificationLog;
  });

  async function enqueue(tenantId: string, subjectLine = 'mail', key?: string): Promise<string> {
    return context.stores.outbox.enqueue(outgoingMail(tenantId, { subject: subjectLine }), key ? { key, requestHash: `hash of ${key}` } : undefined);
  }

  it('get finds a message only under its own tenant', async () => {
    const id = await enqueue('acme');
    expect((await log.get('acme', id))?.id).toBe(id);
    expect(await log.get('globex', id)).toBeUndefined();
    expect(await log.get('acme', 'msg_unknown')).toBeUndefined();
  });

  it('findByIdempotencyKey answers the message and the hash of the request that stored it, per tenant', async () => {
    const id = await enqueue('acme', 'keyed', 'k-1');
    expect(await log.findByIdempotencyKey('acme', 'k-1')).toMatchObject({ message: { id, subject: 'keyed' }, requestHash: 'hash of k-1' });
    expect(await log.findByIdempotencyKey('globex', 'k-1')).toBeUndefined();
    expect(await log.findByIdempotencyKey('acme', 'k-2')).toBeUndefined();
  });

  it('lists newest first, page by page with the cursor, every message once, also within one millisecond', async () => {
    const queued: string[] = [];
    for (let index = 0; index < 23; index += 1) {
      queued.push(await enqueue('acme', `mail ${index}`));
      if (index % 3 === 0) context.clock.advance(1);
    }
    await enqueue('globex');
    const seen: string[] = [];
    let after: { createdAt: number; id: string } | undefined;
    for (let page = 0; page < 10; page += 1) {
      const result = await log.list('acme', { limit: 5, after });
      seen.push(...result.items.map((message) => message.id));
      after = result.next;
      if (!after) break;
      expect(result.items).toHaveLength(5);
      expect(after).toEqual({ createdAt: result.items[4]!.createdAt.getTime(), id: result.items[4]!.id });
    }
    expect(seen).toHaveLength(23);
    expect(new Set(seen)).toEqual(new Set(queued));
    const times = (await log.list('acme', { limit: 50 })).items.map((message) => message.createdAt.getTime());
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(seen.slice(0, 1)).toEqual([queued[22]]);
  });

  it('a page that holds the last message has no cursor', async () => {
    await enqueue('acme');
    await enqueue('acme');
    expect((await log.list('acme', { limit: 2 })).next).toBeUndefined();
    expect((await log.list('acme', { limit: 1 })).next).toBeDefined();
    expect(await log.list('nobody', { limit: 5 })).toEqual({ items: [], next: undefined });
  });

  it('filters the list by status', async () => {
    const [a, b, c] = [await enqueue('acme', 'a'), await enqueue('acme', 'b'), await enqueue('acme', 'c')];
    const { deliveryQueue } = context.stores;
    await deliveryQueue.claim(claimBy('w'));
    await deliveryQueue.markSent(a, 'w', context.clock.now(), []);
    await deliveryQueue.markFailed(b, 'w', said('550 no'));
    const byStatus = async (status: MessageStatus) => (await log.list('acme', { status, limit: 10 })).items.map((message) => message.id);
    expect(await byStatus('sent')).toEqual([a]);
    expect(await byStatus('failed')).toEqual([b]);
    expect(await byStatus('sending')).toEqual([c]);
    expect(await byStatus('queued')).toEqual([]);
  });

  it('tenantQueue counts the mail not yet delivered, its oldest, and the latest delivery', async () => {
    expect(await log.tenantQueue('acme')).toEqual({ waiting: 0 });
    const first = await enqueue('acme');
    context.clock.advance(1_000);
    const second = await enqueue('acme');
    context.clock.advance(1_000);
    await enqueue('acme');
    await enqueue('globex');
    const { deliveryQueue } = context.stores;
    await deliveryQueue.claim(claimBy('w', 2));
    const sentAt = new Date(Date.parse(T0) + 5_000);
    await deliveryQueue.markSent(first, 'w', sentAt, []);
    expect(await log.tenantQueue('acme')).toEqual({ waiting: 2, oldestWaitingAt: new Date(Date.parse(T0) + 1_000), lastSentAt: sentAt });
    await deliveryQueue.park(second, 'w', 'acme', said('refused'), true);
    expect((await log.tenantQueue('acme')).waiting).toBe(2);
  });

  it('stats counts the queue by status and dates its oldest queued message', async () => {
    const first = await enqueue('acme');
    context.clock.advance(1_000);
    await enqueue('acme');
    await enqueue('globex');
    await enqueue('globex');
    const { deliveryQueue } = context.stores;
    const claimed = await deliveryQueue.claim(claimBy('w', 2));
    expect(claimed.map((message) => message.id)).toContain(first);
    await deliveryQueue.markSent(first, 'w', context.clock.now(), []);
    const stats = await log.stats();
    expect([stats.byStatus.queued ?? 0, stats.byStatus.sending ?? 0, stats.byStatus.parked ?? 0]).toEqual([2, 1, 0]);
    expect(stats.oldestQueuedAt).toEqual(new Date(Date.parse(T0) + 1_000));
  });

  it('offboarding removes only that tenant’s messages', async () => {
    const gone = await enqueue('acme', 'x', 'k');
    const kept = await enqueue('globex');
    await context.stores.notificationData.deleteTenantData('acme');
    expect(await log.get('acme', gone)).toBeUndefined();
    expect(await log.findByIdempotencyKey('acme', 'k')).toBeUndefined();
    expect((await log.list('acme', { limit: 10 })).items).toEqual([]);
    expect((await log.get('globex', kept))?.id).toBe(kept);
    expect((await context.stores.deliveryQueue.claim(claimBy('w'))).map((message) => message.id)).toEqual([kept]);
  });
});
