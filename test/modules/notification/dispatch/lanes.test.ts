import { describe, expect, it } from 'vitest';
import { Lanes, TURN_SENDS, type LaneLimits } from '../../../../src/modules/notification/application/dispatch/Lanes';
import type { OutboxMessage } from '../../../../src/modules/notification/domain/OutboxMessage';

let next = 0;
function messages(tenantId: string, n: number): OutboxMessage[] {
  return Array.from({ length: n }, () => ({ id: `m${next++}`, tenantId }) as OutboxMessage);
}

const OPEN: LaneLimits = { perTenant: 1_000, perHost: 1_000, global: 1_000, budget: Infinity, staleAfterMs: 60_000, aheadPerHost: 0, aheadTotal: 0 };

describe('Lanes', () => {
  it('gives each tenant a turn of TURN_SENDS sends, then the next tenant its turn', () => {
    const lanes = new Lanes();
    lanes.add([...messages('a', TURN_SENDS + 50), ...messages('b', 10)], 0);
    const first = lanes.take({ ...OPEN, global: TURN_SENDS }, 0).start;
    expect(first.every((message) => message.tenantId === 'a')).toBe(true);
    for (const message of first) lanes.finished(message);
    // a used up its turn: b goes first now, then a's rest.
    const second = lanes.take(OPEN, 0).start.map((message) => message.tenantId);
    expect(second.slice(0, 10)).toEqual(Array(10).fill('b'));
    expect(second.slice(10)).toEqual(Array(50).fill('a'));
  });

  it('keeps a tenant within its send slots and lets the others past it', () => {
    const lanes = new Lanes();
    lanes.add([...messages('slow', 20), ...messages('other', 3)], 0);
    const taken = lanes.take({ ...OPEN, perTenant: 2 }, 0).start.map((message) => message.tenantId);
    expect(taken).toEqual(['slow', 'slow', 'other', 'other']);
    expect(lanes.sending).toBe(4);
    expect(lanes.heldBy('slow')).toBe(20);
    expect(lanes.take({ ...OPEN, perTenant: 2 }, 0).start).toEqual([]);
  });

  it('bounds the sends to one host over the tenants that share it, and frees the slot the send took', () => {
    const lanes = new Lanes();
    lanes.setHost('a', 'mx:25');
    lanes.setHost('b', 'mx:25');
    lanes.add([...messages('a', 5), ...messages('b', 5)], 0);
    const taken = lanes.take({ ...OPEN, perHost: 3 }, 0).start;
    expect(taken.map((message) => message.tenantId)).toEqual(['a', 'a', 'a']);
    expect(lanes.take({ ...OPEN, perHost: 3 }, 0).start).toEqual([]);
    // The tenant moves to another host meanwhile: the slot given back is still the old host's.
    lanes.setHost('a', 'other:25');
    lanes.finished(taken[0]!);
    expect(lanes.take({ ...OPEN, perHost: 3 }, 0).start.map((message) => message.tenantId)).toEqual(['a', 'a', 'b']);
  });

  it('spends at most the budget and the global slots', () => {
    const lanes = new Lanes();
    lanes.add(messages('a', 10), 0);
    // A send starts only on a whole token: 2.5 start two.
    expect(lanes.take({ ...OPEN, budget: 2.5 }, 0).start).toHaveLength(2);
    expect(lanes.take({ ...OPEN, global: 4 }, 0).start).toHaveLength(2);
    expect(lanes.waiting).toBe(6);
  });

  it('hands back messages that waited longer than the lease allows, without a slot', () => {
    const lanes = new Lanes();
    lanes.add(messages('a', 2), 0);
    lanes.add(messages('a', 1), 900);
    const taken = lanes.take({ ...OPEN, staleAfterMs: 500 }, 1_000);
    expect(taken.stale).toHaveLength(2);
    expect(taken.start).toHaveLength(1);
    expect(lanes.sending).toBe(1);
  });

  it('names the next tenants of a full host, nothing of theirs in flight, so that their connections can open meanwhile', () => {
    const lanes = new Lanes();
    for (const tenant of ['a', 'b', 'c', 'd', 'e']) lanes.setHost(tenant, 'mx:25');
    lanes.setHost('x', 'other:25');
    lanes.add([...messages('a', 3), ...messages('b', 1), ...messages('c', 1), ...messages('d', 1), ...messages('e', 1), ...messages('x', 1)], 0);
    lanes.add(messages('unknown-host', 1), 0);
    const limits = { ...OPEN, perTenant: 2, perHost: 2, aheadPerHost: 2, aheadTotal: 10 };
    const taken = lanes.take(limits, 0);
    expect(taken.start.map((message) => message.tenantId)).toEqual(['a', 'a', 'x', 'unknown-host']);
    // a sends (its own pool opens what it needs); b and c go next at mx; d and e later.
    expect(taken.ahead.map((message) => message.tenantId)).toEqual(['b', 'c']);
    expect(lanes.waiting).toBe(5);
    // With this process's slots taken, the walk goes on for the tenants next in line, within aheadTotal.
    expect(lanes.take({ ...limits, global: 0, aheadTotal: 1 }, 0).ahead.map((message) => message.tenantId)).toEqual(['b']);
    expect(lanes.take({ ...limits, aheadPerHost: 0 }, 0).ahead).toEqual([]);
  });

  it('passes over the lanes of a full host, and counts a waiting tenant at the host it moved to', () => {
    const lanes = new Lanes();
    lanes.setHost('b', 'mx1:25');
    lanes.setHost('a', 'mx1:25');
    lanes.add(messages('b', 2), 0);
    lanes.add(messages('a', 1), 0);
    // a's settings changed while it waited: its lane is mx2's now, not one more behind full mx1.
    lanes.setHost('a', 'mx2:25');
    expect(lanes.take({ ...OPEN, perHost: 1 }, 0).start.map((message) => message.tenantId)).toEqual(['b', 'a']);
  });

  it('passes over the lanes of full hosts without leaving out a lane that could start or be opened ahead (random rounds)', () => {
    let seed = 7;
    const random = (n: number): number => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) % n;
    const lanes = new Lanes();
    const hostOf = new Map<string, string>();
    const sending = new Map<string, { message: OutboxMessage; host?: string }>();
    let checked = 0;
    for (let round = 0; round < 2_000; round++) {
      const tenant = `t${random(30)}`;
      lanes.add(messages(tenant, 1 + random(4)), 0);
      // Hosts become known (or change) as settings are read; t0's stays unknown.
      if (random(4) > 0 && tenant !== 't0') {
        const host = `mx${random(3)}:25`;
        hostOf.set(tenant, host);
        lanes.setHost(tenant, host);
      }
      for (const [id, send] of sending) {
        if (random(6) === 0) {
          lanes.finished(send.message);
          sending.delete(id);
        }
      }
      const limits = { ...OPEN, perTenant: 1 + random(2), perHost: 1 + random(2), global: 3 + random(10), aheadPerHost: random(3), aheadTotal: random(8) };
      const taken = lanes.take(limits, 0);
      for (const message of taken.start) sending.set(message.id, { message, host: hostOf.get(message.tenantId) });
      const inFlight = (key: (send: { message: OutboxMessage; host?: string }) => string | undefined, value: string): number =>
        [...sending.values()].filter((send) => key(send) === value).length;
      const line = lanes.upcoming(Infinity);
      checked += sending.size < limits.global ? line.length : 0;
      if (sending.size < limits.global) {
        // Nothing left that could have started.
        for (const tenantId of line) {
          const host = hostOf.get(tenantId);
          const tenantFull = inFlight((send) => send.message.tenantId, tenantId) >= limits.perTenant;
          const hostFull = host !== undefined && inFlight((send) => send.host, host) >= limits.perHost;
          expect(tenantFull || hostFull, `${tenantId} on ${host} could start`).toBe(true);
        }
      }
      if (taken.ahead.length < limits.aheadTotal) {
        // Each full host named as many of its idle tenants in line as it may have opened ahead.
        for (const host of new Set(line.map((tenantId) => hostOf.get(tenantId)))) {
          if (host === undefined || inFlight((send) => send.host, host) < limits.perHost) continue;
          const idle = line.filter((tenantId) => hostOf.get(tenantId) === host && inFlight((send) => send.message.tenantId, tenantId) === 0);
          const named = taken.ahead.filter((message) => hostOf.get(message.tenantId) === host);
          expect(named.length).toBe(Math.min(limits.aheadPerHost, idle.length));
        }
      }
    }
    // The rounds did leave lanes waiting beside free slots to look at.
    expect(checked).toBeGreaterThan(1_000);
  });

  it('drains every waiting message on stop', () => {
    const lanes = new Lanes();
    lanes.add([...messages('a', 3), ...messages('b', 2)], 0);
    expect(lanes.drain()).toHaveLength(5);
    expect(lanes.waiting).toBe(0);
    expect(lanes.tenants().size).toBe(0);
  });
});
