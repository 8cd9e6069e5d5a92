import { injectable } from 'inversify';
import type { DispatchSignal } from '../domain/DispatchSignal';

/** A notify() that arrives while nobody waits is kept, so that the next wait() returns at once. */
@injectable()
export class InProcessDispatchSignal implements DispatchSignal {
  private pending = false;
  private waiters: Array<() => void> = [];

  notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    if (waiters.length === 0) this.pending = true;
    for (const wake of waiters) wake();
  }

  wait(timeoutMs: number): Promise<void> {
    if (this.pending) {
      this.pending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.waiters = this.waiters.filter((waiter) => waiter !== done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.waiters.push(done);
    });
  }
}
