import { describe, expect, it } from 'vitest';
import { RateLimitedError } from '../../src/shared/errors';
import { RateLimiter } from '../../src/shared/http/RateLimiter';

const MINUTE = 60_000;

/** A limiter on a clock the test sets, and how many of `n` requests it lets through at that time. */
function limiterAt(perMinute: number, start: number) {
  let now = start;
  const limiter = new RateLimiter(perMinute, () => now);
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
