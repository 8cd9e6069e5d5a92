import { fieldError, type FieldError } from '../../../../shared/errors';
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
    errors.push(fieldError('mail.transport', 'oauth2_transport_microsoft_only'));
  }
  if (!usesOAuth2(mail.preset)) {
    if (mail.oauth2 !== undefined) errors.push(fieldError('mail.oauth2', 'oauth2_not_for_preset', { preset: mail.preset }));
    return errors;
  }
  if (mail.username !== undefined) errors.push(fieldError('mail.username', 'oauth2_no_username', { preset: mail.preset }));
  if (secrets.hasPassword) errors.push(fieldError('mail.password', 'oauth2_no_password', { preset: mail.preset }));
  const input = mail.oauth2 ?? {};
  if (mail.preset === 'microsoft365') {
    if (!input.directoryId) errors.push(fieldError('mail.oauth2.directoryId', 'oauth2_directory_required'));
    if (input.serviceAccount) errors.push(fieldError('mail.oauth2.serviceAccount', 'oauth2_service_account_google_only'));
    if (input.clientId !== undefined && !secrets.hasOAuth2Secret) {
      errors.push(fieldError('mail.oauth2.clientSecret', 'oauth2_client_secret_required'));
    }
    if (input.clientId === undefined) {
      if (secrets.hasOAuth2Secret) errors.push(fieldError('mail.oauth2.clientId', 'oauth2_client_id_required'));
      else if (!oauth.microsoftApp) errors.push(fieldError('mail.oauth2.clientId', 'oauth2_operator_app_missing'));
    }
  } else {
    for (const field of ['directoryId', 'clientId', 'clientSecretExpiresAt'] as const) {
      if (input[field] !== undefined) errors.push(fieldError(`mail.oauth2.${field}`, 'oauth2_microsoft_field_only', { field }));
    }
    if (input.serviceAccount && !secrets.hasOAuth2Secret) {
      errors.push(fieldError('mail.oauth2.serviceAccount.privateKey', 'oauth2_private_key_required'));
    }
    if (!input.serviceAccount && !oauth.googleServiceAccount) {
      errors.push(fieldError('mail.oauth2.serviceAccount', 'oauth2_operator_account_missing'));
    }
  }
  return errors;
}
