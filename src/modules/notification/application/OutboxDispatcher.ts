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
import { ClaimRounds } from './dispatch/ClaimRounds';
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
/** Waiting tenants whose settings are read together once those of the next in line have expired. */
const READ_AHEAD_TENANTS = 500;

/**
 * Sends what the outbox holds: the loop of claim rounds and wake-ups. Claims due messages with a
 * lease into per-tenant lanes (Lanes), at most a few per tenant and per host at a time, so that a
 * slow or dead host holds up only its own tenant; wakes at once on enqueue and polls for other
 * instances' mail and for retries. What a claim asks for and when (ClaimRounds), pacing (Pacer),
 * send windows (SendWindows), the tenants' settings (TenantSettingsCache) and each message's
 * outcome (MessageDelivery) are parts of their own.
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
  private readonly claims: ClaimRounds;
  private paceTimer?: NodeJS.Timeout;
  /** When the settings of the tenants in line may be read ahead again (see readAhead). */
  private readAheadAfter = 0;

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
    this.claims = new ClaimRounds({
      queue,
      signal,
      clock,
      options,
      lanes: this.lanes,
      windows: this.windows,
      inFlight: this.inFlight,
      owner: this.owner,
      running: () => this.running,
      accept: (messages) => this.accept(messages),
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
        full = await this.claims.claim();
      } catch (error) {
        this.log.error({ err: error }, 'claiming due messages failed');
      }
      // A claim that got all it asked for may have left more behind; otherwise wait for news a
      // claim can act on, and claim at most every CLAIM_SPACING_MS on news alone.
      if (!full && this.running) {
        const spacing = sleep(CLAIM_SPACING_MS);
        await this.claims.news();
        await spacing;
      }
    }
  }

  /** Takes claimed messages into the lanes and starts what may start. */
  private accept(messages: OutboxMessage[]): void {
    this.lanes.add(messages, Date.now());
    // Read afresh for all claimed tenants, so that the settings last while the messages wait their
    // turn; once read, the next tenants' connections can be opened ahead of their sends.
    void this.settings.preload(new Set(messages.map((message) => message.tenantId))).then(() => this.pump());
    this.pump();
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
    const { start, stale, ahead } = this.lanes.take(
      {
        perTenant: this.pacer.sendsPerTenant(yielding),
        perHost: this.options.perHostConcurrency,
        global: this.options.globalConcurrency,
        budget,
        staleAfterMs: this.options.leaseMs / 2,
        // Connections beyond the sends' own: while those are on the wire, the next tenants' open.
        aheadPerHost: this.options.perHostConnections - this.options.perHostConcurrency,
        aheadTotal: this.options.globalConcurrency,
      },
      now,
    );
    for (const message of stale) {
      this.queue.release(message.id, this.owner).catch((error: unknown) => this.log.error({ err: error, id: message.id }, 'could not hand a message back'));
    }
    for (const message of start) this.startDelivery(message);
    for (const message of ahead) this.openAhead(message.tenantId);
    if (ahead.some((message) => !this.settings.peek(message.tenantId))) this.readAhead();
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

  /**
   * Opens the connection of a tenant whose mail goes next at its host, while the host's slots are
   * taken by others' sends: a thousand tenants with a few mails each on one host otherwise set up
   * a session (connect, greeting, EHLO) inside every send slot, one after the other.
   */
  private openAhead(tenantId: string): void {
    const settings = this.settings.peek(tenantId);
    if (settings && settings.tenant.mailStatus.state !== 'parked') this.transport.prepare(settings.endpoint);
  }

  /**
   * The settings read at the claim expired while the tenants waited for their host (a slow hour,
   * a thousand tenants in line): read them for the next tenants in line together, instead of one
   * read per send.
   */
  private readAhead(): void {
    const now = Date.now();
    // One at a time and spaced: a tenant whose settings cannot be read stays unread.
    if (now < this.readAheadAfter) return;
    this.readAheadAfter = Infinity;
    const unread = this.lanes.upcoming(READ_AHEAD_TENANTS).filter((tenantId) => !this.settings.peek(tenantId));
    void this.settings.preload(new Set(unread)).then(() => {
      this.readAheadAfter = now + this.options.tenantCacheMs / 4;
      this.pump();
    });
  }

  private startDelivery(message: OutboxMessage): void {
    let freed = false;
    const free = (): void => {
      if (freed) return;
      freed = true;
      this.lanes.finished(message);
      this.pump();
      this.claims.sendFreed(message.tenantId);
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
