/**
 * The connections open to one host:port, over the connection pools of all tenants that send
 * through it (the hosted preset, GMX, Mandrill). Hosts limit connections per client and refuse or
 * stall the ones beyond (Postfix: `smtpd_client_connection_count_limit`, 50 by default; Postfix's
 * smtp-sink serves 256), and each tenant's pool keeps its sessions open for a while after use: a
 * thousand tenants on one host held the host's every slot with idle sessions, and new ones waited
 * for those to time out.
 *
 * A pool that needs a session first takes over an idle one of another tenant whose connection is
 * identical (same login; see connectionIdentity), least recently idle first: tenants of one login
 * taking turns at a host otherwise closed each other's sessions and reconnected for every message.
 * At the limit, a new connection first closes the least recently idle session of any tenant on the
 * host, or, when none is idle, waits until a session closes or goes idle. Sessions opened ahead of
 * their tenant's first send (spares) are closed only when no other session is idle.
 */
export class HostConnections<S extends IdleSession = IdleSession> {
  private open = 0;
  /** Slots evicted from idle sessions whose connections have not closed yet. */
  private closing = 0;
  /** Idle sessions, least recently idle first. */
  private readonly idle = new Map<HostSlot<S>, S>();
  /** Idle sessions opened ahead and not used yet: closed for room only after the others. */
  private readonly spares = new Map<HostSlot<S>, S>();
  private readonly waiting: Array<Waiter<S>> = [];

  constructor(readonly limit: number) {}

  /** Room for one more connection; give it back with the slot's `release()` once that connection has closed. */
  acquire(): Promise<HostSlot<S>> {
    return this.acquireOrTakeOver() as Promise<HostSlot<S>>;
  }

  /**
   * Room for one more connection; or, while it waits at the limit, a session of `identity` that
   * goes idle meanwhile, handed to `take` (which declines with false): then undefined.
   */
  acquireOrTakeOver(identity?: string, take?: (session: S) => boolean): Promise<HostSlot<S> | undefined> {
    if (this.open < this.limit) {
      this.open++;
      return Promise.resolve(new HostSlot(this));
    }
    return new Promise((resolve) => {
      const taking = (session: S): boolean => {
        if (!take?.(session)) return false;
        resolve(undefined);
        return true;
      };
      this.waiting.push({ grant: resolve, identity, take: taking });
      this.closeIdleForWaiters();
    });
  }

  /**
   * Room for a connection opened ahead of its sends: a free slot, or one of a session that sent and
   * went idle, closed for it. Undefined when there is neither: it never waits behind busy
   * connections, a spare, or connections that others wait for.
   */
  acquireAhead(): Promise<HostSlot<S>> | undefined {
    if (this.open < this.limit) return this.acquire();
    if (this.waiting.length >= this.closing + this.idle.size) return undefined;
    return this.acquire();
  }

  /**
   * The least recently idle session of this identity (spares last), no longer idle: its slot and
   * connection pass to the caller as they are. Undefined when there is none.
   */
  takeOver(identity: string): S | undefined {
    const found = this.findIdle(identity);
    found?.sessions.delete(found.slot);
    return found?.session;
  }

  /** Whether an idle session of this identity is there to take over. */
  hasIdle(identity: string): boolean {
    return this.findIdle(identity) !== undefined;
  }

  /** The idle session of this identity that takeOver hands out: least recently idle, spares last. */
  private findIdle(identity: string): { sessions: Map<HostSlot<S>, S>; slot: HostSlot<S>; session: S } | undefined {
    for (const sessions of [this.idle, this.spares]) {
      for (const [slot, session] of sessions) if (session.identity === identity) return { sessions, slot, session };
    }
    return undefined;
  }

  /** Connections open or being opened. */
  get size(): number {
    return this.open;
  }

  /** @internal see HostSlot */
  released(slot: HostSlot<S>): void {
    this.inUse(slot);
    if (slot.evicted) this.closing--;
    const next = this.waiting.shift();
    // The slot goes straight to a waiter, so that no new caller can take it in between.
    if (next) next.grant(new HostSlot(this));
    else this.open--;
  }

  /** @internal see HostSlot */
  wentIdle(slot: HostSlot<S>, session: S, spare: boolean): void {
    this.inUse(slot);
    // A waiter that connects alike takes the session instead of having it closed for its room.
    for (const [index, waiter] of this.waiting.entries()) {
      if (session.identity === undefined || waiter.identity !== session.identity || !waiter.take(session)) continue;
      this.waiting.splice(index, 1);
      return;
    }
    (spare ? this.spares : this.idle).set(slot, session);
    this.closeIdleForWaiters();
  }

  /** @internal see HostSlot */
  inUse(slot: HostSlot<S>): void {
    this.idle.delete(slot);
    this.spares.delete(slot);
  }

  private closeIdleForWaiters(): void {
    for (const sessions of [this.idle, this.spares]) {
      for (const [slot, session] of sessions) {
        if (this.waiting.length <= this.closing) return;
        sessions.delete(slot);
        slot.evicted = true;
        this.closing++;
        session.close();
      }
    }
  }
}

interface Waiter<S extends IdleSession> {
  grant(slot: HostSlot<S>): void;
  identity?: string;
  /** Takes over an idle session instead of a slot; false: declined. */
  take(session: S): boolean;
}

/** What an idle session leaves with its host. */
export interface IdleSession {
  /** Ends it when another connection needs the room. */
  close(): void;
  /** Another tenant's pool with a connection of this identity may take it over; undefined: never (OAuth 2.0). */
  readonly identity?: string;
}

/** One connection's place in its host's budget. */
export class HostSlot<S extends IdleSession = IdleSession> {
  /** Closed to make room for another connection; its release hands that room on. */
  evicted = false;
  private released = false;

  constructor(private readonly host: HostConnections<S>) {}

  /**
   * The session has nothing to send: it may be closed when another connection needs the room (a
   * `spare`, opened ahead and not used yet, only once no other session is idle), or taken over.
   */
  idle(session: S, spare = false): void {
    if (!this.released) this.host.wentIdle(this, session, spare);
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
