import { SmtpConnectionError, SmtpTimeoutError } from '../../../shared/smtp/errors';
import { replyLine, type SmtpReply } from '../../../shared/smtp/ReplyReader';
import { authMechanisms, authenticate, dataOf, hello, SmtpConnection, tlsOptionsFor } from '../../../shared/smtp/SmtpConnection';
import type { SmtpEndpoint } from '../../tenant/domain/MailHostDirectory';
import { describeRefusals } from '../domain/classifyFailure';
import { DeliveryError, type DeliveryPhase, type RecipientRefusal } from '../domain/DeliveryError';
import type { DeliveryOptions } from '../domain/DeliveryOptions';
import type { Envelope, TransportResult } from '../domain/MailTransport';

type Timeouts = Pick<DeliveryOptions, 'connectionTimeoutMs' | 'greetingTimeoutMs' | 'socketTimeoutMs'>;

/** A login other than mail.username and password (AUTH XOAUTH2). */
export interface SessionLogin {
  /** Gets ready before connecting (a token); what it resolves with is secret: no reply may carry it out. */
  prepare(): Promise<string[]>;
  /** Logs in, or throws a DeliveryError; resolves with whether the login is still good for new messages (its token not about to expire). */
  authenticate(connection: SmtpConnection, capabilities: string[], timeoutMs: number): Promise<() => boolean>;
}

/** Node's certificate and handshake error codes. */
const TLS_ERROR_CODES = /^(ERR_TLS_|ERR_SSL_|DEPTH_ZERO_SELF_SIGNED_CERT$|SELF_SIGNED_CERT_IN_CHAIN$|UNABLE_TO_|CERT_|ERR_OSSL_)/;

interface Job {
  envelope: Envelope;
  raw: Buffer;
  resolve(result: TransportResult): void;
  reject(error: DeliveryError): void;
  /** Its MAIL, RCPT and DATA went out with the previous message's data. */
  envelopeSent: boolean;
}

/**
 * One logged-in SMTP session to a tenant's host. With PIPELINING (RFC 2920) a message costs one
 * write and one wait: the previous message's data, its closing dot and this message's MAIL FROM,
 * RCPT TO and DATA go out together, and their replies are read in order. Without it, command by
 * command. Messages queue on the session up to the pool's depth. Every failure is a DeliveryError
 * naming the phase and what the host answered.
 */
export class SmtpSession {
  private readonly jobs: Job[] = [];
  /** A failed transaction may have left the host with an open one: RSET before the next. */
  private needsReset = false;
  private loginCurrent: () => boolean = () => true;

  private constructor(
    private readonly connection: SmtpConnection,
    readonly pipelining: boolean,
    private readonly timeoutMs: number,
  ) {}

  /** Connects to the checked address: greeting, EHLO, STARTTLS or implicit TLS, AUTH. */
  static async open(
    endpoint: SmtpEndpoint,
    address: string,
    timeouts: Timeouts,
    track: (session: SmtpSession) => void,
    login?: SessionLogin,
  ): Promise<SmtpSession> {
    const { security } = endpoint;
    const secrets = [...secretsOf(endpoint), ...(login ? await login.prepare() : [])];
    const connection = await SmtpConnection.connect(address, endpoint.port, timeouts.connectionTimeoutMs, secrets).catch((error: unknown) => {
      throw failure(error, 'connect', `could not connect to ${endpoint.host}:${endpoint.port}`);
    });
    let phase: DeliveryPhase = 'connect';
    let session: SmtpSession | undefined;
    try {
      if (security === 'tls') {
        phase = 'tls';
        await connection.upgrade(tlsOptionsFor(endpoint.host, endpoint.caCertificate), timeouts.connectionTimeoutMs);
        phase = 'connect';
      }
      const greeting = await connection.read(timeouts.greetingTimeoutMs);
      if (greeting.code !== 220) throw refused('connect', greeting, 'the host did not greet');
      let capabilities = await greet(connection, timeouts.socketTimeoutMs);
      if (security === 'starttls') {
        phase = 'tls';
        if (!capabilities.includes('STARTTLS')) {
          throw new DeliveryError(`${endpoint.host} does not offer STARTTLS, which mail.security "starttls" requires; nothing was sent`, {
            phase: 'tls',
            errorCode: 'ETLS',
          });
        }
        const reply = await connection.command('STARTTLS', timeouts.socketTimeoutMs);
        if (reply.code !== 220) throw refused('tls', reply, 'the host refused STARTTLS');
        await connection.upgrade(tlsOptionsFor(endpoint.host, endpoint.caCertificate), timeouts.connectionTimeoutMs);
        phase = 'connect';
        capabilities = await greet(connection, timeouts.socketTimeoutMs);
      }
      session = new SmtpSession(connection, capabilities.includes('PIPELINING'), timeouts.socketTimeoutMs);
      track(session);
      if (login) {
        phase = 'auth';
        session.loginCurrent = await login.authenticate(connection, capabilities, timeouts.socketTimeoutMs);
      } else if (endpoint.username && capabilities.some((line) => /^AUTH[ =]/.test(line))) {
        // Without an AUTH offer the host relays without a login (nodemailer's rule, kept).
        phase = 'auth';
        const reply = await authenticate(connection, capabilities, endpoint.username, endpoint.password ?? '', timeouts.socketTimeoutMs);
        if (reply === 'no-mechanism') {
          throw new DeliveryError(`the host offers no login by AUTH PLAIN or LOGIN (only ${authMechanisms(capabilities).join(', ')})`, {
            phase: 'auth',
            errorCode: 'EAUTH',
          });
        }
        if (reply.code !== 235) throw refused('auth', reply, 'the host refused the login', 'EAUTH');
      }
      return session;
    } catch (error) {
      connection.close();
      throw failure(error, phase);
    }
  }

