import { createServer, type Server, type Socket } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerAddress, type SMTPServerSession } from 'smtp-server';

/** A reply the script gives instead of accepting, e.g. `{ code: 451, message: '4.3.0 try later' }`. */
export interface SmtpReply {
  code: number;
  /** The text after the code; put the enhanced status code first, as real hosts do. */
  message: string;
}

export interface ReceivedMail {
  envelope: { from: string; to: string[] };
  raw: Buffer;
  /** The login the client used, if any. */
  user?: string;
  /** When the message was stored (ms since the epoch). */
  at?: number;
}

type Hook<A> = (argument: A) => SmtpReply | undefined;

/** What the server does with a message whose DATA it has read. */
export type DataAction =
  /** Store it and answer 250 (the default). */
  | 'accept'
  /** Store it, then cut the connection before answering: the client cannot know it arrived. */
  | 'drop'
  /** Store it and answer only after `stallMs`. */
  | { stallMs: number }
  /** Refuse it with this reply; nothing is stored. */
  | SmtpReply;

export interface TestSmtpServerOptions {
  password?: string;
  requireAuth?: boolean;
  /** Offer STARTTLS with this certificate; without it STARTTLS is hidden (not in EHLO). */
  starttls?: { key: string; cert: string };
  /** Leave PIPELINING out of EHLO: the client must send command by command. */
  hidePipelining?: boolean;
}

/**
 * A local SMTP server for tests that records every accepted message (envelope and raw bytes) and
 * can be scripted per session or per message: refuse at greeting (421), refuse the login (535),
 * MAIL FROM, single recipients or DATA (4xx/5xx), store a message and cut the connection before
 * the reply, stall, hide or offer STARTTLS, and throttle with 454 after N messages a minute.
 */
export class TestSmtpServer {
  readonly received: ReceivedMail[] = [];
  /** The password a login must use; undefined accepts any login. */
  password?: string;
  /** Replies for the next DATA commands, in order; each is used once. */
  readonly dataReplies: SmtpReply[] = [];
  onMailFrom?: Hook<string>;
  onRcptTo?: Hook<string>;
  /** Delay before answering each DATA (a slow host): the message is recorded, the client not yet told. */
  dataDelayMs = 0;
  /** Logins tried, accepted or not. */
  readonly logins: Array<{ username: string; ok: boolean }> = [];
  /** Per session (0-based count of connections): a reply that refuses it at greeting, e.g. 421. */
  onConnect?: (session: number) => SmtpReply | undefined;
  /** Delay before the greeting of every session (a tarpitting host). */
  greetingDelayMs = 0;
  /** Per message (0-based count of DATA bodies read): what to do with it; `dataReplies` go first. */
  onData?: (mail: ReceivedMail, index: number) => DataAction | undefined;
  /** Answers MAIL FROM with 454 once this many messages were stored in the last minute. */
  throttlePerMinute?: number;
  /** Connections opened, refused ones included. */
  sessions = 0;
  /** Connections open right now, and the most that were open at once. */
  openSessions = 0;
  maxOpenSessions = 0;
  /** Messages stored and then cut off before the reply (see DataAction 'drop'). */
  dropped = 0;
  /** MAIL FROM commands answered 454 by the throttle. */
  throttled = 0;
  private dataSeen = 0;
  /** When each transaction the throttle let through began: a real host counts at MAIL FROM, before the message is stored. */
  private readonly admittedAt: number[] = [];
  private readonly waiters: Array<() => void> = [];

  private constructor(
    private readonly server: SMTPServer,
    readonly port: number,
  ) {}

