import type { Tenant } from '../Tenant';

export interface HealthWarning {
  code: string;
  params: Record<string, string | number | string[]>;
  message: string;
}

const DAY_MS = 24 * 3600_000;
export const SECRET_WARNING_DAYS = 30;

/** A warning from 30 days before the tenant's own client secret expires (mail.oauth2.clientSecretExpiresAt). */
export function clientSecretWarnings(tenant: Tenant, now: Date): HealthWarning[] {
  const oauth2 = tenant.mail.oauth2;
  if (!oauth2?.clientSecretExpiresAt || !oauth2.hasClientSecret) return [];
  const expiresAt = new Date(oauth2.clientSecretExpiresAt);
  const days = Math.ceil((expiresAt.getTime() - now.getTime()) / DAY_MS);
  if (days > SECRET_WARNING_DAYS) return [];
  const date = expiresAt.toISOString().slice(0, 10);
  const fix = `create a new client secret for app ${oauth2.clientId ?? ''} in Entra ID (Certificates & secrets) and set mail.oauth2.clientSecret and mail.oauth2.clientSecretExpiresAt`;
  return [
    {
      code: days > 0 ? 'oauth2_client_secret_expiring' : 'oauth2_client_secret_expired',
      params: { expiresAt: date, days: Math.max(days, 0) },
      message: days > 0 ? `the client secret of mail.oauth2 expires on ${date} (in ${days} days): ${fix}` : `the client secret of mail.oauth2 expired on ${date}: ${fix}`,
    },
  ];
}
