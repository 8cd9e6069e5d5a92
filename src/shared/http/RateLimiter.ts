import { RateLimitedError } from '../errors';

/**
 * A sliding window per API key, approximated by two fixed windows: smooth enough that a burst at
 * a window edge cannot double the limit, and O(1) memory per key.
 */
export class RateLimiter {
  private readonly windows = new Map<string, { start: number; current: number; previous: number }>();

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts one request for the key; throws RateLimitedError when the key is over its limit. */
  take(key: string): void {
    const now = this.now();
    const windowStart = now - (now % 60_000);
    let window = this.windows.get(key);
    if (!window || window.start < windowStart - 60_000) {
      window = { start: windowStart, current: 0, previous: 0 };
      this.windows.set(key, window);
    } else if (window.start < windowStart) {
      window.previous = window.current;
      window.current = 0;
      window.start = windowStart;
    }
    const previousWeight = 1 - (now - windowStart) / 60_000;
    const estimate = window.previous * previousWeight + window.current;
    if (estimate + 1 > this.perMinute) {
      const retryAfter = Math.max(1, Math.ceil((windowStart + 60_000 - now) / 1000));
      throw new RateLimitedError(retryAfter);
    }
    window.current += 1;
    if (this.windows.size > 100_000) this.evictIdle(windowStart);
  }

  private evictIdle(windowStart: number): void {
    for (const [key, window] of this.windows) if (window.start < windowStart - 60_000) this.windows.delete(key);
  }
}
