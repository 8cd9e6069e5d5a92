import type { FieldError } from '../../../../shared/errors';
import type { OAuthConfig } from '../../../../shared/config/oauthConfig';
import type { TenantSettings } from '../TenantSettings';
import { usesOAuth2 } from './OAuth2Settings';

/** What the save will store besides the settings. */
export interface StoredSecrets {
  /** A password is given in this save or kept from before. */
  hasPassword: boolean;
  /** A client secret or private key is given in this save or kept from before. */
  hasOAuth2Secret: boolean;
}

/** The rules of `mail.oauth2` and `mail.transport` (422 when broken). */
export function oauth2Violations(settings: TenantSettings, secrets: StoredSecrets, oauth: OAuthConfig): FieldError[] {
  const { mail } = settings;
  const errors: FieldError[] = [];
  if (mail.transport !== undefined && mail.preset !== 'microsoft365') {
    errors.push({ path: 'mail.transport', message: 'mail.transport is for the microsoft365 preset only; leave it out' });
  }
  if (!usesOAuth2(mail.preset)) {
    if (mail.oauth2 !== undefined) errors.push({ path: 'mail.oauth2', message: `the ${mail.preset} preset logs in with mail.username and mail.password; mail.oauth2 is for microsoft365 and google-workspace` });
    return errors;
  }
  const loginFix = `the ${mail.preset} preset logs in with OAuth 2.0 (mail.oauth2), never with a password; leave this out`;
  if (mail.username !== undefined) errors.push({ path: 'mail.username', message: loginFix });
  if (secrets.hasPassword) errors.push({ path: 'mail.password', message: `${loginFix} (send null to remove a stored password)` });
  const input = mail.oauth2 ?? {};
  if (mail.preset === 'microsoft365') {
    if (!input.directoryId) errors.push({ path: 'mail.oauth2.directoryId', message: "the microsoft365 preset needs the customer's Entra directory (tenant) id or primary domain in mail.oauth2.directoryId" });
    if (input.serviceAccount) errors.push({ path: 'mail.oauth2.serviceAccount', message: 'a service account is for google-workspace; leave it out' });
    if (input.clientId !== undefined && !secrets.hasOAuth2Secret) {
      errors.push({ path: 'mail.oauth2.clientSecret', message: "an own app (mail.oauth2.clientId) needs its client secret in mail.oauth2.clientSecret" });
    }
    if (input.clientId === undefined) {
      if (secrets.hasOAuth2Secret) errors.push({ path: 'mail.oauth2.clientId', message: 'a client secret needs the id of its app in mail.oauth2.clientId (or send clientSecret: null to use the operator\'s app)' });
      else if (!oauth.microsoftApp) errors.push({ path: 'mail.oauth2.clientId', message: "the operator offers no Microsoft app (MICROSOFT_CLIENT_ID is not set): register an app in the customer's Entra ID and give mail.oauth2.clientId and clientSecret" });
    }
  } else {
    for (const field of ['directoryId', 'clientId', 'clientSecretExpiresAt'] as const) {
      if (input[field] !== undefined) errors.push({ path: `mail.oauth2.${field}`, message: `${field} is for microsoft365; google-workspace uses mail.oauth2.serviceAccount` });
    }
    if (input.serviceAccount && !secrets.hasOAuth2Secret) {
      errors.push({ path: 'mail.oauth2.serviceAccount.privateKey', message: "an own service account needs its private key (private_key of its JSON key) in mail.oauth2.serviceAccount.privateKey" });
    }
    if (!input.serviceAccount && !oauth.googleServiceAccount) {
      errors.push({ path: 'mail.oauth2.serviceAccount', message: 'the operator offers no service account (GOOGLE_SERVICE_ACCOUNT_JSON is not set): give the customer\'s own in mail.oauth2.serviceAccount {clientEmail, privateKey}' });
    }
  }
  return errors;
}
