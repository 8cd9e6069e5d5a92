import type { Message } from '../../../src/shared/messages/message';
import { randomUUID } from 'node:crypto';
import type { RecipientRefusal } from '../../../src/modules/notification/domain/DeliveryError';
import type { ClaimRequest, DeliveryQueue, RecipientRetry } from '../../../src/modules/notification/domain/DeliveryQueue';
import type { DispatchSignal } from '../../../src/modules/notification/domain/DispatchSignal';
import type { NotificationLog, NotificationPage } from '../../../src/modules/notification/domain/NotificationLog';
import type { Outbox } from '../../../src/modules/notification/domain/Outbox';
import type { OutgoingMail } from '../../../src/modules/notification/domain/OutgoingMail';
import type { MessageStatus, OutboxMessage } from '../../../src/modules/notification/domain/OutboxMessage';
import type { PreparedMail, QueuedMessage, TransactionalOutbox } from '../../../src/modules/notification/domain/TransactionalOutbox';
import type { TenantDataOwner } from '../../../src/modules/tenant/domain/TenantLifecycle';
import { domainOf } from '../../../src/shared/mail/address';
import type { Clock } from '../../../src/shared/time/Clock';
import type { InMemoryTransaction } from './InMemoryTransaction';

interface Entry {
  message: OutboxMessage;
  leaseOwner?: string;
  leaseUntil?: number;
  idempotency?: { key: string; requestHash: string };
}

const WAITING: ReadonlySet<MessageStatus> = new Set(['queued', 'sending', 'parked']);

/** The outbox in a map: the writers, the dispatcher's queue and the status reader, as KnexOutbox, KnexDeliveryQueue and KnexNotificationLog are. */
export class InMemoryOutbox implements Outbox, TransactionalOutbox<InMemoryTransaction>, DeliveryQueue, NotificationLog, TenantDataOwner {
  /** One process uses the map: what is `sending` at start-up was abandoned. */
  readonly singleInstance = true;
  private readonly entries = new Map<string, Entry>();
  private sequence = 0;

  constructor(
    private readonly clock: Clock,
    private readonly signal: DispatchSignal,
  ) {}

  async enqueue(mail: OutgoingMail, idempotency?: { key: string; requestHash: string }): Promise<string> {
    if (idempotency && this.keyed(mail.tenantId, idempotency.key)) throw new Error('unique violation: (tenant_id, idempotency_key)');
    const [entry] = this.newEntries([mail], idempotency);
    this.entries.set(entry!.message.id, entry!);
    this.signal.notify([mail.tenantId]);
    return entry!.message.id;
  }

  /** The mails become visible when `transaction` commits. */
  async addIn(transaction: InMemoryTransaction, mails: OutgoingMail[]): Promise<QueuedMessage[]> {
    const prepared = this.prepare(mails);
    await this.addPreparedIn(transaction, prepared);
    return prepared.map(({ id, messageId }) => ({ id, messageId }));
  }

  prepare(mails: OutgoingMail[]): PreparedMail[] {
    const now = this.clock.now();
    return mails.map((mail) => ({ id: this.nextId(now), messageId: `<${randomUUID()}@${domainOf(mail.from.address)}>`, mail }));
  }

  async addPreparedIn(transaction: InMemoryTransaction, prepared: PreparedMail[]): Promise<void> {
    const entries = this.newEntries(prepared.map(({ mail }) => mail)).map((entry, index) => ({
      ...entry,
      message: { ...entry.message, id: prepared[index]!.id, messageId: prepared[index]!.messageId },
    }));
    transaction.write(() => {
      for (const entry of entries) this.entries.set(entry.message.id, entry);
    });
  }

  committed(): void {
    this.signal.notify();
  }

  private newEntries(mails: OutgoingMail[], idempotency?: { key: string; requestHash: string }): Entry[] {
    const now = this.clock.now();
    return mails.map((mail) => ({
      message: {
        ...structuredClone(mail),
        id: this.nextId(now),
        status: 'queued',
        attempts: 0,
        interruptions: 0,
        messageId: `<${randomUUID()}@${domainOf(mail.from.address)}>`,
        nextAttemptAt: now,
        createdAt: now,
      },
      ...(idempotency ? { idempotency } : {}),
    }));
  }

