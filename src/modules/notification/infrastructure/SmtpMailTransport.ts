import { connect, type Socket } from 'node:net';
import { inject, injectable } from 'inversify';
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import type { Config } from '../../../shared/config/Config';
import { MailHostRefusedError, resolveMailHost, type HostLookup } from '../../../shared/net/hostGuard';
import { CONFIG } from '../../../shared/tokens';
import type { SmtpEndpoint } from '../../tenant/domain/MailHostDirectory';
import { HOST_LOOKUP } from '../../tenant/tokens';
import { DeliveryError, enhancedCodeOf, type DeliveryPhase, type RecipientRefusal } from '../domain/DeliveryError';
import type { DeliveryOptions } from '../domain/DeliveryOptions';
import type { Envelope, MailTransport, TransportResult } from '../domain/MailTransport';
import { DELIVERY_OPTIONS } from '../tokens';

interface NodemailerError extends Error {
  code?: string;
  /** The system error's own code when nodemailer replaced it with its category (e.g. ESOCKET). */
  originalCode?: string;
  responseCode?: number;
  response?: string;
  command?: string;
  rejectedErrors?: NodemailerError[];
  recipient?: string;
}

/** Messages per connection before it is renewed (some hosts limit a session). */
const MESSAGES_PER_CONNECTION = 100;
/** An idle connection is closed well before hosts typically drop it. */
const IDLE_CLOSE_MS = 10_000;
const TRANSIENT = new Set(['ECONNECTION', 'ESOCKET', 'ETIMEDOUT', 'ECONNRESET', 'EPIPE']);

interface Session {
  connection: SMTPConnection;
  messages: number;
  idleTimer?: NodeJS.Timeout;
  closed: boolean;
}

/**
 * One tenant's connections at one settings version. Sessions are opened on demand up to `size`,
 * kept open between messages, and used by one message at a time; nodemailer's SMTPConnection
 * speaks the protocol (STARTTLS, AUTH, replies), the pool around it is ours because nodemailer's
 * own pool spends most of its time building a mail object around every raw message.
 */
class SessionPool {
  private readonly idle: Session[] = [];
  private readonly waiting: Array<(session: Session | Error) => void> = [];
  private open = 0;
  private closed = false;
  /** Every connection of this pool, connecting, busy or idle: closing the pool ends them all. */
  private readonly live = new Set<SMTPConnection>();

  constructor(
    readonly settingsVersion: number,
    private readonly size: number,
    private readonly connectSession: (track: (connection: SMTPConnection) => void) => Promise<SMTPConnection>,
  ) {}

  async send(envelope: Envelope, raw: Buffer): Promise<SMTPConnection.SentMessageInfo> {
    const session = await this.acquire();
    const reused = session.messages > 0;
    try {
      const info = await sendOn(session.connection, envelope, raw);
      this.release(session, true);
      return info;
    } catch (error) {
      this.release(session, false);
      const failure = error as NodemailerError;
      // The host dropped a session that had been idle: nothing of this message went out before
      // MAIL FROM failed, so it may go out once more over a fresh session.
      if (reused && failure.code && TRANSIENT.has(failure.code) && (failure.command === undefined || failure.command === 'MAIL FROM')) {
        const fresh = await this.acquire(true);
        try {
          const info = await sendOn(fresh.connection, envelope, raw);
          this.release(fresh, true);
          return info;
        } catch (retryError) {
          this.release(fresh, false);
          throw retryError;
        }
      }
      throw error;
    }
  }

  close(): void {
    this.closed = true;
    for (const session of this.idle.splice(0)) this.discard(session);
    for (const waiter of this.waiting.splice(0)) waiter(new Error('the connection pool was closed'));
    for (const connection of this.live) connection.close();
    this.live.clear();
  }

  private acquire(fresh = false): Promise<Session> {
    if (this.closed) return Promise.reject(new Error('the connection pool was closed'));
    if (!fresh) {
      const session = this.idle.pop();
      if (session) {
        clearTimeout(session.idleTimer);
        return Promise.resolve(session);
      }
    }
    if (this.open < this.size || fresh) return this.openSession();
    return new Promise((resolve, reject) => this.waiting.push((session) => (session instanceof Error ? reject(session) : resolve(session))));
  }

