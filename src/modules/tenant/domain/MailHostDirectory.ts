import type { OAuth2Credentials } from './oauth/OAuth2Settings';
import type { MailTransportKind } from './oauth/OAuth2Shapes';
import type { SmtpSecurity } from './Tenant';
import type { Message } from '../../../shared/messages/message';

/** Everything needed to open an SMTP session to a tenant's host, the password decrypted. */
export interface SmtpEndpoint {
  tenantId: string;
  host: string;
  port: number;
  security: SmtpSecurity;
  username?: string;
  password?: string;
  /** PEM of the CA the tenant pins for a self-signed host. */
  caCertificate?: string;
  /** Messages per minute the host accepts; undefined for no limit. */
  maxPerMinute?: number;
  /** Set for the operator's hosted mailbox: messages per minute it accepts from all hosted tenants together. */
  hostedMaxPerMinute?: number;
  settingsVersion: number;
  /** microsoft365 and google-workspace: log in with a token for the sender's mailbox instead of a password. */
  oauth2?: OAuth2Credentials;
  /** `graph`: send through Microsoft Graph; default SMTP. */
  transport?: MailTransportKind;
}

/**
 * The host an endpoint sends to, as one key for every tenant that shares it: the dispatcher's
 * sends per host and the transport's connections per host count by it.
 */
export function hostKey(endpoint: Pick<SmtpEndpoint, 'host' | 'port'>): string {
  return `${endpoint.host.toLowerCase()}:${endpoint.port}`;
}

/** How the delivery engine reaches each tenant's mail host. */
export interface MailHostDirectory {
  /** The effective endpoint of the tenant's host, or undefined when the tenant does not exist. */
  endpointFor(tenantId: string): Promise<SmtpEndpoint | undefined>;
  /** The endpoints of those of the tenants that exist, by id, in one read; fails when any one cannot be read. */
  endpointsFor(tenantIds: string[]): Promise<Map<string, SmtpEndpoint>>;
  /**
   * Parks the tenant's queue after its host refused the login. A no-op when the settings have
   * changed since `settingsVersion` (the fix may already be in).
   */
  park(tenantId: string, settingsVersion: number, reason: Message): Promise<void>;
  /** Records that a verify of the settings of `settingsVersion` passed every step. */
  markVerified(tenantId: string, settingsVersion: number): Promise<void>;
}
