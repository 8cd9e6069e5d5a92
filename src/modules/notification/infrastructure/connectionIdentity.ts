import { hash } from 'node:crypto';
import type { SmtpEndpoint } from '../../tenant/domain/MailHostDirectory';

/**
 * What makes two tenants' SMTP connections interchangeable, so that an idle session of one may
 * serve the other: the same host, port, security, login and pinned CA. A digest, so that no
 * password is a map key or reaches a log. Undefined for OAuth 2.0 logins (a session per sender
 * mailbox) and Graph, which are never shared.
 */
export function connectionIdentity(endpoint: SmtpEndpoint): string | undefined {
  if (endpoint.oauth2 || endpoint.transport === 'graph') return undefined;
  const { host, port, security, username, password, caCertificate } = endpoint;
  return hash('sha256', JSON.stringify(['smtp', host.toLowerCase(), port, security, username ?? null, password ?? null, caCertificate ?? null]));
}
