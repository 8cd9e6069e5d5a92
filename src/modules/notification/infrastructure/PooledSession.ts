import type { IdleSession, HostSlot } from './HostConnections';
import type { SmtpSession } from './SmtpSession';

/** A session as a tenant's pool holds it. Idle, it may pass to another tenant's pool with all of this. */
export interface PooledSession {
  session: SmtpSession;
  /** Its place among the connections to the host; given back when the connection closes. */
  slot: HostSlot<IdleEntry>;
  /** Messages given to this session so far, by every pool it served. */
  messages: number;
  /** It has waited idle since it opened (opened ahead, or in another tenant's pool): the host may have dropped it. */
  waitedIdle: boolean;
  /** Taken from the pool but not yet queued on the session. */
  pending: number;
  idleTimer?: NodeJS.Timeout;
  /** Takes no more messages: renewed, failed or closed; quits once its queue is empty. */
  retiring: boolean;
  closed: boolean;
  /** Told by the connection's close: the pool that holds the session now forgets it. */
  onClosed: () => void;
}

/** What an idle session leaves with its host: how to close it for room, and how another pool takes it. */
export interface IdleEntry extends IdleSession {
  /** Leaves its pool (its idle timer and its place there) for the caller's. */
  leave(): PooledSession;
}