  static async start(options: TestSmtpServerOptions = {}): Promise<TestSmtpServer> {
    let self!: TestSmtpServer;
    const server = new SMTPServer({
      secure: false,
      ...(options.starttls ? { key: options.starttls.key, cert: options.starttls.cert } : { disabledCommands: ['STARTTLS'] }),
      authOptional: !options.requireAuth,
      allowInsecureAuth: true,
      disableReverseLookup: true,
      hideENHANCEDSTATUSCODES: true,
      hidePIPELINING: options.hidePipelining ?? false,
      logger: false,
      // Stalled sessions must not hold up close() for smtp-server's default 30 s.
      closeTimeout: 500,
      size: 10 * 1024 * 1024,
      onAuth: (auth, _session, callback) => {
        const ok = self.password === undefined || auth.password === self.password;
        self.logins.push({ username: auth.username ?? '', ok });
        if (!ok) return callback(reply({ code: 535, message: '5.7.8 Authentication credentials invalid' }));
        callback(null, { user: auth.username });
      },
      onClose: () => {
        self.openSessions--;
      },
      onConnect: (_session, callback) => {
        self.maxOpenSessions = Math.max(self.maxOpenSessions, ++self.openSessions);
        // Counted apart from the call: `?.` would skip the increment when no hook is set.
        const session = self.sessions++;
        const refusal = self.onConnect?.(session);
        const answer = (): void => callback(toError(refusal));
        if (self.greetingDelayMs > 0) setTimeout(answer, self.greetingDelayMs);
        else answer();
      },
      onMailFrom: (address: SMTPServerAddress, _session, callback) => {
        if (self.throttlePerMinute !== undefined) {
          const now = Date.now();
          while (self.admittedAt.length > 0 && self.admittedAt[0]! <= now - 60_000) self.admittedAt.shift();
          if (self.admittedAt.length >= self.throttlePerMinute) {
            self.throttled++;
            return callback(reply({ code: 454, message: '4.7.0 Too many messages, slow down' }));
          }
          self.admittedAt.push(now);
        }
        callback(toError(self.onMailFrom?.(address.address)));
      },
      onRcptTo: (address: SMTPServerAddress, _session, callback) => callback(toError(self.onRcptTo?.(address.address))),
      onData: (stream, session: SMTPServerSession, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const scripted = self.dataReplies.shift();
          if (scripted) return callback(reply(scripted));
          const mail: ReceivedMail = {
            envelope: { from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((rcpt) => rcpt.address) },
            raw: Buffer.concat(chunks),
            user: typeof session.user === 'string' ? session.user : undefined,
            at: Date.now(),
          };
          const action = self.onData?.(mail, self.dataSeen++) ?? 'accept';
          if (typeof action === 'object' && 'code' in action) return callback(reply(action));
          self.received.push(mail);
          for (const wake of self.waiters.splice(0)) wake();
          if (action === 'drop') {
            self.dropped++;
            for (const connection of (server as unknown as { connections: Set<{ id: string; _socket: Socket }> }).connections) {
              if (connection.id === session.id) connection._socket.destroy();
            }
            return;
          }
          const delay = typeof action === 'object' ? action.stallMs : self.dataDelayMs;
          if (delay > 0) setTimeout(() => callback(null), delay);
          else callback(null);
        });
      },
    });
    server.on('error', () => undefined);
    const port = await new Promise<number>((resolve) => {
      server.listen(0, '127.0.0.1', () => resolve((server.server.address() as { port: number }).port));
    });
    self = new TestSmtpServer(server, port);
    self.password = options.password;
    return self;
  }

  /** Resolves once `count` messages have arrived in all, or rejects after `timeoutMs`. */
  async waitForMessages(count: number, timeoutMs = 10_000): Promise<ReceivedMail[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.received.length < count) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`expected ${count} messages, got ${this.received.length} within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 200));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.received;
  }

  parse(mail: ReceivedMail): Promise<ParsedMail> {
    return simpleParser(mail.raw);
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

function reply(scripted: SmtpReply): Error {
  return Object.assign(new Error(scripted.message), { responseCode: scripted.code });
}

function toError(scripted: SmtpReply | undefined): Error | null | undefined {
  return scripted ? reply(scripted) : undefined;
}

/** A host that accepts TCP connections and never says a word (a dead or tarpitting host). */
export async function startSilentServer(): Promise<{ port: number; connections: () => number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  let total = 0;
  const server: Server = createServer((socket) => {
    total++;
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  const port = await new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));
  return {
    port,
    connections: () => total,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
