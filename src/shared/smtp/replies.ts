import { parseReply, type SmtpReply } from './ReplyReader';

/** What the rules below read of a reply. */
export type ReplyCore = Pick<SmtpReply, 'code' | 'enhanced' | 'text'>;

const SENDER_REFUSAL_CODES = new Set([550, 553, 554]);
/** RFC 3463: bad sender's mailbox address (5.1.7) or system address (5.1.8). */
const SENDER_ADDRESS_CODES = new Set(['5.1.7', '5.1.8']);

/**
 * Whether a permanent refusal is about the sender (the host will not let this login send as that
 * address). One rule for the `mail/verify` probe and for delivery, so that both give the same
 * verdict and the same `mail.allowedSenders` hint.
 *
 * Hosts differ in where they refuse. At MAIL FROM every 550/553/554 (or a sender/policy enhanced
 * code) is about the sender: nothing else has been said yet. Postfix's
 * `reject_sender_login_mismatch` refuses at RCPT instead (`553 5.7.1 <x>: Sender address
 * rejected: not owned by user …`, without the enhanced code when ENHANCEDSTATUSCODES is off), so
 * at RCPT the reply must name the sender: a bare 5.7.1 there is as often a recipient policy.
 */
export function isSenderRefusal(reply: ReplyCore, command: 'MAIL' | 'RCPT'): boolean {
  if (reply.code < 500) return false;
  const enhanced = reply.enhanced ?? '';
  if (SENDER_ADDRESS_CODES.has(enhanced)) return true;
  if (command === 'MAIL') return SENDER_REFUSAL_CODES.has(reply.code) || enhanced.startsWith('5.7.') || /sender/i.test(reply.text);
  if (/relay/i.test(reply.text)) return false;
  return (SENDER_REFUSAL_CODES.has(reply.code) || enhanced.startsWith('5.7.')) && /sender|not owned/i.test(reply.text);
}

/** A reply as a status or log line holds it (`553 5.7.1 text`, see `replyLine`), read back into its parts. */
export function parseReplyLine(line: string): ReplyCore | undefined {
  const trimmed = line.trim();
  if (!/^\d{3}(?:[ -]|$)/.test(trimmed)) return undefined;
  const { code, enhanced, text } = parseReply([trimmed]);
  return { code, ...(enhanced ? { enhanced } : {}), text };
}

/** `553 5.7.1 text`, without the enhanced code twice. */
export function describeReply(reply: ReplyCore): string {
  const text = reply.enhanced && reply.text.startsWith(`${reply.enhanced} `) ? reply.text.slice(reply.enhanced.length + 1) : reply.text;
  return [String(reply.code), reply.enhanced, text].filter(Boolean).join(' ');
}
