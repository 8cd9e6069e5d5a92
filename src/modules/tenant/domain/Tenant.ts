import type { MailAddress } from '../../../shared/mail/MailAddress';
import type { MailTransportKind, OAuth2View } from './oauth/OAuth2Shapes';
import type { Message, MessageCode, MessageParams } from '../../../shared/messages/message';

export type Locale = 'de' | 'fr' | 'it' | 'en';
export const LOCALES: readonly Locale[] = ['de', 'fr', 'it', 'en'];

export type PresetName = 'custom' | 'hosted' | 'gmx' | 'mandrill' | 'demo' | 'microsoft365' | 'google-workspace';
export const PRESET_NAMES: readonly PresetName[] = ['custom', 'hosted', 'gmx', 'mandrill', 'demo', 'microsoft365', 'google-workspace'];

export type SmtpSecurity = 'starttls' | 'tls' | 'none';

/** A tenant's mail host as it is in effect: preset defaults applied, the password never included. */
export interface MailSettings {
  preset: PresetName;
  host: string;
  port: number;
  security: SmtpSecurity;
  username?: string;
  hasPassword: boolean;
  /** The sender policy: exact addresses or `*@domain`; empty means any sender. */
  allowedSenders: string[];
  caCertificate?: string;
  maxPerMinute?: number;
  /** microsoft365 only: `graph` sends through Microsoft Graph instead of SMTP. */
  transport?: MailTransportKind;
  /** microsoft365 and google-workspace: the OAuth 2.0 settings, secrets only as has… flags. */
  oauth2?: OAuth2View;
}

export interface MailStatus {
  state: 'ok' | 'parked';
  since?: Date;
  /** Why the queue is parked: the English text, and its code and params for a translation. */
  reason?: string;
  reasonCode?: MessageCode;
  reasonParams?: MessageParams;
  /** When a verify of the current mail settings last passed every step. */
  verifiedAt?: Date;
}

/** A parked tenant's reason as one message; statuses stored before codes existed have the text only. */
export function parkedReason(status: MailStatus): Message | undefined {
  if (status.state !== 'parked' || !status.reason) return undefined;
  return status.reasonCode
    ? { code: status.reasonCode, params: status.reasonParams ?? {}, message: status.reason }
    : { code: 'stored_text', params: { text: status.reason }, message: status.reason };
}

/** A tenant (Mandant) of KOS with its effective settings. */
export interface Tenant {
  id: string;
  name: string;
  locale: Locale;
  /** The one address alert digests come from, and the From of rewritten personal mail. */
  alertSender: MailAddress;
  mail: MailSettings;
  mailStatus: MailStatus;
  /** Grows with every change of the mail settings; a parked queue waits for it to change. */
  settingsVersion: number;
  createdAt: Date;
  updatedAt: Date;
}
