import { DeliveryError } from '../domain/DeliveryError';
import type { Envelope, TransportResult } from '../domain/MailTransport';
import type { HostConnections, HostSlot } from './HostConnections';
import type { IdleEntry, PooledSession } from './PooledSession';
import type { SmtpSession } from './SmtpSession';

/** Messages per connection before it is renewed (some hosts limit a session). */
const MESSAGES_PER_CONNECTION = 100;
/** An idle connection is closed well before hosts typically drop it. */
const IDLE_CLOSE_MS = 10_000;

/**
 * One tenant's connections at one settings version. Sessions are opened on demand up to `size`;
 * once all are open, a message queues on the least busy one that pipelines, up to `depth` per
 * session, so that its envelope can go out with the previous message's data. The first session
 * may be opened ahead of the first send (openAhead), while other tenants' mail is on the wire.
 *
 * Before opening a connection, the pool takes over an idle session of another tenant's pool at
 * the host whose connection is identical (`identity`): only idle ones, so that no message waits
 * behind another tenant's on a session; the session keeps its message count and host slot.
 */
export class SessionPool {
  private readonly sessions: PooledSession[] = [];
  private readonly waiting: Array<(session: PooledSession | Error) => void> = [];
  private connecting = 0;
  /** Sessions being opened ahead of a send: a send waits for them instead of opening its own. */
  private openingAhead = 0;
  /** An opening ahead failed: none again before a send has opened a session itself. */
  private aheadFailed = false;
  private closed = false;
  /** Every session of this pool, connecting, busy or idle: closing the pool ends them all. */
  private readonly live = new Set<SmtpSession>();

  constructor(
    readonly settingsVersion: number,
    private readonly size: number,
    private readonly depth: number,
    private readonly host: HostConnections<IdleEntry>,
    /** Sessions of pools with the same identity are interchangeable; undefined: never shared (OAuth 2.0). */
    private readonly identity: string | undefined,
    private readonly openSession: (track: (session: SmtpSession) => void) => Promise<SmtpSession>,
  ) {}

  async send(envelope: Envelope, raw: Buffer): Promise<TransportResult> {
    const pooled = await this.acquire();
    const reused = pooled.messages > 1 || pooled.waitedIdle;
    try {
      return await this.sendOn(pooled, envelope, raw);
    } catch (error) {
      // The connection ended before MAIL FROM was answered (a host that dropped an idle
      // session, or one that failed the message before): nothing of this message went out, so
      // it may go once more over a fresh session.
      if (reused && error instanceof DeliveryError && error.details.phase === 'mail' && error.details.replyCode === undefined) {
        return this.sendOn(await this.acquire(true), envelope, raw);
      }
      throw error;
    }
  }

  /** Queues the message on a taken session and gives the session back with the outcome. */
  private async sendOn(pooled: PooledSession, envelope: Envelope, raw: Buffer): Promise<TransportResult> {
    pooled.pending--;
    try {
      const result = await pooled.session.send(envelope, raw);
      this.release(pooled, true);
      return result;
    } catch (error) {
      this.release(pooled, false);
      throw error;
    }
  }

  /** Nothing open, opening or waiting: the pool can be dropped without ending anything. */
  get empty(): boolean {
    return this.sessions.length === 0 && this.connecting === 0 && this.waiting.length === 0 && this.live.size === 0;
  }

  /**
   * Opens the pool's first session before its first send when the host has room now, so that the
   * send finds it ready. Does nothing when a session is open or opening, or the host is full.
   */
  openAhead(): void {
    if (this.closed || this.aheadFailed || this.sessions.length + this.connecting > 0) return;
    // The send will take that one over.
    if (this.identity !== undefined && this.host.hasIdle(this.identity)) return;
    const room = this.host.acquireAhead();
    if (!room) return;
    this.openingAhead++;
    this.connect(room).then(
      (pooled) => {
        this.openingAhead--;
        this.release(pooled, true);
      },
      (error: Error) => {
        this.openingAhead--;
        this.aheadFailed = true;
        // A send that waited for this connection fails as if it had opened it itself; later ones open their own.
        if (this.openingAhead < this.waiting.length) this.waiting.shift()!(error);
        this.handOver();
      },
    );
  }

  close(): void {
    this.closed = true;
    for (const waiter of this.waiting.splice(0)) waiter(new Error('the connection pool was closed'));
    for (const pooled of this.sessions.splice(0)) {
      clearTimeout(pooled.idleTimer);
      pooled.closed = true;
      // Closing: no longer idle at the host, so that no other pool takes it over.
      pooled.slot.busy();
    }
    for (const session of this.live) session.close();
    this.live.clear();
  }

  private acquire(fresh = false): Promise<PooledSession> {
    if (this.closed) return Promise.reject(new Error('the connection pool was closed'));
    if (!fresh) {
      const pooled = this.pick() ?? this.takeOver();
      if (pooled) return Promise.resolve(this.take(pooled));
    }
    const aheadFree = this.openingAhead > this.waiting.length;
    if (fresh || (!aheadFree && this.sessions.length + this.connecting < this.size)) {
      return this.connect(undefined, fresh).then((pooled) => {
        this.aheadFailed = false;
        return this.take(pooled);
      });
    }
    return new Promise((resolve, reject) => this.waiting.push((pooled) => (pooled instanceof Error ? reject(pooled) : resolve(this.take(pooled)))));
  }

