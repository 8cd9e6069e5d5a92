import { createHash } from 'node:crypto';
import { domainOf } from '../../../shared/mail/address';

const ATEXT = /[A-Za-z0-9!#$%&'*+/?^_`{|}~-]/;
/**
 * The longest header-safe ticket id a root holds as it is. A longer one (200 non-ASCII characters
 * became 1,800 as `=XX`, an In-Reply-To line past the 998 octets a host may refuse) is hashed.
 */
const MAX_ROOT_TICKET_ID = 64;

/** The ticket id as dot-atom text: characters outside atext (and `=`, `.`) become `=XX` per UTF-8 byte. */
export function headerSafeTicketId(ticketId: string): string {
  let safe = '';
  for (const byte of Buffer.from(ticketId, 'utf8')) {
    const char = String.fromCharCode(byte);
    safe += byte < 0x80 && ATEXT.test(char) ? char : `=${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return safe;
}

/**
 * The stable root every mail of one ticket refers to, so that mail clients thread them. Ticket ids
 * too long to carry as they are get a root of their own kind (`ticket-sha256.`), which no kept id can
 * spell, so that it stays short and cannot collide with another ticket's.
 */
export function ticketThreadRoot(ticketId: string, tenantId: string, alertSenderAddress: string): string {
  const safe = headerSafeTicketId(ticketId);
  const ticket = safe.length <= MAX_ROOT_TICKET_ID ? `ticket.${safe}` : `ticket-sha256.${createHash('sha256').update(safe).digest('hex').slice(0, 32)}`;
  return `<${ticket}.${tenantId}@${domainOf(alertSenderAddress)}>`;
}

/** One List-Id per tenant (RFC 2919). */
export function tenantListId(tenantId: string, alertSenderAddress: string): string {
  return `<${tenantId}.kos-notify.${domainOf(alertSenderAddress)}>`;
}