  private async openSession(): Promise<Session> {
    this.open++;
    try {
      const connection = await this.connectSession((opened) => {
        this.live.add(opened);
        opened.once('end', () => this.live.delete(opened));
        if (this.closed) opened.close();
      });
      const session: Session = { connection, messages: 0, closed: false };
      connection.once('end', () => this.forget(session));
      connection.on('error', () => this.forget(session));
      return session;
    } catch (error) {
      this.open--;
      this.handOver();
      throw error;
    }
  }

  private release(session: Session, ok: boolean): void {
    session.messages++;
    if (!ok || session.closed || this.closed || session.messages >= MESSAGES_PER_CONNECTION) {
      this.discard(session);
      this.handOver();
      return;
    }
    const waiter = this.waiting.shift();
    if (waiter) return waiter(session);
    session.idleTimer = setTimeout(() => {
      const index = this.idle.indexOf(session);
      if (index >= 0) this.idle.splice(index, 1);
      this.discard(session);
    }, IDLE_CLOSE_MS);
    session.idleTimer.unref();
    this.idle.push(session);
  }

  /** A freed slot goes to the next waiter as a new session. */
  private handOver(): void {
    if (this.closed || this.waiting.length === 0 || this.open >= this.size) return;
    const waiter = this.waiting.shift()!;
    this.openSession().then(waiter, (error: Error) => waiter(error));
  }

  private forget(session: Session): void {
    if (session.closed) return;
    const index = this.idle.indexOf(session);
    if (index >= 0) {
      this.idle.splice(index, 1);
      this.discard(session);
      this.handOver();
    } else {
      // In use: the send in progress reports the failure and releases it.
      session.closed = true;
      this.open--;
    }
  }

  private discard(session: Session): void {
    clearTimeout(session.idleTimer);
    if (!session.closed) {
      session.closed = true;
      this.open--;
    }
    try {
      session.connection.quit();
    } catch {
      session.connection.close();
    }
  }
}

function sendOn(connection: SMTPConnection, envelope: Envelope, raw: Buffer): Promise<SMTPConnection.SentMessageInfo> {
  return new Promise((resolve, reject) => connection.send({ from: envelope.from, to: [...envelope.to] }, raw, (error, info) => (error ? reject(error) : resolve(info))));
}

/**
 * Sends over pooled SMTP sessions, one pool per tenant and settings version. Every new
 * connection resolves the host through the network guard and connects to the checked address,
 * keeping the host name for TLS, so that DNS rebinding cannot lead past the guard.
 */
@injectable()
export class SmtpMailTransport implements MailTransport {
  private readonly pools = new Map<string, SessionPool>();

  constructor(
    @inject(CONFIG) private readonly config: Config,
    @inject(DELIVERY_OPTIONS) private readonly options: DeliveryOptions,
    @inject(HOST_LOOKUP) private readonly lookup: HostLookup,
  ) {}

  async send(endpoint: SmtpEndpoint, envelope: Envelope, raw: Buffer): Promise<TransportResult> {
    try {
      const info = await this.poolFor(endpoint).send(envelope, raw);
      return {
        accepted: (info.accepted as Array<string | { address: string }>).map(addressOf),
        rejected: ((info as { rejectedErrors?: NodemailerError[] }).rejectedErrors ?? []).map(refusalOf),
        response: info.response,
      };
    } catch (error) {
      throw toDeliveryError(error);
    }
  }

  async close(): Promise<void> {
    for (const pool of this.pools.values()) pool.close();
    this.pools.clear();
  }

  private poolFor(endpoint: SmtpEndpoint): SessionPool {
    const existing = this.pools.get(endpoint.tenantId);
    if (existing?.settingsVersion === endpoint.settingsVersion) return existing;
    existing?.close();
    const pool = new SessionPool(endpoint.settingsVersion, this.options.perTenantConcurrency, (track) => this.connectSession(endpoint, track));
    this.pools.set(endpoint.tenantId, pool);
    return pool;
  }

