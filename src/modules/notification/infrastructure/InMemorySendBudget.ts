import type { SendBudget, SendGrant, SendLimit } from '../domain/SendBudget';
import { grantWithin, SEND_WINDOW_MS, type GrantEntry } from '../domain/sendWindow';

/** The grants of one process, for tests and for a single instance without a shared database. */
export class InMemorySendBudget implements SendBudget {
  private readonly grants = new Map<string, GrantEntry[]>();

  async take(limits: readonly SendLimit[], wanted: number, at: Date): Promise<SendGrant> {
    const now = at.getTime();
    for (const limit of limits)
      this.grants.set(
        limit.key,
        (this.grants.get(limit.key) ?? []).filter((entry) => entry.at > now - SEND_WINDOW_MS),
      );
    const grant = grantWithin(limits, this.grants, wanted, now);
    if (grant.granted > 0) for (const limit of limits) this.grants.get(limit.key)!.push({ at: now, count: grant.granted });
    return grant;
  }
}
