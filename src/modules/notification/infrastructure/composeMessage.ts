import { randomUUID } from 'node:crypto';
import * as mimeFuncs from 'nodemailer/lib/mime-funcs';
import * as qp from 'nodemailer/lib/qp';
import type { MailAddress } from '../../../shared/mail/MailAddress';
import type { ComposeContext } from '../domain/MessageComposer';
import type { OutboxMessage } from '../domain/OutboxMessage';
import { tenantListId, ticketThreadRoot } from '../domain/threading';

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
const PLAIN_NAME = /^[\w ]*$/;
const SEVEN_BIT_BODY = /^[\x20-\x7e\t\r\n]*$/;

/**
 * The RFC 5322 message of a stored mail. Everything comes from the stored row, so a retry sends
 * the same Message-ID and Date. Nothing here reaches the envelope.
 *
 * Written out directly instead of through nodemailer's MailComposer, whose stream machinery cost
 * as much CPU as the whole SMTP exchange. The encoders are nodemailer's own (RFC 2047 words,
 * quoted-printable, folding); addresses are plain `local@domain` (validated at the API), so only
 * display names and unstructured values need encoding.
 */
export function composeMessage(message: OutboxMessage, context: ComposeContext): Buffer {
  const lines: string[] = [];
  const header = (name: string, value: string): void => {
    const line = `${name}: ${value}`;
    lines.push(line.length > 76 ? mimeFuncs.foldLines(line, 76, false).replace(/\r\n$/, '') : line);
  };
  header('From', addressList([message.from]));
  if (message.replyTo) header('Reply-To', addressList([message.replyTo]));
  if (message.to.length > 0) header('To', addressList(message.to));
  if (message.cc.length > 0) header('Cc', addressList(message.cc));
  header('Subject', unstructured(message.subject));
  header('Message-ID', message.messageId);
  header('Date', message.createdAt.toUTCString().replace(/GMT/, '+0000'));
  header('MIME-Version', '1.0');
  header('X-KOS-Tenant', unstructured(message.tenantId));
  header('List-Id', tenantListId(message.tenantId, context.alertSenderAddress));
  if (message.ticket) {
    const root = ticketThreadRoot(message.ticket.id, message.tenantId, context.alertSenderAddress);
    header('X-KOS-Ticket', unstructured(message.ticket.id));
    header('In-Reply-To', root);
    header('References', root);
  }
  if (message.autoSubmitted) {
    header('Auto-Submitted', 'auto-generated');
    header('X-Auto-Response-Suppress', 'All');
  }
  if (message.html === undefined) {
    lines.push(...part('text/plain', message.text));
    return Buffer.from(lines.join('\r\n'), 'utf8');
  }
  // randomUUID draws from a buffered pool; randomBytes asked the kernel for every message.
  const boundary = `--_kos_${randomUUID()}`;
  lines.push(`Content-Type: multipart/alternative; boundary="${boundary}"`, '');
  lines.push(`--${boundary}`, ...part('text/plain', message.text));
  lines.push(`--${boundary}`, ...part('text/html', message.html));
  lines.push(`--${boundary}--`, '');
  return Buffer.from(lines.join('\r\n'), 'utf8');
}

/** Content-Type, transfer encoding, blank line, body: 7bit when it is short-lined ASCII, else quoted-printable. */
function part(type: string, content: string): string[] {
  const body = content.replace(/\r\n|\r|\n/g, '\r\n');
  if (SEVEN_BIT_BODY.test(body) && !mimeFuncs.hasLongerLines(body, 76)) {
    return [`Content-Type: ${type}; charset=utf-8`, 'Content-Transfer-Encoding: 7bit', '', body];
  }
  return [`Content-Type: ${type}; charset=utf-8`, 'Content-Transfer-Encoding: quoted-printable', '', qp.wrap(qp.encode(Buffer.from(body, 'utf8')), 76)];
}

function addressList(addresses: MailAddress[]): string {
  return addresses.map((address) => (address.name ? `${displayName(address.name)} <${address.address}>` : address.address)).join(', ');
}

function displayName(name: string): string {
  if (PLAIN_NAME.test(name)) return name;
  if (PRINTABLE_ASCII.test(name)) return mimeFuncs.quoteString(name);
  return mimeFuncs.encodeWord(name, wordEncoding(name), 52);
}

/** An unstructured value (RFC 5322 §2.2.1): printable ASCII as it is, anything else as RFC 2047 encoded words. */
function unstructured(value: string): string {
  return PRINTABLE_ASCII.test(value) ? value : mimeFuncs.encodeWord(value, wordEncoding(value), 52);
}

/** Q when Latin letters outnumber the rest (shorter and readable), else B: nodemailer's rule. */
function wordEncoding(value: string): 'Q' | 'B' {
  let latin = 0;
  let other = 0;
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code >= 0x80 || code < 0x20 || code === 0x7f) other++;
    else if ((code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a)) latin++;
  }
  return other < latin ? 'Q' : 'B';
}
