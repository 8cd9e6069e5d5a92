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
import type { MailHostDirectory, SmtpEndpoint } from '../../tenant/domain/MailHostDirectory';
import type { Tenant } from '../../tenant/domain/Tenant';
import type { TenantDirectory } from '../../tenant/domain/TenantDirectory';
import type { MailSettingsObserver } from '../../tenant/domain/TenantLifecycle';
import { MAIL_HOST_DIRECTORY, TENANT_DIRECTORY } from '../../tenant/tokens';
import { classifyFailure, type FailureVerdict } from '../domain/classifyFailure';
import { DeliveryError } from '../domain/DeliveryError';
import type { DeliveryFailureLog } from '../domain/DeliveryFailureLog';
import type { DeliveryOptions } from '../domain/DeliveryOptions';
import type { DeliveryQueue } from '../domain/DeliveryQueue';
import type { DispatchSignal } from '../domain/DispatchSignal';
import type { MailTransport } from '../domain/MailTransport';
import type { OutboxMessage } from '../domain/OutboxMessage';
import { composeMessage } from '../infrastructure/composeMessage';
import { DeliveryMetrics } from '../infrastructure/DeliveryMetrics';
import { DELIVERY_FAILURE_LOG, DELIVERY_OPTIONS, DELIVERY_QUEUE, DISPATCH_SIGNAL, MAIL_TRANSPORT } from '../tokens';

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
}