  /** An idle session; else, once no more may be opened, the least busy one with room in its pipeline. */
  private pick(): PooledSession | undefined {
    let best: PooledSession | undefined;
    for (const pooled of this.sessions) {
      if (!pooled.retiring && pooled.session.loginStale) this.retire(pooled);
      if (pooled.retiring) continue;
      const queued = pooled.session.queued + pooled.pending;
      if (queued === 0) return pooled;
      if (pooled.session.pipelining && queued < this.depth && (!best || queued < best.session.queued + best.pending)) best = pooled;
    }
    return this.sessions.length + this.connecting < this.size ? undefined : best;
  }

  /** A session logged in with a token about to expire takes no more messages; idle, it closes and makes room. */
  private retire(pooled: PooledSession): void {
    pooled.retiring = true;
    if (pooled.session.queued + pooled.pending === 0) setImmediate(() => this.discard(pooled));
  }

  /** While the pool may open another session: an idle one of another pool with the same identity, made this pool's. */
  private takeOver(): PooledSession | undefined {
    if (this.identity === undefined || this.sessions.length + this.connecting >= this.size) return undefined;
    const idle = this.host.takeOver(this.identity);
    return idle && this.adopt(idle.leave());
  }

  private adopt(pooled: PooledSession): PooledSession {
    pooled.waitedIdle = true;
    pooled.onClosed = () => this.closedUnder(pooled);
    this.sessions.push(pooled);
    this.live.add(pooled.session);
    return pooled;
  }

  /** Gives an idle session to another pool: its idle timer and its place here go. */
  private leave(pooled: PooledSession): PooledSession {
    this.remove(pooled);
    this.live.delete(pooled.session);
    return pooled;
  }

  private take(pooled: PooledSession): PooledSession {
    clearTimeout(pooled.idleTimer);
    pooled.slot.busy();
    pooled.messages++;
    pooled.pending++;
    if (pooled.messages >= MESSAGES_PER_CONNECTION) pooled.retiring = true;
    return pooled;
  }

  /**
   * A new session in a slot of the host's (`room`: one taken ahead of a send); or, unless `fresh`,
   * one of the same identity that goes idle while this waits at a full host, taken over.
   */
  private async connect(room?: Promise<HostSlot<IdleEntry>>, fresh = false): Promise<PooledSession> {
    this.connecting++;
    try {
      let adopted: PooledSession | undefined;
      const take = (idle: IdleEntry): boolean => {
        if (this.closed) return false;
        adopted = this.adopt(idle.leave());
        return true;
      };
      const slot = await (room ?? (fresh || this.identity === undefined ? this.host.acquire() : this.host.acquireOrTakeOver(this.identity, take)));
      if (!slot) return adopted!;
      if (this.closed) {
        slot.release();
        throw new Error('the connection pool was closed');
      }
      let session: SmtpSession;
      try {
        session = await this.openSession((opened) => {
          this.live.add(opened);
          opened.onClose(() => this.live.delete(opened));
          if (this.closed) opened.close();
        });
      } catch (error) {
        slot.release();
        throw error;
      }
      const pooled: PooledSession = {
        session,
        slot,
        messages: 0,
        waitedIdle: room !== undefined,
        pending: 0,
        retiring: false,
        closed: false,
        onClosed: () => this.closedUnder(pooled),
      };
      this.sessions.push(pooled);
      // The host's room first, so that a waiter of this pool that forget() hands over can take it.
      session.onClose(() => {
        slot.release();
        pooled.onClosed();
      });
      return pooled;
    } finally {
      this.connecting--;
    }
  }

  /** After each message: a failed session retires; a session with room serves the next waiter. */
  private release(pooled: PooledSession, ok: boolean): void {
    if (!ok) pooled.retiring = true;
    if (pooled.closed || this.closed) return;
    const busy = pooled.session.queued + pooled.pending > 0;
    if (pooled.retiring) {
      if (!busy) this.discard(pooled);
    } else if (!busy && this.waiting.length === 0) {
      pooled.idleTimer = setTimeout(() => this.discard(pooled), IDLE_CLOSE_MS);
      pooled.idleTimer.unref();
      pooled.slot.idle({ identity: this.identity, close: () => this.discard(pooled), leave: () => this.leave(pooled) }, pooled.messages === 0);
    }
    this.handOver();
  }

  /** Waiters get a session with room, or a new one where a slot is free. */
  private handOver(): void {
    while (!this.closed && this.waiting.length > 0) {
      const pooled = this.pick() ?? this.takeOver();
      if (pooled) {
        this.waiting.shift()!(pooled);
        continue;
      }
      if (this.sessions.length + this.connecting >= this.size || this.openingAhead >= this.waiting.length) return;
      const waiter = this.waiting.shift()!;
      this.connect().then(waiter, (error: Error) => waiter(error));
    }
  }

  /** The connection of a session this pool holds closed. */
  private closedUnder(pooled: PooledSession): void {
    this.live.delete(pooled.session);
    this.forget(pooled);
  }

  private forget(pooled: PooledSession): void {
    if (pooled.closed) return;
    pooled.closed = true;
    pooled.slot.busy();
    this.remove(pooled);
    // The sends queued on it report the failure themselves.
    this.handOver();
  }

  /** The session is no longer this pool's: its idle timer and its place in the list go. */
  private remove(pooled: PooledSession): void {
    clearTimeout(pooled.idleTimer);
    const index = this.sessions.indexOf(pooled);
    if (index >= 0) this.sessions.splice(index, 1);
  }

  private discard(pooled: PooledSession): void {
    this.forget(pooled);
    void pooled.session.quit();
  }
}
