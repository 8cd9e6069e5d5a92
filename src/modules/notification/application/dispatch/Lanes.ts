import type { OutboxMessage } from '../../domain/OutboxMessage';

/** Sends a tenant's lane gets before the next lane's turn (see take). */
export const TURN_SENDS = 100;

export interface Claimed {
  message: OutboxMessage;
  claimedAt: number;
}

export interface LaneLimits {
  /** Sends in flight per tenant. */
  perTenant: number;
  /** Sends in flight per host, over the tenants that share it. */
  perHost: number;
  /** Sends in flight in this process. */
  global: number;
  /** Sends that may start now (the pacer's budget; Infinity when not yielding). */
  budget: number;
  /** A message that waited longer than this since its claim goes back untried. */
  staleAfterMs: number;
  /** Tenants per host, and in all, that wait for a slot and may have their connection opened ahead. */
  aheadPerHost: number;
  aheadTotal: number;
}

export interface Taken {
  /** Messages to send now; each holds a send slot until `finished` gives it back. */
  start: OutboxMessage[];
  /** Messages that waited too long here: they go back to the queue untried, no slot taken. */
  stale: OutboxMessage[];
  /**
   * The next message of each tenant that sends next at its host: nothing of it in flight, its
   * host's or this process's slots taken. Its connection can be opened meanwhile.
   */
  ahead: OutboxMessage[];
}

/**
 * The messages this process has claimed and not yet started, one lane per tenant in claim order,
 * and the send slots they hold per tenant, per host and in all. Lanes take turns of TURN_SENDS
 * sends, so a tenant's sessions carry its turn before the next tenant's. Pure: no I/O, no timers.
 */
export class Lanes {
  private readonly ready = new Map<string, Claimed[]>();
  private readyCount = 0;
  /** Sends each lane got in its current turn. */
  private readonly turns = new Map<string, number>();
  /** Messages talking to a host right now. */
  private sendingCount = 0;
  private readonly perTenant = new Map<string, number>();
  private readonly perHost = new Map<string, number>();
  private readonly hostOfTenant = new Map<string, string>();
  /** Waiting lanes per host ('' for tenants whose host is not known yet): a walk stops when the rest are on full hosts. */
  private readonly lanesOnHost = new Map<string, number>();
  /** The host each sending message counts against, as it was when the send started. */
  private readonly hostOfSend = new Map<string, string | undefined>();

  /** Claimed messages not yet started. */
  get waiting(): number {
    return this.readyCount;
  }

  /** Messages holding a send slot. */
  get sending(): number {
    return this.sendingCount;
  }

  /** Tenants that send or wait here. */
  tenants(): Set<string> {
    return new Set([...this.perTenant.keys(), ...this.ready.keys()]);
  }

  /** Tenants with claimed messages waiting, in turn order, at most `limit`. */
  upcoming(limit: number): string[] {
    const tenants: string[] = [];
    for (const tenantId of this.ready.keys()) {
      if (tenants.length >= limit) break;
      tenants.push(tenantId);
    }
    return tenants;
  }

  /** The tenant's host (host:port), once its settings were read: its sends count against the host's slots. */
  setHost(tenantId: string, host: string): void {
    if (this.ready.has(tenantId)) {
      count(this.lanesOnHost, this.hostOfTenant.get(tenantId) ?? '', -1);
      count(this.lanesOnHost, host, +1);
    }
    this.hostOfTenant.set(tenantId, host);
  }

  add(messages: OutboxMessage[], claimedAt: number): void {
    for (const message of messages) {
      const lane = this.ready.get(message.tenantId);
      if (lane) {
        lane.push({ message, claimedAt });
      } else {
        this.ready.set(message.tenantId, [{ message, claimedAt }]);
        count(this.lanesOnHost, this.hostOfTenant.get(message.tenantId) ?? '', +1);
      }
    }
    this.readyCount += messages.length;
  }

  /** How many held messages (sending or waiting) a tenant has. */
  heldBy(tenantId: string): number {
    return (this.perTenant.get(tenantId) ?? 0) + (this.ready.get(tenantId)?.length ?? 0);
  }

