import type { Clock } from '../../../../shared/time/Clock';
import type { DeliveryOptions } from '../../domain/DeliveryOptions';
import type { DeliveryQueue } from '../../domain/DeliveryQueue';
import type { DispatchSignal } from '../../domain/DispatchSignal';
import type { OutboxMessage } from '../../domain/OutboxMessage';
import type { Lanes } from './Lanes';
import type { InFlight } from './MessageDelivery';
import type { SendWindows } from './SendWindows';

/** The ports and the dispatcher's parts a claim round uses. */
export interface ClaimParts {
  queue: DeliveryQueue;
  signal: DispatchSignal;
  clock: Clock;
  options: DeliveryOptions;
  lanes: Lanes;
  windows: SendWindows;
  /** The dispatcher's sends that have not ended yet. */
  inFlight: ReadonlyMap<string, InFlight>;
  /** The dispatcher's lease owner id. */
  owner: string;
  /** False once the dispatcher stops: what a claim brings back then goes back to the queue. */
  running(): boolean;
  /** Puts claimed messages into the lanes and starts those that may start. */
  accept(messages: OutboxMessage[]): void;
  /** Wakes the dispatcher's loop at this time (a throttled tenant may send again). */
  wakeAt(at: number): void;
}

/**
 * Decides what a claim asks for and when the next one is due: as many as the lanes have room for,
 * at most a few per tenant, nothing for a full or throttled lane, and no claim for a few rows
 * while nearly all of maxHeld is held.
 */
export class ClaimRounds {
  /** A claim was left out for want of room under maxHeld: the send that frees a quarter wakes the loop. */
  private waitingForRoom = false;
  /** True while a claim runs: lanes that run low meanwhile are looked at when it returns. */
  private claiming = false;

  constructor(private readonly parts: ClaimParts) {}

  /**
   * Claims what the lanes have room for. True when another claim should follow at once: it got
   * as many as it asked for, or a lane that may have more waiting ran low while it ran.
   */
  async claim(): Promise<boolean> {
    const { queue, options, lanes, owner } = this.parts;
    const held = this.held();
    const limit = Math.min(options.maxHeld - held, options.prefetchPerTenant * 4);
    // Nearly all of maxHeld held (many tenants, each waiting for a turn at its host): a claim
    // would lease the few that fit for the price of a walk over the due rows, and the next send
    // would ask again — 15 rows a claim, the claims taking the database from the sends' outcomes.
    // The held messages keep the sends busy until a quarter is free.
    if (limit <= 0 || (held > 0 && limit < options.maxHeld / 4)) {
      this.waitingForRoom = true;
      return false;
    }
    const perTenant = this.roomPerTenant();
    const heldBefore = new Map([...perTenant.keys()].map((tenant) => [tenant, lanes.heldBy(tenant)]));
    let messages: OutboxMessage[];
    this.claiming = true;
    try {
      messages = await queue.claim({ owner, limit, perTenant, perTenantDefault: options.prefetchPerTenant, leaseMs: options.leaseMs });
    } finally {
      this.claiming = false;
    }
    if (!this.parts.running()) {
      await queue.releaseMany(
        messages.map((message) => message.id),
        owner,
      );
      return false;
    }
    this.parts.accept(messages);
    if (messages.length === limit) return true;
    // A lane that was full when the claim began and ran low meanwhile, or one just served (more
    // may be behind): worth a claim now. Not a throttled tenant, which holds little by design.
    const half = options.prefetchPerTenant / 2;
    const drained = [...heldBefore].filter(([tenant, held]) => held > half && lanes.heldBy(tenant) <= half);
    return drained.length > 0 || messages.some((message) => lanes.heldBy(message.tenantId) <= half);
  }

  /**
   * Waits, at most the poll interval, for news a claim could act on. New mail for tenants whose
   * lanes are full or whose rate is used up is not: the claim would take none of it and, to reach
   * the other tenants, walk past their whole backlog (a throttled tenant's backlog made every
   * claim under API load read all its rows).
   */
  async news(): Promise<void> {
    const { signal, options } = this.parts;
    const pollAt = Date.now() + options.pollIntervalMs;
    while (this.parts.running()) {
      const news = await signal.wait(Math.max(0, pollAt - Date.now()));
      if (news === 'any') return;
      const room = this.roomPerTenant();
      if ([...news].some((tenantId) => (room.get(tenantId) ?? options.prefetchPerTenant) > 0)) return;
    }
  }

  /**
   * A send of this tenant gave its slot back. Claim again only when the tenant's lane runs low or
   * the room a left-out claim waited for is free, not after every send; a claim running now looks
   * at the lanes when it returns.
   */
  sendFreed(tenantId: string): void {
    if (this.claiming) return;
    const { options, lanes, signal } = this.parts;
    const roomAgain = this.waitingForRoom && this.held() <= (options.maxHeld * 3) / 4;
    if (roomAgain) this.waitingForRoom = false;
    if (roomAgain || lanes.heldBy(tenantId) <= options.prefetchPerTenant / 2) signal.notify();
  }

  /** Messages this process holds: sending, or claimed and waiting their turn. */
  private held(): number {
    return this.parts.inFlight.size + this.parts.lanes.waiting;
  }

  /** What each busy or throttled tenant may still take. */
  private roomPerTenant(): Map<string, number> {
    const { options, lanes, windows, clock } = this.parts;
    const room = new Map<string, number>();
    for (const tenantId of lanes.tenants()) {
      // A lane is topped up only once it is half empty: one claim then feeds many sends.
      const free = options.prefetchPerTenant - lanes.heldBy(tenantId);
      room.set(tenantId, free >= options.prefetchPerTenant / 2 ? free : 0);
    }
    for (const { tenantId, left: inWindow, freesAt } of windows.room(clock.now().getTime())) {
      const left = inWindow - lanes.heldBy(tenantId);
      if (left < (room.get(tenantId) ?? options.prefetchPerTenant)) room.set(tenantId, Math.max(0, left));
      if (left <= 0 && freesAt !== undefined) this.parts.wakeAt(freesAt);
    }
    return room;
  }
}
