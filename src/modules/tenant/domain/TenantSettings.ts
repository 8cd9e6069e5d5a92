import type { MailAddress } from '../../../shared/mail/MailAddress';
import type { MailTransportKind, OAuth2Input } from './oauth/OAuth2Shapes';
import type { Locale, MailStatus, PresetName, SmtpSecurity } from './Tenant';

/** The mail settings as the tenant wrote them, before preset defaults; never the password. */
export interface MailSettingsInput {
  preset: PresetName;
  host?: string;
  port?: number;
  security?: SmtpSecurity;
  username?: string;
  allowedSenders: string[];
  caCertificate?: string;
  maxPerMinute?: number;
  transport?: MailTransportKind;
  oauth2?: OAuth2Input;
}

/** A tenant's settings as written by KOS's tenant form. */
export interface TenantSettings {
  name: string;
  locale: Locale;
  alertSender?: MailAddress;
  mail: MailSettingsInput;
}

/** A secret encrypted under the credentials key `keyId`. */
export interface EncryptedSecret {
  keyId: string;
  ciphertext: string;
}

/** A tenant as it is stored. */
export interface StoredTenant {
  id: string;
  settings: TenantSettings;
  password?: EncryptedSecret;
  /** The OAuth 2.0 secret: the Microsoft client secret or the Google service account's private key. */
  oauth2Secret?: EncryptedSecret;
  settingsVersion: number;
  mailStatus: MailStatus;
  createdAt: Date;
  updatedAt: Date;
}

export const TENANT_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;
