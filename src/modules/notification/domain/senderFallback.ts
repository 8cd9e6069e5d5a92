import { message as text, type Message } from '../../../shared/messages/message';
import { domainOf } from '../../../shared/mail/address';
import type { MailAddress } from '../../../shared/mail/MailAddress';
import { senderAllowed } from '../../tenant/domain/senderPolicy';
import type { OutboxMessage } from './OutboxMessage';

/** How long a refused author counts as not allowed for the tenant. */
export const REFUSED_SENDER_TTL_MS = 24 * 3600_000;

/** The sender fields of a message sent from the alert address instead of its author. */
export interface SenderRewrite {
  from: MailAddress;
  replyTo: MailAddress;
  envelopeFrom: string;
  senderRewritten: true;
  rewriteReason: Message;
  /** The Message-ID moved to the alert address's domain: it stays on the domain of the From address. */
  messageId: string;
}

/** A host's refusal of an author as sender: what it answered, and when. */
export interface SenderRefusal {
  reply: string;
  /** Set when the refusal is an earlier one on record, not the answer to this try. */
  refusedAt?: Date;
}

type FallbackMessage = Pick<OutboxMessage, 'kind' | 'from' | 'envelopeFrom' | 'senderRewritten' | 'messageId'>;
interface FallbackTenant {
  alertSender: { address: string };
  mail: { allowedSenders: readonly string[] };
}

const PERSONAL_KINDS = new Set(['comment', 'assignment', 'message']);

/**
 * Whether a refusal of this message's sender can be answered by sending it again from the alert
 * address: only personal mail that still goes out as its author. A refused alert address has no
 * fallback; such a message fails.
 */
export function canFallBack(message: FallbackMessage, tenant: FallbackTenant): boolean {
  return PERSONAL_KINDS.has(message.kind) && !message.senderRewritten && message.envelopeFrom.toLowerCase() !== tenant.alertSender.address.toLowerCase();
}

/**
 * The message as if the policy had not covered its author: `"<name> via KOS" <alert address>`,
 * Reply-To the author, envelope sender the alert address; the reason quotes the host's reply and
 * names the allowedSenders pattern that claimed the author.
 */
export function rewriteRefusedSender(message: FallbackMessage, tenant: FallbackTenant, refusal: SenderRefusal): SenderRewrite | undefined {
  if (!canFallBack(message, tenant)) return undefined;
  const author = message.envelopeFrom;
  const name = message.from.name ?? author;
  const pattern = tenant.mail.allowedSenders.find((candidate) => senderAllowed([candidate], author));
  const params = {
    address: author,
    reply: refusal.reply,
    ...(pattern ? { pattern } : {}),
    ...(refusal.refusedAt ? { refusedAt: refusal.refusedAt.toISOString() } : {}),
  };
  return {
    from: { name: `${name} via KOS`, address: tenant.alertSender.address },
    replyTo: { name, address: author },
    envelopeFrom: tenant.alertSender.address,
    senderRewritten: true,
    messageId: message.messageId.replace(/@[^@>]*>$/, `@${domainOf(tenant.alertSender.address)}>`),
    rewriteReason: refusal.refusedAt
      ? text(pattern ? 'sender_refused_earlier' : 'sender_refused_earlier_any', params)
      : text(pattern ? 'sender_refused_sent_again' : 'sender_refused_sent_again_any', params),
  };
}
