import { describe, expect, it } from 'vitest';
import { HostConnections, type HostSlot } from '../../../src/modules/notification/infrastructure/HostConnections';

/** Resolves to the slot if `acquire` got one within a few turns of the event loop, else to 'waiting'. */
async function settled(acquiring: Promise<HostSlot>): Promise<HostSlot | 'waiting'> {
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
    slots[1]!.idle(() => closed.push(1));
    slots[0]!.idle(() => closed.push(0));
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
    slot.idle(() => closed.push('first idle'));
    slot.busy();
    const newcomer = host.acquire();
    expect(closed).toEqual([]);
    slot.idle(() => closed.push('idle again'));
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
});
