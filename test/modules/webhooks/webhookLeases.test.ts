import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KnexWebhookStore } from '../../../src/modules/webhooks/infrastructure/KnexWebhookStore';
import { DATABASE } from '../../../src/shared/tokens';
import { DATABASE_KINDS } from '../../support/databases';
import { createTestApp, type TestApp } from '../../support/testApp';

const LEASE_MS = 20_000;

describe.each(DATABASE_KINDS)('webhook event leases on %s', (kind) => {
  let t: TestApp;
  let store: KnexWebhookStore;

  beforeAll(async () => {
    t = await createTestApp(kind, { config: { webhookUrl: 'http://127.0.0.1:9/hooks', webhookSecret: randomBytes(32) } });
    store = t.container.get(KnexWebhookStore);
  });
  afterAll(async () => t?.close());

  it('gives a leased event to one instance; another takes it only when the lease ran out, and the first can no longer record it', async () => {
    const db = t.container.get(DATABASE);
    await store.record(db, [{ type: 'tenant.mail_resumed', data: { tenantId: `lease-${kind}`, mailStatus: { state: 'ok' } } }]);
    const now = new Date();
    const [first] = await store.claim('instance-a', 10, LEASE_MS, now);
    expect(first).toMatchObject({ status: 'sending', attempts: 1 });
    expect(await store.claim('instance-b', 10, LEASE_MS, new Date(now.getTime() + LEASE_MS - 1))).toEqual([]);
    // A start-up on PostgreSQL must not take the events other live instances are sending.
    if (kind === 'postgres') {
      expect(await store.recoverAbandoned(new Date(now.getTime() + 1))).toBe(0);
      expect(await store.claim('instance-b', 10, LEASE_MS, new Date(now.getTime() + 1))).toEqual([]);
    }

    const [again] = await store.claim('instance-b', 10, LEASE_MS, new Date(now.getTime() + LEASE_MS + 1));
    expect(again).toMatchObject({ id: first!.id, status: 'sending', attempts: 2 });
    await store.markDelivered(first!.id, 'instance-a', new Date());
    expect((await store.list({ status: 'sending', limit: 10 })).map((event) => event.id)).toContain(first!.id);
    await store.markDelivered(first!.id, 'instance-b', new Date());
    expect((await store.list({ status: 'delivered', limit: 10 })).map((event) => event.id)).toEqual([first!.id]);
  });

  it('claims the longest-due first, an expired lease among them, and neither an event not yet due nor one leased', async () => {
    const db = t.container.get(DATABASE);
    const tenantId = `order-${kind}`;
    await store.record(
      db,
      Array.from({ length: 5 }, () => ({ type: 'tenant.mail_resumed' as const, data: { tenantId, mailStatus: { state: 'ok' } } })),
    );
    const now = Date.now();
    const mine = (await store.claim('setup', 10, LEASE_MS, new Date(now))).filter((event) => event.tenantId === tenantId);
    expect(mine).toHaveLength(5);
    const [later, earlier, notYet, leased, expired] = mine.map((event) => event.id);
    await store.markUndelivered(later!, 'setup', 'HTTP 503', new Date(now - 1_000));
    await store.markUndelivered(earlier!, 'setup', 'HTTP 503', new Date(now - 2_000));
    await store.markUndelivered(notYet!, 'setup', 'HTTP 503', new Date(now + 60_000));
    await db('webhook_events')
      .where({ id: leased })
      .update({ lease_until: now + 60_000 });
    await db('webhook_events')
      .where({ id: expired })
      .update({ lease_until: now - 1, next_attempt_at: now - 500 });

    const first = await store.claim('instance-c', 2, LEASE_MS, new Date(now));
    expect(first.map((event) => event.id).sort()).toEqual([earlier, later].sort());
    const rest = await store.claim('instance-c', 10, LEASE_MS, new Date(now));
    expect(rest.map((event) => event.id)).toEqual([expired]);
    expect(rest[0]).toMatchObject({ status: 'sending', attempts: 2 });
  });
});
