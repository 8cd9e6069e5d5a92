import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions, type TLSSocket } from 'node:tls';
import type { SmtpReply } from '../domain/smtpReplies';

export interface SmtpReplyLines extends SmtpReply {
  lines: string[];
}

export class SmtpTimeoutError extends Error {
  constructor(readonly ms: number) {
    super(`no answer within ${Math.round(ms / 1000)} s`);
    this.name = 'SmtpTimeoutError';
  }
}

const MAX_LINE = 4096;

/**
 * A minimal SMTP client session for probing a host: commands and replies, STARTTLS. It sends
 * no message data. Every read is bounded by a timeout.
 */
export class SmtpSession {
  private socket: Socket | TLSSocket;
  private buffer = '';
  private pendingLines: string[] = [];
  private replies: SmtpReplyLines[] = [];
  private waiter?: { resolve(reply: SmtpReplyLines): void; reject(error: Error): void };
  private failure?: Error;

  private constructor(socket: Socket) {
    this.socket = socket;
    this.listen(socket);
  }

  /** Opens a TCP connection to an already checked IP address. */
  static connect(address: string, port: number, timeoutMs: number): Promise<SmtpSession> {
    return new Promise((resolve, reject) => {
      const socket = netConnect({ host: address, port });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new SmtpTimeoutError(timeoutMs));
      }, timeoutMs);
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        resolve(new SmtpSession(socket));
      });
      socket.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
    });
  }

  /** Starts TLS on the connection (implicit TLS right after connect, or after STARTTLS's 220). */
  upgrade(options: ConnectionOptions, timeoutMs: number): Promise<TLSSocket> {
    const plain = this.socket as Socket;
    plain.removeAllListeners('data');
    plain.removeAllListeners('error');
    plain.removeAllListeners('close');
    return new Promise((resolve, reject) => {
      const secure = tlsConnect({ ...options, socket: plain });
      const timer = setTimeout(() => {
        secure.destroy();
        reject(new SmtpTimeoutError(timeoutMs));
      }, timeoutMs);
      secure.once('secureConnect', () => {
        clearTimeout(timer);
        secure.removeAllListeners('error');
        this.socket = secure;
        this.buffer = '';
        this.listen(secure);
        resolve(secure);
      });
      secure.once('error', (error) => {
        clearTimeout(timer);
        secure.destroy();
        reject(error);
      });
    });
  }

  /** The next reply from the host. */
  read(timeoutMs: number): Promise<SmtpReplyLines> {
    const queued = this.replies.shift();
    if (queued) return Promise.resolve(queued);
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiter = undefined;
        this.close();
        reject(new SmtpTimeoutError(timeoutMs));
      }, timeoutMs);
      this.waiter = {
        resolve: (reply) => {
          clearTimeout(timer);
          resolve(reply);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
    });
  }

  command(line: string, timeoutMs: number): Promise<SmtpReplyLines> {
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
    this.socket.destroy();
  }

  private listen(socket: Socket | TLSSocket): void {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => this.receive(chunk));
    socket.on('error', (error) => this.fail(error));
    socket.on('close', () => this.fail(new Error('the host closed the connection')));
  }

  private receive(chunk: string): void {
    this.buffer += chunk;
    let index: number;
    while ((index = this.buffer.indexOf('\n')) >= 0) {
      const line = this.buffer.slice(0, index).replace(/\r$/, '');
      this.buffer = this.buffer.slice(index + 1);
      this.pendingLines.push(line);
      if (!/^\d{3}-/.test(line)) this.deliver(this.parse(this.pendingLines.splice(0)));
    }
    if (this.buffer.length > MAX_LINE) this.fail(new Error('the host sent a line longer than SMTP allows'));
  }

  private parse(lines: string[]): SmtpReplyLines {
    const code = Number(lines[lines.length - 1]!.slice(0, 3)) || 0;
    const texts = lines.map((line) => line.slice(4));
    const enhanced = /^([245]\.\d{1,3}\.\d{1,3})\b/.exec(texts[texts.length - 1] ?? '')?.[1];
    return { code, ...(enhanced ? { enhanced } : {}), text: texts.join(' ').trim(), lines: texts };
  }

  private deliver(reply: SmtpReplyLines): void {
    const waiter = this.waiter;
    this.waiter = undefined;
    if (waiter) waiter.resolve(reply);
    else this.replies.push(reply);
  }

  private fail(error: Error): void {
    this.failure ??= error;
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.reject(this.failure);
  }
}
