// Types only and no imports: the console (compiled on its own for the browser) imports them too.

/** How a Microsoft 365 tenant's mail leaves: SMTP with XOAUTH2, or Graph's sendMail. */
export type MailTransportKind = 'smtp' | 'graph';

/** `mail.oauth2` as the tenant wrote it, the secret (client secret, private key) left out. */
export interface OAuth2Input {
  /** microsoft365: the customer's Entra tenant, a GUID or its primary domain. */
  directoryId?: string;
  /** microsoft365: the customer's own app registration; omitted = the operator's app. */
  clientId?: string;
  /** microsoft365: when the client secret expires (YYYY-MM-DD or an ISO instant), for the health warning. */
  clientSecretExpiresAt?: string;
  /** google-workspace: the customer's own service account; omitted = the operator's. */
  serviceAccount?: { clientEmail: string };
}

/** `mail.oauth2` as a read shows it: never a secret, only whether one is stored. */
export interface OAuth2View {
  directoryId?: string;
  clientId?: string;
  hasClientSecret?: boolean;
  clientSecretExpiresAt?: string;
  /** The operator's app: the link the customer's administrator opens once to consent. */
  consentUrl?: string;
  serviceAccount?: { clientEmail: string };
  hasPrivateKey?: boolean;
  /** The operator's service account: the client id the administrator authorises for domain-wide delegation. */
  delegationClientId?: string;
}
