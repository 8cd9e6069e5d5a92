import type { Clock } from '../../../../shared/time/Clock';

/** Timers that wake the dispatcher at given times, at most one per 10 ms slot. */
export class WakeTimers {
  private readonly timers = new Map<number, NodeJS.Timeout>();

  constructor(
    private readonly clock: Clock,
    private readonly wake: () => void,
  ) {}

  /** Wakes at `at` (epoch ms), unless a timer of the same slot does already. */
  at(at: number): void {
    const slot = Math.ceil(at / 10);
    if (this.timers.has(slot)) return;
    const timer = setTimeout(
      () => {
        this.timers.delete(slot);
        this.wake();
      },
      Math.max(0, slot * 10 - this.clock.now().getTime()) + 1,
    );
    timer.unref();
    this.timers.set(slot, timer);
  }

  clear(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}