  /** The login's token is about to expire: the pool sends no more messages over this session. */
  get loginStale(): boolean {
    return !this.loginCurrent();
  }

  /** Messages queued on this session, the one being sent included. */
  get queued(): number {
    return this.jobs.length;
  }

  onClose(listener: () => void): void {
    this.connection.onClose(listener);
  }

  /** Sends one message after those queued before it. */
  send(envelope: Envelope, raw: Buffer): Promise<TransportResult> {
    return new Promise((resolve, reject) => {
      this.jobs.push({ envelope, raw, resolve, reject, envelopeSent: false });
      if (this.jobs.length === 1) void this.run();
    });
  }

  quit(): Promise<void> {
    return this.connection.quit(5_000);
  }

  close(): void {
    this.connection.close();
  }

  private async run(): Promise<void> {
    while (this.jobs.length > 0) {
      const job = this.jobs[0]!;
      let phase: DeliveryPhase = 'mail';
      try {
        job.resolve(await this.transact(job, (reached) => (phase = reached)));
      } catch (error) {
        job.reject(failure(error, phase));
        if (this.connection.failed) {
          // Nothing of the messages behind it was answered: they fail at MAIL without a reply,
          // which the pool retries once over a fresh session.
          for (const rest of this.jobs.splice(1)) rest.reject(failure(error, 'mail'));
        } else if (!this.jobs[1]?.envelopeSent) {
          this.needsReset = true;
        }
      }
      this.jobs.shift();
    }
  }

