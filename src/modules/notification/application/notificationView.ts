import type { MailAddress } from '../../../shared/mail/MailAddress';
import type { RecipientRefusal } from '../domain/DeliveryError';
import type { OutboxMessage } from '../domain/OutboxMessage';
import type { MessageCode, MessageParams } from '../../../shared/messages/message';

/** A message as the API shows it. */
export interface NotificationView {
  id: string;
  kind: string;
  status: string;
  attempts: number;
  from: MailAddress;
  replyTo?: MailAddress;
  senderRewritten: boolean;
  rewriteReason?: string;
  rewriteReasonCode?: MessageCode;
  rewriteReasonParams?: MessageParams;
  messageId: string;
  lastError?: string;
  lastErrorCode?: MessageCode;
  lastErrorParams?: MessageParams;
  rejectedRecipients?: RecipientRefusal[];
  subject: string;
  to: MailAddress[];
  cc: MailAddress[];
  ticketId?: string;
  createdAt: string;
  nextAttemptAt?: string;
  sentAt?: string;
}

export function notificationView(message: OutboxMessage): NotificationView {
  return {
    id: message.id,
    kind: message.kind,
    status: message.status,
    attempts: message.attempts,
    from: message.from,
    ...(message.replyTo ? { replyTo: message.replyTo } : {}),
    senderRewritten: message.senderRewritten,
    ...(message.rewriteReason
      ? { rewriteReason: message.rewriteReason.message, rewriteReasonCode: message.rewriteReason.code, rewriteReasonParams: message.rewriteReason.params }
      : {}),
    messageId: message.messageId,
    ...(message.lastError ? { lastError: message.lastError.message, lastErrorCode: message.lastError.code, lastErrorParams: message.lastError.params } : {}),
    ...(message.rejectedRecipients ? { rejectedRecipients: message.rejectedRecipients } : {}),
    subject: message.subject,
    to: message.to,
    cc: message.cc,
    ...(message.ticket ? { ticketId: message.ticket.id } : {}),
    createdAt: message.createdAt.toISOString(),
    ...(message.status === 'queued' ? { nextAttemptAt: message.nextAttemptAt.toISOString() } : {}),
    ...(message.sentAt ? { sentAt: message.sentAt.toISOString() } : {}),
  };
}
