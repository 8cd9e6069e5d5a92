import { domainOf } from '../../../shared/mail/address';

const ATEXT = /[A-Za-z0-9!#$%&'*+/?^_`{|}~-]/;

/** The ticket id as dot-atom text: characters outside atext (and `=`, `.`) become `=XX` per UTF-8 byte. */
export function headerSafeTicketId(ticketId: string): string {
  let safe = '';
  for (const byte of Buffer.from(ticketId, 'utf8')) {
    const char = String.fromCharCode(byte);
    safe += byte < 0x80 && ATEXT.test(char) ? char : `=${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return safe;
}

/** The stable root every mail of one ticket refers to, so that mail clients thread them. */
export function ticketThreadRoot(ticketId: string, tenantId: string, alertSenderAddress: string): string {
  return `<ticket.${headerSafeTicketId(ticketId)}.${tenantId}@${domainOf(alertSenderAddress)}>`;
}

/** One List-Id per tenant (RFC 2919). */
export function tenantListId(tenantId: string, alertSenderAddress: string): string {
  return `<${tenantId}.kos-notify.${domainOf(alertSenderAddress)}>`;
}