  async claim(request: ClaimRequest): Promise<OutboxMessage[]> {
    const now = this.clock.now().getTime();
    const due = [...this.entries.values()]
      .filter(
        ({ message, leaseUntil }) =>
          (message.status === 'queued' && message.nextAttemptAt.getTime() <= now) || (message.status === 'sending' && leaseUntil! < now),
      )
      .sort((a, b) => a.message.nextAttemptAt.getTime() - b.message.nextAttemptAt.getTime() || compare(a.message.id, b.message.id));
    const taken = new Map<string, number>();
    const claimed: OutboxMessage[] = [];
    for (const entry of due) {
      if (claimed.length >= request.limit) break;
      const tenantId = entry.message.tenantId;
      const room = Math.min(request.perTenant.get(tenantId) ?? request.perTenantDefault, request.perTenantDefault);
      if ((taken.get(tenantId) ?? 0) >= room) continue;
      taken.set(tenantId, (taken.get(tenantId) ?? 0) + 1);
      // A lease that ended without an outcome counts once, as the first interruption.
      if (entry.message.status === 'sending' && entry.message.interruptions === 0) entry.message.interruptions = 1;
      entry.message.status = 'sending';
      entry.message.attempts += 1;
      entry.leaseOwner = request.owner;
      entry.leaseUntil = now + request.leaseMs;
      claimed.push(structuredClone(entry.message));
    }
    return claimed;
  }

  async markSent(id: string, _owner: string, sentAt: Date, rejected: RecipientRefusal[], retry?: RecipientRetry): Promise<boolean> {
    // The host has the mail: recorded whoever holds the lease, unless it is recorded already.
    const entry = this.entries.get(id);
    if (!entry || entry.message.status === 'sent') return false;
    this.settle(entry, 'sent', { sentAt, lastError: undefined, rejectedRecipients: rejected.length > 0 ? structuredClone(rejected) : undefined });
    if (retry) {
      // The same message again, for the recipients refused for now.
      const again: OutboxMessage = {
        ...structuredClone(entry.message),
        id: this.nextId(sentAt),
        status: 'queued',
        nextAttemptAt: retry.at,
        sentAt: undefined,
        lastError: stored(retry.lastError),
        rejectedRecipients: undefined,
        envelopeTo: [...retry.addresses],
      };
      this.entries.set(again.id, { message: again });
    }
    return true;
  }

  async countInterruption(id: string, owner: string): Promise<void> {
    const entry = this.leased(id, owner);
    if (entry) entry.message.interruptions += 1;
  }

  async scheduleRetry(id: string, owner: string, at: Date, lastError: Message): Promise<boolean> {
    const entry = this.leased(id, owner);
    if (entry) this.settle(entry, 'queued', { nextAttemptAt: at, lastError: stored(lastError), interruptions: 0 });
    return entry !== undefined;
  }

  async markFailed(id: string, owner: string, lastError: Message, rejected?: RecipientRefusal[]): Promise<boolean> {
    const entry = this.leased(id, owner);
    if (entry)
      this.settle(entry, 'failed', {
        lastError: stored(lastError),
        rejectedRecipients: rejected && rejected.length > 0 ? structuredClone(rejected) : undefined,
      });
    return entry !== undefined;
  }

  async park(id: string, owner: string, tenantId: string, reason: Message, countTry: boolean): Promise<void> {
    const entry = this.leased(id, owner);
    if (entry) this.settle(entry, 'parked', { lastError: stored(reason), attempts: entry.message.attempts - (countTry ? 0 : 1) });
    for (const { message } of this.entries.values()) {
      if (message.tenantId === tenantId && message.status === 'queued') Object.assign(message, { status: 'parked', lastError: stored(reason) });
    }
  }

  async requeueFailed(tenantId: string, id: string, at: Date): Promise<boolean> {
    const message = this.entries.get(id)?.message;
    if (message?.tenantId !== tenantId || message.status !== 'failed') return false;
    Object.assign(message, { status: 'queued', nextAttemptAt: at, rejectedRecipients: undefined });
    return true;
  }

  async unpark(tenantId: string, at: Date): Promise<number> {
    let count = 0;
    for (const { message } of this.entries.values()) {
      if (message.tenantId !== tenantId || message.status !== 'parked') continue;
      Object.assign(message, { status: 'queued', nextAttemptAt: at });
      count += 1;
    }
    return count;
  }

  async release(id: string, owner: string, at?: Date): Promise<void> {
    const entry = this.leased(id, owner);
    if (entry) this.settle(entry, 'queued', { attempts: entry.message.attempts - 1, ...(at ? { nextAttemptAt: at } : {}) });
  }

