import { afterEach, describe, expect, it, vi } from 'vitest';
import { ExpiringCache } from '../../src/shared/cache/ExpiringCache';

describe('ExpiringCache', () => {
  afterEach(() => vi.useRealTimers());

  it('lets callers that ask during a load share it, and reuses the value until it expires', async () => {
    vi.useFakeTimers();
    const cache = new ExpiringCache<string, number>(1_000);
    let loads = 0;
    const load = async () => {
      loads += 1;
      await new Promise((resolve) => setTimeout(resolve, 10));
      return loads;
    };
    const waiting = Array.from({ length: 64 }, () => cache.get('k', load));
    await vi.advanceTimersByTimeAsync(10);
    expect(await Promise.all(waiting)).toEqual(Array(64).fill(1));
    await vi.advanceTimersByTimeAsync(900);
    expect(await cache.get('k', load)).toBe(1);
    await vi.advanceTimersByTimeAsync(100);
    const again = cache.get('k', load);
    await vi.advanceTimersByTimeAsync(10);
    expect(await again).toBe(2);
    expect(loads).toBe(2);
  });

  it('keeps neither an undefined value nor a failed load', async () => {
    const cache = new ExpiringCache<string, string>(60_000);
    let answer: string | undefined;
    expect(await cache.get('k', async () => answer)).toBeUndefined();
    answer = 'found';
    expect(await cache.get('k', async () => answer)).toBe('found');
    const failing = new ExpiringCache<string, string>(60_000);
    await expect(failing.get('k', async () => Promise.reject(new Error('database down')))).rejects.toThrow('database down');
    expect(await failing.get('k', async () => 'back')).toBe('back');
  });

  it('forgets an entry deleted while it loads, so the next caller reads again', async () => {
    const cache = new ExpiringCache<string, string>(60_000);
    let release!: (value: string) => void;
    const first = cache.get('k', () => new Promise((resolve) => (release = resolve)));
    cache.delete('k');
    const second = cache.get('k', async () => 'after the change');
    release('before the change');
    expect(await first).toBe('before the change');
    expect(await second).toBe('after the change');
    expect(await cache.get('k', async () => 'not read')).toBe('after the change');
  });
});
