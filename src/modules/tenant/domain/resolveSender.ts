import type { MailAddress } from '../../../shared/mail/MailAddress';
import { senderAllowed } from './senderPolicy';
import type { Tenant } from './Tenant';

export interface SenderDecision {
  /** The header From. */
  from: MailAddress;
  replyTo?: MailAddress;
  /** MAIL FROM of the SMTP envelope. */
  envelopeFrom: string;
  senderRewritten: boolean;
  rewriteReason?: string;
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

function rewriteReason(tenant: SenderTenant, address: string): string {
  const allowed = tenant.mail.allowedSenders.join(', ');
  switch (tenant.mail.preset) {
    case 'hosted':
      return `the hosted mail service sends only as ${allowed}; ${address} is shown as Reply-To`;
    case 'gmx':
    case 'demo':
      return `the GMX mailbox sends only as its own address ${allowed}; ${address} is shown as Reply-To`;
    default:
      return `the tenant's mail host allows only ${allowed} as sender (mail.allowedSenders); ${address} is shown as Reply-To`;
  }
}