  private async transact(job: Job, reach: (phase: DeliveryPhase) => void): Promise<TransportResult> {
    const connection = this.connection;
    const timeout = this.timeoutMs;
    const { envelope } = job;
    const pipelined = this.pipelining;
    if (this.needsReset) {
      this.needsReset = false;
      const reset = await connection.command('RSET', timeout);
      if (reset.code !== 250) throw refused('mail', reset, 'the host refused RSET');
    }
    let mail: SmtpReply;
    if (pipelined) {
      if (!job.envelopeSent) connection.write(envelopeCommands(envelope), envelopeReplies(envelope));
      mail = await connection.read(timeout);
    } else {
      mail = await connection.command(`MAIL FROM:<${envelope.from}>`, timeout);
    }
    if (mail.code !== 250) {
      if (pipelined) await drain(connection, envelope.to.length + 1, timeout);
      throw refused('mail', mail, 'the host refused the sender');
    }
    reach('rcpt');
    const accepted: string[] = [];
    const rejected: RecipientRefusal[] = [];
    let lastRefusal: SmtpReply | undefined;
    for (const to of envelope.to) {
      const reply = pipelined ? await connection.read(timeout) : await connection.command(`RCPT TO:<${to}>`, timeout);
      if (reply.code === 250 || reply.code === 251) {
        accepted.push(to);
      } else {
        rejected.push({ address: to, code: reply.code, response: replyLine(reply) });
        lastRefusal = reply;
      }
    }
    reach('data');
    let data: SmtpReply | undefined;
    if (pipelined) data = await connection.read(timeout);
    else if (accepted.length > 0) data = await connection.command('DATA', timeout);
    if (accepted.length === 0) {
      // Some hosts answer DATA with 354 even after refusing every recipient: end it empty.
      if (data?.code === 354) await connection.command('.', timeout);
      throw new DeliveryError(`every recipient was refused (${describeRefusals(rejected)})`, {
        phase: 'rcpt',
        replyCode: lastRefusal!.code,
        enhancedCode: lastRefusal!.enhanced,
        response: replyLine(lastRefusal!),
        errorCode: 'EENVELOPE',
        rejected,
      });
    }
    if (data!.code !== 354) throw refused('data', data!, 'the host refused DATA');
    // The dispatcher queues the next message a few promise turns after the previous one's answer
    // freed its slot, usually just after this 354: waiting for those turns lets its envelope ride
    // along with this data, one write instead of two (each costs a syscall on both ends).
    if (pipelined && this.jobs.length === 1) await new Promise((resolve) => setImmediate(resolve));
    const next = this.jobs[1];
    if (pipelined && next) {
      // The next message's envelope rides along with this one's data (RFC 2920 §3.1).
      connection.write(Buffer.concat([dataOf(job.raw), Buffer.from(envelopeCommands(next.envelope))]), 1 + envelopeReplies(next.envelope));
      next.envelopeSent = true;
    } else {
      connection.write(dataOf(job.raw), 1);
    }
    const done = await connection.read(timeout);
    if (done.code !== 250) throw refused('data', done, 'the host refused the message');
    return { accepted, rejected, response: replyLine(done) };
  }
}

function envelopeCommands(envelope: Envelope): string {
  return `MAIL FROM:<${envelope.from}>\r\n${envelope.to.map((to) => `RCPT TO:<${to}>\r\n`).join('')}DATA\r\n`;
}

/** MAIL FROM, each RCPT TO and DATA. */
function envelopeReplies(envelope: Envelope): number {
  return envelope.to.length + 2;
}

/** What the session sends that no reply may carry back out. */
function secretsOf(endpoint: SmtpEndpoint): string[] {
  return endpoint.password ? [endpoint.password] : [];
}

async function greet(connection: SmtpConnection, timeoutMs: number): Promise<string[]> {
  const greeted = await hello(connection, timeoutMs);
  if ('refusal' in greeted) throw refused('connect', greeted.refusal, 'the host refused EHLO and HELO');
  return greeted.capabilities;
}

/** Reads the replies still due for pipelined commands, so that the session stays in step. */
async function drain(connection: SmtpConnection, count: number, timeoutMs: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const reply = await connection.read(timeoutMs);
    if (i === count - 1 && reply.code === 354) await connection.command('.', timeoutMs);
  }
}

function refused(phase: DeliveryPhase, reply: SmtpReply, what: string, errorCode?: string): DeliveryError {
  const response = replyLine(reply);
  return new DeliveryError(`${what}: ${response}`, {
    phase,
    replyCode: reply.code,
    enhancedCode: reply.enhanced,
    response,
    ...(errorCode ? { errorCode } : {}),
  });
}

/** Any error of a phase as a DeliveryError: timeouts, closed connections, TLS and socket errors. */
function failure(error: unknown, phase: DeliveryPhase, context?: string): DeliveryError {
  if (error instanceof DeliveryError) return error;
  const code = (error as { code?: string }).code;
  const message = `${context ? `${context}: ` : ''}${error instanceof Error ? error.message : String(error)}`;
  if (error instanceof SmtpTimeoutError)
    return new DeliveryError(`the host did not answer within ${Math.round(error.ms / 1000)} s (${phase})`, { phase, errorCode: 'ETIMEDOUT' });
  if (error instanceof SmtpConnectionError) return new DeliveryError(`${message} (${phase})`, { phase, errorCode: error.code });
  if (code && TLS_ERROR_CODES.test(code)) return new DeliveryError(message, { phase: 'tls', errorCode: code });
  return new DeliveryError(message, { phase, ...(code ? { errorCode: code } : {}) });
}
