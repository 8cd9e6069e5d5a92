import type { HostedMailConfig } from '../../../shared/config/Config';
import { effectiveMail } from './effectiveTenant';
import type { MailSettingsInput, TenantSettings } from './TenantSettings';

const DEFAULTED_FIELDS = ['host', 'port', 'security', 'username', 'allowedSenders', 'maxPerMinute', 'transport'] as const;

/**
 * A GET shows the settings with the preset's defaults applied; a client that sends them back has
 * changed nothing. Fields the tenant never set and that come back equal to their effective value
 * stay unset, so that a GET → PUT round trip neither trips the preset's rules (hosted takes no
 * host) nor records a change.
 */
export function keepUnsetDefaults(sent: TenantSettings, stored: TenantSettings, hosted: HostedMailConfig | undefined): TenantSettings {
  const shown = effectiveMail(stored, false, hosted);
  const mail: MailSettingsInput = { ...sent.mail };
  if (sent.mail.preset === stored.mail.preset) {
    for (const field of DEFAULTED_FIELDS) {
      const unset = field === 'allowedSenders' ? stored.mail.allowedSenders.length === 0 : stored.mail[field] === undefined;
      if (unset && same(sent.mail[field], shown.mail[field])) {
        if (field === 'allowedSenders') mail.allowedSenders = [];
        else delete mail[field];
      }
    }
  }
  const alertShown = stored.alertSender === undefined && sent.mail.preset === stored.mail.preset && same(sent.alertSender, shown.alertSender);
  const { alertSender: _shown, ...rest } = sent;
  return { ...(alertShown ? rest : sent), mail };
}

function same(a: unknown, b: unknown): boolean {
  return a !== undefined && JSON.stringify(a) === JSON.stringify(b);
}
