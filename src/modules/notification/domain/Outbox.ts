import type { OutgoingMail } from './OutgoingMail';

/** The durable queue of mail to send: once `enqueue` resolves, a crash loses nothing. */
export interface Outbox {
  /**
   * Stores the mail for delivery and wakes the dispatcher; resolves to the message id. With an
   * idempotency key, a second mail under the same tenant and key is refused (the store's unique key).
   */
  enqueue(mail: OutgoingMail, idempotency?: { key: string; requestHash: string }): Promise<string>;
}
