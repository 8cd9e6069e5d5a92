import { SmtpConnectionError } from './errors';
import { replyRedactor } from './redactReply';

/** One SMTP reply: its code, the enhanced status code if any, and the text of its lines. */
export interface SmtpReply {
  code: number;
  /** The RFC 3463 enhanced status code, e.g. `5.7.1`, when the host sent one. */
  enhanced?: string;
  /** The lines' texts joined by spaces. */
  text: string;
  /** Each line's text without the code (EHLO's capabilities are lines 2…n). */
  lines: string[];
}

/** What a host may make the client hold: more than this ends the session with EPROTOCOL. */
export const REPLY_LIMITS = {
  /** Characters of one line, CR LF included (RFC 5321 allows 512; some hosts say more). */
  lineChars: 4096,
  /** Lines received and not yet read: the reply being received and the replies queued. */
  lines: 1_000,
  /** Characters received and not yet read, likewise. */
  chars: 64 * 1024,
};

const CONTINUATION = /^\d{3}-/;
const ENHANCED = /^([245]\.\d{1,3}\.\d{1,3})\b/;

/**
 * Cuts what a host sends into replies, and holds at most REPLY_LIMITS of it: a reply without end,
 * a line without end, or replies to no command make `receive` throw EPROTOCOL instead of growing.
 * Every line is redacted of the session's secrets as it arrives, so no reply that leaves here can
 * carry one into a status, a log line or an answer.
 */
export class ReplyReader {
  private buffer = '';
  private readonly lines: string[] = [];
  private readonly replies: Array<{ reply: SmtpReply; chars: number }> = [];
  private heldLines = 0;
  private heldChars = 0;
  /** Characters of the reply being received. */
  private receivingChars = 0;
  /** Replies due for commands sent: the greeting, then one per command. */
  private due = 1;
  private readonly secrets: readonly string[];
  private readonly sentLines: string[] = [];
  private redact: (line: string) => string;

  constructor(secrets: readonly string[]) {
    this.secrets = [...secrets];
    this.redact = replyRedactor(this.secrets);
  }

  /** A line sent that carried a secret (an AUTH line): replies are redacted of it too. */
  conceal(line: string): void {
    this.sentLines.push(line);
    this.redact = replyRedactor(this.secrets, this.sentLines);
  }

  /** `count` more commands went out, each owed a reply. */
  expect(count: number): void {
    this.due += count;
  }

  /** Nothing received that has not been read. */
  get empty(): boolean {
    return this.replies.length === 0 && this.lines.length === 0 && this.buffer.length === 0;
  }

  /** The next complete reply, in the order received. */
  next(): SmtpReply | undefined {
    const queued = this.replies.shift();
    if (!queued) return undefined;
    this.heldLines -= queued.reply.lines.length;
    this.heldChars -= queued.chars;
    return queued.reply;
  }

  /** Takes a chunk as received; throws SmtpConnectionError EPROTOCOL once the host breaks a limit. */
  receive(chunk: string): void {
    this.buffer = this.buffer.length === 0 ? chunk : this.buffer + chunk;
    let start = 0;
    let end: number;
    while ((end = this.buffer.indexOf('\n', start)) >= 0) {
      if (end - start > REPLY_LIMITS.lineChars) throw protocolError(`a line longer than ${REPLY_LIMITS.lineChars} characters`);
      const line = this.buffer.charCodeAt(end - 1) === 13 ? this.buffer.slice(start, end - 1) : this.buffer.slice(start, end);
      start = end + 1;
      this.take(line);
    }
    this.buffer = start === 0 ? this.buffer : this.buffer.slice(start);
    if (this.buffer.length > 0 && this.due === 0) throw protocolError('a reply to no command');
    if (this.buffer.length > REPLY_LIMITS.lineChars) throw protocolError(`a line longer than ${REPLY_LIMITS.lineChars} characters`);
  }

  private take(line: string): void {
    if (this.due === 0) throw protocolError('a reply to no command');
    this.heldLines += 1;
    this.heldChars += line.length + 2;
    this.receivingChars += line.length + 2;
    if (this.heldLines > REPLY_LIMITS.lines) throw protocolError(`a reply of more than ${REPLY_LIMITS.lines.toLocaleString('en')} lines`);
    if (this.heldChars > REPLY_LIMITS.chars) throw protocolError(`a reply of more than ${REPLY_LIMITS.chars / 1024} KiB`);
    this.lines.push(this.redact(line));
    if (CONTINUATION.test(line)) return;
    this.due -= 1;
    this.replies.push({ reply: parseReply(this.lines.splice(0)), chars: this.receivingChars });
    this.receivingChars = 0;
  }
}

function protocolError(what: string): SmtpConnectionError {
  return new SmtpConnectionError(`the host sent ${what}; the session was ended`, 'EPROTOCOL');
}

/** A reply from its lines as received (the last without `-` after the code), CR LF removed. */
export function parseReply(lines: string[]): SmtpReply {
  const code = Number(lines[lines.length - 1]!.slice(0, 3)) || 0;
  const texts = lines.map((line) => line.slice(4));
  const enhanced = ENHANCED.exec(texts[texts.length - 1] ?? '')?.[1];
  return { code, ...(enhanced ? { enhanced } : {}), text: texts.join(' ').trim(), lines: texts };
}

/** `421 4.7.0 text` — the reply as the host sent its last line, for messages and logs. */
export function replyLine(reply: SmtpReply): string {
  return `${reply.code} ${reply.lines[reply.lines.length - 1] ?? ''}`.trim();
}