  /**
   * Takes the messages that may start now while their tenant, host and this process have free
   * slots and the budget lasts, lane by lane in turn order; marks them sending.
   */
  take(limits: LaneLimits, now: number): Taken {
    const taken: Taken = { start: [], stale: [], ahead: [] };
    let budget = limits.budget;
    const served: string[] = [];
    const aheadAt = new Map<string, number>();
    // Hosts whose slots are full and whose tenants to open ahead are found: their other lanes are
    // passed over, and the walk ends once only such lanes are left (a thousand tenants waiting for
    // one host made every freed slot walk them all).
    const done = new Set<string>();
    const seen = new Map<string, number>();
    let unseen = this.ready.size;
    let unseenOnDone = 0;
    for (const [tenantId, lane] of this.ready) {
      if (budget < 1 || (this.sendingCount >= limits.global && taken.ahead.length >= limits.aheadTotal) || unseen === unseenOnDone) break;
      unseen--;
      const host = this.hostOfTenant.get(tenantId);
      if (host) {
        seen.set(host, (seen.get(host) ?? 0) + 1);
        if (done.has(host)) {
          unseenOnDone--;
          continue;
        }
      }
      let took = 0;
      while (lane.length > 0 && (this.perTenant.get(tenantId) ?? 0) < limits.perTenant && this.sendingCount < limits.global && budget >= 1) {
        if (host && (this.perHost.get(host) ?? 0) >= limits.perHost) break;
        const claimed = lane.shift()!;
        this.readyCount--;
        took++;
        if (now - claimed.claimedAt > limits.staleAfterMs) {
          taken.stale.push(claimed.message);
          continue;
        }
        this.occupy(claimed.message);
        taken.start.push(claimed.message);
        budget--;
      }
      if (took > 0) {
        this.turns.set(tenantId, (this.turns.get(tenantId) ?? 0) + took);
        served.push(tenantId);
      } else if (host && lane.length > 0 && !this.perTenant.has(tenantId) && taken.ahead.length < limits.aheadTotal) {
        const opening = aheadAt.get(host) ?? 0;
        if (opening < limits.aheadPerHost) {
          aheadAt.set(host, opening + 1);
          taken.ahead.push(lane[0]!.message);
        }
      }
      const full = host !== undefined && (this.perHost.get(host) ?? 0) >= limits.perHost;
      if (full && ((aheadAt.get(host) ?? 0) >= limits.aheadPerHost || taken.ahead.length >= limits.aheadTotal)) {
        done.add(host);
        unseenOnDone += (this.lanesOnHost.get(host) ?? 0) - seen.get(host)!;
      }
    }
    // Only the lanes served are looked at again: with a thousand lanes waiting for one host,
    // re-inserting every lane on every freed slot took a fifth of the thread (docs/performance.md).
    for (const tenantId of served) {
      const lane = this.ready.get(tenantId)!;
      if (lane.length === 0) {
        this.ready.delete(tenantId);
        this.turns.delete(tenantId);
        count(this.lanesOnHost, this.hostOfTenant.get(tenantId) ?? '', -1);
      } else if (this.turns.get(tenantId)! >= TURN_SENDS) {
        this.ready.delete(tenantId);
        this.ready.set(tenantId, lane);
        this.turns.delete(tenantId);
      }
    }
    return taken;
  }

  /** Gives back the send slot a message took in `take`. */
  finished(message: OutboxMessage): void {
    if (!this.hostOfSend.has(message.id)) return;
    const host = this.hostOfSend.get(message.id);
    this.hostOfSend.delete(message.id);
    this.sendingCount--;
    count(this.perTenant, message.tenantId, -1);
    if (host) count(this.perHost, host, -1);
  }

  /** Empties every lane; the messages that waited in them. */
  drain(): OutboxMessage[] {
    const waiting = [...this.ready.values()].flat().map((claimed) => claimed.message);
    this.ready.clear();
    this.turns.clear();
    this.lanesOnHost.clear();
    this.readyCount = 0;
    return waiting;
  }

  private occupy(message: OutboxMessage): void {
    const host = this.hostOfTenant.get(message.tenantId);
    this.hostOfSend.set(message.id, host);
    this.sendingCount++;
    count(this.perTenant, message.tenantId, +1);
    if (host) count(this.perHost, host, +1);
  }
}

function count(counts: Map<string, number>, key: string, delta: number): void {
  const value = (counts.get(key) ?? 0) + delta;
  if (value <= 0) counts.delete(key);
  else counts.set(key, value);
}
