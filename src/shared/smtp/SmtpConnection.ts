import { connect as netConnect, isIP, type Socket } from 'node:net';
import { hostname } from 'node:os';
import { checkServerIdentity, connect as tlsConnect, type ConnectionOptions, type TLSSocket } from 'node:tls';
import { SmtpConnectionError, SmtpTimeoutError } from './errors';
import { ReplyReader, type SmtpReply } from './ReplyReader';

/**
 * A client-side SMTP connection: lines out, replies in, STARTTLS. Replies queue in the order
 * they arrive, so commands may be pipelined (RFC 2920) — written together, their replies read
 * one by one. Every read is bounded by a timeout; a failure ends the connection and fails every
 * later read. Used by the delivery transport and the mail-host probe.
 */
export class SmtpConnection {
  private socket: Socket | TLSSocket;
  private readonly reader: ReplyReader;
  private waiter?: { resolve(reply: SmtpReply): void; reject(error: Error): void; timer: NodeJS.Timeout };
  private failure?: Error;
  private readonly closeListeners: Array<(error: Error) => void> = [];

  private constructor(socket: Socket, secrets: readonly string[]) {
    this.socket = socket;
    this.reader = new ReplyReader(secrets);
    this.listen(socket);
  }

  /**
   * Opens a TCP connection to an already checked IP address, with Nagle off (SMTP is request and
   * reply). `secrets` are what the session will send (password, token): no reply carries them out.
   */
  static connect(address: string, port: number, timeoutMs: number, secrets: readonly string[]): Promise<SmtpConnection> {
    return new Promise((resolve, reject) => {
      const socket = netConnect({ host: address, port, noDelay: true });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new SmtpTimeoutError(timeoutMs));
      }, timeoutMs);
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        resolve(new SmtpConnection(socket, secrets));
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
    if (!this.reader.empty) {
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
    const queued = this.reader.next();
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

  /** Writes without waiting for a reply: pipelined command lines, or message data; `replies` is how many they are owed. */
  write(data: string | Buffer, replies: number): void {
    if (this.failure) return;
    this.reader.expect(replies);
    this.socket.write(data);
  }

  command(line: string, timeoutMs: number): Promise<SmtpReply> {
    if (this.failure) return Promise.reject(this.failure);
    this.reader.expect(1);
    this.socket.write(`${line}\r\n`);
    return this.read(timeoutMs);
  }

  /** A command that carries a secret (an AUTH line): replies are redacted of the line as sent, too. */
  secretCommand(line: string, timeoutMs: number): Promise<SmtpReply> {
    this.reader.conceal(line);
    return this.command(line, timeoutMs);
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
    // Whatever a host sends, nothing thrown here may reach the event loop: it would end the process.
    socket.on('data', (chunk: string) => {
      try {
        this.receive(chunk);
      } catch (error) {
        this.fail(error instanceof SmtpConnectionError ? error : new SmtpConnectionError(`the host's reply could not be read (${String(error)})`, 'EPROTOCOL'));
      }
    });
    socket.on('error', (error) => this.fail(error));
    socket.on('close', () => this.fail(new SmtpConnectionError('the mail host closed the connection')));
  }

  private receive(chunk: string): void {
    if (this.failure) return;
    this.reader.receive(chunk);
    const waiter = this.waiter;
    if (!waiter) return;
    const reply = this.reader.next();
    if (!reply) return;
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
    for (const listener of this.closeListeners.splice(0)) {
      try {
        listener(error);
      } catch (thrown) {
        // Called from socket events: a listener's bug must not end the process (and every tenant's mail).
        process.emitWarning(thrown instanceof Error ? thrown : String(thrown), 'SmtpConnectionListenerError');
      }
    }
  }
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
export async function authenticate(
  connection: SmtpConnection,
  capabilities: string[],
  username: string,
  password: string,
  timeoutMs: number,
): Promise<SmtpReply | 'no-mechanism'> {
  const mechanisms = authMechanisms(capabilities);
  if (mechanisms.includes('PLAIN'))
    return connection.secretCommand(`AUTH PLAIN ${Buffer.from(`\0${username}\0${password}`, 'utf8').toString('base64')}`, timeoutMs);
  if (!mechanisms.includes('LOGIN')) return 'no-mechanism';
  let reply = await connection.command('AUTH LOGIN', timeoutMs);
  if (reply.code === 334) reply = await connection.secretCommand(Buffer.from(username, 'utf8').toString('base64'), timeoutMs);
  if (reply.code === 334) reply = await connection.secretCommand(Buffer.from(password, 'utf8').toString('base64'), timeoutMs);
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
