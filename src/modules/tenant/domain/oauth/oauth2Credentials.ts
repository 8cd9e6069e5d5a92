import { message } from '../../../../shared/messages/message';
import type { OAuthConfig } from '../../../../shared/config/oauthConfig';
import type { EncryptedSecret, StoredTenant } from '../TenantSettings';
import type { OAuth2Credentials } from './OAuth2Settings';

/** The credentials a token is requested with: the tenant's own app or account, else the operator's; none when neither is there. */
export function oauth2CredentialsOf(stored: StoredTenant, oauth: OAuthConfig, decrypt: (secret: EncryptedSecret) => string): { oauth2?: OAuth2Credentials } {
  const { preset, oauth2: input } = stored.settings.mail;
  if (preset === 'microsoft365' && input?.directoryId) {
    if (input.clientId && stored.oauth2Secret) {
      return {
        oauth2: { provider: 'microsoft', directoryId: input.directoryId, clientId: input.clientId, clientSecret: decrypt(stored.oauth2Secret), ownApp: true },
      };
    }
    const app = oauth.microsoftApp;
    if (!input.clientId && app)
      return { oauth2: { provider: 'microsoft', directoryId: input.directoryId, clientId: app.clientId, clientSecret: app.clientSecret, ownApp: false } };
    return { oauth2: { provider: 'unavailable', reason: message('oauth2_no_microsoft_app') } };
  }
  if (preset === 'google-workspace') {
    if (input?.serviceAccount && stored.oauth2Secret) {
      return { oauth2: { provider: 'google', clientEmail: input.serviceAccount.clientEmail, privateKey: decrypt(stored.oauth2Secret), ownAccount: true } };
    }
    const account = oauth.googleServiceAccount;
    if (!input?.serviceAccount && account)
      return { oauth2: { provider: 'google', clientEmail: account.clientEmail, privateKey: account.privateKey, ownAccount: false } };
    return { oauth2: { provider: 'unavailable', reason: message('oauth2_no_service_account') } };
  }
  if (preset === 'microsoft365') return { oauth2: { provider: 'unavailable', reason: message('oauth2_directory_missing') } };
  return {};
}
