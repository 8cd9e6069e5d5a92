import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { inject, injectable } from 'inversify';
import type { BackgroundService } from '../../../shared/lifecycle/BackgroundService';
import type { Logger } from '../../../shared/logging/logger';
import type { Clock } from '../../../shared/time/Clock';
import { CLOCK, LOGGER } from '../../../shared/tokens';
import { hostKey, type MailHostDirectory } from '../../tenant/domain/MailHostDirectory';
import type { TenantDirectory } from '../../tenant/domain/TenantDirectory';
import type { MailSettingsObserver } from '../../tenant/domain/TenantLifecycle';
import { MAIL_HOST_DIRECTORY, TENANT_DIRECTORY } from '../../tenant/tokens';
import type { DeliveryFailureLog } from '../domain/DeliveryFailureLog';
import type { DeliveryMetrics } from '../domain/DeliveryMetrics';
import type { DeliveryOptions } from '../domain/DeliveryOptions';
import type { DeliveryQueue } from '../domain/DeliveryQueue';
import type { DispatchSignal } from '../domain/DispatchSignal';
import type { IntakeLoad } from '../domain/IntakeLoad';
import type { MailTransport } from '../domain/MailTransport';
import type { MessageComposer } from '../domain/MessageComposer';
import type { OutboxMessage } from '../domain/OutboxMessage';
import { sendLimitsOf, type SendBudget } from '../domain/SendBudget';
import {
  DELIVERY_FAILURE_LOG,
  DELIVERY_METRICS,
  DELIVERY_OPTIONS,
  DELIVERY_QUEUE,
  DISPATCH_SIGNAL,
  INTAKE_LOAD,
  MAIL_TRANSPORT,
  MESSAGE_COMPOSER,
  SEND_BUDGET,
} from '../tokens';
import { Lanes } from './dispatch/Lanes';
import { type InFlight, MessageDelivery } from './dispatch/MessageDelivery';
import { SenderFallback } from './SenderFallback';
import { Pacer } from './dispatch/Pacer';
import { SendGrants } from './dispatch/SendGrants';
import { SendWindows } from './dispatch/SendWindows';
import { TenantSettingsCache } from './dispatch/TenantSettingsCache';
import { WakeTimers } from './dispatch/WakeTimers';

const CLAIM_SPACING_MS = 20;
/** While yielding, how long a pump that ran out of paced sends waits before it looks again. */
const PACE_WAIT_MS = 10;

/**
 * Sends what the outbox holds: the loop of claim rounds and wake-ups. Claims due messages with a
 * lease into per-tenant lanes (Lanes), at most a few per tenant and per host at a time, so that a
 * slow or dead host holds up only its own tenant; wakes at once on enqueue and polls for other
 * instances' mail and for retries. Pacing (Pacer), send windows (SendWindows), the tenants'
 * settings (TenantSettingsCache) and each message's outcome (MessageDelivery) are parts of their own.
 */
@injectable()
export class OutboxDispatcher implements BackgroundService, MailSettingsObserver {
  readonly name = 'notification-dispatcher';
  readonly owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private running = false;
  private loop?: Promise<void>;
  private readonly inFlight = new Map<string, InFlight>();
  private readonly lanes = new Lanes();
  private readonly pacer: Pacer;
  private readonly windows: SendWindows;
  private readonly settings: TenantSettingsCache;
  private readonly delivery: MessageDelivery;
  private readonly wakeTimers: WakeTimers;
  private paceTimer?: NodeJS.Timeout;
  /** A claim was left out for want of room under maxHeld: the send that frees a quarter wakes the loop. */
  private waitingForRoom = false;
  /** True while a claim runs: lanes that run low meanwhile are looked at when it returns. */
  private claiming = false;

  constructor(
    @inject(DELIVERY_QUEUE) private readonly queue: DeliveryQueue,
    @inject(MAIL_TRANSPORT) private readonly transport: MailTransport,
    @inject(MESSAGE_COMPOSER) composer: MessageComposer,
    @inject(TENANT_DIRECTORY) tenants: TenantDirectory,
    @inject(MAIL_HOST_DIRECTORY) hosts: MailHostDirectory,
    @inject(DISPATCH_SIGNAL) private readonly signal: DispatchSignal,
    @inject(CLOCK) private readonly clock: Clock,
    @inject(LOGGER) private readonly log: Logger,
    @inject(DELIVERY_METRICS) metrics: DeliveryMetrics,
    @inject(DELIVERY_OPTIONS) private readonly options: DeliveryOptions,
    @inject(DELIVERY_FAILURE_LOG) failures: DeliveryFailureLog,
    @inject(INTAKE_LOAD) private readonly intake: IntakeLoad,
    @inject(SEND_BUDGET) budget: SendBudget,
    @inject(SenderFallback) senderFallback: SenderFallback,
  ) {
    this.windows = new SendWindows(new SendGrants(budget, () => clock.now().getTime()));
    this.pacer = new Pacer(options);
    this.wakeTimers = new WakeTimers(clock, () => signal.notify());
    this.settings = new TenantSettingsCache(tenants, hosts, options.tenantCacheMs, (tenantId, settings) => {
      if (settings) this.lanes.setHost(tenantId, hostKey(settings.endpoint));
      this.windows.setLimits(tenantId, settings && sendLimitsOf(settings.endpoint));
    });
    this.delivery = new MessageDelivery({
      queue,
      transport,
      composer,
      hosts,
      signal,
      clock,
      log,
      metrics,
      failures,
      senderFallback,
      options,
      settings: this.settings,
      windows: this.windows,
      owner: this.owner,
      wakeAt: (at) => this.wakeAt(at),
    });
  }

