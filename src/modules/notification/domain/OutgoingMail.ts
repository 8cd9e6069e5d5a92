import type { MailAddress } from '../../../shared/mail/MailAddress';
import type { Message } from '../../../shared/messages/message';
import type { BodySnapshot } from './BodySnapshot';

export type MessageKind = 'comment' | 'assignment' | 'message' | 'digest' | 'test';

/** A mail ready for the outbox: every address validated, the sender already resolved. */
export interface OutgoingMail {
  tenantId: string;
  kind: MessageKind;
  from: MailAddress;
  replyTo?: MailAddress;
  envelopeFrom: string;
  to: MailAddress[];
  cc: MailAddress[];
  subject: string;
  /** Empty while `snapshot` holds the body. */
  text: string;
  html?: string;
  /** The body as data, rendered into `text` and `html` when the mail is sent. */
  snapshot?: BodySnapshot;
  /** Threads the mail with the other mails of this ticket. */
  ticket?: { id: string; title?: string; url?: string };
  senderRewritten: boolean;
  rewriteReason?: Message;
  /** Alerts carry Auto-Submitted and X-Auto-Response-Suppress. */
  autoSubmitted: boolean;
}
