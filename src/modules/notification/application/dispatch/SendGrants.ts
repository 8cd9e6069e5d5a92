import type { SendBudget, SendLimit } from '../../domain/SendBudget';

interface Waiter {
  resolve(retryAt: number | undefined): void;
  reject(error: unknown): void;
}

interface Asking {
  limits: readonly SendLimit[];
  waiters: Waiter[];
  /** A take for these limits is running: waiters that come meanwhile go in the next one. */
  taking: boolean;
}

/**
 * Asks the shared SendBudget for grants in small batches: the sends that want a grant under the
 * same limits while a take runs share the next take, so a throttled burst costs a database
 * round trip per batch rather than per message. Limits found full are not asked again before the
 * window has room: no other instance can free a grant earlier.
 */
export class SendGrants {
  private readonly asking = new Map<string, Asking>();
  private readonly full = new Map<string, number>();

  constructor(
    private readonly budget: SendBudget,
    private readonly now: () => number,
  ) {}

  /** Undefined when the send may start now; otherwise when its limits have room again. */
  request(limits: readonly SendLimit[]): Promise<number | undefined> {
    if (limits.length === 0) return Promise.resolve(undefined);
    const signature = signatureOf(limits);
    const full = this.fullUntil(signature);
    if (full !== undefined) return Promise.resolve(full);
    return new Promise((resolve, reject) => {
      let asking = this.asking.get(signature);
      if (!asking) this.asking.set(signature, (asking = { limits, waiters: [], taking: false }));
      asking.waiters.push({ resolve, reject });
      if (!asking.taking) void this.take(signature, asking);
    });
  }

  /** When the limits were last found full until, if that is still ahead. */
  fullUntil(limitsOrSignature: readonly SendLimit[] | string): number | undefined {
    const signature = typeof limitsOrSignature === 'string' ? limitsOrSignature : signatureOf(limitsOrSignature);
    const until = this.full.get(signature);
    if (until === undefined) return undefined;
    if (until > this.now()) return until;
    this.full.delete(signature);
    return undefined;
  }

  private async take(signature: string, asking: Asking): Promise<void> {
    asking.taking = true;
    while (asking.waiters.length > 0) {
      const batch = asking.waiters.splice(0);
      try {
        const grant = await this.budget.take(asking.limits, batch.length, new Date(this.now()));
        for (const waiter of batch.slice(0, grant.granted)) waiter.resolve(undefined);
        if (grant.retryAt) {
          const at = grant.retryAt.getTime();
          this.full.set(signature, at);
          for (const waiter of [...batch.slice(grant.granted), ...asking.waiters.splice(0)]) waiter.resolve(at);
        }
      } catch (error) {
        for (const waiter of batch) waiter.reject(error);
      }
    }
    asking.taking = false;
    this.asking.delete(signature);
  }
}

function signatureOf(limits: readonly SendLimit[]): string {
  return limits
    .map((limit) => `${limit.key}=${limit.perMinute}`)
    .sort()
    .join(' ');
}
