import { describe, expect, it } from 'vitest';
import { InProcessDispatchSignal } from '../../../src/modules/notification/infrastructure/InProcessDispatchSignal';

describe('the in-process dispatch signal', () => {
  it('gathers the tenants with new mail until the dispatcher waits, then starts afresh', async () => {
    const signal = new InProcessDispatchSignal();
    signal.notify(['a']);
    signal.notify(['b', 'a']);
    expect(await signal.wait(1_000)).toEqual(new Set(['a', 'b']));
    const next = signal.wait(1_000);
    signal.notify(['c']);
    expect(await next).toEqual(new Set(['c']));
  });

  it('answers any for news without tenants, whatever tenants came with it, and after the timeout', async () => {
    const signal = new InProcessDispatchSignal();
    signal.notify(['a']);
    signal.notify();
    signal.notify(['b']);
    expect(await signal.wait(1_000)).toBe('any');
    expect(await signal.wait(5)).toBe('any');
  });
});