  async start(): Promise<void> {
    if (this.running) return;
    const recovered = this.queue.singleInstance ? await this.queue.recoverAbandoned() : 0;
    if (recovered > 0) this.log.warn({ recovered }, 'queued again the messages that were in flight when the service last stopped');
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.signal.notify();
    clearTimeout(this.paceTimer);
    this.paceTimer = undefined;
    await this.loop;
    this.wakeTimers.clear();
    const waiting = this.lanes.drain().map((message) => message.id);
    await this.queue
      .releaseMany(waiting, this.owner)
      .catch((error: unknown) => this.log.error({ err: error, count: waiting.length }, 'could not hand claimed messages back'));
    await this.settled(this.options.stopTimeoutMs);
    const abandoned = [...this.inFlight.values()];
    for (const entry of abandoned) {
      entry.abandoned = true;
      await this.queue
        .release(entry.message.id, this.owner)
        .catch((error: unknown) => this.log.error({ err: error, id: entry.message.id }, 'could not hand a message back'));
    }
    if (abandoned.length > 0) this.log.warn({ released: abandoned.length }, 'sends still hanging at shutdown were handed back to the queue');
    // Closing the pools ends the hanging sessions; their outcomes are no longer recorded.
    await this.transport.close();
    await this.settled(1_000);
  }

  private async settled(timeoutMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
    await Promise.race([Promise.allSettled([...this.inFlight.values()].map((entry) => entry.done)), timedOut]);
    clearTimeout(timer);
  }

  /** Called by the tenant module after the mail settings changed: a parked queue goes again. */
  async mailSettingsChanged(tenantId: string): Promise<void> {
    this.settings.forget(tenantId);
    const unparked = await this.queue.unpark(tenantId, this.clock.now());
    if (unparked > 0) this.log.info({ tenantId, unparked }, 'mail settings changed: parked messages queued again');
    this.signal.notify();
  }

  private async run(): Promise<void> {
    while (this.running) {
      let full = false;
      try {
        full = await this.claimRound();
      } catch (error) {
        this.log.error({ err: error }, 'claiming due messages failed');
      }
      // A claim that got all it asked for may have left more behind; otherwise wait for news a
      // claim can act on, and claim at most every CLAIM_SPACING_MS on news alone.
      if (!full && this.running) {
        const spacing = sleep(CLAIM_SPACING_MS);
        await this.claimableNews();
        await spacing;
      }
    }
  }

  /**
   * Waits, at most the poll interval, for news a claim could act on. New mail for tenants whose
   * lanes are full or whose rate is used up is not: the claim would take none of it and, to reach
   * the other tenants, walk past their whole backlog (a throttled tenant's backlog made every
   * claim under API load read all its rows).
   */
  private async claimableNews(): Promise<void> {
    const pollAt = Date.now() + this.options.pollIntervalMs;
    while (this.running) {
      const news = await this.signal.wait(Math.max(0, pollAt - Date.now()));
      if (news === 'any') return;
      const room = this.roomPerTenant();
      if ([...news].some((tenantId) => (room.get(tenantId) ?? this.options.prefetchPerTenant) > 0)) return;
    }
  }

