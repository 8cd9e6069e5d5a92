import { inject, injectable } from 'inversify';
import type { Config } from '../../../../shared/config/Config';
import { guardedRequest } from '../../../../shared/net/guardedRequest';
import type { HostLookup } from '../../../../shared/net/hostGuard';
import type { Clock } from '../../../../shared/time/Clock';
import { CLOCK, CONFIG } from '../../../../shared/tokens';
import type { SmtpEndpoint } from '../../domain/MailHostDirectory';
import type { AccessToken, AccessTokens, TokenAudience } from '../../domain/oauth/AccessTokens';
import { HOST_LOOKUP } from '../../tokens';
import { requestToken, type Send } from './requestToken';

/** A token is renewed this long before it expires, so that no host sees it expire mid-session. */
export const RENEW_BEFORE_MS = 5 * 60_000;

/**
 * Tokens per (tenant, settings version, audience, sender mailbox), in memory only. Concurrent
 * callers for the same key share one request; a failed request is not cached.
 */
@injectable()
export class CachedAccessTokens implements AccessTokens {
  private readonly tokens = new Map<string, AccessToken>();
  private readonly requests = new Map<string, Promise<AccessToken>>();
  private readonly send: Send;

  constructor(
    @inject(CONFIG) private readonly config: Config,
    @inject(CLOCK) private readonly clock: Clock,
    @inject(HOST_LOOKUP) lookup: HostLookup,
  ) {
    this.send = (request) => guardedRequest({ ...request, allowPrivate: config.smtpAllowPrivateHosts, lookup });
  }

  get(endpoint: SmtpEndpoint, mailbox: string, audience: TokenAudience): Promise<AccessToken> {
    const key = keyOf(endpoint, mailbox, audience);
    const cached = this.tokens.get(key);
    if (cached && this.fresh(cached)) return Promise.resolve(cached);
    const pending = this.requests.get(key);
    if (pending) return pending;
    if (!endpoint.oauth2) return Promise.reject(new Error(`tenant ${endpoint.tenantId} has no OAuth 2.0 login`));
    const request = requestToken(endpoint.oauth2, mailbox, audience, this.config.oauth, this.send, this.clock.now().getTime())
      .then((token) => {
        this.tokens.set(key, token);
        return token;
      })
      .finally(() => this.requests.delete(key));
    this.requests.set(key, request);
    return request;
  }

  fresh(token: AccessToken): boolean {
    return token.expiresAt - RENEW_BEFORE_MS > this.clock.now().getTime();
  }

  drop(endpoint: SmtpEndpoint, mailbox: string, audience: TokenAudience, token: AccessToken): void {
    const key = keyOf(endpoint, mailbox, audience);
    if (this.tokens.get(key)?.value === token.value) this.tokens.delete(key);
  }
}

function keyOf(endpoint: SmtpEndpoint, mailbox: string, audience: TokenAudience): string {
  return `${endpoint.tenantId}\n${endpoint.settingsVersion}\n${audience}\n${mailbox.toLowerCase()}`;
}
