import type { HostedMailConfig } from '../../../shared/config/Config';
import type { OAuthConfig } from '../../../shared/config/oauthConfig';
import { oauth2View, usesOAuth2 } from './oauth/OAuth2Settings';
import type { MailAddress } from '../../../shared/mail/MailAddress';
import { PRESETS } from './presets';
import type { MailSettings, Tenant } from './Tenant';
import type { StoredTenant, TenantSettings } from './TenantSettings';

/**
 * The settings in effect: preset defaults applied; `hosted` uses the operator's host and sender,
 * `gmx` allows exactly the mailbox login, `demo` exactly its fixed address.
 */
export function effectiveMail(
  settings: TenantSettings,
  hasPassword: boolean,
  hosted: HostedMailConfig | undefined,
  oauth?: { hasSecret: boolean; config?: OAuthConfig },
): { mail: MailSettings; alertSender: MailAddress } {
  const input = settings.mail;
  const preset = PRESETS[input.preset];
  if (input.preset === 'hosted') {
    const sender = hosted?.sender ?? '';
    return {
      mail: {
        preset: 'hosted',
        host: hosted?.host ?? '',
        port: hosted?.port ?? 0,
        security: hosted?.security ?? 'starttls',
        ...(hosted?.username !== undefined ? { username: hosted.username } : {}),
        hasPassword: hosted?.password !== undefined,
        allowedSenders: sender ? [sender] : [],
        ...(input.maxPerMinute !== undefined ? { maxPerMinute: input.maxPerMinute } : {}),
      },
      alertSender: withName(sender, settings.alertSender?.name),
    };
  }
  const security = input.security ?? preset.security ?? 'starttls';
  const username = input.username ?? (preset.senderRule === 'fixed' ? preset.fixedSender : undefined);
  const allowedSenders = allowedSendersOf(settings);
  const maxPerMinute = input.maxPerMinute ?? preset.maxPerMinute;
  const mail: MailSettings = {
    preset: input.preset,
    host: input.host ?? preset.host ?? '',
    port: input.port ?? preset.port ?? (security === 'tls' ? 465 : 587),
    security,
    ...(username !== undefined ? { username } : {}),
    hasPassword,
    allowedSenders,
    ...(input.caCertificate !== undefined ? { caCertificate: input.caCertificate } : {}),
    ...(maxPerMinute !== undefined ? { maxPerMinute } : {}),
  };
  if (input.preset === 'microsoft365') mail.transport = input.transport ?? 'smtp';
  if (usesOAuth2(input.preset)) mail.oauth2 = oauth2View(input.preset, input.oauth2, oauth?.hasSecret ?? false, oauth?.config);
  const fixed = fixedSenderOf(settings);
  const alertSender = settings.alertSender ?? (fixed ? { address: fixed } : { address: '' });
  return { mail, alertSender: fixed ? withName(fixed, settings.alertSender?.name) : alertSender };
}

/** The one sender a preset forces (hosted: HOSTED_SENDER, gmx: the login, demo: kos.demo@gmx.ch), if any. */
export function fixedSenderOf(settings: TenantSettings, hosted?: HostedMailConfig): string | undefined {
  const preset = PRESETS[settings.mail.preset];
  switch (preset.senderRule) {
    case 'hosted':
      return hosted?.sender;
    case 'login':
      return settings.mail.username?.toLowerCase();
    case 'fixed':
      return preset.fixedSender;
    case 'listed':
      return undefined;
  }
}

function allowedSendersOf(settings: TenantSettings): string[] {
  const fixed = fixedSenderOf(settings);
  if (PRESETS[settings.mail.preset].senderRule !== 'listed') return fixed ? [fixed] : [];
  return settings.mail.allowedSenders;
}

function withName(address: string, name: string | undefined): MailAddress {
  return name !== undefined ? { name, address } : { address };
}

export function effectiveTenant(stored: StoredTenant, hosted: HostedMailConfig | undefined, oauth?: OAuthConfig): Tenant {
  const { mail, alertSender } = effectiveMail(stored.settings, stored.password !== undefined, hosted, {
    hasSecret: stored.oauth2Secret !== undefined,
    config: oauth,
  });
  return {
    id: stored.id,
    name: stored.settings.name,
    locale: stored.settings.locale,
    alertSender,
    mail,
    mailStatus: stored.mailStatus,
    settingsVersion: stored.settingsVersion,
    createdAt: stored.createdAt,
    updatedAt: stored.updatedAt,
  };
}
