import { describe, expect, it } from 'vitest';
import { FixedClock } from '../../../src/shared/time/FixedClock';
import { DATABASE_KINDS } from '../../support/databases';
import { commentMail, useOutboxFixture } from '../../support/outboxFixture';
import { message } from '../../../src/shared/messages/message';

const LEASE_MS = 60_000;

/**
 * A try whose lease ran out (a slow host, a stalled process) is claimed again, by another instance
 * or by the same one. Whichever way their outcomes arrive, the mail the host took stays `sent`.
 */
describe.each(DATABASE_KINDS)('a delivered mail on %s', (kind) => {
  const clock = new FixedClock('2027-03-01T09:00:00Z');
  // Each case claims the only due mail.
  const stack = useOutboxFixture(kind, { clock, emptyAfterEach: true });

  const claimOne = async (owner: string) => {
    const claimed = await stack.claim(owner, { limit: 1, perTenantDefault: 1, leaseMs: LEASE_MS });
    expect(claimed).toHaveLength(1);
    return claimed[0]!;
  };
  /** Claims the mail, lets the lease run out and claims it again: two tries of one mail at once. */
  const twoTries = async (subject: string, first: string, second: string) => {
    const id = await stack.outbox.enqueue(commentMail(subject, ['beat@kunde.ch', 'carla@kunde.ch']));
    expect((await claimOne(first)).id).toBe(id);
    clock.advance(LEASE_MS + 1);
    expect((await claimOne(second)).id).toBe(id);
    return id;
  };
  const assertStaysSent = async (id: string, owners: string[]) => {
    for (const owner of owners) {
      await stack.queue.scheduleRetry(id, owner, clock.now(), message('delivery_failed', { error: 'late failure' }));
      await stack.queue.markFailed(id, owner, message('delivery_failed', { error: 'late failure' }));
      await stack.queue.park(id, owner, 'kunde', message('delivery_failed', { error: 'late park' }), true);
      await stack.queue.release(id, owner);
      await stack.queue.releaseMany([id], owner);
    }
    expect(await stack.queue.recoverAbandoned()).toBe(0);
    expect(await stack.row(id)).toMatchObject({ status: 'sent', last_error: null, lease_owner: null });
  };

  it("is sent although the newer try's failure was written before the older try's 250", async () => {
    const id = await twoTries('Gleicher Prozess', 'instance-a', 'instance-a');
    // The second try fails first (the host went down) and schedules a retry ...
    expect(
      await stack.queue.scheduleRetry(id, 'instance-a', new Date(clock.now().getTime() + 60_000), message('delivery_failed', { error: 'connection refused' })),
    ).toBe(true);
    // ... then the first try's 250 arrives: the host has the mail.
    expect(await stack.queue.markSent(id, 'instance-a', clock.now(), [])).toBe(true);
    expect(await stack.row(id)).toMatchObject({ status: 'sent', last_error: null });
    await assertStaysSent(id, ['instance-a']);
  });

  it('is sent when another instance took the lease over and its try failed for good', async () => {
    const id = await twoTries('Anderer Prozess', 'instance-a', 'instance-b');
    expect(await stack.queue.markFailed(id, 'instance-b', message('delivery_failed', { error: 'host unreachable' }))).toBe(true);
    expect(await stack.queue.markSent(id, 'instance-a', clock.now(), [])).toBe(true);
    expect(await stack.row(id)).toMatchObject({ status: 'sent', last_error: null });
    await assertStaysSent(id, ['instance-a', 'instance-b']);
  });

  it('is sent, its refused recipient queued once, when the older try got a 250 with a refusal', async () => {
    const id = await twoTries('Teilweise', 'instance-a', 'instance-b');
    expect(await stack.queue.markFailed(id, 'instance-b', message('delivery_failed', { error: 'host unreachable' }))).toBe(true);
    const refusal = [{ address: 'carla@kunde.ch', code: 450, response: '450 4.2.1 mailbox busy' }];
    const retry = {
      addresses: ['carla@kunde.ch'],
      at: new Date(clock.now().getTime() + 60_000),
      lastError: message('recipients_temporarily_refused', { refusals: 'busy' }),
    };
    expect(await stack.queue.markSent(id, 'instance-a', clock.now(), refusal, retry)).toBe(true);
    // A second report of the same delivery records nothing and queues nobody again.
    expect(await stack.queue.markSent(id, 'instance-b', clock.now(), refusal, retry)).toBe(false);
    expect(await stack.row(id)).toMatchObject({ status: 'sent' });
    const again = await stack.db('outbox_messages').where({ subject: 'Teilweise' }).whereNot({ id });
    expect(again.map((copy: { status: string; envelope_to_json: string }) => [copy.status, JSON.parse(copy.envelope_to_json)])).toEqual([
      ['queued', ['carla@kunde.ch']],
    ]);
    expect(again[0]).toMatchObject({
      last_error: 'temporary failure at rcpt, retried for these recipients: busy',
      last_error_code: 'recipients_temporarily_refused',
      last_error_params: '{"refusals":"busy"}',
    });
    await assertStaysSent(id, ['instance-a', 'instance-b']);
  });

  it('records one sent when both tries got their 250 (one outcome, counted once)', async () => {
    const id = await twoTries('Doppelt', 'instance-a', 'instance-b');
    const results = await Promise.all([stack.queue.markSent(id, 'instance-b', clock.now(), []), stack.queue.markSent(id, 'instance-a', clock.now(), [])]);
    expect(results.filter(Boolean)).toHaveLength(1);
    await assertStaysSent(id, ['instance-a', 'instance-b']);
  });
});
