import type { Logger } from '../../../../shared/logging/logger';
import type { Clock } from '../../../../shared/time/Clock';
import type { MailHostDirectory } from '../../../tenant/domain/MailHostDirectory';
import { classifyFailure, describeRefusals, type FailureVerdict } from '../../domain/classifyFailure';
import { DeliveryError, type RecipientRefusal } from '../../domain/DeliveryError';
import type { DeliveryFailureLog } from '../../domain/DeliveryFailureLog';
import type { DeliveryMetrics } from '../../domain/DeliveryMetrics';
import type { DeliveryOptions } from '../../domain/DeliveryOptions';
import type { DeliveryQueue, RecipientRetry } from '../../domain/DeliveryQueue';
import type { DispatchSignal } from '../../domain/DispatchSignal';
import type { MailTransport } from '../../domain/MailTransport';
import type { MessageComposer } from '../../domain/MessageComposer';
import { countsBeforeSending, setAsideReason } from '../../domain/interruptions';
import type { OutboxMessage } from '../../domain/OutboxMessage';
import { nextTryAt } from '../../domain/retrySchedule';
import { sendLimitsOf } from '../../domain/SendBudget';
import type { SenderFallback } from '../SenderFallback';
import type { SendWindows } from './SendWindows';
import type { TenantSettings, TenantSettingsCache } from './TenantSettingsCache';
import { message as text, wrapping, type Message } from '../../../../shared/messages/message';
import { parkedReason } from '../../../tenant/domain/Tenant';

/** How long a send waits when the shared throttle count could not be read (the database is failing). */
const THROTTLE_UNREADABLE_WAIT_MS = 5_000;

/** A message being delivered by this process. */
export interface InFlight {
  message: OutboxMessage;
  /** Set when stop() handed the message back: its outcome is no longer ours to record. */
  abandoned: boolean;
  done: Promise<void>;
  /** Gives the send slot back once the host has answered; the outcome may still be being recorded. */
  readonly free: () => void;
}

/** The ports and the dispatcher's parts a delivery uses. */
export interface DeliveryParts {
  queue: DeliveryQueue;
  transport: MailTransport;
  composer: MessageComposer;
  hosts: MailHostDirectory;
  signal: DispatchSignal;
  clock: Clock;
  log: Logger;
  metrics: DeliveryMetrics;
  failures: DeliveryFailureLog;
  /** Sends a refused author's mail from the alert address instead (see SenderFallback). */
  senderFallback: SenderFallback;
  options: DeliveryOptions;
  settings: TenantSettingsCache;
  windows: SendWindows;
  /** The dispatcher's lease owner id. */
  owner: string;
  /** Wakes the dispatcher's loop at this time (a retry falls due, a window frees). */
  wakeAt(at: number): void;
}

/** Sends one leased message with its tenant's settings and records the outcome: sent, retry, park or fail. */
export class MessageDelivery {
  /** Ends when the suspect now sending has its outcome recorded (or was cut off). */
  private suspectTurn: Promise<void> = Promise.resolve();

  constructor(private readonly parts: DeliveryParts) {}

  async deliver(entry: InFlight): Promise<void> {
    const { queue, owner, settings, clock } = this.parts;
    const { message } = entry;
    const setAside = setAsideReason(message, this.parts.options.maxInterruptions);
    if (setAside) return this.setAside(message, setAside);
    const context = await settings.get(message.tenantId).catch((error: unknown) => error as Error);
    if (context instanceof Error)
      return this.onFailure(entry, undefined, new DeliveryError(`the tenant's mail settings could not be read: ${context.message}`, { phase: 'other' }));
    if (!context) {
      await queue.markFailed(message.id, owner, text('tenant_gone'));
      return;
    }
    if (context.tenant.mailStatus.state === 'parked') {
      // Cached settings may be stale: only a fresh read may park the message untried.
      const fresh = await settings.fresh(message.tenantId);
      if (fresh?.tenant.mailStatus.state === 'parked') {
        await queue.park(message.id, owner, message.tenantId, parkedReason(fresh.tenant.mailStatus) ?? text('tenant_parked'), false);
        return;
      }
    }
    const freesAt = await this.parts.windows.admit(sendLimitsOf(context.endpoint), clock.now().getTime()).catch((error: unknown) => {
      this.parts.log.warn({ err: error, tenantId: message.tenantId }, 'could not take a grant under the throttles; the message waits and tries again');
      return clock.now().getTime() + THROTTLE_UNREADABLE_WAIT_MS;
    });
    if (freesAt !== undefined) {
      // The window is full across the instances: back in the queue untried until a send leaves it.
      await queue.release(message.id, owner, new Date(freesAt));
      this.parts.wakeAt(freesAt);
      return;
    }
    if (!countsBeforeSending(message)) return this.send(entry, context);
    // Suspects (leased when a process died) are sent one at a time, so that a death is counted only
    // against the suspect on the wire, not against an innocent one that shared the process with it.
    const previous = this.suspectTurn;
    let done!: () => void;
    this.suspectTurn = new Promise((resolve) => (done = resolve));
    try {
      await previous;
      if (entry.abandoned) return;
      await this.parts.queue.countInterruption(message.id, owner);
      await this.send(entry, context);
    } finally {
      done();
    }
  }

