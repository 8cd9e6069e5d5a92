import { connect as netConnect, isIP, type Socket } from 'node:net';
import { hostname } from 'node:os';
import { checkServerIdentity, connect as tlsConnect, type ConnectionOptions, type TLSSocket } from 'node:tls';

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

/** The host did not answer (or connect, or finish the handshake) in time. */
export class SmtpTimeoutError extends Error {
  readonly code = 'ETIMEDOUT';
  constructor(readonly ms: number) {
    super(`no answer within ${Math.round(ms / 1000)} s`);
    this.name = 'SmtpTimeoutError';
  }
}

/** The host closed the connection, or broke the protocol so that the session cannot go on. */
export class SmtpConnectionError extends Error {
  constructor(
    message: string,
    readonly code: 'ECONNECTION' | 'EPROTOCOL' = 'ECONNECTION',
  ) {
    super(message);
    this.name = 'SmtpConnectionError';
  }
}

const MAX_LINE = 4096;
const CONTINUATION = /^\d{3}-/;
const ENHANCED = /^([245]\.\d{1,3}\.\d{1,3})\b/;

/**
 * A client-side SMTP connection: lines out, replies in, STARTTLS. Replies queue in the order
 * they arrive, so commands may be pipelined (RFC 2920) — written together, their replies read
 * one by one. Every read is bounded by a timeout; a failure ends the connection and fails every
 * later read. Used by the delivery transport and the mail-host probe.
 */
export class SmtpConnection {
  private socket: Socket | TLSSocket;
  private buffer = '';
  private readonly pendingLines: string[] = [];
  private readonly replies: SmtpReply[] = [];
  private waiter?: { resolve(reply: SmtpReply): void; reject(error: Error): void; timer: NodeJS.Timeout };
  private failure?: Error;
  private readonly closeListeners: Array<(error: Error) => void> = [];

  private constructor(socket: Socket) {
    this.socket = socket;
    this.listen(socket);
  }

  /** Opens a TCP connection to an already checked IP address, with Nagle off (SMTP is request and reply). */
  static connect(address: string, port: number, timeoutMs: number): Promise<SmtpConnection> {
    return new Promise((resolve, reject) => {
      const socket = netConnect({ host: address, port, noDelay: true });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new SmtpTimeoutError(timeoutMs));
      }, timeoutMs);
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        resolve(new SmtpConnection(socket));
      });
      socket.once('error', (error) => {
        clearTimeout(timer);
        socket.destroy();
        reject(error);
      });
    });
  }

  get failed(): boolean {
    return this.failure !== undefined;
  }

  /** Called once when the connection ends for any reason (closed by either side, failed). */
  onClose(listener: (error: Error) => void): void {
    if (this.failure) listener(this.failure);
    else this.closeListeners.push(listener);
  }

  /** Starts TLS on the connection (implicit TLS right after connect, or after STARTTLS's 220). */
  upgrade(options: ConnectionOptions, timeoutMs: number): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    // Anything the host sent after its STARTTLS reply came in clear and would be read as if it
    // came over TLS (response injection, cf. CVE-2011-0411): refuse to go on.
    if (this.replies.length > 0 || this.pendingLines.length > 0 || this.buffer.length > 0) {
      const error = new SmtpConnectionError('the host sent more than its reply before the TLS handshake', 'EPROTOCOL');
      this.fail(error);
      return Promise.reject(error);
    }
    const plain = this.socket as Socket;
    plain.removeAllListeners('data');
    plain.removeAllListeners('error');
    plain.removeAllListeners('close');
    return new Promise((resolve, reject) => {
      const secure = tlsConnect({ ...options, socket: plain });
      const timer = setTimeout(() => {
        secure.destroy();
        this.fail(new SmtpTimeoutError(timeoutMs));
        reject(new SmtpTimeoutError(timeoutMs));
      }, timeoutMs);
      secure.once('secureConnect', () => {
        clearTimeout(timer);
        secure.removeAllListeners('error');
        this.socket = secure;
        this.buffer = '';
        this.listen(secure);
        resolve();
      });
      secure.once('error', (error) => {
        clearTimeout(timer);
        secure.destroy();
        this.fail(error);
        reject(error);
      });
    });
  }

  /** The next reply from the host. */
  read(timeoutMs: number): Promise<SmtpReply> {
    const queued = this.replies.shift();
    if (queued) return Promise.resolve(queued);
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiter = undefined;
        this.fail(new SmtpTimeoutError(timeoutMs));
        reject(new SmtpTimeoutError(timeoutMs));
      }, timeoutMs);
      this.waiter = { resolve, reject, timer };
    });
  }

  /** Writes without waiting for a reply: pipelined command lines, or message data. */
  write(data: string | Buffer): void {
    if (!this.failure) this.socket.write(data);
  }

  command(line: string, timeoutMs: number): Promise<SmtpReply> {
    if (this.failure) return Promise.reject(this.failure);
    this.socket.write(`${line}\r\n`);
    return this.read(timeoutMs);
  }

  /** Says QUIT (without waiting long for the answer) and closes. */
  async quit(timeoutMs: number): Promise<void> {
    try {
      if (!this.failure) await this.command('QUIT', timeoutMs);
    } catch {
      // the session is over either way
    } finally {
      this.close();
    }
  }

  close(): void {
    this.fail(new SmtpConnectionError('the connection was closed'));
  }

  private listen(socket: Socket | TLSSocket): void {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => this.receive(chunk));
    socket.on('error', (error) => this.fail(error));
    socket.on('close', () => this.fail(new SmtpConnectionError('the mail host closed the connection')));
  }

  private receive(chunk: string): void {
    this.buffer = this.buffer.length === 0 ? chunk : this.buffer + chunk;
    let start = 0;
    let end: number;
    while ((end = this.buffer.indexOf('\n', start)) >= 0) {
      const line = this.buffer.charCodeAt(end - 1) === 13 ? this.buffer.slice(start, end - 1) : this.buffer.slice(start, end);
      start = end + 1;
      this.pendingLines.push(line);
      if (!CONTINUATION.test(line)) this.deliver(parseReply(this.pendingLines.splice(0)));
    }
    this.buffer = start === 0 ? this.buffer : this.buffer.slice(start);
    if (this.buffer.length > MAX_LINE) this.fail(new SmtpConnectionError('the host sent a line longer than SMTP allows', 'EPROTOCOL'));
  }

  private deliver(reply: SmtpReply): void {
    const waiter = this.waiter;
    if (!waiter) {
      this.replies.push(reply);
      return;
    }
    this.waiter = undefined;
    clearTimeout(waiter.timer);
    waiter.resolve(reply);
  }

  private fail(error: Error): void {
    if (this.failure) return;
    this.failure = error;
    this.socket.destroy();
    const waiter = this.waiter;
    this.waiter = undefined;
    if (waiter) {
      clearTimeout(waiter.timer);
      waiter.reject(error);
    }
    for (const listener of this.closeListeners.splice(0)) listener(error);
  }
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

