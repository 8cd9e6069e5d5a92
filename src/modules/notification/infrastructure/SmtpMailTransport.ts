import { connect, type Socket } from 'node:net';
import { inject, injectable } from 'inversify';
import nodemailer from 'nodemailer';
import type SMTPPool from 'nodemailer/lib/smtp-pool';
import type { Config } from '../../../shared/config/Config';
import { MailHostRefusedError, resolveMailHost, type HostLookup } from '../../../shared/net/hostGuard';
import { CONFIG } from '../../../shared/tokens';
import type { SmtpEndpoint } from '../../tenant/domain/MailHostDirectory';
import { HOST_LOOKUP } from '../../tenant/tokens';
import { DeliveryError, enhancedCodeOf, type DeliveryPhase, type RecipientRefusal } from '../domain/DeliveryError';
import type { DeliveryOptions } from '../domain/DeliveryOptions';
import type { Envelope, MailTransport, TransportResult } from '../domain/MailTransport';
import { DELIVERY_OPTIONS } from '../tokens';

type Transporter = ReturnType<typeof createPoolTransport>;

interface Pool {
  settingsVersion: number;
  transporter: Transporter;
}

function createPoolTransport(options: SMTPPool.Options) {
  return nodemailer.createTransport({ ...options, pool: true });
}

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

/**
 * Sends through nodemailer, one connection pool per tenant and settings version. Every new
 * connection resolves the host through the network guard and connects to the checked address,
 * keeping the host name for TLS, so that DNS rebinding cannot lead past the guard.
 */
@injectable()
export class SmtpMailTransport implements MailTransport {
  private readonly pools = new Map<string, Pool>();

  constructor(
    @inject(CONFIG) private readonly config: Config,
    @inject(DELIVERY_OPTIONS) private readonly options: DeliveryOptions,
    @inject(HOST_LOOKUP) private readonly lookup: HostLookup,
  ) {}

  async send(endpoint: SmtpEndpoint, envelope: Envelope, raw: Buffer): Promise<TransportResult> {
    const transporter = this.poolFor(endpoint);
    try {
      const info = await transporter.sendMail({ envelope: { from: envelope.from, to: [...envelope.to] }, raw });
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
    for (const pool of this.pools.values()) pool.transporter.close();
    this.pools.clear();
  }

  private poolFor(endpoint: SmtpEndpoint): Transporter {
    const existing = this.pools.get(endpoint.tenantId);
    if (existing?.settingsVersion === endpoint.settingsVersion) return existing.transporter;
    existing?.transporter.close();
    const transporter = this.createPool(endpoint);
    this.pools.set(endpoint.tenantId, { settingsVersion: endpoint.settingsVersion, transporter });
    return transporter;
  }

  private createPool(endpoint: SmtpEndpoint): Transporter {
    const { host, port, security } = endpoint;
    const allowPrivate = this.config.smtpAllowPrivateHosts;
    const { connectionTimeoutMs } = this.options;
    const lookup = this.lookup;
    const transporter = createPoolTransport({
      maxConnections: this.options.perTenantConcurrency,
      maxMessages: 100,
      host,
      port,
      secure: security === 'tls',
      requireTLS: security === 'starttls',
      ignoreTLS: security === 'none',
      auth: endpoint.username ? { user: endpoint.username, pass: endpoint.password ?? '' } : undefined,
      tls: { servername: host, minVersion: 'TLSv1.2', ...(endpoint.caCertificate ? { ca: endpoint.caCertificate } : {}) },
      connectionTimeout: connectionTimeoutMs,
      greetingTimeout: this.options.greetingTimeoutMs,
      socketTimeout: this.options.socketTimeoutMs,
      disableFileAccess: true,
      disableUrlAccess: true,
      logger: false,
      getSocket: (_options: unknown, callback: (error: Error | null, socket?: { connection: Socket }) => void) => {
        resolveMailHost(host, { allowPrivate, lookup })
          .then((resolved) => openSocket(resolved.address, port, connectionTimeoutMs))
          .then((connection) => callback(null, { connection }), (error: Error) => callback(error));
      },
    } as SMTPPool.Options);
    transporter.on('error', () => undefined);
    return transporter;
  }
}

function openSocket(address: string, port: number, timeoutMs: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: address, port });
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
