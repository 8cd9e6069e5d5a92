import { fieldError, type FieldError } from '../../../shared/errors';
import type { HostedMailConfig } from '../../../shared/config/Config';
import { isPlainAddress } from '../../../shared/mail/address';
import { effectiveMail, fixedSenderOf } from './effectiveTenant';
import { PRESETS } from './presets';
import { senderAllowed } from './senderPolicy';
import type { TenantSettings } from './TenantSettings';

/**
 * The rules a well-formed tenant setting must also meet (422 when broken), apart from the
 * network guard, which needs DNS and runs in the use case.
 */
export function policyViolations(settings: TenantSettings, hosted: HostedMailConfig | undefined): FieldError[] {
  const errors: FieldError[] = [];
  const input = settings.mail;
  const preset = PRESETS[input.preset];

  if (input.preset === 'hosted') {
    if (!hosted) {
      return [fieldError('mail.preset', 'hosted_preset_unavailable')];
    }
    for (const field of ['host', 'port', 'security', 'username', 'caCertificate'] as const) {
      if (input[field] !== undefined) errors.push(fieldError(`mail.${field}`, 'hosted_preset_field_forbidden'));
    }
    if (input.allowedSenders.length > 0) errors.push(fieldError('mail.allowedSenders', 'preset_sender_fixed', { preset: 'hosted', sender: hosted.sender }));
  } else {
    if (!input.host && !preset.host) errors.push(fieldError('mail.host', 'custom_host_required'));
    if (preset.senderRule !== 'listed' && input.allowedSenders.length > 0) {
      errors.push(fieldError('mail.allowedSenders', 'preset_sends_as_mailbox', { preset: input.preset }));
    }
  }
  if (preset.senderRule === 'login' && !(input.username && isPlainAddress(input.username))) {
    errors.push(fieldError('mail.username', 'gmx_username_required'));
  }

  const fixed = fixedSenderOf(settings, hosted);
  const alert = settings.alertSender;
  if (fixed) {
    if (alert && alert.address.toLowerCase() !== fixed.toLowerCase()) {
      errors.push(fieldError('alertSender.address', 'alert_sender_fixed', { preset: input.preset, sender: fixed }));
    }
  } else if (!alert) {
    errors.push(fieldError('alertSender', 'alert_sender_required', { preset: input.preset }));
  } else {
    const { mail } = effectiveMail(settings, false, hosted);
    if (!senderAllowed(mail.allowedSenders, alert.address)) {
      errors.push(fieldError('alertSender.address', 'alert_sender_not_allowed', { address: alert.address, allowedSenders: mail.allowedSenders.join(', ') }));
    }
  }
  return errors;
}
