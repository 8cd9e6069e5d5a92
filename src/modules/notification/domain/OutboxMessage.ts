import type { RecipientRefusal } from './DeliveryError';
import type { OutgoingMail } from './OutgoingMail';
import type { Message } from '../../../shared/messages/message';

export const MESSAGE_STATUSES = ['queued', 'sending', 'sent', 'failed', 'parked'] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

/** A mail as the outbox keeps it, with its delivery state. */
export interface OutboxMessage extends OutgoingMail {
  id: string;
  status: MessageStatus;
  /** Every delivery try, the successful one included. */
  attempts: number;
  /** Leases of it that ended without an outcome while it may have been sending (see interruptions.ts). */
  interruptions: number;
  /** Assigned at enqueue, so that every retry carries the same Message-ID. */
  messageId: string;
  lastError?: Message;
  rejectedRecipients?: RecipientRefusal[];
  /**
   * The envelope recipients when they are not all of To and Cc: a retry of the recipients a host
   * refused with a temporary code while it accepted the others (the headers stay the message's).
   */
  envelopeTo?: string[];
  nextAttemptAt: Date;
  createdAt: Date;
  sentAt?: Date;
}
