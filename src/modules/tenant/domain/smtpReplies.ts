/** One SMTP reply, its lines joined. */
export interface SmtpReply {
  code: number;
  /** The RFC 3463 enhanced status code, e.g. `5.7.1`, when the host sent one. */
  enhanced?: string;
  text: string;
}

/**
 * Whether a refusal is about the sender (the host will not let this login send as that address).
 * Classified by reply and enhanced code, not by command: Postfix's `reject_sender_login_mismatch`
 * refuses at RCPT with `553 5.7.1 <x>: Sender address rejected: not owned by user …`.
 */
export function isSenderRefusal(reply: SmtpReply, command: 'MAIL' | 'RCPT'): boolean {
  if (reply.code < 500) return false;
  if (command === 'MAIL') return true;
  if (/relay/i.test(reply.text)) return false;
  if (/sender|not owned/i.test(reply.text) && [550, 553, 554].includes(reply.code)) return true;
  if (reply.enhanced === '5.1.7' || reply.enhanced === '5.1.8') return true;
  return reply.enhanced?.startsWith('5.7.') ?? false;
}

export function describeReply(reply: SmtpReply): string {
  const text = reply.text.startsWith(`${reply.enhanced ?? '\0'} `) ? reply.text.slice(reply.enhanced!.length + 1) : reply.text;
  return [String(reply.code), reply.enhanced, text].filter(Boolean).join(' ');
}
