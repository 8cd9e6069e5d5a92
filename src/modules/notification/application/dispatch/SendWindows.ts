import type { SendLimit } from '../../domain/SendBudget';
import type { SendGrants } from './SendGrants';

const MINUTE = 60_000;

/**
 * The throttles of each tenant (its `maxPerMinute`, the hosted mailbox's): the one place that
 * admits a send and tells how many more fit. The count shared by all instances (SendGrants)
 * decides; this process's own sends of the last minute per key stand in front of it as a cheap
 * filter, never stricter than the shared count since they are part of it.
 */
export class SendWindows {
  /** This process's sends of the last minute, per throttle key. */
  private readonly recent = new Map<string, number[]>();
  private readonly limits = new Map<string, SendLimit[]>();

  constructor(private readonly grants: SendGrants) {}

  /** The tenant's limits as its settings were last read; none when it has none or is forgotten. */
  setLimits(tenantId: string, limits: readonly SendLimit[] | undefined): void {
    if (limits && limits.length > 0) this.limits.set(tenantId, [...limits]);
    else this.limits.delete(tenantId);
  }

  /** The tenants with limits, each with how many sends still fit now as far as this process knows, and when room frees. */
  *room(now: number): IterableIterator<{ tenantId: string; left: number; freesAt?: number }> {
    for (const [tenantId, limits] of this.limits) {
      const full = this.grants.fullUntil(limits);
      if (full !== undefined) {
        yield { tenantId, left: 0, freesAt: full };
        continue;
      }
      let left = Infinity;
      // When full: room comes once each full key's send that filled it has left; otherwise when the oldest leaves.
      let fullAt: number | undefined;
      let oldestAt: number | undefined;
      for (const limit of limits) {
        const window = this.window(limit.key, now);
        left = Math.min(left, limit.perMinute - window.length);
        if (window.length >= limit.perMinute) fullAt = Math.max(fullAt ?? 0, window[window.length - limit.perMinute]! + MINUTE);
        if (window[0] !== undefined) oldestAt = Math.min(oldestAt ?? Infinity, window[0] + MINUTE);
      }
      const freesAt = fullAt ?? oldestAt;
      yield { tenantId, left, ...(freesAt !== undefined ? { freesAt } : {}) };
    }
  }

  /**
   * Takes a grant for a send now under all `limits` and answers undefined; otherwise records
   * nothing and answers when the limits have room again. Rejects when the shared count cannot be read.
   */
  async admit(limits: readonly SendLimit[], now: number): Promise<number | undefined> {
    if (limits.length === 0) return undefined;
    for (const limit of limits) {
      const window = this.window(limit.key, now);
      if (window.length >= limit.perMinute) return window[window.length - limit.perMinute]! + MINUTE;
    }
    const retryAt = await this.grants.request(limits);
    if (retryAt !== undefined) return retryAt;
    for (const limit of limits) this.window(limit.key, now).push(now);
    return undefined;
  }

  /** This process's sends of the last minute under the key, older ones dropped. */
  private window(key: string, now: number): number[] {
    const window = (this.recent.get(key) ?? []).filter((at) => at > now - MINUTE);
    this.recent.set(key, window);
    return window;
  }
}
