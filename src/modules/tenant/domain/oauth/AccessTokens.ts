import type { Message, MessageCode } from '../../../../shared/messages/message';
import type { SmtpEndpoint } from '../MailHostDirectory';

/** SMTP (`https://outlook.office365.com/.default`, Gmail) or Microsoft Graph. */
export type TokenAudience = 'smtp' | 'graph';

/** A bearer token for one mailbox; lives in memory only. */
export interface AccessToken {
  value: string;
  /** Milliseconds since the epoch. */
  expiresAt: number;
}

/** The identity provider refused or failed; `detail` says in plain words (and as code and params) which setting to fix. */
export class TokenError extends Error {
  constructor(
    readonly detail: Message,
    /** A network problem or a provider outage: try again later; otherwise the tenant must fix a setting. */
    readonly temporary: boolean,
    /** The provider refused this one mailbox (unknown or suspended user), not the tenant's login. */
    readonly senderRefused = false,
  ) {
    super(detail.message);
    this.name = 'TokenError';
  }

  /** The stable code of the refusal, e.g. `oauth2_client_secret_refused`. */
  get code(): MessageCode {
    return this.detail.code;
  }
}

/**
 * Tokens of a tenant's OAuth 2.0 login, per (tenant, sender mailbox): cached until shortly before
 * they expire, one request at a time. Never logged, stored or returned.
 */
export interface AccessTokens {
  /** A live token to act as `mailbox`; throws a TokenError when the provider refuses. */
  get(endpoint: SmtpEndpoint, mailbox: string, audience: TokenAudience): Promise<AccessToken>;
  /** Whether `token` is still outside its renewal window (a session logged in with it may go on). */
  fresh(token: AccessToken): boolean;
  /** Forgets `token` (the host refused it) so that the next `get` requests a new one. */
  drop(endpoint: SmtpEndpoint, mailbox: string, audience: TokenAudience, token: AccessToken): void;
}
