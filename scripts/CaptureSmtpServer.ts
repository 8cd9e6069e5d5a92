import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface CapturedMail {
  envelopeFrom: string;
  envelopeTo: string[];
  parsed: ParsedMail;
  raw: string;
}

export interface CaptureOptions {
  /** Offer STARTTLS with this key and certificate. */
  tls?: { key: string; cert: string };
  /** Require this login. */
  login?: { username: string; password: string };
  /** Require AUTH XOAUTH2 with a token this accepts for the mailbox (a Microsoft 365 stand-in). */
  xoauth2?: (mailbox: string, token: string) => boolean;
}

/** A mail host on loopback that accepts everything and keeps each message (demo and browser tests). */
export class CaptureSmtpServer {
  readonly mails: CapturedMail[] = [];
  /** The mailbox each accepted AUTH XOAUTH2 named. */
  readonly oauthLogins: string[] = [];
  private readonly listeners: Array<(mail: CapturedMail) => void> = [];
  private readonly server: SMTPServer;
  port = 0;

  constructor(options: CaptureOptions = {}) {
    this.server = new SMTPServer({
      disableReverseLookup: true,
      logger: false,
      banner: 'kos-notify capture server',
      authOptional: !options.login && !options.xoauth2,
      authMethods: options.xoauth2 ? ['XOAUTH2'] : ['PLAIN', 'LOGIN'],
      ...(options.tls ? { key: options.tls.key, cert: options.tls.cert } : { disabledCommands: ['STARTTLS'], allowInsecureAuth: true }),
      onAuth: (auth, _session, callback) => {
        if (options.xoauth2) {
          const accepted = options.xoauth2(auth.username ?? '', auth.accessToken ?? '');
          if (accepted) this.oauthLogins.push(auth.username ?? '');
          return callback(
            accepted ? null : Object.assign(new Error('5.7.3 Authentication unsuccessful'), { responseCode: 535 }),
            accepted ? { user: auth.username } : undefined,
          );
        }
        const ok = options.login && auth.username === options.login.username && auth.password === options.login.password;
        callback(ok ? null : Object.assign(new Error('5.7.8 authentication failed'), { responseCode: 535 }), ok ? { user: auth.username } : undefined);
      },
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          simpleParser(raw).then(
            (parsed) => {
              const mail: CapturedMail = {
                envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
                envelopeTo: session.envelope.rcptTo.map((recipient) => recipient.address),
                parsed,
                raw,
              };
              this.mails.push(mail);
              for (const listener of this.listeners) listener(mail);
              callback();
            },
            (error: Error) => callback(error),
          );
        });
      },
    });
    this.server.on('error', () => undefined);
  }

  async listen(port = 0): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(port, '127.0.0.1', () => resolve()));
    this.port = (this.server.server.address() as AddressInfo).port;
    return this.port;
  }

  onMail(listener: (mail: CapturedMail) => void): void {
    this.listeners.push(listener);
  }

  /** The first captured mail that matches, waiting for it up to `timeoutMs`. */
  waitFor(match: (mail: CapturedMail) => boolean, timeoutMs = 10_000): Promise<CapturedMail> {
    const found = this.mails.find(match);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching mail within ${timeoutMs} ms (${this.mails.length} captured)`)), timeoutMs);
      this.onMail((mail) => {
        if (!match(mail)) return;
        clearTimeout(timer);
        resolve(mail);
      });
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
