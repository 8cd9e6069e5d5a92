import type { OutgoingMail } from './OutgoingMail';

/** The durable queue of mail to send: once `enqueue` resolves, a crash loses nothing. */
export interface Outbox {
  /** Stores the mail for delivery and wakes the dispatcher; resolves to the message id. */
  enqueue(mail: OutgoingMail): Promise<string>;
}
