import type { Message } from '../../../../shared/messages/message';
import type { OAuthConfig } from '../../../../shared/config/oauthConfig';
import type { OAuth2Input, OAuth2View } from './OAuth2Shapes';

/** Everything needed to obtain a token, the secret decrypted; never logged or returned. */
export type OAuth2Credentials =
  | { provider: 'microsoft'; directoryId: string; clientId: string; clientSecret: string; ownApp: boolean }
  | { provider: 'google'; clientEmail: string; privateKey: string; ownAccount: boolean }
  /** The tenant relies on an operator app or account that is not configured (any more). */
  | { provider: 'unavailable'; reason: Message };

export const GOOGLE_MAIL_SCOPE = 'https://mail.google.com/';

/** The admin-consent link for the operator's app in the customer's directory. */
export function consentUrlOf(oauth: OAuthConfig, directoryId: string): string | undefined {
  if (!oauth.microsoftApp) return undefined;
  return `${oauth.microsoftLoginUrl}/${encodeURIComponent(directoryId)}/adminconsent?client_id=${oauth.microsoftApp.clientId}`;
}

/** The read view of the stored `mail.oauth2` of a microsoft365 or google-workspace tenant. */
export function oauth2View(preset: string, input: OAuth2Input | undefined, hasSecret: boolean, oauth: OAuthConfig | undefined): OAuth2View | undefined {
  if (preset === 'microsoft365') {
    const directoryId = input?.directoryId ?? '';
    const own = input?.clientId !== undefined;
    const consentUrl = !own && oauth ? consentUrlOf(oauth, directoryId) : undefined;
    return {
      directoryId,
      ...(own ? { clientId: input!.clientId } : {}),
      hasClientSecret: hasSecret,
      ...(input?.clientSecretExpiresAt ? { clientSecretExpiresAt: input.clientSecretExpiresAt } : {}),
      ...(consentUrl ? { consentUrl } : {}),
    };
  }
  if (preset === 'google-workspace') {
    const own = input?.serviceAccount !== undefined;
    const delegationClientId = !own ? oauth?.googleServiceAccount?.clientId : undefined;
    return {
      ...(own ? { serviceAccount: { clientEmail: input!.serviceAccount!.clientEmail } } : {}),
      hasPrivateKey: hasSecret,
      ...(delegationClientId ? { delegationClientId } : {}),
    };
  }
  return undefined;
}

/** Whether the preset logs in with OAuth 2.0 instead of a password. */
export function usesOAuth2(preset: string): boolean {
  return preset === 'microsoft365' || preset === 'google-workspace';
}
