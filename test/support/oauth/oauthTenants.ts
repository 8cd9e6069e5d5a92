import type { FakeIdentityProvider, FakeServiceAccount } from './FakeIdentityProvider';

export const DIRECTORY = '7b1f3c2e-0d4a-4c1b-9a55-2f6e8d9c0a11';
export const OWN_APP = '11111111-2222-4333-8444-555555555555';
export const OPERATOR_APP = '99999999-8888-4777-8666-555555555555';
export const CANARY_CLIENT_SECRET = 'Canary~ClientSecret.8f2b7c1d-Zürich';
export const OPERATOR_SECRET = 'Operator~Secret.0a9b8c7d6e';

/** The environment that points the service at the fakes; the operator's apps only when given. */
export function oauthEnv(idp: FakeIdentityProvider, operator: { microsoft?: boolean; google?: FakeServiceAccount } = {}): Record<string, string> {
  return {
    MICROSOFT_LOGIN_URL: idp.url,
    MICROSOFT_GRAPH_URL: idp.url,
    GOOGLE_TOKEN_URL: idp.googleTokenUrl,
    ...(operator.microsoft ? { MICROSOFT_CLIENT_ID: OPERATOR_APP, MICROSOFT_CLIENT_SECRET: OPERATOR_SECRET } : {}),
    ...(operator.google ? { GOOGLE_SERVICE_ACCOUNT_JSON: operator.google.json() } : {}),
  };
}

/** A microsoft365 tenant whose "Exchange" is the local fake host; its own app unless `oauth2` says otherwise. */
export function microsoftTenant(port: number, oauth2: Record<string, unknown> = {}, mail: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'Kunde AG',
    alertSender: { address: 'kos@kunde.ch', name: 'KOS Kunde AG' },
    mail: {
      preset: 'microsoft365',
      host: '127.0.0.1',
      port,
      security: 'none',
      allowedSenders: ['*@kunde.ch'],
      oauth2: { directoryId: DIRECTORY, clientId: OWN_APP, clientSecret: CANARY_CLIENT_SECRET, ...oauth2 },
      ...mail,
    },
  };
}

/** A google-workspace tenant on the local fake host, with its own service account unless `oauth2` is given. */
export function googleTenant(port: number, oauth2?: Record<string, unknown>): Record<string, unknown> {
  return {
    name: 'Kunde AG',
    alertSender: { address: 'kos@kunde.ch' },
    mail: { preset: 'google-workspace', host: '127.0.0.1', port, security: 'none', allowedSenders: ['*@kunde.ch'], ...(oauth2 ? { oauth2 } : {}) },
  };
}
