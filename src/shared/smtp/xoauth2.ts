import type { SmtpReply } from './ReplyReader';
import type { SmtpConnection } from './SmtpConnection';

/** The SASL XOAUTH2 initial response: base64 of `user=<mailbox>^Aauth=Bearer <token>^A^A`. */
export function xoauth2Response(mailbox: string, token: string): string {
  return Buffer.from(`user=${mailbox}\x01auth=Bearer ${token}\x01\x01`, 'utf8').toString('base64');
}

/**
 * `AUTH XOAUTH2` as `mailbox`; resolves with the final reply (235 on success). A host that
 * refuses may first send `334 <base64 JSON error>`: the empty line it waits for brings the 5xx.
 * The AUTH line goes as a secret command: no reply may carry it, or the token in it, back out.
 */
export async function authenticateXOAuth2(connection: SmtpConnection, mailbox: string, token: string, timeoutMs: number): Promise<SmtpReply> {
  const reply = await connection.secretCommand(`AUTH XOAUTH2 ${xoauth2Response(mailbox, token)}`, timeoutMs);
  return reply.code === 334 ? connection.command('', timeoutMs) : reply;
}

/** Whether the EHLO capabilities offer XOAUTH2. */
export function offersXOAuth2(capabilities: string[]): boolean {
  return capabilities.some((line) => /^AUTH[ =]/.test(line) && /\bXOAUTH2\b/.test(line));
}
