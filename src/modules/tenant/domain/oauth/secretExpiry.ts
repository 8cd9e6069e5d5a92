import { message, type Message } from '../../../../shared/messages/message';
import type { Tenant } from '../Tenant';

const DAY_MS = 24 * 3600_000;
export const SECRET_WARNING_DAYS = 30;

/** A warning from 30 days before the tenant's own client secret expires (mail.oauth2.clientSecretExpiresAt). */
export function clientSecretWarnings(tenant: Tenant, now: Date): Message[] {
  const oauth2 = tenant.mail.oauth2;
  if (!oauth2?.clientSecretExpiresAt || !oauth2.hasClientSecret) return [];
  const expiresAt = new Date(oauth2.clientSecretExpiresAt);
  const days = Math.ceil((expiresAt.getTime() - now.getTime()) / DAY_MS);
  if (days > SECRET_WARNING_DAYS) return [];
  const date = expiresAt.toISOString().slice(0, 10);
  const clientId = oauth2.clientId ?? '';
  return [
    days > 0
      ? message('oauth2_client_secret_expiring', { expiresAt: date, days, clientId })
      : message('oauth2_client_secret_expired', { expiresAt: date, clientId }),
  ];
}
