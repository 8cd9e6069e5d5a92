import { describe, expect, it } from 'vitest';
import { HostConnections, HostSlot, type IdleSession } from '../../../src/modules/notification/infrastructure/HostConnections';

/** Resolves to the slot if `acquire` got one within a few turns of the event loop, else to 'waiting'. */
async function settled<T>(acquiring: Promise<T>): Promise<T | 'waiting'> {
  return Promise.race([acquiring, new Promise<'waiting'>((resolve) => setTimeout(() => resolve('waiting'), 20))]);
}

describe('HostConnections: the connections to one host over all tenants', () => {
  it('opens up to the limit, then makes a newcomer wait until a connection closes', async () => {
    const host = new HostConnections(2);
    const first = await host.acquire();
    await host.acquire();
    const third = host.acquire();
    expect(await settled(third)).toBe('waiting');
    first.release();
    expect(await settled(third)).not.toBe('waiting');
    expect(host.size).toBe(2);
  });

  it('closes the least recently idle session of any tenant for a newcomer, and only that one', async () => {
    const host = new HostConnections(3);
    const slots = [await host.acquire(), await host.acquire(), await host.acquire()];
    const closed: number[] = [];
    slots[1]!.idle({ close: () => closed.push(1) });
    slots[0]!.idle({ close: () => closed.push(0) });
    const newcomer = host.acquire();
    expect(closed).toEqual([1]);
    // The room is the newcomer's once the closed session's connection has ended.
    expect(await settled(newcomer)).toBe('waiting');
    slots[1]!.release();
    expect(await settled(newcomer)).not.toBe('waiting');
    expect(closed).toEqual([1]);
    expect(host.size).toBe(3);
  });

  it('does not close a session that was taken again, and closes one that goes idle while a newcomer waits', async () => {
    const host = new HostConnections(1);
    const slot = await host.acquire();
    const closed: string[] = [];
    slot.idle({ close: () => closed.push('first idle') });
    slot.busy();
    const newcomer = host.acquire();
    expect(closed).toEqual([]);
    slot.idle({ close: () => closed.push('idle again') });
    expect(closed).toEqual(['idle again']);
    slot.release();
    expect(await settled(newcomer)).not.toBe('waiting');
  });

  it('gives each connection back once, however often its end is reported', async () => {
    const host = new HostConnections(2);
    const slot = await host.acquire();
    await host.acquire();
    slot.release();
    slot.release();
    expect(host.size).toBe(1);
    const again = await host.acquire();
    expect(host.size).toBe(2);
    again.release();
    expect(host.size).toBe(1);
  });

  it('hands over the least recently idle session of the same identity (spares last), and none of another', async () => {
    const host = new HostConnections<IdleSession & { name: string }>(4);
    const slots = [await host.acquire(), await host.acquire(), await host.acquire(), await host.acquire()];
    const closed: string[] = [];
    const session = (name: string, identity?: string) => ({ name, identity, close: () => closed.push(name) });
    slots[0]!.idle(session('spare of a', 'a'), true);
    slots[1]!.idle(session('b', 'b'));
    slots[2]!.idle(session('oauth'));
    slots[3]!.idle(session('a', 'a'));
    expect(host.takeOver('a')?.name).toBe('a');
    expect(host.takeOver('a')?.name).toBe('spare of a');
    expect(host.takeOver('a')).toBeUndefined();
    expect(host.hasIdle('b')).toBe(true);
    expect(host.hasIdle('a')).toBe(false);
    // Taken over, a session is no longer idle: it is not closed for a newcomer, and its slot still counts.
    expect(host.size).toBe(4);
    const newcomer = host.acquire();
    expect(closed).toEqual(['b']);
    slots[1]!.release();
    expect(await settled(newcomer)).not.toBe('waiting');
    expect(closed).toEqual(['b']);
  });

  it('never hands over a session that is busy again or whose connection closed', async () => {
    const host = new HostConnections(2);
    const busy = await host.acquire();
    const ended = await host.acquire();
    busy.idle({ identity: 'a', close: () => undefined });
    ended.idle({ identity: 'a', close: () => undefined });
    busy.busy();
    ended.release();
    expect(host.takeOver('a')).toBeUndefined();
  });

  it('gives a session that goes idle to a waiter of its identity at the full host instead of closing it, unless the waiter declines', async () => {
    const host = new HostConnections(1);
    const slot = await host.acquire();
    const closed: string[] = [];
    const taken: string[] = [];
    let accept = false;
    const take = (session: IdleSession): boolean => {
      if (accept) taken.push(session.identity!);
      return accept;
    };
    const waiting = host.acquireOrTakeOver('a', take);
    // Declined (its pool closed meanwhile): the session is closed for the waiter's room, as for any waiter.
    slot.idle({ identity: 'a', close: () => closed.push('declined') });
    expect(closed).toEqual(['declined']);
    slot.release();
    const second = await settled(waiting);
    if (!(second instanceof HostSlot)) throw new Error(`expected a slot, got ${String(second)}`);
    accept = true;
    const other = host.acquireOrTakeOver('b', () => true);
    const same = host.acquireOrTakeOver('a', take);
    second.idle({ identity: 'a', close: () => closed.push('taken') });
    expect(taken).toEqual(['a']);
    expect(await same).toBeUndefined();
    expect(closed).toEqual(['declined']);
    // The waiter of another identity still waits for a slot.
    expect(await settled(other)).toBe('waiting');
    expect(host.size).toBe(1);
  });
});
