import { describe, expect, it } from 'vitest';
import { RateLimitedError } from '../../src/shared/errors';
import { RateLimiter } from '../../src/shared/http/RateLimiter';

const MINUTE = 60_000;

/** A limiter on a clock the test sets, and how many of `n` requests it lets through at that time. */
function limiterAt(perMinute: number, start: number) {
  let now = start;
  const limiter = new RateLimiter(perMinute, { now: () => now });
  return {
    limiter,
    set: (time: number) => (now = time),
    admitted(key: string, n: number): number {
      let admitted = 0;
      for (let i = 0; i < n; i++) {
        try {
          limiter.take(key);
          admitted += 1;
        } catch (error) {
          if (!(error instanceof RateLimitedError)) throw error;
        }
      }
      return admitted;
    },
  };
}

describe('RateLimiter', () => {
  it('lets a key make its limit of requests a minute and refuses the next, until the minute is over', () => {
    const clock = limiterAt(100, 10 * MINUTE + 15_000);
    expect(clock.admitted('a', 100)).toBe(100);
    let refusal: unknown;
    try {
      clock.limiter.take('a');
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(RateLimitedError);
    expect((refusal as RateLimitedError).retryAfterSeconds).toBe(45);
    // Another key has a window of its own.
    expect(clock.admitted('b', 100)).toBe(100);
  });

  it('counts the previous minute in, so that a burst on each side of a boundary cannot double the limit', () => {
    const clock = limiterAt(100, 10 * MINUTE + 59_000);
    expect(clock.admitted('a', 100)).toBe(100);
    clock.set(11 * MINUTE + 1_000);
    // The previous minute still weighs 59/60, 98.3 requests: room for one.
    expect(clock.admitted('a', 100)).toBe(1);
  });

  it('frees room gradually as the previous minute ages, and all of it a minute after the burst', () => {
    const clock = limiterAt(120, 10 * MINUTE);
    expect(clock.admitted('a', 120)).toBe(120);
    clock.set(11 * MINUTE + 30_000);
    // Half the previous minute is left: 60 of 120.
    expect(clock.admitted('a', 120)).toBe(60);
    clock.set(11 * MINUTE + 30_500);
    // Half a second later the older minute's weight has fallen by one request: one slot, not more.
    expect(clock.admitted('a', 5)).toBe(1);
    clock.set(13 * MINUTE);
    expect(clock.admitted('a', 200)).toBe(120);
  });
});

describe('RateLimiter bounds', () => {
  it('keeps at most maxKeys windows under 1,000,000 distinct keys, each key costing O(1) however full the map', () => {
    const cap = 10_000;
    const limiter = new RateLimiter(600, { maxKeys: cap, now: () => 10 * MINUTE });
    const total = 1_000_000;
    const slice = 100_000;
    let largest = 0;
    const sliceMs: number[] = [];
    let started = performance.now();
    for (let i = 0; i < total; i++) {
      limiter.take(`key-${i}`);
      if (limiter.size > largest) largest = limiter.size;
      if ((i + 1) % slice === 0) {
        sliceMs.push(performance.now() - started);
        started = performance.now();
      }
    }
    // The first slice fills the map; the later ones each evict 100,000 keys as they add them.
    const evicting = sliceMs.slice(1).sort((a, b) => a - b);
    const ratio = evicting[Math.floor(evicting.length / 2)]! / sliceMs[0]!;
    console.info(
      `1,000,000 distinct keys, cap ${cap}: largest map ${largest}; ms per 100,000 keys ${sliceMs.map((ms) => ms.toFixed(0)).join(', ')} (median evicting slice / filling slice ${ratio.toFixed(2)})`,
    );
    expect(largest).toBeLessThanOrEqual(cap);
    expect(largest).toBeGreaterThanOrEqual(cap / 2);
    // O(n) per key (a walk of the map) would make the evicting slices thousands of times slower.
    expect(ratio).toBeLessThan(5);
  });

  it('forgets the keys used longest ago, so that a key in use keeps its count', () => {
    let now = 10 * MINUTE;
    const limiter = new RateLimiter(3, { maxKeys: 4, now: () => now });
    limiter.take('steady');
    limiter.take('steady');
    now += MINUTE;
    for (let i = 0; i < 10; i++) {
      limiter.take(`passer-by-${i}`);
      limiter.check('steady');
      expect(limiter.size).toBeLessThanOrEqual(4);
    }
    // steady's two requests of the previous minute still count: one more, then refused.
    limiter.take('steady');
    expect(() => limiter.take('steady')).toThrow(RateLimitedError);
    expect(limiter.has('steady')).toBe(true);
    expect(limiter.has('passer-by-0')).toBe(false);
  });
});