/**
 * TLS options for a connection made to the checked IP address of `host`: the certificate must
 * still name the host the tenant gave, and a pinned CA replaces the system's.
 */
export function tlsOptionsFor(host: string, caCertificate: string | undefined): ConnectionOptions {
  const name = host.replace(/^\[|\]$/g, '');
  return {
    ...(isIP(name) === 0 ? { servername: name } : {}),
    ...(caCertificate ? { ca: [caCertificate] } : {}),
    rejectUnauthorized: true,
    minVersion: 'TLSv1.2',
    checkServerIdentity: (_name, certificate) => checkServerIdentity(name, certificate),
  };
}

/** The name this client gives in EHLO: the machine's, if it is a proper domain name. */
export function ehloName(): string {
  const name = hostname();
  return /^[A-Za-z0-9.-]+\.[A-Za-z]{2,}$/.test(name) ? name : 'kos-notify.localdomain';
}

/**
 * EHLO, or HELO for a host from before ESMTP (which then offers no extensions): the host's
 * capabilities, or the reply with which it refused HELO too.
 */
export async function hello(connection: SmtpConnection, timeoutMs: number): Promise<{ capabilities: string[] } | { refusal: SmtpReply }> {
  const ehlo = await connection.command(`EHLO ${ehloName()}`, timeoutMs);
  if (ehlo.code === 250) return { capabilities: capabilitiesOf(ehlo) };
  const helo = await connection.command(`HELO ${ehloName()}`, timeoutMs);
  return helo.code === 250 ? { capabilities: [] } : { refusal: helo };
}

/** The EHLO reply's capabilities (upper-cased keywords with their parameters). */
export function capabilitiesOf(ehlo: SmtpReply): string[] {
  return ehlo.lines.slice(1).map((line) => line.toUpperCase());
}

/** AUTH PLAIN or LOGIN with the credentials; resolves with the final reply (235 on success). */
export async function authenticate(connection: SmtpConnection, capabilities: string[], username: string, password: string, timeoutMs: number): Promise<SmtpReply | 'no-mechanism'> {
  const mechanisms = authMechanisms(capabilities);
  if (mechanisms.includes('PLAIN')) return connection.command(`AUTH PLAIN ${Buffer.from(`\0${username}\0${password}`, 'utf8').toString('base64')}`, timeoutMs);
  if (!mechanisms.includes('LOGIN')) return 'no-mechanism';
  let reply = await connection.command('AUTH LOGIN', timeoutMs);
  if (reply.code === 334) reply = await connection.command(Buffer.from(username, 'utf8').toString('base64'), timeoutMs);
  if (reply.code === 334) reply = await connection.command(Buffer.from(password, 'utf8').toString('base64'), timeoutMs);
  return reply;
}

/** The AUTH mechanisms a host offers, for messages. */
export function authMechanisms(capabilities: string[]): string[] {
  return capabilities.filter((line) => /^AUTH[ =]/.test(line)).flatMap((line) => line.slice(5).split(/\s+/));
}

/**
 * The message as DATA carries it: lines starting with a dot get a second one (RFC 5321 §4.5.2),
 * and the data ends with CRLF . CRLF. Copies only when a line starts with a dot.
 */
export function dataOf(raw: Buffer): Buffer {
  const parts: Buffer[] = [];
  let start = 0;
  if (raw[0] === 0x2e) parts.push(Buffer.from('.'));
  let dot = raw.indexOf('\n.', start);
  while (dot >= 0) {
    parts.push(raw.subarray(start, dot + 1), Buffer.from('.'));
    start = dot + 1;
    dot = raw.indexOf('\n.', start);
  }
  parts.push(start === 0 ? raw : raw.subarray(start));
  const endsWithLine = raw.length >= 2 && raw[raw.length - 2] === 0x0d && raw[raw.length - 1] === 0x0a;
  parts.push(Buffer.from(endsWithLine ? '.\r\n' : '\r\n.\r\n'));
  return Buffer.concat(parts);
}
