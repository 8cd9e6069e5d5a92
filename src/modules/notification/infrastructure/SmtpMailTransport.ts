import { inject, injectable } from 'inversify';
import type { Config } from '../../../shared/config/Config';
import { MailHostRefusedError, resolveMailHost, type HostLookup } from '../../../shared/net/hostGuard';
import { CONFIG } from '../../../shared/tokens';
import type { SmtpEndpoint } from '../../tenant/domain/MailHostDirectory';
import { HOST_LOOKUP } from '../../tenant/tokens';
import { DeliveryError } from '../domain/DeliveryError';
import type { DeliveryOptions } from '../domain/DeliveryOptions';
import type { Envelope, MailTransport, TransportResult } from '../domain/MailTransport';
import { DELIVERY_OPTIONS } from '../tokens';
import { SmtpSession } from './SmtpSession';

/** Messages per connection before it is renewed (some hosts limit a session). */
const MESSAGES_PER_CONNECTION = 100;
/** An idle connection is closed well before hosts typically drop it. */
const IDLE_CLOSE_MS = 10_000;

interface PooledSession {
  session: SmtpSession;
  messages: number;
  idleTimer?: NodeJS.Timeout;
  closed: boolean;
}

/**
 * One tenant's connections at one settings version. Sessions are opened on demand up to `size`,
 * kept open between messages, and used by one message at a time.
 */
class SessionPool {
  private readonly idle: PooledSession[] = [];
  private readonly waiting: Array<(session: PooledSession | Error) => void> = [];
  private open = 0;
  private closed = false;
  /** Every session of this pool, connecting, busy or idle: closing the pool ends them all. */
  private readonly live = new Set<SmtpSession>();

  constructor(
    readonly settingsVersion: number,
    private readonly size: number,
    private readonly openSession: (track: (session: SmtpSession) => void) => Promise<SmtpSession>,
  ) {}

  async send(envelope: Envelope, raw: Buffer): Promise<TransportResult> {
    const pooled = await this.acquire();
    const reused = pooled.messages > 0;
    try {
      const result = await pooled.session.send(envelope, raw);
      this.release(pooled, true);
      return result;
    } catch (error) {
      this.release(pooled, false);
      // A host that dropped an idle session: the connection ended before MAIL FROM was
      // answered, so nothing of this message went out and it may go once more over a fresh one.
      if (reused && error instanceof DeliveryError && error.details.phase === 'mail' && error.details.replyCode === undefined) {
        const fresh = await this.acquire(true);
        try {
          const result = await fresh.session.send(envelope, raw);
          this.release(fresh, true);
          return result;
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
    for (const pooled of this.idle.splice(0)) this.discard(pooled);
    for (const waiter of this.waiting.splice(0)) waiter(new Error('the connection pool was closed'));
    for (const session of this.live) session.close();
    this.live.clear();
  }

  private acquire(fresh = false): Promise<PooledSession> {
    if (this.closed) return Promise.reject(new Error('the connection pool was closed'));
    if (!fresh) {
      const pooled = this.idle.pop();
      if (pooled) {
        clearTimeout(pooled.idleTimer);
        return Promise.resolve(pooled);
      }
    }
    if (this.open < this.size || fresh) return this.connect();
    return new Promise((resolve, reject) => this.waiting.push((pooled) => (pooled instanceof Error ? reject(pooled) : resolve(pooled))));
  }

  private async connect(): Promise<PooledSession> {
    this.open++;
    try {
      const session = await this.openSession((opened) => {
        this.live.add(opened);
        opened.onClose(() => this.live.delete(opened));
        if (this.closed) opened.close();
      });
      const pooled: PooledSession = { session, messages: 0, closed: false };
      session.onClose(() => this.forget(pooled));
      return pooled;
    } catch (error) {
      this.open--;
      this.handOver();
      throw error;
    }
  }

  private release(pooled: PooledSession, ok: boolean): void {
    pooled.messages++;
    if (!ok || pooled.closed || this.closed || pooled.messages >= MESSAGES_PER_CONNECTION) {
      this.discard(pooled);
      this.handOver();
      return;
    }
    const waiter = this.waiting.shift();
    if (waiter) return waiter(pooled);
    pooled.idleTimer = setTimeout(() => {
      const index = this.idle.indexOf(pooled);
      if (index >= 0) this.idle.splice(index, 1);
      this.discard(pooled);
    }, IDLE_CLOSE_MS);
    pooled.idleTimer.unref();
    this.idle.push(pooled);
  }

  /** A freed slot goes to the next waiter as a new session. */
  private handOver(): void {
    if (this.closed || this.waiting.length === 0 || this.open >= this.size) return;
    const waiter = this.waiting.shift()!;
    this.connect().then(waiter, (error: Error) => waiter(error));
  }

  private forget(pooled: PooledSession): void {
    if (pooled.closed) return;
    const index = this.idle.indexOf(pooled);
    if (index >= 0) {
      this.idle.splice(index, 1);
      this.discard(pooled);
      this.handOver();
    } else {
      // In use: the send in progress reports the failure and releases it.
      pooled.closed = true;
      this.open--;
    }
  }

  private discard(pooled: PooledSession): void {
    clearTimeout(pooled.idleTimer);
    if (!pooled.closed) {
      pooled.closed = true;
      this.open--;
    }
    void pooled.session.quit();
  }
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

  send(endpoint: SmtpEndpoint, envelope: Envelope, raw: Buffer): Promise<TransportResult> {
    return this.poolFor(endpoint).send(envelope, raw);
  }

  async close(): Promise<void> {
    for (const pool of this.pools.values()) pool.close();
    this.pools.clear();
  }

  private poolFor(endpoint: SmtpEndpoint): SessionPool {
    const existing = this.pools.get(endpoint.tenantId);
    if (existing?.settingsVersion === endpoint.settingsVersion) return existing;
    existing?.close();
    const pool = new SessionPool(endpoint.settingsVersion, this.options.perTenantConcurrency, (track) => this.openSession(endpoint, track));
    this.pools.set(endpoint.tenantId, pool);
    return pool;
  }

  private async openSession(endpoint: SmtpEndpoint, track: (session: SmtpSession) => void): Promise<SmtpSession> {
    let address: string;
    try {
      address = (await resolveMailHost(endpoint.host, { allowPrivate: this.config.smtpAllowPrivateHosts, lookup: this.lookup })).address;
    } catch (error) {
      if (error instanceof MailHostRefusedError) throw new DeliveryError(error.message, { phase: 'guard', permanent: error.reason === 'non-public' });
      throw error;
    }
    return SmtpSession.open(endpoint, address, this.options, track);
  }
}
