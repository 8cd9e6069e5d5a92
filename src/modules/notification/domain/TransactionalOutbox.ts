import type { OutgoingMail } from './OutgoingMail';

export interface QueuedMessage {
  id: string;
  messageId: string;
}

/** A mail with the id and Message-ID it will be stored under; nothing is stored yet. */
export interface PreparedMail extends QueuedMessage {
  readonly mail: OutgoingMail;
}

/**
 * Adds mail to the outbox inside a transaction another module's store holds (the alert run stores
 * a digest's unique key and its mail together). `Transaction` is the store's transaction object.
 */
export interface TransactionalOutbox<Transaction = unknown> {
  /** Stores the mails in `transaction`; their ids in the order of `mails`. Nothing is sent before the caller commits. */
  addIn(transaction: Transaction, mails: OutgoingMail[]): Promise<QueuedMessage[]>;
  /**
   * Gives each mail its ids before anything is stored, so that the caller can write them with its
   * own rows in the same statement (the digest keys) instead of updating those rows afterwards.
   */
  prepare(mails: OutgoingMail[]): PreparedMail[];
  /** Stores prepared mails under their ids in `transaction`, as `addIn` does. */
  addPreparedIn(transaction: Transaction, mails: PreparedMail[]): Promise<void>;
  /** Wakes the dispatcher once the caller's transaction has committed. */
  committed(): void;
}