  private async send(entry: InFlight, context: TenantSettings): Promise<void> {
    const { queue, owner, clock, metrics } = this.parts;
    const message = (entry.message = await this.parts.senderFallback.beforeSend(entry.message, context.tenant, owner));
    const raw = this.parts.composer.compose(message, { alertSenderAddress: context.tenant.alertSender.address });
    const envelope = {
      from: message.envelopeFrom,
      to: message.envelopeTo ?? uniqueAddresses([...message.to, ...message.cc].map((recipient) => recipient.address)),
    };
    const started = performance.now();
    try {
      const result = await this.parts.transport.send(context.endpoint, envelope, raw).finally(entry.free);
      if (entry.abandoned) return;
      metrics.sendSeconds.observe({ outcome: 'sent' }, (performance.now() - started) / 1000);
      const retry = this.retryOfRefused(message, result.rejected);
      if (await queue.markSent(message.id, owner, clock.now(), result.rejected, retry)) {
        metrics.sent.inc({ tenant: message.tenantId, kind: message.kind });
        if (retry) metrics.retried.inc({ tenant: message.tenantId, kind: message.kind, category: 'rejected' });
      }
    } catch (error) {
      if (entry.abandoned) return;
      metrics.sendSeconds.observe({ outcome: 'failed' }, (performance.now() - started) / 1000);
      await this.onFailure(entry, context, error);
    }
  }

  private async setAside(message: OutboxMessage, reason: Message): Promise<void> {
    const { queue, owner, metrics, log } = this.parts;
    log.error({ id: message.id, tenantId: message.tenantId, interruptions: message.interruptions }, reason.message);
    if (!(await queue.markFailed(message.id, owner, reason))) return;
    metrics.setAside.inc({ tenant: message.tenantId, kind: message.kind });
    metrics.failed.inc({ tenant: message.tenantId, kind: message.kind, category: 'interrupted' });
  }

  /**
   * Recipients refused with a temporary code (4xx) while the host took the message for the
   * others get it again on the retry schedule; refusals for good (5xx) are only recorded.
   */
  private retryOfRefused(message: OutboxMessage, rejected: RecipientRefusal[]): RecipientRetry | undefined {
    const temporary = rejected.filter((refusal) => refusal.code !== undefined && refusal.code >= 400 && refusal.code < 500);
    const at = temporary.length > 0 ? this.nextTry(message) : undefined;
    if (at === undefined) return undefined;
    this.parts.wakeAt(at);
    return {
      addresses: temporary.map((refusal) => refusal.address),
      at: new Date(at),
      lastError: text('recipients_temporarily_refused', { refusals: describeRefusals(temporary) }),
    };
  }

  private async onFailure(entry: InFlight, context: TenantSettings | undefined, error: unknown): Promise<void> {
    const { queue, owner, clock, metrics, log } = this.parts;
    const { message } = entry;
    const verdict: FailureVerdict = classifyFailure(error, message.envelopeFrom, context?.tenant.alertSender.address);
    const labels = { tenant: message.tenantId, kind: message.kind };
    log.warn(
      { id: message.id, tenantId: message.tenantId, attempt: message.attempts, action: verdict.action, category: verdict.category, error: verdict.message },
      'delivery try failed',
    );
    // Recorded before the outcome, so that whoever sees the outcome also sees the failure counted.
    await this.parts.failures
      .record(message.tenantId, verdict.category, clock.now())
      .catch((failure: unknown) => log.error({ err: failure, tenantId: message.tenantId }, 'could not record a failed try for the health view'));
    if (verdict.refusal !== undefined && context && (await this.parts.senderFallback.afterRefusal(message, context.tenant, owner, verdict.refusal, verdict))) {
      metrics.retried.inc({ ...labels, category: verdict.category });
      this.parts.signal.notify();
      return;
    }
    if (verdict.action === 'park' && context) {
      const { hosts, settings } = this.parts;
      await hosts.park(message.tenantId, context.endpoint.settingsVersion, verdict);
      settings.forget(message.tenantId);
      const current = await hosts.endpointFor(message.tenantId);
      if (current && current.settingsVersion !== context.endpoint.settingsVersion) {
        // The fix came in while this try ran on the old settings: try again at once.
        await queue.scheduleRetry(message.id, owner, clock.now(), verdict);
        this.parts.signal.notify();
        return;
      }
      await queue.park(message.id, owner, message.tenantId, verdict, true);
      metrics.parked.inc(labels);
      return;
    }
    const at = verdict.action === 'fail' ? undefined : this.nextTry(message);
    if (at !== undefined) {
      if (await queue.scheduleRetry(message.id, owner, new Date(at), verdict)) metrics.retried.inc({ ...labels, category: verdict.category });
      this.parts.wakeAt(at);
      return;
    }
    const lastError = verdict.action === 'fail' ? verdict : wrapping('gave_up', { attempts: message.attempts }, verdict);
    const rejected = error instanceof DeliveryError ? error.details.rejected : undefined;
    if (await queue.markFailed(message.id, owner, lastError, rejected)) metrics.failed.inc({ ...labels, category: verdict.category });
  }

  private nextTry(message: OutboxMessage): number | undefined {
    return nextTryAt(message.attempts, this.parts.clock.now().getTime(), this.parts.options);
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
