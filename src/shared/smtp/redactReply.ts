const REDACTED = '[redacted]';
/**
 * A secret shows through if this many of its characters in a row appear: a host that echoes a
 * truncated command still leaks most of the password.
 */
const WINDOW = 8;
/** Secrets shorter than this are looked for inside base64 only, lest every short word go. */
const MIN_PLAIN = 4;
const BASE64_RUN = /[A-Za-z0-9+/_-]{2,}={0,2}/g;

/**
 * The reply line with every trace of the session's secrets (passwords, OAuth tokens, the AUTH
 * lines that carried them) replaced by `[redacted]`: a secret or any 8 characters of it in a row,
 * in plain text, and base64 runs that decode, at any of the 4 alignments, to something holding
 * one (the AUTH PLAIN triple `\0user\0password`, an XOAUTH2 string, a LOGIN line).
 */
export function redactReply(line: string, secrets: readonly string[]): string {
  return replyRedactor(secrets)(line);
}

/** `redactReply` for one set of secrets, prepared once for every line of a session. */
export function replyRedactor(secrets: readonly string[]): (line: string) => string {
  const plain = new Set<string>();
  // The pieces' bytes as latin1 strings, by length, so that a decoded run is looked up window by window.
  const decodedPieces = new Map<number, Set<string>>();
  for (const secret of secrets) {
    for (const piece of piecesOf(secret)) {
      if (piece.length >= MIN_PLAIN) plain.add(piece);
      const bytes = Buffer.from(piece, 'utf8').toString('latin1');
      if (!decodedPieces.has(bytes.length)) decodedPieces.set(bytes.length, new Set());
      decodedPieces.get(bytes.length)!.add(bytes);
    }
  }
  if (decodedPieces.size === 0) return (line) => line;
  // A base64 run shorter than this cannot hold the encoding of any piece.
  const shortestRun = Math.ceil((Math.min(...decodedPieces.keys()) * 4) / 3);
  return (line) => {
    const spans: Array<[number, number]> = [];
    for (const piece of plain) {
      for (let at = line.indexOf(piece); at >= 0; at = line.indexOf(piece, at + 1)) spans.push([at, at + piece.length]);
    }
    for (const match of line.matchAll(BASE64_RUN)) {
      if (match[0].length >= shortestRun && decodesToAny(match[0], decodedPieces)) spans.push([match.index, match.index + match[0].length]);
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

function decodesToAny(run: string, pieces: Map<number, Set<string>>): boolean {
  const standard = run.replace(/-/g, '+').replace(/_/g, '/');
  for (let shift = 0; shift < 4; shift++) {
    const decoded = Buffer.from(standard.slice(shift), 'base64').toString('latin1');
    for (const [length, set] of pieces) {
      for (let at = 0; at + length <= decoded.length; at++) if (set.has(decoded.slice(at, at + length))) return true;
    }
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
