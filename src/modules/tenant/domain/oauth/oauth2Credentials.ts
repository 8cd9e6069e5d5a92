import type { OAuthConfig } from '../../../../shared/config/oauthConfig';
import type { EncryptedSecret, StoredTenant } from '../TenantSettings';
import type { OAuth2Credentials } from './OAuth2Settings';

/** The credentials a token is requested with: the tenant's own app or account, else the operator's; none when neither is there. */
export function oauth2CredentialsOf(stored: StoredTenant, oauth: OAuthConfig, decrypt: (secret: EncryptedSecret) => string): { oauth2?: OAuth2Credentials } {
  const { preset, oauth2: input } = stored.settings.mail;
  if (preset === 'microsoft365' && input?.directoryId) {
    if (input.clientId && stored.oauth2Secret) {
      return { oauth2: { provider: 'microsoft', directoryId: input.directoryId, clientId: input.clientId, clientSecret: decrypt(stored.oauth2Secret), ownApp: true } };
    }
    const app = oauth.microsoftApp;
    if (!input.clientId && app) return { oauth2: { provider: 'microsoft', directoryId: input.directoryId, clientId: app.clientId, clientSecret: app.clientSecret, ownApp: false } };
    return { oauth2: { provider: 'unavailable', reason: "no Microsoft app to log in with: set mail.oauth2.clientId and mail.oauth2.clientSecret (the operator's MICROSOFT_CLIENT_ID is not configured)" } };
  }
  if (preset === 'google-workspace') {
    if (input?.serviceAccount && stored.oauth2Secret) {
      return { oauth2: { provider: 'google', clientEmail: input.serviceAccount.clientEmail, privateKey: decrypt(stored.oauth2Secret), ownAccount: true } };
    }
    const account = oauth.googleServiceAccount;
    if (!input?.serviceAccount && account) return { oauth2: { provider: 'google', clientEmail: account.clientEmail, privateKey: account.privateKey, ownAccount: false } };
    return { oauth2: { provider: 'unavailable', reason: "no service account to log in with: set mail.oauth2.serviceAccount (the operator's GOOGLE_SERVICE_ACCOUNT_JSON is not configured)" } };
  }
  if (preset === 'microsoft365') return { oauth2: { provider: 'unavailable', reason: 'mail.oauth2.directoryId is missing' } };
  return {};
}
