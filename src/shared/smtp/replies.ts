import { parseReply, type SmtpReply } from './ReplyReader';

/** What the rules below read of a reply. */
export type ReplyCore = Pick<SmtpReply, 'code' | 'enhanced' | 'text'>;

/** The SMTP command (or Graph call) a reply answered. */
export type RefusalStage = 'MAIL' | 'RCPT' | 'DATA';

const SENDER_REFUSAL_CODES = new Set([550, 553, 554]);
/**
 * RFC 3463 bad sender's mailbox (5.1.7) or system (5.1.8) address; Exchange's SendAsDenied
 * (5.2.252) and "no permission to send as this sender" (5.7.60).
 */
const SENDER_CODES = new Set(['5.1.7', '5.1.8', '5.2.252', '5.7.60']);
/**
 * What hosts say when they will not take this sender: Postfix "Sender address rejected" and
 * "not owned by user", Exchange and Graph "SendAsDenied", "permission to send as", Exim and GMX
 * "sender … not allowed / does not belong". Read for what it says about the sender, never for
 * words like "relay" that a login name may contain (`not owned by user relay@agis.ch`).
 */
const SENDER_TEXT = [
  /\bsender address rejected\b/i,
  /\bnot owned by user\b/i,
  /send_?as_?denied/i,
  /\b(?:permissions?|not (?:allowed|authori[sz]ed|permitted)) to send as\b/i,
  /\bsender\b[^;:\n]{0,100}?\b(?:not allowed|not authori[sz]ed|not permitted|denied|refused|does not belong|mismatch)/i,
];

/**
 * Whether a permanent refusal is about the sender (the host will not let this login send as that
 * address). One rule for the `mail/verify` probe and for delivery, so that both give the same
 * verdict and the same `mail.allowedSenders` hint.
 *
 * Hosts differ in where they refuse: Postfix's `reject_sender_login_mismatch` at every RCPT,
 * Exchange Online after DATA (554 5.2.252 SendAsDenied), most others at MAIL FROM. A reply that
 * names the sender (its enhanced code or its words) is a sender refusal wherever it comes; at MAIL
 * FROM every 550/553/554 or 5.7.x is, as nothing but the sender has been said yet. Graph answers
 * HTTP 403 ErrorSendAsDenied: permanent too, and its words name the sender.
 */
export function isSenderRefusal(reply: ReplyCore, stage: RefusalStage): boolean {
  if (reply.code < 500 && reply.code !== 403) return false;
  const enhanced = reply.enhanced ?? '';
  if (SENDER_CODES.has(enhanced) || SENDER_TEXT.some((words) => words.test(reply.text))) return true;
  return stage === 'MAIL' && (SENDER_REFUSAL_CODES.has(reply.code) || enhanced.startsWith('5.7.'));
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