  /** Opens one session: guard, TCP, greeting, EHLO, STARTTLS when required, AUTH when configured. */
  private async connectSession(endpoint: SmtpEndpoint, track: (connection: SMTPConnection) => void): Promise<SMTPConnection> {
    const { host, port, security } = endpoint;
    const resolved = await resolveMailHost(host, { allowPrivate: this.config.smtpAllowPrivateHosts, lookup: this.lookup });
    const socket = await openSocket(resolved.address, port, this.options.connectionTimeoutMs);
    const connection = new SMTPConnection({
      host,
      port,
      secure: security === 'tls',
      requireTLS: security === 'starttls',
      ignoreTLS: security === 'none',
      tls: { servername: host, minVersion: 'TLSv1.2', ...(endpoint.caCertificate ? { ca: endpoint.caCertificate } : {}) },
      connectionTimeout: this.options.connectionTimeoutMs,
      greetingTimeout: this.options.greetingTimeoutMs,
      socketTimeout: this.options.socketTimeoutMs,
      logger: false,
      connection: socket,
    } as SMTPConnection.Options);
    track(connection);
    return new Promise((resolve, reject) => {
      let settled = false;
      const fail = (error: Error): void => {
        if (settled) return;
        settled = true;
        connection.close();
        reject(error);
      };
      connection.once('error', fail);
      connection.once('end', () => fail(Object.assign(new Error('the mail host closed the connection'), { code: 'ECONNECTION', command: 'CONN' })));
      connection.connect((error) => {
        if (error) return fail(error);
        const done = (): void => {
          if (settled) return;
          settled = true;
          connection.removeListener('error', fail);
          resolve(connection);
        };
        if (!endpoint.username || !connection.allowsAuth) return done();
        connection.login({ credentials: { user: endpoint.username, pass: endpoint.password ?? '' } } as SMTPConnection.AuthenticationCredentials, (loginError) => (loginError ? fail(loginError) : done()));
      });
    });
  }
}

function openSocket(address: string, port: number, timeoutMs: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    // SMTP is request and reply: without TCP_NODELAY, Nagle and delayed ACKs stall every command.
    const socket = connect({ host: address, port, noDelay: true });
    const fail = (error: Error): void => {
      socket.destroy();
      reject(error);
    };
    socket.setTimeout(timeoutMs, () => fail(Object.assign(new Error(`connecting to ${address}:${port} timed out`), { code: 'ETIMEDOUT' })));
    socket.once('error', fail);
    socket.once('connect', () => {
      socket.setTimeout(0);
      socket.removeListener('error', fail);
      resolve(socket);
    });
  });
}

function addressOf(value: string | { address: string }): string {
  return typeof value === 'string' ? value : value.address;
}

function refusalOf(error: NodemailerError): RecipientRefusal {
  return { address: error.recipient ?? '', code: error.responseCode, response: (error.response ?? error.message).trim() };
}

/** Node's certificate and handshake errors; nodemailer reports them as ESOCKET with this as originalCode. */
const TLS_ERROR_CODES = /^(ERR_TLS_|ERR_SSL_|DEPTH_ZERO_SELF_SIGNED_CERT$|SELF_SIGNED_CERT_IN_CHAIN$|UNABLE_TO_|CERT_)/;

function phaseOf(error: NodemailerError): DeliveryPhase {
  if (error.code === 'ETLS' || TLS_ERROR_CODES.test(error.originalCode ?? error.code ?? '')) return 'tls';
  if (error.code === 'EAUTH' || error.code === 'ENOAUTH') return 'auth';
  const command = (error.command ?? '').toUpperCase();
  if (command.startsWith('AUTH')) return 'auth';
  if (command === 'MAIL FROM') return 'mail';
  if (command === 'RCPT TO') return 'rcpt';
  if (command === 'DATA' || command === '.' || command === 'DATA (EOM)') return 'data';
  if (command === 'CONN' || command === 'GREETING' || command === 'EHLO' || command === 'HELO') return 'connect';
  if (command === 'STARTTLS') return 'tls';
  return 'other';
}

/** Maps nodemailer's errors (and the guard's) to the port's DeliveryError. */
export function toDeliveryError(error: unknown): DeliveryError {
  if (error instanceof DeliveryError) return error;
  if (error instanceof MailHostRefusedError) return new DeliveryError(error.message, { phase: 'guard', permanent: error.reason === 'non-public' });
  const failure = error as NodemailerError;
  const response = failure.response?.trim();
  return new DeliveryError(failure.message ?? String(error), {
    phase: phaseOf(failure),
    replyCode: failure.responseCode,
    enhancedCode: enhancedCodeOf(response),
    response,
    errorCode: failure.code,
    rejected: failure.rejectedErrors?.map(refusalOf),
  });
}
