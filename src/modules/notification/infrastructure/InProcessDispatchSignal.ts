import { injectable } from 'inversify';
import type { DispatchNews, DispatchSignal } from '../domain/DispatchSignal';

/** News that arrives while nobody waits is kept, so that the next wait() returns it at once. */
@injectable()
export class InProcessDispatchSignal implements DispatchSignal {
  private news: Set<string> | 'any' | undefined;
  private waiters: Array<() => void> = [];

  notify(tenantIds?: Iterable<string>): void {
    if (tenantIds === undefined) this.news = 'any';
    else if (this.news !== 'any') {
      this.news ??= new Set();
      for (const tenantId of tenantIds) this.news.add(tenantId);
    }
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  wait(timeoutMs: number): Promise<DispatchNews> {
    if (this.news !== undefined) return Promise.resolve(this.take());
    return new Promise((resolve) => {
      const done = (timedOut: boolean): void => {
        clearTimeout(timer);
        this.waiters = this.waiters.filter((waiter) => waiter !== onNews);
        resolve(timedOut ? 'any' : this.take());
      };
      const onNews = (): void => done(false);
      const timer = setTimeout(() => done(true), timeoutMs);
      this.waiters.push(onNews);
    });
  }

  private take(): DispatchNews {
    const news = this.news ?? 'any';
    this.news = undefined;
    return news;
  }
}
