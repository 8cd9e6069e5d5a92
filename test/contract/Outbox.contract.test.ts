import { describe, expect, it } from 'vitest';
import { outgoingMail, STORE_KINDS, T0, useStores } from '../support/contractStores';

describe.each(STORE_KINDS)('Outbox contract: %s', (_name, make) => {
  const context = useStores(make);

  it('stores the whole mail as queued, due now, with no try yet and a Message-ID of the sender domain', async () => {
    const { outbox, notificationLog } = context.stores;
    const mail = outgoingMail('acme');
    const id = await outbox.enqueue(mail);
    const stored = await notificationLog.get('acme', id);
    expect(stored).toMatchObject({ ...mail, id, status: 'queued', attempts: 0, nextAttemptAt: new Date(T0), createdAt: new Date(T0) });
    expect(stored!.messageId).toMatch(/^<[^@<>\s]+@acme\.example\.ch>$/);
    expect(stored!.sentAt).toBeUndefined();
    expect(stored!.lastError).toBeUndefined();
  });

  it('stores optional fields left out as absent', async () => {
    const { outbox, notificationLog } = context.stores;
    const id = await outbox.enqueue(
      outgoingMail('acme', { replyTo: undefined, html: undefined, ticket: undefined, cc: [], kind: 'digest', autoSubmitted: true }),
    );
    const stored = await notificationLog.get('acme', id);
    expect(stored).toMatchObject({ kind: 'digest', autoSubmitted: true, cc: [] });
    expect([stored!.replyTo, stored!.html, stored!.ticket, stored!.envelopeTo]).toEqual([undefined, undefined, undefined, undefined]);
  });

  it('wakes the dispatcher, naming the tenant, once the mail is stored', async () => {
    await context.stores.outbox.enqueue(outgoingMail('acme'));
    expect(context.signal.news.flat()).toContain('acme');
  });

  it('gives every mail its own id and Message-ID, also when many arrive at once', async () => {
    const { outbox, notificationLog } = context.stores;
    const ids = await Promise.all(
      Array.from({ length: 60 }, (_, index) => outbox.enqueue(outgoingMail(index % 2 ? 'acme' : 'globex', { subject: `mail ${index}` }))),
    );
    expect(new Set(ids).size).toBe(60);
    const stored = await Promise.all(ids.map((id, index) => notificationLog.get(index % 2 ? 'acme' : 'globex', id)));
    expect(stored.map((message) => message?.subject)).toEqual(ids.map((_, index) => `mail ${index}`));
    expect(new Set(stored.map((message) => message!.messageId)).size).toBe(60);
  });

  it('refuses a second mail under the same tenant and idempotency key, and keeps the first', async () => {
    const { outbox, notificationLog } = context.stores;
    const first = await outbox.enqueue(outgoingMail('acme', { subject: 'first' }), { key: 'k-1', requestHash: 'hash-1' });
    await expect(outbox.enqueue(outgoingMail('acme', { subject: 'second' }), { key: 'k-1', requestHash: 'hash-2' })).rejects.toThrow();
    expect(await notificationLog.findByIdempotencyKey('acme', 'k-1')).toMatchObject({ message: { id: first, subject: 'first' }, requestHash: 'hash-1' });
    expect((await notificationLog.list('acme', { limit: 10 })).items).toHaveLength(1);
  });

  it('an idempotency key belongs to its tenant, and mail without a key is never refused', async () => {
    const { outbox, notificationLog } = context.stores;
    await outbox.enqueue(outgoingMail('acme'), { key: 'k-1', requestHash: 'h' });
    const other = await outbox.enqueue(outgoingMail('globex'), { key: 'k-1', requestHash: 'h' });
    await outbox.enqueue(outgoingMail('acme'));
    await outbox.enqueue(outgoingMail('acme'));
    expect((await notificationLog.findByIdempotencyKey('globex', 'k-1'))?.message.id).toBe(other);
    expect((await notificationLog.list('acme', { limit: 10 })).items).toHaveLength(3);
  });

  it('of requests racing for one key exactly one is stored, and the mail stored with them is not lost', async () => {
    const { outbox, notificationLog } = context.stores;
    const results = await Promise.allSettled([
      outbox.enqueue(outgoingMail('acme', { subject: 'a' }), { key: 'race', requestHash: 'h' }),
      outbox.enqueue(outgoingMail('acme', { subject: 'b' }), { key: 'race', requestHash: 'h' }),
      outbox.enqueue(outgoingMail('acme', { subject: 'c' }), { key: 'race', requestHash: 'h' }),
      outbox.enqueue(outgoingMail('acme', { subject: 'unkeyed' })),
    ]);
    expect(results.slice(0, 3).filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    expect(results[3]!.status).toBe('fulfilled');
    const subjects = (await notificationLog.list('acme', { limit: 10 })).items.map((message) => message.subject).sort();
    expect(subjects).toHaveLength(2);
    expect(subjects).toContain('unkeyed');
  });
});
