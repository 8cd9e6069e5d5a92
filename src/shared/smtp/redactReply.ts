const REDACTED = '[redacted]';
/**
 * A secret shows through if this many of its characters in a row appear: a host that echoes a
 * truncated command still leaks most of the password.
 */
const WINDOW = 8;
/** Secrets shorter than this are looked for inside base64 only, lest every short word go. */
const MIN_PLAIN = 4;
/** Pieces of fewer bytes leave no whole base64 group at some alignment: their runs are decoded instead. */
const MIN_ENCODED = 5;
const BASE64_CHAR = /[A-Za-z0-9+/_=-]/;
const BASE64_RUN = /[A-Za-z0-9+/_-]{2,}={0,2}/g;

/**
 * The reply line with every trace of the session's secrets (passwords, OAuth tokens) replaced by
 * `[redacted]`: a secret or any 8 characters of it in a row, as they stand, and base64 runs that
 * hold one at any of the 3 byte alignments (the AUTH PLAIN triple `\0user\0password`, an XOAUTH2
 * string, a LOGIN line). `sentLines` (the AUTH lines as sent) are redacted where they appear whole.
 */
export function redactReply(line: string, secrets: readonly string[], sentLines: readonly string[] = []): string {
  return replyRedactor(secrets, sentLines)(line);
}

/** `redactReply` for one session's secrets, prepared once for all its reply lines. */
export function replyRedactor(secrets: readonly string[], sentLines: readonly string[] = []): (line: string) => string {
  const plain = new Set<string>();
  const encoded = new Set<string>();
  const tiny: Buffer[] = [];
  for (const piece of secrets.flatMap(piecesOf)) {
    if (piece.length >= MIN_PLAIN) plain.add(piece);
    const bytes = Buffer.from(piece, 'utf8');
    if (bytes.length < MIN_ENCODED) tiny.push(bytes);
    else for (const core of base64Cores(bytes)) encoded.add(core).add(core.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  const whole = sentLines.filter((sent) => sent.length >= MIN_PLAIN);
  // One pass over the line for both kinds: a match that is a base64 core takes its whole run.
  const pattern = alternation(new Set([...plain, ...encoded]));
  if (!pattern && tiny.length === 0 && whole.length === 0) return (line) => line;
  return (line) => {
    const spans: Array<[number, number]> = [];
    if (pattern) {
      pattern.lastIndex = 0;
      let match: RegExpExecArray | null;
      while ((match = pattern.exec(line))) {
        const end = match.index + match[0].length;
        spans.push(encoded.has(match[0]) ? runAround(line, match.index, end) : [match.index, end]);
        // Windows of one secret overlap: look again from the next character.
        pattern.lastIndex = match.index + 1;
      }
    }
    for (const sent of whole) for (let at = line.indexOf(sent); at >= 0; at = line.indexOf(sent, at + 1)) spans.push([at, at + sent.length]);
    if (tiny.length > 0) {
      for (const match of line.matchAll(BASE64_RUN)) if (decodesToAny(match[0], tiny)) spans.push([match.index, match.index + match[0].length]);
    }
    return spans.length === 0 ? line : replaceSpans(line, spans);
  };
}

/** The secret whole, or every run of WINDOW characters of it when it is longer. */
function piecesOf(secret: string): string[] {
  const chars = [...secret];
  if (chars.length === 0) return [];
  return chars.length <= WINDOW ? [secret] : Array.from({ length: chars.length - WINDOW + 1 }, (_, i) => chars.slice(i, i + WINDOW).join(''));
}

/**
 * What base64 of any stream holding `bytes` must contain, for each of the 3 places the bytes can
 * start in a 3-byte group: the encoding of the whole groups that lie inside them, which no byte
 * around them changes.
 */
function base64Cores(bytes: Buffer): string[] {
  return [0, 1, 2].map((skip) => {
    const groups = Math.floor((bytes.length - skip) / 3);
    return bytes.subarray(skip, skip + groups * 3).toString('base64');
  });
}

function alternation(literals: Set<string>): RegExp | undefined {
  if (literals.size === 0) return undefined;
  return new RegExp([...literals].map((literal) => literal.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&')).join('|'), 'g');
}

/** The whole base64 run a match lies in. */
function runAround(line: string, start: number, end: number): [number, number] {
  while (start > 0 && BASE64_CHAR.test(line[start - 1]!)) start--;
  while (end < line.length && BASE64_CHAR.test(line[end]!)) end++;
  return [start, end];
}

function decodesToAny(run: string, pieces: Buffer[]): boolean {
  const standard = run.replace(/-/g, '+').replace(/_/g, '/');
  for (let shift = 0; shift < 4; shift++) {
    const decoded = Buffer.from(standard.slice(shift), 'base64');
    if (pieces.some((piece) => decoded.includes(piece))) return true;
  }
  return false;
}

function replaceSpans(line: string, spans: Array<[number, number]>): string {
  spans.sort((a, b) => a[0] - b[0]);
  let result = '';
  let done = 0;
  for (const [start, end] of spans) {
    if (end <= done) continue;
    if (start > done) result += line.slice(done, start);
    if (start >= done) result += REDACTED;
    done = end;
  }
  return result + line.slice(done);
}
