import MailComposer from 'nodemailer/lib/mail-composer';
import type { OutboxMessage } from '../domain/OutboxMessage';
import { tenantListId, ticketThreadRoot } from '../domain/threading';

export interface ComposeContext {
  /** The tenant's alert address: its domain carries the List-Id and the ticket thread root. */
  alertSenderAddress: string;
}

/**
 * The RFC 5322 message of a stored mail. Everything comes from the stored row, so a retry sends
 * the same Message-ID and Date. Only the composer touches headers; nothing here reaches the envelope.
 */
export function composeMessage(message: OutboxMessage, context: ComposeContext): Promise<Buffer> {
  const headers: Record<string, string> = {
    'X-KOS-Tenant': message.tenantId,
    'List-Id': tenantListId(message.tenantId, context.alertSenderAddress),
  };
  if (message.ticket) {
    const root = ticketThreadRoot(message.ticket.id, message.tenantId, context.alertSenderAddress);
    headers['X-KOS-Ticket'] = message.ticket.id;
    headers['In-Reply-To'] = root;
    headers.References = root;
  }
  if (message.autoSubmitted) {
    headers['Auto-Submitted'] = 'auto-generated';
    headers['X-Auto-Response-Suppress'] = 'All';
  }
  const composer = new MailComposer({
    from: message.from,
    replyTo: message.replyTo,
    to: message.to,
    cc: message.cc.length > 0 ? message.cc : undefined,
    subject: message.subject,
    text: message.text,
    html: message.html,
    messageId: message.messageId,
    date: message.createdAt,
    headers,
    disableFileAccess: true,
    disableUrlAccess: true,
    // The envelope is given to the transport separately; this only keeps the composer from deriving one.
    envelope: { from: message.envelopeFrom, to: [] },
  });
  return new Promise((resolve, reject) => composer.compile().build((error, raw) => (error ? reject(error) : resolve(raw))));
}
