import type { RecipientRefusal } from './DeliveryError';
import type { OutboxMessage } from './OutboxMessage';
import type { Message } from '../../../shared/messages/message';

export interface ClaimRequest {
  /** This dispatcher's lease owner id. */
  owner: string;
  /** How many messages at most, over all tenants. */
  limit: number;
  /** How many more each tenant may take; tenants not listed may take `perTenantDefault`. */
  perTenant: ReadonlyMap<string, number>;
  perTenantDefault: number;
  leaseMs: number;
}

/** Recipients a host refused for now while it took the message for the others: the same message again, to them only. */
export interface RecipientRetry {
  addresses: string[];
  at: Date;
  lastError: Message;
}

/** The dispatcher's side of the outbox: leases and outcomes. */
export interface DeliveryQueue {
  /**
   * Leases due messages (queued and due, or sending with an expired lease) to `owner`, at most
   * `perTenant` per tenant; counts the try, and an expired lease as an interruption.
   */
  claim(request: ClaimRequest): Promise<OutboxMessage[]>;
  /**
   * Records the delivery once committed (implementations may batch concurrent calls), even when
   * `owner`'s lease was lost meanwhile: the host has the mail. False when it was recorded already.
   */
  markSent(id: string, owner: string, sentAt: Date, rejected: RecipientRefusal[], retry?: RecipientRetry): Promise<boolean>;
  /** Counts a send of a suspect message (see interruptions.ts) before it starts, while `owner` holds the lease. */
  countInterruption(id: string, owner: string): Promise<void>;
  /** Puts the message back to wait until `at`; a try that got an answer ends the count of interruptions. */
  scheduleRetry(id: string, owner: string, at: Date, lastError: Message): Promise<boolean>;
  markFailed(id: string, owner: string, lastError: Message, rejected?: RecipientRefusal[]): Promise<boolean>;
  /** Parks the message and every queued message of its tenant until the tenant's mail settings change. */
  park(id: string, owner: string, tenantId: string, reason: Message, countTry: boolean): Promise<void>;
  /** Queues the tenant's failed message again from `at`, same id and Message-ID; false when it is not failed (or not the tenant's). */
  requeueFailed(tenantId: string, id: string, at: Date): Promise<boolean>;
  /** Queues the tenant's parked messages again; resolves to how many. */
  unpark(tenantId: string, at: Date): Promise<number>;
  /** Hands a leased message back untried (shutdown, throttle): queued again from `at` (default now), the try not counted. */
  release(id: string, owner: string, at?: Date): Promise<void>;
  /** release() for many messages at once, queued again now. */
  releaseMany(ids: string[], owner: string): Promise<void>;
  /** True where one instance serves the store (SQLite): at start-up, whatever is still `sending` was in flight when the last process died. */
  readonly singleInstance: boolean;
  /** Queues again every message left `sending` by a process that is gone (single-instance start-up), counted as interrupted. */
  recoverAbandoned(): Promise<number>;
}
