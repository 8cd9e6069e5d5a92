import { describe, expect, it } from 'vitest';
import { outgoingMail, STORE_KINDS, T0, useStores } from '../support/contractStores';

const claimAll = { owner: 'w', limit: 100, perTenant: new Map<string, number>(), perTenantDefault: 100, leaseMs: 60_000 };

describe.each(STORE_KINDS)('TransactionalOutbox contract: %s', (_name, make) => {
  const context = useStores(make);

  it('addIn stores the mails in the caller’s transaction: invisible before the commit, queued after it', async () => {
    const { transactionalOutbox, notificationLog, deliveryQueue } = context.stores;
    const mails = [outgoingMail('acme', { subject: 'first' }), outgoingMail('globex', { subject: 'second' }), outgoingMail('acme', { subject: 'third' })];
    const queued = await context.stores.transaction(async (transaction) => {
      const added = await transactionalOutbox.addIn(transaction, mails);
      // Read from outside the transaction (on SQLite, another connection).
      expect(await notificationLog.get('acme', added[0]!.id)).toBeUndefined();
      expect(await notificationLog.tenantQueue('acme')).toMatchObject({ waiting: 0 });
      return added;
    });
    expect(new Set(queued.map((message) => message.id)).size).toBe(3);
    for (const [index, message] of queued.entries()) {
      const stored = await notificationLog.get(mails[index]!.tenantId, message.id);
      expect(stored).toMatchObject({
        ...mails[index],
        id: message.id,
        messageId: message.messageId,
        status: 'queued',
        attempts: 0,
        nextAttemptAt: new Date(T0),
      });
    }
    expect(context.signal.news).toEqual([]);
    transactionalOutbox.committed();
    expect(context.signal.news).toEqual(['any']);
    expect((await deliveryQueue.claim(claimAll)).map((message) => message.id).sort()).toEqual(queued.map((message) => message.id).sort());
  });

  it('prepare gives the ids before anything is stored; addPreparedIn stores the mails under them', async () => {
    const { transactionalOutbox, notificationLog } = context.stores;
    const mails = [outgoingMail('acme', { subject: 'vorbereitet' }), outgoingMail('acme', { subject: 'nicht gebraucht' })];
    const prepared = transactionalOutbox.prepare(mails);
    expect(new Set(prepared.map((entry) => entry.id)).size).toBe(2);
    expect(await notificationLog.get('acme', prepared[0]!.id)).toBeUndefined();
    await context.stores.transaction((transaction) => transactionalOutbox.addPreparedIn(transaction, [prepared[0]!]));
    expect(await notificationLog.get('acme', prepared[0]!.id)).toMatchObject({
      ...mails[0],
      id: prepared[0]!.id,
      messageId: prepared[0]!.messageId,
      status: 'queued',
      attempts: 0,
    });
    expect(await notificationLog.get('acme', prepared[1]!.id)).toBeUndefined();
  });

  it('a transaction that rolls back leaves no mail behind', async () => {
    const { transactionalOutbox, notificationLog, deliveryQueue } = context.stores;
    let added: Array<{ id: string }> = [];
    await expect(
      context.stores.transaction(async (transaction) => {
        added = await transactionalOutbox.addIn(transaction, [outgoingMail('acme'), outgoingMail('acme')]);
        throw new Error('the digest log refused the run');
      }),
    ).rejects.toThrow('the digest log refused the run');
    expect(added).toHaveLength(2);
    for (const { id } of added) expect(await notificationLog.get('acme', id)).toBeUndefined();
    expect(await notificationLog.tenantQueue('acme')).toMatchObject({ waiting: 0 });
    expect(await deliveryQueue.claim(claimAll)).toEqual([]);
  });
});