const MINUTE = 60_000;

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
  private readonly perTenant = new Map<string, number>();
  private readonly perHost = new Map<string, number>();
  private readonly hostOfTenant = new Map<string, string>();
  private readonly recentSends = new Map<string, number[]>();
  private readonly contexts = new Map<string, TenantContext>();
  private readonly wakeTimers = new Map<number, NodeJS.Timeout>();

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
    await this.loop;
    for (const timer of this.wakeTimers.values()) clearTimeout(timer);
    this.wakeTimers.clear();
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
      let claimed = 0;
      try {
        claimed = await this.claimRound();
      } catch (error) {
        this.log.error({ err: error }, 'claiming due messages failed');
      }
      if (claimed === 0 && this.running) await this.signal.wait(this.options.pollIntervalMs);
    }
  }

  private async claimRound(): Promise<number> {
    const limit = this.options.globalConcurrency - this.inFlight.size;
    if (limit <= 0) return 0;
    const messages = await this.queue.claim({ owner: this.owner, limit, perTenant: this.roomPerTenant(), perTenantDefault: this.options.perTenantConcurrency, leaseMs: this.options.leaseMs });
    if (!this.running) {
      for (const message of messages) await this.queue.release(message.id, this.owner);
      return 0;
    }
    for (const message of messages) this.startDelivery(message);
    return messages.length;
  }

  /** What each busy, throttled or host-saturated tenant may still take. */
  private roomPerTenant(): Map<string, number> {
    const room = new Map<string, number>();
    const now = this.clock.now().getTime();
    for (const [tenantId, count] of this.perTenant) room.set(tenantId, this.options.perTenantConcurrency - count);
    for (const [tenantId, host] of this.hostOfTenant) {
      if ((this.perHost.get(host) ?? 0) >= this.options.perHostConcurrency) room.set(tenantId, 0);
    }
    for (const [tenantId, context] of this.contexts) {
      const max = context.endpoint.maxPerMinute;
      if (!max) continue;
      const recent = (this.recentSends.get(tenantId) ?? []).filter((at) => at > now - MINUTE);
      this.recentSends.set(tenantId, recent);
      const left = max - recent.length - (this.perTenant.get(tenantId) ?? 0);
      if (left < (room.get(tenantId) ?? this.options.perTenantConcurrency)) room.set(tenantId, Math.max(0, left));
      if (left <= 0 && recent[0] !== undefined) this.wakeAt(recent[0] + MINUTE);
    }
    return room;
  }

  private startDelivery(message: OutboxMessage): void {
    const entry: InFlight = { message, abandoned: false, done: Promise.resolve() };
    this.inFlight.set(message.id, entry);
    this.count(this.perTenant, message.tenantId, +1);
    const host = this.hostOfTenant.get(message.tenantId);
    if (host) this.count(this.perHost, host, +1);
    entry.done = this.deliver(entry)
      .catch((error: unknown) => this.log.error({ err: error, id: message.id }, 'recording a delivery outcome failed; the lease will expire and the message be tried again'))
      .finally(() => {
        this.inFlight.delete(message.id);
        this.count(this.perTenant, message.tenantId, -1);
        if (host) this.count(this.perHost, host, -1);
        this.signal.notify();
      });
  }

  private async deliver(entry: InFlight): Promise<void> {
    const { message } = entry;
    const context = await this.contextFor(message.tenantId).catch((error: unknown) => error as Error);
    if (context instanceof Error) return this.onFailure(entry, undefined, new DeliveryError(`the tenant's mail settings could not be read: ${context.message}`, { phase: 'other' }));
    if (!context) {
      await this.queue.markFailed(message.id, this.owner, 'the tenant no longer exists');
      return;
    }
    if (context.tenant.mailStatus.state === 'parked') {
      // Cached settings may be stale: only a fresh read may park the message untried.
      const fresh = await this.contextFor(message.tenantId, true);
      if (fresh?.tenant.mailStatus.state === 'parked') {
        await this.queue.park(message.id, this.owner, message.tenantId, fresh.tenant.mailStatus.reason ?? "the tenant's mail host refused the login; waiting for its mail settings to change", false);
        return;
      }
    }
    const now = this.clock.now().getTime();
    const recent = (this.recentSends.get(message.tenantId) ?? []).filter((at) => at > now - MINUTE);
    const max = context.endpoint.maxPerMinute;
    if (max && recent.length >= max) {
      // Claimed before the tenant's limit was known here: back in the queue until a slot frees.
      const at = recent[0]! + MINUTE;
      await this.queue.release(message.id, this.owner, new Date(at));
      this.wakeAt(at);
      return;
    }
    this.recentSends.set(message.tenantId, [...recent, now]);
    const raw = await composeMessage(message, { alertSenderAddress: context.tenant.alertSender.address });
    const envelope = { from: message.envelopeFrom, to: uniqueAddresses([...message.to, ...message.cc].map((recipient) => recipient.address)) };
    const started = performance.now();
    try {
      const result = await this.transport.send(context.endpoint, envelope, raw);
      if (entry.abandoned) return;
      this.metrics.sendSeconds.observe({ outcome: 'sent' }, (performance.now() - started) / 1000);
      if (await this.queue.markSent(message.id, this.owner, this.clock.now(), result.rejected)) this.metrics.sent.inc({ tenant: message.tenantId, kind: message.kind });
    } catch (error) {
      if (entry.abandoned) return;
      this.metrics.sendSeconds.observe({ outcome: 'failed' }, (performance.now() - started) / 1000);
      await this.onFailure(entry, context, error);
    }
  }

  private async onFailure(entry: InFlight, context: TenantContext | undefined, error: unknown): Promise<void> {
    const { message } = entry;
    const verdict: FailureVerdict = classifyFailure(error, message.envelopeFrom);
    const labels = { tenant: message.tenantId, kind: message.kind };
    this.log.warn({ id: message.id, tenantId: message.tenantId, attempt: message.attempts, action: verdict.action, category: verdict.category, error: verdict.message }, 'delivery try failed');
    // Recorded before the outcome, so that whoever sees the outcome also sees the failure counted.
    await this.failures.record(message.tenantId, verdict.category, this.clock.now()).catch((failure: unknown) => this.log.error({ err: failure, tenantId: message.tenantId }, 'could not record a failed try for the health view'));
    if (verdict.action === 'park' && context) {
      await this.hosts.park(message.tenantId, context.endpoint.settingsVersion, verdict.message);
      this.contexts.delete(message.tenantId);
      const current = await this.hosts.endpointFor(message.tenantId);
      if (current && current.settingsVersion !== context.endpoint.settingsVersion) {
        // The fix came in while this try ran on the old settings: try again at once.
        await this.queue.scheduleRetry(message.id, this.owner, this.clock.now(), verdict.message);
        this.signal.notify();
        return;
      }
      await this.queue.park(message.id, this.owner, message.tenantId, verdict.message, true);
      this.metrics.parked.inc(labels);
      return;
    }
    const schedule = this.config.retrySchedule;
    if (verdict.action !== 'fail' && message.attempts <= schedule.length) {
      const delay = schedule[message.attempts - 1]! * (1 + this.options.retryJitter * (2 * Math.random() - 1));
      const at = this.clock.now().getTime() + Math.round(delay);
      if (await this.queue.scheduleRetry(message.id, this.owner, new Date(at), verdict.message)) this.metrics.retried.inc({ ...labels, category: verdict.category });
      this.wakeAt(at);
      return;
    }
    const lastError = verdict.action === 'fail' ? verdict.message : `gave up after ${message.attempts} tries: ${verdict.message}`;
    const rejected = error instanceof DeliveryError ? error.details.rejected : undefined;
    if (await this.queue.markFailed(message.id, this.owner, lastError, rejected)) this.metrics.failed.inc({ ...labels, category: verdict.category });
  }

  private async contextFor(tenantId: string, fresh = false): Promise<TenantContext | undefined> {
    const now = Date.now();
    const cached = this.contexts.get(tenantId);
    if (!fresh && cached && now - cached.loadedAt < this.options.tenantCacheMs) return cached;
    const [tenant, endpoint] = await Promise.all([this.tenants.get(tenantId), this.hosts.endpointFor(tenantId)]);
    if (!tenant || !endpoint) {
      this.contexts.delete(tenantId);
      return undefined;
    }
    const context = { tenant, endpoint, loadedAt: now };
    this.contexts.set(tenantId, context);
    this.hostOfTenant.set(tenantId, `${endpoint.host.toLowerCase()}:${endpoint.port}`);
    return context;
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