  async releaseMany(ids: string[], owner: string): Promise<void> {
    for (const id of ids) await this.release(id, owner);
  }

  async recoverAbandoned(): Promise<number> {
    const sending = [...this.entries.values()].filter((entry) => entry.message.status === 'sending');
    for (const entry of sending) this.settle(entry, 'queued', { interruptions: Math.max(entry.message.interruptions, 1) });
    return sending.length;
  }

  async get(tenantId: string, id: string): Promise<OutboxMessage | undefined> {
    const message = this.entries.get(id)?.message;
    return message?.tenantId === tenantId ? structuredClone(message) : undefined;
  }

  async findByIdempotencyKey(tenantId: string, key: string): Promise<{ message: OutboxMessage; requestHash: string } | undefined> {
    const entry = this.keyed(tenantId, key);
    return entry && { message: structuredClone(entry.message), requestHash: entry.idempotency!.requestHash };
  }

  async list(tenantId: string, options: { status?: MessageStatus; limit: number; after?: { createdAt: number; id: string } }): Promise<NotificationPage> {
    const { after } = options;
    const newestFirst = [...this.entries.values()]
      .map(({ message }) => message)
      .filter((message) => message.tenantId === tenantId && (!options.status || message.status === options.status))
      .filter(
        (message) => !after || message.createdAt.getTime() < after.createdAt || (message.createdAt.getTime() === after.createdAt && message.id < after.id),
      )
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || compare(b.id, a.id));
    const items = newestFirst.slice(0, options.limit).map((message) => structuredClone(message));
    const last = newestFirst.length > options.limit ? items[items.length - 1] : undefined;
    return { items, next: last ? { createdAt: last.createdAt.getTime(), id: last.id } : undefined };
  }

  async tenantQueue(tenantId: string): Promise<{ waiting: number; oldestWaitingAt?: Date; lastSentAt?: Date }> {
    const messages = [...this.entries.values()].map(({ message }) => message).filter((message) => message.tenantId === tenantId);
    const waiting = messages.filter((message) => WAITING.has(message.status)).map((message) => message.createdAt.getTime());
    const sent = messages.flatMap((message) => (message.sentAt ? [message.sentAt.getTime()] : []));
    return {
      waiting: waiting.length,
      ...(waiting.length > 0 ? { oldestWaitingAt: new Date(Math.min(...waiting)) } : {}),
      ...(sent.length > 0 ? { lastSentAt: new Date(Math.max(...sent)) } : {}),
    };
  }

  async stats(): Promise<{ byStatus: Record<string, number>; oldestQueuedAt?: Date }> {
    const byStatus: Record<string, number> = {};
    let oldestQueued: number | undefined;
    for (const { message } of this.entries.values()) {
      if (!WAITING.has(message.status)) continue;
      byStatus[message.status] = (byStatus[message.status] ?? 0) + 1;
      if (message.status === 'queued') oldestQueued = Math.min(oldestQueued ?? Infinity, message.createdAt.getTime());
    }
    return { byStatus, oldestQueuedAt: oldestQueued === undefined ? undefined : new Date(oldestQueued) };
  }

  async deleteTenantData(tenantId: string): Promise<void> {
    for (const [id, { message }] of this.entries) if (message.tenantId === tenantId) this.entries.delete(id);
  }

  private keyed(tenantId: string, key: string): Entry | undefined {
    return [...this.entries.values()].find((entry) => entry.message.tenantId === tenantId && entry.idempotency?.key === key);
  }

  private leased(id: string, owner: string): Entry | undefined {
    const entry = this.entries.get(id);
    return entry?.message.status === 'sending' && entry.leaseOwner === owner ? entry : undefined;
  }

  /** Ends the lease with the outcome. */
  private settle(entry: Entry, status: MessageStatus, changes: Partial<OutboxMessage>): void {
    Object.assign(entry.message, { ...changes, status });
    delete entry.leaseOwner;
    delete entry.leaseUntil;
  }

  /** Ids that grow with time, as the Knex outbox's do. */
  private nextId(at: Date): string {
    this.sequence += 1;
    return `msg_${at.getTime().toString(16).padStart(12, '0')}${this.sequence.toString(16).padStart(20, '0')}`;
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** What a store keeps of a message: its code, params and text (a verdict carries more). */
function stored(message: Message): Message {
  return { code: message.code, params: structuredClone(message.params), message: message.message };
}
