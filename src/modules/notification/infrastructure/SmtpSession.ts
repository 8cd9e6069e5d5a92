import {
  authMechanisms,
  authenticate,
  capabilitiesOf,
  dataOf,
  ehloName,
  replyLine,
  SmtpConnection,
  SmtpConnectionError,
  SmtpTimeoutError,
  tlsOptionsFor,
  type SmtpReply,
} from '../../../shared/smtp/SmtpConnection';
import type { SmtpEndpoint } from '../../tenant/domain/MailHostDirectory';
import { DeliveryError, enhancedCodeOf, type DeliveryPhase, type RecipientRefusal } from '../domain/DeliveryError';
import type { DeliveryOptions } from '../domain/DeliveryOptions';
import type { Envelope, TransportResult } from '../domain/MailTransport';

type Timeouts = Pick<DeliveryOptions, 'connectionTimeoutMs' | 'greetingTimeoutMs' | 'socketTimeoutMs'>;

/** Node's certificate and handshake error codes. */
const TLS_ERROR_CODES = /^(ERR_TLS_|ERR_SSL_|DEPTH_ZERO_SELF_SIGNED_CERT$|SELF_SIGNED_CERT_IN_CHAIN$|UNABLE_TO_|CERT_|ERR_OSSL_)/;

/**
 * One logged-in SMTP session to a tenant's host, sending one message at a time. A message is
 * two writes: MAIL FROM, every RCPT TO and DATA together when the host offers PIPELINING
 * (RFC 2920), then the message with its closing dot. Every failure is a DeliveryError naming
 * the phase and what the host answered.
 */
export class SmtpSession {
  private constructor(
    private readonly connection: SmtpConnection,
    private readonly pipelining: boolean,
    private readonly timeoutMs: number,
  ) {}

