import { describe, expect, it } from 'vitest';
import { setAsideReason } from '../../../src/modules/notification/domain/interruptions';
import { FixedClock } from '../../../src/shared/time/FixedClock';
import { DATABASE_KINDS } from '../../support/databases';
import { commentMail, useOutboxFixture } from '../../support/outboxFixture';
import { message } from '../../../src/shared/messages/message';

const LEASE_MS = 60_000;

describe.each(DATABASE_KINDS)('interrupted sends counted on %s', (kind) => {
  const clock = new FixedClock('2027-03-01T09:00:00Z');
  const stack = useOutboxFixture(kind, { clock, emptyAfterEach: true });

  const claimAll = () => stack.claim('me', { leaseMs: LEASE_MS });
  const interruptions = async (id: string) => (await claimAll()).find((message) => message.id === id)?.interruptions;

  it('counts a death once for a message that only waited its turn, and every death during its own send after that', async () => {
    const waiting = await stack.outbox.enqueue(commentMail('Wartet'));
    const sending = await stack.outbox.enqueue(commentMail('Sendet'));
    await claimAll();
    // The process dies with both leased: which one was sending is not known.
    expect(await stack.queue.recoverAbandoned()).toBe(2);
    const again = await claimAll();
    expect(again.map((message) => message.interruptions)).toEqual([1, 1]);
    // Only the suspect whose send starts is counted before it; then the process dies again.
    await stack.queue.countInterruption(sending, 'me');
    await stack.queue.recoverAbandoned();
    const third = await claimAll();
    expect(Object.fromEntries(third.map((message) => [message.id, message.interruptions]))).toEqual({ [waiting]: 1, [sending]: 2 });
    await stack.queue.countInterruption(sending, 'me');
    await stack.queue.recoverAbandoned();
    const fourth = await claimAll();
    expect(Object.fromEntries(fourth.map((message) => [message.id, setAsideReason(message, 3)]))).toEqual({
      [waiting]: undefined,
      [sending]: {
        code: 'delivery_interrupted',
        params: { interruptions: 3 },
        message: 'delivery was interrupted 3 times (the process stopped while sending); set aside',
      },
    });
  });

  it('counts a lease that ran out like a death, and a try that got an answer ends the count', async () => {
    const id = await stack.outbox.enqueue(commentMail('Abgelaufen'));
    expect(await interruptions(id)).toBe(0);
    clock.advance(LEASE_MS + 1);
    expect(await interruptions(id)).toBe(1);
    await stack.queue.countInterruption(id, 'me');
    clock.advance(LEASE_MS + 1);
    expect(await interruptions(id)).toBe(2);
    expect(await stack.queue.scheduleRetry(id, 'me', clock.now(), message('temporary_failure', { phase: 'rcpt', reply: '451 try later' }))).toBe(true);
    expect(await interruptions(id)).toBe(0);
  });

  it('counts only under the lease', async () => {
    const id = await stack.outbox.enqueue(commentMail('Fremd'));
    await claimAll();
    await stack.queue.countInterruption(id, 'someone-else');
    expect(Number((await stack.row(id)).interruptions)).toBe(0);
  });
});
