import { BoundedMap } from '../cache/BoundedMap';
import { RateLimitedError } from '../errors';

interface Window {
  start: number;
  current: number;
  previous: number;
}

const MINUTE = 60_000;

/**
 * A sliding window per key, approximated by two fixed windows: smooth enough that a burst at a
 * window edge cannot double the limit, and O(1) memory per key. At most `maxKeys` keys are kept;
 * the ones used longest ago make room (a key gone that long has an empty window anyway, or nearly).
 */
export class RateLimiter {
  private readonly windows: BoundedMap<string, Window>;
  private readonly now: () => number;

  constructor(
    private readonly perMinute: number,
    options: { maxKeys?: number; now?: () => number } = {},
  ) {
    this.windows = new BoundedMap(options.maxKeys ?? 100_000);
    this.now = options.now ?? Date.now;
  }

  /** Counts one request for the key; throws RateLimitedError when the key is over its limit. */
  take(key: string): void {
    const now = this.now();
    const window = this.current(key, now);
    this.refuseOver(window, now);
    window.current += 1;
  }

  /** Throws RateLimitedError when the key is over its limit, without counting a request. */
  check(key: string): void {
    if (!this.windows.has(key)) return;
    const now = this.now();
    this.refuseOver(this.current(key, now), now);
  }

  /** Counts one request for the key without refusing it. */
  count(key: string): void {
    this.current(key, this.now()).current += 1;
  }

  has(key: string): boolean {
    return this.windows.has(key);
  }

  get size(): number {
    return this.windows.size;
  }

  private refuseOver(window: Window, now: number): void {
    const previousWeight = 1 - (now - window.start) / MINUTE;
    if (window.previous * previousWeight + window.current + 1 > this.perMinute) {
      throw new RateLimitedError(Math.max(1, Math.ceil((window.start + MINUTE - now) / 1000)));
    }
  }

  /** The key's window, rolled over to the minute of `now`. */
  private current(key: string, now: number): Window {
    const windowStart = now - (now % MINUTE);
    const window = this.windows.get(key);
    if (!window) {
      const fresh = { start: windowStart, current: 0, previous: 0 };
      this.windows.set(key, fresh);
      return fresh;
    }
    if (window.start < windowStart) {
      window.previous = window.start === windowStart - MINUTE ? window.current : 0;
      window.current = 0;
      window.start = windowStart;
    }
    return window;
  }
}