  /** Connects to the checked address: greeting, EHLO, STARTTLS or implicit TLS, AUTH. */
  static async open(endpoint: SmtpEndpoint, address: string, timeouts: Timeouts, track: (session: SmtpSession) => void): Promise<SmtpSession> {
    const { security } = endpoint;
    const connection = await SmtpConnection.connect(address, endpoint.port, timeouts.connectionTimeoutMs).catch((error: unknown) => {
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
      let capabilities = await hello(connection, timeouts.socketTimeoutMs);
      if (security === 'starttls') {
        phase = 'tls';
        if (!capabilities.includes('STARTTLS')) {
          throw new DeliveryError(`${endpoint.host} does not offer STARTTLS, which mail.security "starttls" requires; nothing was sent`, { phase: 'tls', errorCode: 'ETLS' });
        }
        const reply = await connection.command('STARTTLS', timeouts.socketTimeoutMs);
        if (reply.code !== 220) throw refused('tls', reply, 'the host refused STARTTLS');
        await connection.upgrade(tlsOptionsFor(endpoint.host, endpoint.caCertificate), timeouts.connectionTimeoutMs);
        phase = 'connect';
        capabilities = await hello(connection, timeouts.socketTimeoutMs);
      }
      session = new SmtpSession(connection, capabilities.includes('PIPELINING'), timeouts.socketTimeoutMs);
      track(session);
      // Without an AUTH offer the host relays without a login (nodemailer's rule, kept).
      if (endpoint.username && capabilities.some((line) => /^AUTH[ =]/.test(line))) {
        phase = 'auth';
        const reply = await authenticate(connection, capabilities, endpoint.username, endpoint.password ?? '', timeouts.socketTimeoutMs);
        if (reply === 'no-mechanism') {
          throw new DeliveryError(`the host offers no login by AUTH PLAIN or LOGIN (only ${authMechanisms(capabilities).join(', ')})`, { phase: 'auth', errorCode: 'EAUTH' });
        }
        if (reply.code !== 235) throw refused('auth', reply, 'the host refused the login', 'EAUTH');
      }
      return session;
    } catch (error) {
      connection.close();
      throw failure(error, phase);
    }
  }

  onClose(listener: () => void): void {
    this.connection.onClose(listener);
  }

  /** Sends one message; the session can take the next one when this resolves. */
  async send(envelope: Envelope, raw: Buffer): Promise<TransportResult> {
    const connection = this.connection;
    const timeout = this.timeoutMs;
    let phase: DeliveryPhase = 'mail';
    try {
      const commands = [`MAIL FROM:<${envelope.from}>`, ...envelope.to.map((to) => `RCPT TO:<${to}>`)];
      let mail: SmtpReply;
      if (this.pipelining) {
        connection.write(`${commands.join('\r\n')}\r\nDATA\r\n`);
        mail = await connection.read(timeout);
      } else {
        mail = await connection.command(commands[0]!, timeout);
      }
      if (mail.code !== 250) {
        if (this.pipelining) await drain(connection, envelope.to.length + 1, timeout);
        throw refused('mail', mail, 'the host refused the sender');
      }
      phase = 'rcpt';
      const accepted: string[] = [];
      const rejected: RecipientRefusal[] = [];
      for (let i = 0; i < envelope.to.length; i++) {
        const reply = this.pipelining ? await connection.read(timeout) : await connection.command(commands[i + 1]!, timeout);
        if (reply.code === 250 || reply.code === 251) accepted.push(envelope.to[i]!);
        else rejected.push({ address: envelope.to[i]!, code: reply.code, response: replyLine(reply) });
      }
      phase = 'data';
      let data: SmtpReply | undefined;
      if (this.pipelining) data = await connection.read(timeout);
      else if (accepted.length > 0) data = await connection.command('DATA', timeout);
      if (accepted.length === 0) {
        // Some hosts answer DATA with 354 even after refusing every recipient: end it empty.
        if (data?.code === 354) await connection.command('.', timeout);
        const last = rejected[rejected.length - 1]!;
        throw new DeliveryError(`every recipient was refused (${rejected.map((r) => `${r.address}: ${r.response}`).join('; ')})`, {
          phase: 'rcpt',
          replyCode: last.code,
          enhancedCode: enhancedCodeOf(last.response),
          response: last.response,
          errorCode: 'EENVELOPE',
          rejected,
        });
      }
      if (data!.code !== 354) throw refused('data', data!, 'the host refused DATA');
      connection.write(dataOf(raw));
      const done = await connection.read(timeout);
      if (done.code !== 250) throw refused('data', done, 'the host refused the message');
      return { accepted, rejected, response: replyLine(done) };
    } catch (error) {
      throw failure(error, phase);
    }
  }

  quit(): Promise<void> {
    return this.connection.quit(5_000);
  }

  close(): void {
    this.connection.close();
  }
}

async function hello(connection: SmtpConnection, timeoutMs: number): Promise<string[]> {
  const ehlo = await connection.command(`EHLO ${ehloName()}`, timeoutMs);
  if (ehlo.code === 250) return capabilitiesOf(ehlo);
  // A host from before ESMTP: HELO, and no extensions.
  const helo = await connection.command(`HELO ${ehloName()}`, timeoutMs);
  if (helo.code !== 250) throw refused('connect', helo, 'the host refused EHLO and HELO');
  return [];
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
  return new DeliveryError(`${what}: ${response}`, { phase, replyCode: reply.code, enhancedCode: reply.enhanced, response, ...(errorCode ? { errorCode } : {}) });
}

/** Any error of a phase as a DeliveryError: timeouts, closed connections, TLS and socket errors. */
function failure(error: unknown, phase: DeliveryPhase, context?: string): DeliveryError {
  if (error instanceof DeliveryError) return error;
  const code = (error as { code?: string }).code;
  const message = `${context ? `${context}: ` : ''}${error instanceof Error ? error.message : String(error)}`;
  if (error instanceof SmtpTimeoutError) return new DeliveryError(`the host did not answer within ${Math.round(error.ms / 1000)} s (${phase})`, { phase, errorCode: 'ETIMEDOUT' });
  if (error instanceof SmtpConnectionError) return new DeliveryError(`${message} (${phase})`, { phase, errorCode: error.code });
  if (code && TLS_ERROR_CODES.test(code)) return new DeliveryError(message, { phase: 'tls', errorCode: code });
  return new DeliveryError(message, { phase, ...(code ? { errorCode: code } : {}) });
}
