import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { setAsideReason } from '../../../src/modules/notification/domain/interruptions';
import type { OutgoingMail } from '../../../src/modules/notification/domain/OutgoingMail';
import { KnexDeliveryQueue } from '../../../src/modules/notification/infrastructure/KnexDeliveryQueue';
import { KnexOutbox } from '../../../src/modules/notification/infrastructure/KnexOutbox';
import { DELIVERY_QUEUE } from '../../../src/modules/notification/tokens';
import { FixedClock } from '../../../src/shared/time/FixedClock';
import { DATABASE } from '../../../src/shared/tokens';
import { DATABASE_KINDS } from '../../support/databases';
import { createTestApp, type TestApp } from '../../support/testApp';
import { message } from '../../../src/shared/messages/message';

const LEASE_MS = 60_000;

const mail = (subject: string): OutgoingMail => ({
  tenantId: 'kunde',
  kind: 'comment',
  from: { address: 'anna@kunde.ch' },
  envelopeFrom: 'anna@kunde.ch',
  to: [{ address: 'beat@kunde.ch' }],
  cc: [],
  subject,
  text: 'x',
  senderRewritten: false,
  autoSubmitted: false,
});

describe.each(DATABASE_KINDS)('interrupted sends counted on %s', (kind) => {
  let t: TestApp;
  let outbox: KnexOutbox;
  let queue: KnexDeliveryQueue;
  const clock = new FixedClock('2027-03-01T09:00:00Z');

  beforeAll(async () => {
    t = await createTestApp(kind, { clock });
    outbox = t.container.get(KnexOutbox);
    queue = t.container.get(DELIVERY_QUEUE) as KnexDeliveryQueue;
  });
  afterEach(async () => {
    await t.container.get(DATABASE)('outbox_messages').delete();
  });
  afterAll(async () => {
    await t?.close();
  });

  const claimAll = () => queue.claim({ owner: 'me', limit: 100, perTenant: new Map(), perTenantDefault: 100, leaseMs: LEASE_MS });
  const interruptions = async (id: string) => (await claimAll()).find((message) => message.id === id)?.interruptions;

  it('counts a death once for a message that only waited its turn, and every death during its own send after that', async () => {
    const waiting = await outbox.enqueue(mail('Wartet'));
    const sending = await outbox.enqueue(mail('Sendet'));
    await claimAll();
    // The process dies with both leased: which one was sending is not known.
    expect(await queue.recoverAbandoned()).toBe(2);
    const again = await claimAll();
    expect(again.map((message) => message.interruptions)).toEqual([1, 1]);
    // Only the suspect whose send starts is counted before it; then the process dies again.
    await queue.countInterruption(sending, 'me');
    await queue.recoverAbandoned();
    const third = await claimAll();
    expect(Object.fromEntries(third.map((message) => [message.id, message.interruptions]))).toEqual({ [waiting]: 1, [sending]: 2 });
    await queue.countInterruption(sending, 'me');
    await queue.recoverAbandoned();
    const fourth = await claimAll();
    expect(Object.fromEntries(fourth.map((message) => [message.id, setAsideReason(message, 3)]))).toEqual({
      [waiting]: undefined,
      [sending]: { code: 'delivery_interrupted', params: { interruptions: 3 }, message: 'delivery was interrupted 3 times (the process stopped while sending); set aside' },
    });
  });

  it('counts a lease that ran out like a death, and a try that got an answer ends the count', async () => {
    const id = await outbox.enqueue(mail('Abgelaufen'));
    expect(await interruptions(id)).toBe(0);
    clock.advance(LEASE_MS + 1);
    expect(await interruptions(id)).toBe(1);
    await queue.countInterruption(id, 'me');
    clock.advance(LEASE_MS + 1);
    expect(await interruptions(id)).toBe(2);
    expect(await queue.scheduleRetry(id, 'me', clock.now(), message('temporary_failure', { phase: 'rcpt', reply: '451 try later' }))).toBe(true);
    expect(await interruptions(id)).toBe(0);
  });

  it('counts only under the lease', async () => {
    const id = await outbox.enqueue(mail('Fremd'));
    await claimAll();
    await queue.countInterruption(id, 'someone-else');
    expect(Number((await t.container.get(DATABASE)('outbox_messages').where({ id }).first()).interruptions)).toBe(0);
  });
});
