import type { OutboxMessage } from './OutboxMessage';

export interface ComposeContext {
  /** The tenant's alert address: its domain carries the List-Id and the ticket thread root. */
  alertSenderAddress: string;
}

/** Writes a stored mail as the RFC 5322 message the transport sends. */
export interface MessageComposer {
  /** The same message for every try of a stored mail (Message-ID, Date and headers come from the row). */
  compose(message: OutboxMessage, context: ComposeContext): Buffer;
}
