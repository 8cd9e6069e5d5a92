import type { WebhookDelivery, WebhookDeliveryStatus } from './WebhookEvent';

/** The sender's side of the stored events: leases and outcomes; and the list the API shows. */
export interface WebhookQueue {
  /** Leases up to `limit` due events (pending and due, or sending with an expired lease) to `owner`, counting the try. */
  claim(owner: string, limit: number, leaseMs: number, now: Date): Promise<WebhookDelivery[]>;
  markDelivered(id: string, owner: string, at: Date): Promise<void>;
  /** Pending again from `at`, or failed for good when `at` is undefined. */
  markUndelivered(id: string, owner: string, lastError: string, at: Date | undefined): Promise<void>;
  /** Newest first, after the cursor position. */
  list(options: { status?: WebhookDeliveryStatus; limit: number; after?: { createdAt: number; id: string } }): Promise<WebhookDelivery[]>;
  /** At start-up of the one SQLite instance: events left `sending` by a process that died are due again; resolves to how many. */
  recoverAbandoned(now: Date): Promise<number>;
  /** How many events wait (pending or sending). */
  pendingCount(): Promise<number>;
}
