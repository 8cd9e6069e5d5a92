import type { OutgoingMail } from './OutgoingMail';

export interface QueuedMessage {
  id: string;
  messageId: string;
}

/**
 * Adds mail to the outbox inside a transaction another module's store holds (the alert run stores
 * a digest's unique key and its mail together). `Transaction` is the store's transaction object.
 */
export interface TransactionalOutbox<Transaction = unknown> {
  /** Stores the mails in `transaction`; their ids in the order of `mails`. Nothing is sent before the caller commits. */
  addIn(transaction: Transaction, mails: OutgoingMail[]): Promise<QueuedMessage[]>;
  /** Wakes the dispatcher once the caller's transaction has committed. */
  committed(): void;
}