  /**
   * Claims what the lanes have room for. True when another claim should follow at once: it got
   * as many as it asked for, or a lane that may have more waiting ran low while it ran.
   */
  private async claimRound(): Promise<boolean> {
    const held = this.inFlight.size + this.lanes.waiting;
    const limit = Math.min(this.options.maxHeld - held, this.options.prefetchPerTenant * 4);
    // Nearly all of maxHeld held (many tenants, each waiting for a turn at its host): a claim
    // would lease the few that fit for the price of a walk over the due rows, and the next send
    // would ask again — 15 rows a claim, the claims taking the database from the sends' outcomes.
    // The held messages keep the sends busy until a quarter is free.
    if (limit <= 0 || (held > 0 && limit < this.options.maxHeld / 4)) {
      this.waitingForRoom = true;
      return false;
    }
    const perTenant = this.roomPerTenant();
    const heldBefore = new Map([...perTenant.keys()].map((tenant) => [tenant, this.lanes.heldBy(tenant)]));
    let messages: OutboxMessage[];
    this.claiming = true;
    try {
      messages = await this.queue.claim({
        owner: this.owner,
        limit,
        perTenant,
        perTenantDefault: this.options.prefetchPerTenant,
        leaseMs: this.options.leaseMs,
      });
    } finally {
      this.claiming = false;
    }
    if (!this.running) {
      await this.queue.releaseMany(
        messages.map((message) => message.id),
        this.owner,
      );
      return false;
    }
    this.lanes.add(messages, Date.now());
    // Read afresh for all claimed tenants, so that the settings last while the messages wait their turn.
    this.settings.preload(new Set(messages.map((message) => message.tenantId)));
    this.pump();
    if (messages.length === limit) return true;
    // A lane that was full when the claim began and ran low meanwhile, or one just served (more
    // may be behind): worth a claim now. Not a throttled tenant, which holds little by design.
    const half = this.options.prefetchPerTenant / 2;
    const drained = [...heldBefore].filter(([tenant, held]) => held > half && this.lanes.heldBy(tenant) <= half);
    return drained.length > 0 || messages.some((message) => this.lanes.heldBy(message.tenantId) <= half);
  }

  /**
   * Starts claimed messages while their tenant, host and this process have free send slots. A
   * message that waited here for half its lease goes back to the queue untried, so that its lease
   * cannot run out during the send and let another instance send it too.
   */
  private pump(): void {
    if (!this.running) return;
    const now = Date.now();
    const yielding = this.pacer.yields(now, this.intake.storing);
    const budget = yielding ? this.pacer.budget(now) : Infinity;
    const { start, stale } = this.lanes.take(
      {
        perTenant: this.pacer.sendsPerTenant(yielding),
        perHost: this.options.perHostConcurrency,
        global: this.options.globalConcurrency,
        budget,
        staleAfterMs: this.options.leaseMs / 2,
      },
      now,
    );
    for (const message of stale) {
      this.queue.release(message.id, this.owner).catch((error: unknown) => this.log.error({ err: error, id: message.id }, 'could not hand a message back'));
    }
    for (const message of start) this.startDelivery(message);
    if (yielding) {
      this.pacer.spent(budget - start.length);
      if (budget - start.length < 1 && this.lanes.waiting > 0 && !this.paceTimer) {
        this.paceTimer = setTimeout(() => {
          this.paceTimer = undefined;
          this.pump();
        }, PACE_WAIT_MS);
      }
    }
  }

  /** What each busy or throttled tenant may still take. */
  private roomPerTenant(): Map<string, number> {
    const room = new Map<string, number>();
    for (const tenantId of this.lanes.tenants()) {
      // A lane is topped up only once it is half empty: one claim then feeds many sends.
      const free = this.options.prefetchPerTenant - this.lanes.heldBy(tenantId);
      room.set(tenantId, free >= this.options.prefetchPerTenant / 2 ? free : 0);
    }
    for (const { tenantId, left: inWindow, freesAt } of this.windows.room(this.clock.now().getTime())) {
      const left = inWindow - this.lanes.heldBy(tenantId);
      if (left < (room.get(tenantId) ?? this.options.prefetchPerTenant)) room.set(tenantId, Math.max(0, left));
      if (left <= 0 && freesAt !== undefined) this.wakeAt(freesAt);
    }
    return room;
  }

  private startDelivery(message: OutboxMessage): void {
    let freed = false;
    const free = (): void => {
      if (freed) return;
      freed = true;
      this.lanes.finished(message);
      this.pump();
      // Claim again only when this tenant's lane runs low or the room a left-out claim waited for
      // is free, not after every send; a claim running now looks at the lanes when it returns.
      if (this.claiming) return;
      const roomAgain = this.waitingForRoom && this.inFlight.size + this.lanes.waiting <= (this.options.maxHeld * 3) / 4;
      if (roomAgain) this.waitingForRoom = false;
      if (roomAgain || this.lanes.heldBy(message.tenantId) <= this.options.prefetchPerTenant / 2) this.signal.notify();
    };
    const entry: InFlight = { message, abandoned: false, done: Promise.resolve(), free };
    this.inFlight.set(message.id, entry);
    entry.done = this.delivery
      .deliver(entry)
      .catch((error: unknown) =>
        this.log.error({ err: error, id: message.id }, 'recording a delivery outcome failed; the lease will expire and the message be tried again'),
      )
      .finally(() => {
        this.inFlight.delete(message.id);
        free();
      });
  }

  /** Wakes the loop at `at` (a retry falls due, a throttled tenant may send again). */
  private wakeAt(at: number): void {
    if (this.running) this.wakeTimers.at(at);
  }
}
