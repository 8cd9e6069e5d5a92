import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { inject, injectable } from 'inversify';
import type { Knex } from 'knex';
import type { Config } from '../../../shared/config/Config';
import { isPostgres } from '../../../shared/database/database';
import type { BackgroundService } from '../../../shared/lifecycle/BackgroundService';
import type { Logger } from '../../../shared/logging/logger';
import type { Clock } from '../../../shared/time/Clock';
import { CLOCK, CONFIG, DATABASE, LOGGER } from '../../../shared/tokens';
import { hostKey, type MailHostDirectory, type SmtpEndpoint } from '../../tenant/domain/MailHostDirectory';
import type { Tenant } from '../../tenant/domain/Tenant';
import type { TenantDirectory } from '../../tenant/domain/TenantDirectory';
import type { MailSettingsObserver } from '../../tenant/domain/TenantLifecycle';
import { MAIL_HOST_DIRECTORY, TENANT_DIRECTORY } from '../../tenant/tokens';
import { classifyFailure, describeRefusals, type FailureVerdict } from '../domain/classifyFailure';
import { DeliveryError, type RecipientRefusal } from '../domain/DeliveryError';
import { countsBeforeSending, setAsideReason } from '../domain/interruptions';
import type { DeliveryFailureLog } from '../domain/DeliveryFailureLog';
import type { DeliveryOptions } from '../domain/DeliveryOptions';
import type { DeliveryQueue, RecipientRetry } from '../domain/DeliveryQueue';
import type { DispatchSignal } from '../domain/DispatchSignal';
import type { IntakeLoad } from '../domain/IntakeLoad';
import type { MailTransport } from '../domain/MailTransport';
import type { OutboxMessage } from '../domain/OutboxMessage';
import { composeMessage } from '../infrastructure/composeMessage';
import { DeliveryMetrics } from '../infrastructure/DeliveryMetrics';
import { DELIVERY_FAILURE_LOG, DELIVERY_OPTIONS, DELIVERY_QUEUE, DISPATCH_SIGNAL, INTAKE_LOAD, MAIL_TRANSPORT } from '../tokens';
import { message as text, wrapping, type Message } from '../../../shared/messages/message';
import { parkedReason } from '../../tenant/domain/Tenant';

interface TenantContext {
  tenant: Tenant;
  endpoint: SmtpEndpoint;
  loadedAt: number;
}

interface InFlight {
  message: OutboxMessage;
  /** Set when stop() handed the message back: its outcome is no longer ours to record. */
  abandoned: boolean;
  done: Promise<void>;
  /** Gives the send slot back once the host has answered; the outcome may still be being recorded. */
  free(): void;
}

interface Claimed {
  message: OutboxMessage;
  claimedAt: number;
}

const MINUTE = 60_000;
const CLAIM_SPACING_MS = 20;
/** Sends a tenant's lane gets before the next lane's turn (see pump). */
const TURN_SENDS = 100;
/** While yielding, how long a pump that ran out of paced sends waits before it looks again. */
const PACE_WAIT_MS = 10;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Sends what the outbox holds. Claims due messages with a lease, at most a few per tenant and
 * per host at a time, so that a slow or dead host holds up only its own tenant; wakes at once on
 * enqueue and polls for other instances' mail and for retries.
 */
@injectable()
export class OutboxDispatcher implements BackgroundService, MailSettingsObserver {
  readonly name = 'notification-dispatcher';
  readonly owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private running = false;
  private loop?: Promise<void>;
  private readonly inFlight = new Map<string, InFlight>();
  /** Leased by a claim, not yet started, per tenant in claim order. */
  private readonly ready = new Map<string, Claimed[]>();
  private readyCount = 0;
  /** Sends each lane got in its current turn. */
  private readonly turns = new Map<string, number>();
  /** Messages talking to a host right now (in flight minus those recording their outcome). */
  private sending = 0;
  private readonly perTenant = new Map<string, number>();
  private readonly perHost = new Map<string, number>();
  private readonly hostOfTenant = new Map<string, string>();
  private readonly recentSends = new Map<string, number[]>();
  private readonly contexts = new Map<string, TenantContext>();
  /** Sends that find a tenant's context expired together share one read. */
  private readonly loadingContexts = new Map<string, Promise<TenantContext | undefined>>();
  private readonly wakeTimers = new Map<number, NodeJS.Timeout>();
  /** Until when delivery yields to the API (see yieldsToIntake). */
  private yieldingUntil = 0;
  /** Sends that may start now while yielding, and when they were last counted (see yieldPace). */
  private paceTokens = 0;
  private pacedAt = 0;
  private paceTimer?: NodeJS.Timeout;
  /** A claim was left out for want of room under maxHeld: the send that frees a quarter wakes the loop. */
  private waitingForRoom = false;
  /** True while a claim runs: lanes that run low meanwhile are looked at when it returns. */
  private claiming = false;

