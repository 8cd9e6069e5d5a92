import { inject, injectable } from 'inversify';
import type { Config } from '../../../shared/config/Config';
import { MailHostRefusedError, resolveMailHost, type HostLookup } from '../../../shared/net/hostGuard';
import { CONFIG } from '../../../shared/tokens';
import { hostKey, type SmtpEndpoint } from '../../tenant/domain/MailHostDirectory';
import type { AccessTokens } from '../../tenant/domain/oauth/AccessTokens';
import { ACCESS_TOKENS, HOST_LOOKUP } from '../../tenant/tokens';
import { DeliveryError } from '../domain/DeliveryError';
import type { DeliveryOptions } from '../domain/DeliveryOptions';
import type { Envelope, MailTransport, TransportResult } from '../domain/MailTransport';
import { DELIVERY_OPTIONS } from '../tokens';
import { connectionIdentity } from './connectionIdentity';
import { HostConnections } from './HostConnections';
import { xoauth2Login } from './oauth/xoauth2Login';
import type { IdleEntry } from './PooledSession';
import { SessionPool } from './SessionPool';
import { SmtpSession } from './SmtpSession';

/**
 * Sends over pooled SMTP sessions, one pool per tenant and settings version. Tenants whose
 * connections are identical (connectionIdentity: the hosted preset's tenants all log in as the
 * hosted mailbox) pass idle sessions between their pools instead of each opening its own. Every new
 * connection resolves the host through the network guard and connects to the checked address,
 * keeping the host name for TLS, so that DNS rebinding cannot lead past the guard.
 */
@injectable()
export class SmtpMailTransport implements MailTransport {
  private readonly pools = new Map<string, SessionPool>();
  /** Per host:port, over all tenants' pools. */
  private readonly hosts = new Map<string, HostConnections<IdleEntry>>();

  constructor(
    @inject(CONFIG) private readonly config: Config,
    @inject(DELIVERY_OPTIONS) private readonly options: DeliveryOptions,
    @inject(HOST_LOOKUP) private readonly lookup: HostLookup,
    @inject(ACCESS_TOKENS) private readonly tokens: AccessTokens,
  ) {}

  send(endpoint: SmtpEndpoint, envelope: Envelope, raw: Buffer): Promise<TransportResult> {
    return this.poolFor(endpoint, envelope.from).send(envelope, raw);
  }

  /** OAuth 2.0 logins are left to the send: their token is fetched for a message that goes. */
  prepare(endpoint: SmtpEndpoint): void {
    if (!endpoint.oauth2) this.poolFor(endpoint, '').openAhead();
  }

  async close(): Promise<void> {
    for (const pool of this.pools.values()) pool.close();
    this.pools.clear();
  }

  /** An OAuth 2.0 login authenticates as the sender's mailbox: its sessions are per (tenant, sender). */
  private poolFor(endpoint: SmtpEndpoint, sender: string): SessionPool {
    const mailbox = endpoint.oauth2 ? sender.toLowerCase() : undefined;
    const key = mailbox === undefined ? endpoint.tenantId : `${endpoint.tenantId}\n${mailbox}`;
    const existing = this.pools.get(key);
    if (existing?.settingsVersion === endpoint.settingsVersion) return existing;
    existing?.close();
    // Pools per sender come and go with the authors: the empty ones are dropped as new ones come.
    if (mailbox !== undefined) for (const [other, pool] of this.pools) if (pool.empty) this.pools.delete(other);
    const { perTenantConcurrency, pipelineDepth } = this.options;
    const pool = new SessionPool(endpoint.settingsVersion, perTenantConcurrency, pipelineDepth, this.hostFor(endpoint), connectionIdentity(endpoint), (track) =>
      this.openSession(endpoint, track, mailbox),
    );
    this.pools.set(key, pool);
    return pool;
  }

  private hostFor(endpoint: SmtpEndpoint): HostConnections<IdleEntry> {
    const key = hostKey(endpoint);
    let host = this.hosts.get(key);
    if (!host) this.hosts.set(key, (host = new HostConnections<IdleEntry>(this.options.perHostConnections)));
    return host;
  }

  private async openSession(endpoint: SmtpEndpoint, track: (session: SmtpSession) => void, mailbox: string | undefined): Promise<SmtpSession> {
    let address: string;
    try {
      address = (await resolveMailHost(endpoint.host, { allowPrivate: this.config.smtpAllowPrivateHosts, lookup: this.lookup })).address;
    } catch (error) {
      if (error instanceof MailHostRefusedError)
        throw new DeliveryError(error.message, { phase: 'guard', permanent: error.reason === 'non-public', detail: error.detail });
      throw error;
    }
    return SmtpSession.open(endpoint, address, this.options, track, mailbox === undefined ? undefined : xoauth2Login(this.tokens, endpoint, mailbox));
  }
}
