const MINUTE = 60_000;

/**
 * Each rate-limited tenant's sends of the last minute (`maxPerMinute` of its mail host): the one
 * place that records a send and tells how many more fit. Pure: the caller passes the time.
 */
export class SendWindows {
  private readonly recent = new Map<string, number[]>();
  private readonly limits = new Map<string, number>();

  /** The tenant's limit as its settings were last read; undefined when it has none or is forgotten. */
  setLimit(tenantId: string, maxPerMinute: number | undefined): void {
    if (maxPerMinute) this.limits.set(tenantId, maxPerMinute);
    else this.limits.delete(tenantId);
  }

  /** The tenants with a limit, each with how many sends still fit in the window now and when the oldest leaves it. */
  *room(now: number): IterableIterator<{ tenantId: string; left: number; freesAt?: number }> {
    for (const [tenantId, max] of this.limits) {
      const window = this.window(tenantId, now);
      yield { tenantId, left: max - window.length, freesAt: window[0] === undefined ? undefined : window[0] + MINUTE };
    }
  }

  /**
   * Records a send of the tenant now when its window (`max` a minute) has room and answers
   * undefined; otherwise records nothing and answers when a send leaves the window.
   */
  admit(tenantId: string, max: number | undefined, now: number): number | undefined {
    if (!max) return undefined;
    const window = this.window(tenantId, now);
    if (window.length >= max) return window[0]! + MINUTE;
    window.push(now);
    return undefined;
  }

  /** The sends of the last minute, older ones dropped. */
  private window(tenantId: string, now: number): number[] {
    const window = (this.recent.get(tenantId) ?? []).filter((at) => at > now - MINUTE);
    this.recent.set(tenantId, window);
    return window;
  }
}