  constructor(
    @inject(DELIVERY_QUEUE) private readonly queue: DeliveryQueue,
    @inject(MAIL_TRANSPORT) private readonly transport: MailTransport,
    @inject(TENANT_DIRECTORY) private readonly tenants: TenantDirectory,
    @inject(MAIL_HOST_DIRECTORY) private readonly hosts: MailHostDirectory,
    @inject(DISPATCH_SIGNAL) private readonly signal: DispatchSignal,
    @inject(CLOCK) private readonly clock: Clock,
    @inject(CONFIG) private readonly config: Config,
    @inject(DATABASE) private readonly db: Knex,
    @inject(LOGGER) private readonly log: Logger,
    @inject(DeliveryMetrics) private readonly metrics: DeliveryMetrics,
    @inject(DELIVERY_OPTIONS) private readonly options: DeliveryOptions,
    @inject(DELIVERY_FAILURE_LOG) private readonly failures: DeliveryFailureLog,
    @inject(INTAKE_LOAD) private readonly intake: IntakeLoad,
  ) {}

  async start(): Promise<void> {
    if (this.running) return;
    // SQLite runs one instance: whatever is still `sending` was in flight when the last process died.
    if (!isPostgres(this.db)) {
      const recovered = await this.queue.recoverAbandoned();
      if (recovered > 0) this.log.warn({ recovered }, 'queued again the messages that were in flight when the service last stopped');
    }
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
    for (const timer of this.wakeTimers.values()) clearTimeout(timer);
    this.wakeTimers.clear();
    const waiting = [...this.ready.values()].flat().map((claimed) => claimed.message.id);
    this.ready.clear();
    this.turns.clear();
    this.readyCount = 0;
    await this.queue.releaseMany(waiting, this.owner).catch((error: unknown) => this.log.error({ err: error, count: waiting.length }, 'could not hand claimed messages back'));
    await this.settled(this.options.stopTimeoutMs);
    const abandoned = [...this.inFlight.values()];
    for (const entry of abandoned) {
      entry.abandoned = true;
      await this.queue.release(entry.message.id, this.owner).catch((error: unknown) => this.log.error({ err: error, id: entry.message.id }, 'could not hand a message back'));
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
    this.contexts.delete(tenantId);
    this.loadingContexts.delete(tenantId);
    const unparked = await this.queue.unpark(tenantId, this.clock.now());
    if (unparked > 0) this.log.info({ tenantId, unparked }, 'mail settings changed: parked messages queued again');
    this.signal.notify();
  }

  /** Messages being sent by this process right now. */
  get inFlightCount(): number {
    return this.inFlight.size;
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
    const held = this.inFlight.size + this.readyCount;
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
    const heldBefore = new Map([...perTenant.keys()].map((tenant) => [tenant, this.heldBy(tenant)]));
    let messages: OutboxMessage[];
    this.claiming = true;
    try {
      messages = await this.queue.claim({ owner: this.owner, limit, perTenant, perTenantDefault: this.options.prefetchPerTenant, leaseMs: this.options.leaseMs });
    } finally {
      this.claiming = false;
    }
    if (!this.running) {
      await this.queue.releaseMany(messages.map((message) => message.id), this.owner);
      return false;
    }
    const claimedAt = Date.now();
    for (const message of messages) {
      const lane = this.ready.get(message.tenantId);
      if (lane) lane.push({ message, claimedAt });
      else this.ready.set(message.tenantId, [{ message, claimedAt }]);
    }
    this.readyCount += messages.length;
    // Read afresh for all claimed tenants, so that the settings last while the messages wait their turn.
    this.preloadContexts(new Set(messages.map((message) => message.tenantId)));
    this.pump();
    if (messages.length === limit) return true;
    // A lane that was full when the claim began and ran low meanwhile, or one just served (more
    // may be behind): worth a claim now. Not a throttled tenant, which holds little by design.
    const half = this.options.prefetchPerTenant / 2;
    const drained = [...heldBefore].filter(([tenant, held]) => held > half && this.heldBy(tenant) <= half);
    return drained.length > 0 || messages.some((message) => this.heldBy(message.tenantId) <= half);
  }

  /**
   * Starts claimed messages while their tenant, host and this process have free send slots. A
   * message that waited here for half its lease goes back to the queue untried, so that its lease
   * cannot run out during the send and let another instance send it too.
   */
  private pump(): void {
    if (!this.running) return;
    const now = Date.now();
    const yielding = this.yieldsToIntake(now);
    const perTenant = this.sendsPerTenant(yielding);
    let budget = yielding ? this.yieldPace(now) : Infinity;
    const served: string[] = [];
    for (const [tenantId, lane] of this.ready) {
      if (this.sending >= this.options.globalConcurrency || budget < 1) break;
      const host = this.hostOfTenant.get(tenantId);
      let took = 0;
      while (lane.length > 0 && (this.perTenant.get(tenantId) ?? 0) < perTenant && this.sending < this.options.globalConcurrency && budget >= 1) {
        if (host && (this.perHost.get(host) ?? 0) >= this.options.perHostConcurrency) break;
        const claimed = lane.shift()!;
        this.readyCount--;
        took++;
        if (now - claimed.claimedAt > this.options.leaseMs / 2) {
          this.queue.release(claimed.message.id, this.owner).catch((error: unknown) => this.log.error({ err: error, id: claimed.message.id }, 'could not hand a message back'));
          continue;
        }
        this.startDelivery(claimed.message);
        budget--;
      }
      if (took > 0) {
        this.turns.set(tenantId, (this.turns.get(tenantId) ?? 0) + took);
        served.push(tenantId);
      }
    }
    // Lanes take turns of TURN_SENDS sends: a tenant's sessions carry its turn (the connections to
    // a shared host are bounded, and a send per tenant in rotation made 20 tenants on one host
    // reconnect for nearly every message: 3,400 -> 1,560 msg/s), then the next tenant's. Only the
    // lanes served are looked at again: with a thousand lanes waiting for one host, re-inserting
    // every lane on every freed slot took a fifth of the thread.
    for (const tenantId of served) {
      const lane = this.ready.get(tenantId)!;
      if (lane.length === 0) {
        this.ready.delete(tenantId);
        this.turns.delete(tenantId);
      } else if (this.turns.get(tenantId)! >= TURN_SENDS) {
        this.ready.delete(tenantId);
        this.ready.set(tenantId, lane);
        this.turns.delete(tenantId);
      }
    }
    if (yielding) {
      this.paceTokens = budget;
      if (budget < 1 && this.readyCount > 0 && !this.paceTimer) {
        this.paceTimer = setTimeout(() => {
          this.paceTimer = undefined;
          this.pump();
        }, PACE_WAIT_MS);
      }
    }
  }

  /**
   * Sends that may start now while yielding: `sendsPerSecondWhileYielding`, at most a tenth of a
   * second's worth at once. Fewer sends in flight alone did not bound delivery's share: the
   * faster the event loop turned, the faster those few sends went, and under a sustained API load
   * the delivery rose from ≈ 600 to ≈ 1,800 msg/s while its claims and outcomes held SQLite's one
   * write lock longer and longer — the intake's commits waited behind them, and the API's p99 went
   * from 46 to 148 ms in 40 s.
   */
  private yieldPace(now: number): number {
    const rate = this.options.sendsPerSecondWhileYielding;
    this.paceTokens = Math.min(rate / 10, this.paceTokens + ((now - this.pacedAt) * rate) / 1000);
    this.pacedAt = now;
    return this.paceTokens;
  }

  /**
   * Whether delivery yields to the API. While KOS waits on the API for many commits at once, the
   * API has the event loop: each send costs it time the intake needs (one main thread runs both),
   * and a 202 matters now while a mail may go out seconds later. Delivery goes on at a few sends
   * per tenant and a paced rate (yieldPace), and takes up its full pace once the intake has been
   * calm for `yieldHoldMs` (right after a commit few notifications wait, until the next requests
   * arrive).
   */
  private yieldsToIntake(now: number): boolean {
    if (this.intake.storing >= this.options.yieldToIntakeAt) this.yieldingUntil = now + this.options.yieldHoldMs;
    return now < this.yieldingUntil;
  }

  /**
   * Sends in flight per tenant: its connections, each with its pipeline; fewer while yielding.
   * Per tenant, not in all: a host that hangs holds only its own tenant's few sends and never
   * another tenant's turn.
   */
  private sendsPerTenant(yielding: boolean): number {
    const full = this.options.perTenantConcurrency * this.options.pipelineDepth;
    return yielding ? Math.min(this.options.sendsWhileYielding, full) : full;
  }

  /** How many held messages (sending or waiting) a tenant has in this process. */
  private heldBy(tenantId: string): number {
    return (this.perTenant.get(tenantId) ?? 0) + (this.ready.get(tenantId)?.length ?? 0);
  }

  /** What each busy or throttled tenant may still take. */
  private roomPerTenant(): Map<string, number> {
    const room = new Map<string, number>();
    const now = this.clock.now().getTime();
    for (const tenantId of new Set([...this.perTenant.keys(), ...this.ready.keys()])) {
      // A lane is topped up only once it is half empty: one claim then feeds many sends.
      const free = this.options.prefetchPerTenant - this.heldBy(tenantId);
      room.set(tenantId, free >= this.options.prefetchPerTenant / 2 ? free : 0);
    }
    for (const [tenantId, context] of this.contexts) {
      const max = context.endpoint.maxPerMinute;
      if (!max) continue;
      const recent = (this.recentSends.get(tenantId) ?? []).filter((at) => at > now - MINUTE);
      this.recentSends.set(tenantId, recent);
      const left = max - recent.length - this.heldBy(tenantId);
      if (left < (room.get(tenantId) ?? this.options.prefetchPerTenant)) room.set(tenantId, Math.max(0, left));
      if (left <= 0 && recent[0] !== undefined) this.wakeAt(recent[0] + MINUTE);
    }
    return room;
  }

  private startDelivery(message: OutboxMessage): void {
    const host = this.hostOfTenant.get(message.tenantId);
    let freed = false;
    const free = (): void => {
      if (freed) return;
      freed = true;
      this.sending--;
      this.count(this.perTenant, message.tenantId, -1);
      if (host) this.count(this.perHost, host, -1);
      this.pump();
      // Claim again only when this tenant's lane runs low or the room a left-out claim waited for
      // is free, not after every send; a claim running now looks at the lanes when it returns.
      if (this.claiming) return;
      const roomAgain = this.waitingForRoom && this.inFlight.size + this.readyCount <= (this.options.maxHeld * 3) / 4;
      if (roomAgain) this.waitingForRoom = false;
      if (roomAgain || this.heldBy(message.tenantId) <= this.options.prefetchPerTenant / 2) this.signal.notify();
    };
    const entry: InFlight = { message, abandoned: false, done: Promise.resolve(), free };
    this.inFlight.set(message.id, entry);
    this.sending++;
    this.count(this.perTenant, message.tenantId, +1);
    if (host) this.count(this.perHost, host, +1);
    entry.done = this.deliver(entry)
      .catch((error: unknown) => this.log.error({ err: error, id: message.id }, 'recording a delivery outcome failed; the lease will expire and the message be tried again'))
      .finally(() => {
        this.inFlight.delete(message.id);
        free();
      });
  }

  private async deliver(entry: InFlight): Promise<void> {
    const { message } = entry;
    const setAside = setAsideReason(message, this.options.maxInterruptions);
    if (setAside) return this.setAside(message, setAside);
    const context = await this.contextFor(message.tenantId).catch((error: unknown) => error as Error);
    if (context instanceof Error) return this.onFailure(entry, undefined, new DeliveryError(`the tenant's mail settings could not be read: ${context.message}`, { phase: 'other' }));
    if (!context) {
      await this.queue.markFailed(message.id, this.owner, text('tenant_gone'));
      return;
    }
    if (context.tenant.mailStatus.state === 'parked') {
      // Cached settings may be stale: only a fresh read may park the message untried.
      const fresh = await this.contextFor(message.tenantId, true);
      if (fresh?.tenant.mailStatus.state === 'parked') {
        await this.queue.park(message.id, this.owner, message.tenantId, parkedReason(fresh.tenant.mailStatus) ?? text('tenant_parked'), false);
        return;
      }
    }
    const max = context.endpoint.maxPerMinute;
    if (max) {
      const now = this.clock.now().getTime();
      const recent = (this.recentSends.get(message.tenantId) ?? []).filter((at) => at > now - MINUTE);
      if (recent.length >= max) {
        // Claimed before the tenant's limit was known here: back in the queue until a slot frees.
        const at = recent[0]! + MINUTE;
        this.recentSends.set(message.tenantId, recent);
        await this.queue.release(message.id, this.owner, new Date(at));
        this.wakeAt(at);
        return;
      }
      recent.push(now);
      this.recentSends.set(message.tenantId, recent);
    }
    const raw = composeMessage(message, { alertSenderAddress: context.tenant.alertSender.address });
    const envelope = { from: message.envelopeFrom, to: message.envelopeTo ?? uniqueAddresses([...message.to, ...message.cc].map((recipient) => recipient.address)) };
    if (countsBeforeSending(message)) await this.queue.countInterruption(message.id, this.owner);
    const started = performance.now();
    try {
      const result = await this.transport.send(context.endpoint, envelope, raw).finally(entry.free);
      if (entry.abandoned) return;
      this.metrics.sendSeconds.observe({ outcome: 'sent' }, (performance.now() - started) / 1000);
      const retry = this.retryOfRefused(message, result.rejected);
      if (await this.queue.markSent(message.id, this.owner, this.clock.now(), result.rejected, retry)) {
        this.metrics.sent.inc({ tenant: message.tenantId, kind: message.kind });
        if (retry) this.metrics.retried.inc({ tenant: message.tenantId, kind: message.kind, category: 'rejected' });
      }
    } catch (error) {
      if (entry.abandoned) return;
      this.metrics.sendSeconds.observe({ outcome: 'failed' }, (performance.now() - started) / 1000);
      await this.onFailure(entry, context, error);
    }
  }

  private async setAside(message: OutboxMessage, reason: Message): Promise<void> {
    this.log.error({ id: message.id, tenantId: message.tenantId, interruptions: message.interruptions }, reason.message);
    if (!(await this.queue.markFailed(message.id, this.owner, reason))) return;
    this.metrics.setAside.inc({ tenant: message.tenantId, kind: message.kind });
    this.metrics.failed.inc({ tenant: message.tenantId, kind: message.kind, category: 'interrupted' });
  }

  /**
   * Recipients refused with a temporary code (4xx) while the host took the message for the
   * others get it again on the retry schedule; refusals for good (5xx) are only recorded.
   */
  private retryOfRefused(message: OutboxMessage, rejected: RecipientRefusal[]): RecipientRetry | undefined {
    const temporary = rejected.filter((refusal) => refusal.code !== undefined && refusal.code >= 400 && refusal.code < 500);
    const at = temporary.length > 0 ? this.nextTryAt(message.attempts) : undefined;
    if (at === undefined) return undefined;
    this.wakeAt(at);
    return { addresses: temporary.map((refusal) => refusal.address), at: new Date(at), lastError: text('recipients_temporarily_refused', { refusals: describeRefusals(temporary) }) };
  }

  private async onFailure(entry: InFlight, context: TenantContext | undefined, error: unknown): Promise<void> {
    const { message } = entry;
    const verdict: FailureVerdict = classifyFailure(error, message.envelopeFrom);
    const labels = { tenant: message.tenantId, kind: message.kind };
    this.log.warn({ id: message.id, tenantId: message.tenantId, attempt: message.attempts, action: verdict.action, category: verdict.category, error: verdict.message }, 'delivery try failed');
    // Recorded before the outcome, so that whoever sees the outcome also sees the failure counted.
    await this.failures.record(message.tenantId, verdict.category, this.clock.now()).catch((failure: unknown) => this.log.error({ err: failure, tenantId: message.tenantId }, 'could not record a failed try for the health view'));
    if (verdict.action === 'park' && context) {
      await this.hosts.park(message.tenantId, context.endpoint.settingsVersion, verdict);
      this.contexts.delete(message.tenantId);
      this.loadingContexts.delete(message.tenantId);
      const current = await this.hosts.endpointFor(message.tenantId);
      if (current && current.settingsVersion !== context.endpoint.settingsVersion) {
        // The fix came in while this try ran on the old settings: try again at once.
        await this.queue.scheduleRetry(message.id, this.owner, this.clock.now(), verdict);
        this.signal.notify();
        return;
      }
      await this.queue.park(message.id, this.owner, message.tenantId, verdict, true);
      this.metrics.parked.inc(labels);
      return;
    }
    const at = verdict.action === 'fail' ? undefined : this.nextTryAt(message.attempts);
    if (at !== undefined) {
      if (await this.queue.scheduleRetry(message.id, this.owner, new Date(at), verdict)) this.metrics.retried.inc({ ...labels, category: verdict.category });
      this.wakeAt(at);
      return;
    }
    const lastError = verdict.action === 'fail' ? verdict : wrapping('gave_up', { attempts: message.attempts }, verdict);
    const rejected = error instanceof DeliveryError ? error.details.rejected : undefined;
    if (await this.queue.markFailed(message.id, this.owner, lastError, rejected)) this.metrics.failed.inc({ ...labels, category: verdict.category });
  }

  private contextFor(tenantId: string, fresh = false): Promise<TenantContext | undefined> {
    const cached = this.contexts.get(tenantId);
    if (!fresh && cached && Date.now() - cached.loadedAt < this.options.tenantCacheMs) return Promise.resolve(cached);
    const loading = this.loadingContexts.get(tenantId);
    if (!fresh && loading) return loading;
    return this.track(tenantId, this.loadContext(tenantId));
  }

  /**
   * Reads the settings of these tenants (those not being read already) all in one read: with a
   * thousand tenants each send found its tenant's settings expired and read them on its own, two
   * reads a message in the one queue of SQLite's connection. Should that read fail (one tenant's
   * stored password no longer decrypts), each tenant is read on its own, so that only that
   * tenant's sends fail.
   */
  private preloadContexts(tenantIds: Set<string>): void {
    const stale = [...tenantIds].filter((tenantId) => !this.loadingContexts.has(tenantId));
    if (stale.length < 2) return;
    const batch = this.loadContexts(stale);
    for (const tenantId of stale) {
      // Its sends await it; handled here too, so that a failure no send is waiting for is not unhandled.
      this.track(tenantId, batch.then((contexts) => contexts.get(tenantId), () => this.loadContext(tenantId))).catch(() => undefined);
    }
  }

  /** Keeps a load as the tenant's one in progress, its result in the cache once it is the newest. */
  private track(tenantId: string, loading: Promise<TenantContext | undefined>): Promise<TenantContext | undefined> {
    const settle = (): boolean => {
      const newest = this.loadingContexts.get(tenantId) === load;
      if (newest) this.loadingContexts.delete(tenantId);
      return newest;
    };
    const load: Promise<TenantContext | undefined> = loading.then(
      (context) => {
        // Only the newest load is kept: a settings change while it ran has dropped it.
        if (!settle()) return context;
        if (!context) {
          this.contexts.delete(tenantId);
          return undefined;
        }
        this.contexts.set(tenantId, context);
        this.hostOfTenant.set(tenantId, hostKey(context.endpoint));
        return context;
      },
      (error: unknown) => {
        settle();
        throw error;
      },
    );
    this.loadingContexts.set(tenantId, load);
    return load;
  }

  private async loadContext(tenantId: string): Promise<TenantContext | undefined> {
    const loadedAt = Date.now();
    const [tenant, endpoint] = await Promise.all([this.tenants.get(tenantId), this.hosts.endpointFor(tenantId)]);
    return tenant && endpoint ? { tenant, endpoint, loadedAt } : undefined;
  }

  private async loadContexts(tenantIds: string[]): Promise<Map<string, TenantContext | undefined>> {
    const loadedAt = Date.now();
    const [tenants, endpoints] = await Promise.all([this.tenants.getMany(tenantIds), this.hosts.endpointsFor(tenantIds)]);
    return new Map(
      tenantIds.map((tenantId) => {
        const tenant = tenants.get(tenantId);
        const endpoint = endpoints.get(tenantId);
        return [tenantId, tenant && endpoint ? { tenant, endpoint, loadedAt } : undefined];
      }),
    );
  }

  /** When the try after `attempts` tries is due (RETRY_SCHEDULE with jitter), or undefined once the schedule is used up. */
  private nextTryAt(attempts: number): number | undefined {
    const delay = this.config.retrySchedule[attempts - 1];
    if (delay === undefined) return undefined;
    return this.clock.now().getTime() + Math.round(delay * (1 + this.options.retryJitter * (2 * Math.random() - 1)));
  }

  /** Wakes the loop at `at` (a retry falls due, a throttled tenant may send again). */
  private wakeAt(at: number): void {
    if (!this.running) return;
    const slot = Math.ceil(at / 10);
    if (this.wakeTimers.has(slot)) return;
    const timer = setTimeout(() => {
      this.wakeTimers.delete(slot);
      this.signal.notify();
    }, Math.max(0, slot * 10 - this.clock.now().getTime()) + 1);
    timer.unref();
    this.wakeTimers.set(slot, timer);
  }

  private count(counts: Map<string, number>, key: string, delta: number): void {
    const value = (counts.get(key) ?? 0) + delta;
    if (value <= 0) counts.delete(key);
    else counts.set(key, value);
  }
}

function uniqueAddresses(addresses: string[]): string[] {
  const seen = new Set<string>();
  return addresses.filter((address) => {
    const key = address.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
