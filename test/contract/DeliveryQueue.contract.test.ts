import { beforeEach, describe, expect, it } from 'vitest';
import type { ClaimRequest, DeliveryQueue } from '../../src/modules/notification/domain/DeliveryQueue';
import type { NotificationLog } from '../../src/modules/notification/domain/NotificationLog';
import type { OutboxMessage } from '../../src/modules/notification/domain/OutboxMessage';
import { outgoingMail, STORE_KINDS, useStores } from '../support/contractStores';
import { message, type Message } from '../../src/shared/messages/message';

/** A stored text as the stores take it: with a code and params. */
const said = (text: string): Message => message('delivery_failed', { error: text });

const LEASE_MS = 60_000;
const claimBy = (owner: string, options: Partial<ClaimRequest> = {}): ClaimRequest => ({
  owner,
  limit: 100,
  perTenant: new Map(),
  perTenantDefault: 100,
  leaseMs: LEASE_MS,
  ...options,
});
const ids = (messages: OutboxMessage[]): string[] => messages.map((message) => message.id);

describe.each(STORE_KINDS)('DeliveryQueue contract: %s', (_name, make, traits) => {
  const context = useStores(make);
  let queue: DeliveryQueue;
  let log: NotificationLog;
  beforeEach(() => {
    ({ deliveryQueue: queue, notificationLog: log } = context.stores);
  });

  /** Queues mails one millisecond apart, so that their order is their age. */
  async function queueMails(tenants: string[]): Promise<string[]> {
    const queued: string[] = [];
    for (const tenantId of tenants) {
      queued.push(await context.stores.outbox.enqueue(outgoingMail(tenantId, { subject: `mail ${queued.length}` })));
      context.clock.advance(1);
    }
    return queued;
  }
  const status = async (tenantId: string, id: string) => (await log.get(tenantId, id))!;

  it('leases the due mail oldest first, counts the try, and hands over the whole mail', async () => {
    const [first, second] = await queueMails(['acme', 'globex']);
    const claimed = await queue.claim(claimBy('worker-a'));
    expect(ids(claimed)).toEqual([first, second]);
    expect(claimed[0]).toMatchObject({ ...outgoingMail('acme', { subject: 'mail 0' }), status: 'sending', attempts: 1 });
    expect(await status('acme', first!)).toMatchObject({ status: 'sending', attempts: 1 });
    expect(await queue.claim(claimBy('worker-b'))).toEqual([]);
  });

  it('takes at most `limit` messages, and per tenant at most its room (none when full, the default when unlisted)', async () => {
    await queueMails(['acme', 'acme', 'acme', 'globex', 'globex', 'initech', 'initech', 'initech']);
    const claimed = await queue.claim(
      claimBy('w', {
        perTenant: new Map([
          ['acme', 0],
          ['globex', 1],
        ]),
        perTenantDefault: 2,
      }),
    );
    expect(claimed.map((message) => message.tenantId)).toEqual(['globex', 'initech', 'initech']);
    expect(await queue.claim(claimBy('w', { limit: 2 }))).toHaveLength(2);
    expect(await queue.claim(claimBy('w', { limit: 0 }))).toEqual([]);
  });

  it('a room above the default counts as the default', async () => {
    await queueMails(['acme', 'acme', 'acme', 'acme']);
    expect(await queue.claim(claimBy('w', { perTenant: new Map([['acme', 3]]), perTenantDefault: 2 }))).toHaveLength(2);
  });

  it('a tenant left out (no room) does not hide the tenants queued behind its backlog', async () => {
    await Promise.all(Array.from({ length: 2_500 }, () => context.stores.outbox.enqueue(outgoingMail('big'))));
    context.clock.advance(1);
    const [small] = await queueMails(['small']);
    expect(ids(await queue.claim(claimBy('w', { perTenant: new Map([['big', 0]]), perTenantDefault: 10 })))).toEqual([small]);
  });

  it('claims are exclusive: claimers at the same time never get the same message', async () => {
    const queued = await queueMails(Array.from({ length: 90 }, (_, index) => `tenant-${index % 5}`));
    const rounds = await Promise.all(['a', 'b', 'c'].map((owner) => queue.claim(claimBy(owner, { limit: 40 }))));
    const claimed = rounds.flatMap(ids);
    expect(new Set(claimed).size).toBe(claimed.length);
    const rest = await queue.claim(claimBy('d'));
    expect([...claimed, ...ids(rest)].sort()).toEqual([...queued].sort());
  });

  it('a lease keeps others off until it expires; then another owner takes the message, counted as interrupted, and the first loses every outcome but a 250', async () => {
    const [id] = await queueMails(['acme']);
    expect(await queue.claim(claimBy('first'))).toMatchObject([{ id, interruptions: 0 }]);
    context.clock.advance(LEASE_MS - 1);
    expect(await queue.claim(claimBy('second'))).toEqual([]);
    context.clock.advance(2);
    expect(await queue.claim(claimBy('second'))).toMatchObject([{ id, attempts: 2, interruptions: 1 }]);
    expect(await queue.scheduleRetry(id!, 'first', context.clock.now(), said('late'))).toBe(false);
    expect(await queue.markFailed(id!, 'first', said('late'))).toBe(false);
    await queue.release(id!, 'first');
    await queue.countInterruption(id!, 'first');
    await queue.park(id!, 'first', 'acme', said('late'), true);
    expect(await status('acme', id!)).toMatchObject({ status: 'sending', attempts: 2, interruptions: 1 });
    // The host took the mail from the first try: that is recorded, and the second's 250 finds it recorded.
    expect(await queue.markSent(id!, 'first', context.clock.now(), [])).toBe(true);
    expect(await queue.markSent(id!, 'second', context.clock.now(), [])).toBe(false);
    expect(await status('acme', id!)).toMatchObject({ status: 'sent' });
  });

  it('a late 250 is recorded after the newer try already wrote a retry or a failure; sent then stays sent', async () => {
    const [retried, failed] = await queueMails(['acme', 'acme']);
    await queue.claim(claimBy('old'));
    context.clock.advance(LEASE_MS + 1);
    expect(ids(await queue.claim(claimBy('new')))).toEqual([retried, failed]);
    expect(await queue.scheduleRetry(retried!, 'new', new Date(context.clock.now().getTime() + 60_000), said('421 try later'))).toBe(true);
    expect(await queue.markFailed(failed!, 'new', said('550 no such user'))).toBe(true);
    const sentAt = context.clock.now();
    expect(await Promise.all([queue.markSent(retried!, 'old', sentAt, []), queue.markSent(failed!, 'old', sentAt, [])])).toEqual([true, true]);
    for (const id of [retried!, failed!]) expect(await status('acme', id)).toMatchObject({ status: 'sent', sentAt, lastError: undefined });

    // Nothing moves a sent message again: not a claim, an outcome, a release, a park, a requeue.
    context.clock.advance(LEASE_MS * 10);
    expect(await queue.claim(claimBy('new'))).toEqual([]);
    expect(await queue.scheduleRetry(retried!, 'new', context.clock.now(), said('x'))).toBe(false);
    expect(await queue.markFailed(retried!, 'new', said('x'))).toBe(false);
    await queue.release(retried!, 'new');
    await queue.park(retried!, 'new', 'acme', said('x'), true);
    expect(await queue.requeueFailed('acme', retried!, context.clock.now())).toBe(false);
    expect(await queue.unpark('acme', context.clock.now())).toBe(0);
    expect(await queue.markSent(retried!, 'old', context.clock.now(), [])).toBe(false);
    expect(await status('acme', retried!)).toMatchObject({ status: 'sent', sentAt, attempts: 2 });
  });

  it('countInterruption counts a send of a suspect message while its owner holds the lease; a retry ends the count', async () => {
    const [id] = await queueMails(['acme']);
    await queue.claim(claimBy('gone'));
    context.clock.advance(LEASE_MS + 1);
    expect(await queue.claim(claimBy('w'))).toMatchObject([{ id, interruptions: 1 }]);
    await queue.countInterruption(id!, 'w');
    await queue.countInterruption(id!, 'someone-else');
    expect(await status('acme', id!)).toMatchObject({ status: 'sending', interruptions: 2 });
    // Taken over once more: only the first take-over counts by itself, later ones count before their send.
    context.clock.advance(LEASE_MS + 1);
    expect(await queue.claim(claimBy('w2'))).toMatchObject([{ id, interruptions: 2, attempts: 3 }]);
    expect(await queue.scheduleRetry(id!, 'w2', context.clock.now(), said('421 busy'))).toBe(true);
    expect(await status('acme', id!)).toMatchObject({ status: 'queued', interruptions: 0 });
    expect(await queue.claim(claimBy('w2'))).toMatchObject([{ id, interruptions: 0 }]);
  });

  it('requeueFailed queues a failed message of the tenant again from a time, under the same id and Message-ID', async () => {
    const [failed, otherFailed, queued] = await queueMails(['acme', 'globex', 'acme']);
    const claimed = await queue.claim(claimBy('w', { limit: 2 }));
    const refusal = { address: 'bob@example.ch', code: 550, response: '550 no such user' };
    await queue.markFailed(failed!, 'w', said('550 no such user'), [refusal]);
    await queue.markFailed(otherFailed!, 'w', said('550 no'));
    const at = new Date(context.clock.now().getTime() + 1_000);
    expect(await queue.requeueFailed('globex', failed!, at)).toBe(false);
    expect(await queue.requeueFailed('acme', queued!, at)).toBe(false);
    expect(await queue.requeueFailed('acme', 'msg_unknown', at)).toBe(false);
    expect(await queue.requeueFailed('acme', failed!, at)).toBe(true);
    expect(await queue.requeueFailed('acme', failed!, at)).toBe(false);
    expect(await status('acme', failed!)).toMatchObject({
      status: 'queued',
      nextAttemptAt: at,
      messageId: claimed[0]!.messageId,
      rejectedRecipients: undefined,
    });
    expect(await status('globex', otherFailed!)).toMatchObject({ status: 'failed' });
    expect(ids(await queue.claim(claimBy('w')))).toEqual([queued]);
    context.clock.set(at);
    expect(await queue.claim(claimBy('w'))).toMatchObject([{ id: failed, messageId: claimed[0]!.messageId, status: 'sending' }]);
  });

  it('tells whether one instance serves the store', () => {
    expect(queue.singleInstance).toBe(traits.singleInstance);
  });

  it('markSent records the delivery once, with the recipients the host refused', async () => {
    const [plain, partly] = await queueMails(['acme', 'acme']);
    await queue.claim(claimBy('w'));
    const sentAt = new Date(context.clock.now().getTime() + 500);
    const refusal = { address: 'carl@example.ch', code: 550, response: '550 5.1.1 no such user' };
    const [a, b] = await Promise.all([queue.markSent(plain!, 'w', sentAt, []), queue.markSent(partly!, 'w', sentAt, [refusal])]);
    expect([a, b]).toEqual([true, true]);
    expect(await status('acme', plain!)).toMatchObject({ status: 'sent', sentAt, attempts: 1, rejectedRecipients: undefined });
    expect(await status('acme', partly!)).toMatchObject({ status: 'sent', sentAt, rejectedRecipients: [refusal] });
    expect(await queue.markSent(plain!, 'w', sentAt, [])).toBe(false);
  });

  it('sent reports arriving together each learn whether they recorded their mail', async () => {
    const queued = await queueMails(['acme', 'acme', 'acme', 'acme']);
    await queue.claim(claimBy('w'));
    const now = context.clock.now();
    const results = await Promise.all([...queued.map((id) => queue.markSent(id, 'w', now, [])), queue.markSent(queued[0]!, 'intruder', now, [])]);
    expect(results).toEqual([true, true, true, true, false]);
  });

  it('markSent with a retry queues the same message again for the refused recipients only, counting tries on', async () => {
    const [id] = await queueMails(['acme']);
    const [claimed] = await queue.claim(claimBy('w'));
    const at = new Date(context.clock.now().getTime() + 60_000);
    const refusal = { address: 'carl@example.ch', code: 451, response: '451 4.2.1 try later' };
    expect(await queue.markSent(id!, 'w', context.clock.now(), [refusal], { addresses: ['carl@example.ch'], at, lastError: said(refusal.response) })).toBe(
      true,
    );
    const { items } = await log.list('acme', { limit: 10, status: 'queued' });
    expect(items).toHaveLength(1);
    const again = items[0]!;
    expect(again.id).not.toBe(id);
    expect(again).toMatchObject({
      messageId: claimed!.messageId,
      subject: claimed!.subject,
      to: claimed!.to,
      cc: claimed!.cc,
      envelopeTo: ['carl@example.ch'],
      nextAttemptAt: at,
      lastError: said(refusal.response),
      attempts: 1,
    });
    expect(await queue.claim(claimBy('w'))).toEqual([]);
    context.clock.set(at);
    expect(await queue.claim(claimBy('w'))).toMatchObject([{ id: again.id, attempts: 2, envelopeTo: ['carl@example.ch'] }]);
  });

  it('scheduleRetry puts the message back to wait until its time, with the error', async () => {
    const [id] = await queueMails(['acme']);
    await queue.claim(claimBy('w'));
    const at = new Date(context.clock.now().getTime() + 300_000);
    expect(await queue.scheduleRetry(id!, 'w', at, said('421 busy'))).toBe(true);
    expect(await status('acme', id!)).toMatchObject({ status: 'queued', nextAttemptAt: at, lastError: said('421 busy'), attempts: 1 });
    context.clock.set(new Date(at.getTime() - 1));
    expect(await queue.claim(claimBy('w'))).toEqual([]);
    context.clock.set(at);
    expect(await queue.claim(claimBy('w'))).toMatchObject([{ id, attempts: 2 }]);
  });

  it('markFailed ends the message with the error and the refused recipients; it is never claimed again', async () => {
    const [id] = await queueMails(['acme']);
    await queue.claim(claimBy('w'));
    const refusal = { address: 'bob@example.ch', code: 550, response: '550 no' };
    expect(await queue.markFailed(id!, 'w', said('550 no'), [refusal])).toBe(true);
    expect(await status('acme', id!)).toMatchObject({ status: 'failed', lastError: said('550 no'), rejectedRecipients: [refusal] });
    context.clock.advance(LEASE_MS * 10);
    expect(await queue.claim(claimBy('w'))).toEqual([]);
  });

  it('park parks the message and the tenant’s queued mail, not other tenants’; unpark queues them again from a time', async () => {
    const [leased, waiting, other] = await queueMails(['acme', 'acme', 'globex']);
    await queue.claim(claimBy('w', { limit: 1 }));
    await queue.park(leased!, 'w', 'acme', said('535 authentication failed'), false);
    expect(await status('acme', leased!)).toMatchObject({ status: 'parked', attempts: 0, lastError: said('535 authentication failed') });
    expect(await status('acme', waiting!)).toMatchObject({ status: 'parked', lastError: said('535 authentication failed') });
    expect(await status('globex', other!)).toMatchObject({ status: 'queued' });
    expect(ids(await queue.claim(claimBy('w')))).toEqual([other]);

    const at = new Date(context.clock.now().getTime() + 1_000);
    expect(await queue.unpark('acme', at)).toBe(2);
    expect(await queue.unpark('acme', at)).toBe(0);
    expect(await queue.claim(claimBy('w'))).toEqual([]);
    context.clock.set(at);
    expect(ids(await queue.claim(claimBy('w'))).sort()).toEqual([leased, waiting].sort());
  });

  it('park with the try counted keeps the attempt', async () => {
    const [id] = await queueMails(['acme']);
    await queue.claim(claimBy('w'));
    await queue.park(id!, 'w', 'acme', said('refused'), true);
    expect(await status('acme', id!)).toMatchObject({ status: 'parked', attempts: 1 });
  });

  it('release hands a message back untried, at once or from a given time; only its owner can', async () => {
    const [now, later] = await queueMails(['acme', 'acme']);
    await queue.claim(claimBy('w'));
    await queue.release(now!, 'someone-else');
    expect(await status('acme', now!)).toMatchObject({ status: 'sending' });
    await queue.release(now!, 'w');
    const at = new Date(context.clock.now().getTime() + 5_000);
    await queue.release(later!, 'w', at);
    expect(await status('acme', now!)).toMatchObject({ status: 'queued', attempts: 0 });
    expect(await status('acme', later!)).toMatchObject({ status: 'queued', attempts: 0, nextAttemptAt: at });
    expect(ids(await queue.claim(claimBy('w')))).toEqual([now]);
    context.clock.set(at);
    expect(await queue.claim(claimBy('w'))).toMatchObject([{ id: later, attempts: 1 }]);
  });

  it('releaseMany hands back the owner’s messages only', async () => {
    const queued = await queueMails(['acme', 'acme', 'globex', 'globex']);
    await queue.claim(claimBy('a', { limit: 3 }));
    await queue.claim(claimBy('b'));
    await queue.releaseMany(queued, 'a');
    const states = await Promise.all(queued.map((id, index) => status(index < 2 ? 'acme' : 'globex', id)));
    expect(states.map((message) => `${message.status}/${message.attempts}`)).toEqual(['queued/0', 'queued/0', 'queued/0', 'sending/1']);
  });

  // Where several instances share the store, leases expire instead (the case above).
  it.runIf(traits.singleInstance)('recoverAbandoned, where one instance serves the store, queues again every message left sending', async () => {
    const queued = await queueMails(['acme', 'globex', 'globex']);
    await queue.claim(claimBy('gone', { limit: 2 }));
    expect(await queue.recoverAbandoned()).toBe(2);
    expect((await queue.claim(claimBy('new'))).map((message) => [message.id, message.interruptions])).toEqual([
      [queued[0], 1],
      [queued[1], 1],
      [queued[2], 0],
    ]);
  });
});
