/**
 * The connections open to one host:port, over the connection pools of all tenants that send
 * through it (the hosted preset, GMX, Mandrill). Hosts limit connections per client and refuse or
 * stall the ones beyond (Postfix: `smtpd_client_connection_count_limit`, 50 by default; Postfix's
 * smtp-sink serves 256), and each tenant's pool keeps its sessions open for a while after use: a
 * thousand tenants on one host held the host's every slot with idle sessions, and new ones waited
 * for those to time out.
 *
 * At the limit, a new connection first closes the least recently idle session of any tenant on the
 * host, or, when none is idle, waits until a session closes or goes idle. Sessions opened ahead of
 * their tenant's first send (spares) are closed only when no other session is idle.
 */
export class HostConnections {
  private open = 0;
  /** Slots evicted from idle sessions whose connections have not closed yet. */
  private closing = 0;
  /** Idle sessions, least recently idle first, each with what closes it. */
  private readonly idle = new Map<HostSlot, () => void>();
  /** Idle sessions opened ahead and not used yet: closed for room only after the others. */
  private readonly spares = new Map<HostSlot, () => void>();
  private readonly waiting: Array<(slot: HostSlot) => void> = [];

  constructor(readonly limit: number) {}

  /** Room for one more connection; give it back with the slot's `release()` once that connection has closed. */
  acquire(): Promise<HostSlot> {
    if (this.open < this.limit) {
      this.open++;
      return Promise.resolve(new HostSlot(this));
    }
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.closeIdleForWaiters();
    });
  }

  /**
   * Room for a connection opened ahead of its sends: a free slot, or one of a session that sent and
   * went idle, closed for it. Undefined when there is neither: it never waits behind busy
   * connections, a spare, or connections that others wait for.
   */
  acquireAhead(): Promise<HostSlot> | undefined {
    if (this.open < this.limit) return this.acquire();
    if (this.waiting.length >= this.closing + this.idle.size) return undefined;
    return this.acquire();
  }

  /** Connections open or being opened. */
  get size(): number {
    return this.open;
  }

  /** @internal see HostSlot */
  released(slot: HostSlot): void {
    this.inUse(slot);
    if (slot.evicted) this.closing--;
    const next = this.waiting.shift();
    // The slot goes straight to a waiter, so that no new caller can take it in between.
    if (next) next(new HostSlot(this));
    else this.open--;
  }

  /** @internal see HostSlot */
  wentIdle(slot: HostSlot, close: () => void, spare: boolean): void {
    this.inUse(slot);
    (spare ? this.spares : this.idle).set(slot, close);
    this.closeIdleForWaiters();
  }

  /** @internal see HostSlot */
  inUse(slot: HostSlot): void {
    this.idle.delete(slot);
    this.spares.delete(slot);
  }

  private closeIdleForWaiters(): void {
    for (const sessions of [this.idle, this.spares]) {
      for (const [slot, close] of sessions) {
        if (this.waiting.length <= this.closing) return;
        sessions.delete(slot);
        slot.evicted = true;
        this.closing++;
        close();
      }
    }
  }
}

/** One connection's place in its host's budget. */
export class HostSlot {
  /** Closed to make room for another connection; its release hands that room on. */
  evicted = false;
  private released = false;

  constructor(private readonly host: HostConnections) {}

  /**
   * The session has nothing to send: `close` ends it when another connection needs the room; a
   * `spare` (opened ahead, not used yet) only once no other session is idle.
   */
  idle(close: () => void, spare = false): void {
    if (!this.released) this.host.wentIdle(this, close, spare);
  }

  /** The session is sending again and may not be closed for room. */
  busy(): void {
    this.host.inUse(this);
  }

  /** The connection closed (or never opened); safe to call more than once. */
  release(): void {
    if (this.released) return;
    this.released = true;
    this.host.released(this);
  }
}
