import type { FieldError } from '../../../shared/errors';
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
      return [{ path: 'mail.preset', message: 'the hosted preset is not available: the operator has not configured HOSTED_SMTP_URL and HOSTED_SENDER' }];
    }
    for (const field of ['host', 'port', 'security', 'username', 'caCertificate'] as const) {
      if (input[field] !== undefined) errors.push({ path: `mail.${field}`, message: "the hosted preset uses the operator's mail host; leave this out" });
    }
    if (input.allowedSenders.length > 0) errors.push({ path: 'mail.allowedSenders', message: `the hosted preset sends only as ${hosted.sender}; leave this out` });
  } else {
    if (!input.host && !preset.host) errors.push({ path: 'mail.host', message: 'the custom preset needs the mail host' });
    if (preset.senderRule !== 'listed' && input.allowedSenders.length > 0) {
      errors.push({ path: 'mail.allowedSenders', message: `the ${input.preset} preset sends only as the mailbox address; leave this out` });
    }
  }
  if (preset.senderRule === 'login' && !(input.username && isPlainAddress(input.username))) {
    errors.push({ path: 'mail.username', message: 'the gmx preset needs the mailbox address as login (e.g. kunde@gmx.ch); it is also the only sender' });
  }

  const fixed = fixedSenderOf(settings, hosted);
  const alert = settings.alertSender;
  if (fixed) {
    if (alert && alert.address.toLowerCase() !== fixed.toLowerCase()) {
      errors.push({ path: 'alertSender.address', message: `the ${input.preset} preset sends only as ${fixed}; leave alertSender.address out or set it to ${fixed}` });
    }
  } else if (!alert) {
    errors.push({ path: 'alertSender', message: `the ${input.preset} preset needs the alert address (alertSender.address)` });
  } else {
    const { mail } = effectiveMail(settings, false, hosted);
    if (!senderAllowed(mail.allowedSenders, alert.address)) {
      errors.push({
        path: 'alertSender.address',
        message: `${alert.address} is not allowed as sender by mail.allowedSenders (${mail.allowedSenders.join(', ')}); use an address these patterns cover or add it to mail.allowedSenders`,
      });
    }
  }
  return errors;
}
