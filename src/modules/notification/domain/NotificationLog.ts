import type { MessageStatus, OutboxMessage } from './OutboxMessage';

export interface NotificationPage {
  items: OutboxMessage[];
  /** Position of the last item when more follow. */
  next?: { createdAt: number; id: string };
}

/** Read access to a tenant's messages. */
export interface NotificationLog {
  /** The tenant's message, or undefined (also for another tenant's id). */
  get(tenantId: string, id: string): Promise<OutboxMessage | undefined>;
  /** The message stored under the tenant's idempotency key, with the hash of the request that stored it. */
  findByIdempotencyKey(tenantId: string, key: string): Promise<{ message: OutboxMessage; requestHash: string } | undefined>;
  /** Newest first, after the position `after`. */
  list(tenantId: string, options: { status?: MessageStatus; limit: number; after?: { createdAt: number; id: string } }): Promise<NotificationPage>;
  /** The tenant's mail not yet delivered (queued, sending or parked), its oldest, and the latest delivery. */
  tenantQueue(tenantId: string): Promise<{ waiting: number; oldestWaitingAt?: Date; lastSentAt?: Date }>;
  /** Queue depth by status and the age of the oldest queued message. */
  stats(): Promise<{ byStatus: Record<string, number>; oldestQueuedAt?: Date }>;
}
