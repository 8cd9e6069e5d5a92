import type { MailAddress } from '../../../shared/mail/MailAddress';
import { senderAllowed } from './senderPolicy';
import type { Tenant } from './Tenant';
import { message, type Message } from '../../../shared/messages/message';

export interface SenderDecision {
  /** The header From. */
  from: MailAddress;
  replyTo?: MailAddress;
  /** MAIL FROM of the SMTP envelope. */
  envelopeFrom: string;
  senderRewritten: boolean;
  rewriteReason?: Message;
}

type SenderTenant = Pick<Tenant, 'id' | 'name' | 'alertSender' | 'mail'>;

/** Alert digests (and test mails) come from the tenant's alert address. */
export function resolveAlertSender(tenant: SenderTenant): SenderDecision {
  const { address, name } = tenant.alertSender;
  return { from: { name: name ?? tenant.name, address }, envelopeFrom: address, senderRewritten: false };
}

/**
 * Personal mail goes out as its author when the tenant's host may send as them; otherwise it is
 * not refused but sent from the alert address "via KOS", with Reply-To the author, so that it
 * cannot bounce for its sender.
 */
export function resolvePersonalSender(tenant: SenderTenant, author: Required<MailAddress>): SenderDecision {
  if (senderAllowed(tenant.mail.allowedSenders, author.address)) {
    return { from: { name: author.name, address: author.address }, envelopeFrom: author.address, senderRewritten: false };
  }
  return {
    from: { name: `${author.name} via KOS`, address: tenant.alertSender.address },
    replyTo: { name: author.name, address: author.address },
    envelopeFrom: tenant.alertSender.address,
    senderRewritten: true,
    rewriteReason: rewriteReason(tenant, author.address),
  };
}

function rewriteReason(tenant: SenderTenant, address: string): Message {
  const params = { allowedSenders: tenant.mail.allowedSenders.join(', '), address };
  switch (tenant.mail.preset) {
    case 'hosted':
      return message('sender_rewritten_hosted', params);
    case 'gmx':
    case 'demo':
      return message('sender_rewritten_mailbox', params);
    default:
      return message('sender_rewritten_policy', params);
  }
}
