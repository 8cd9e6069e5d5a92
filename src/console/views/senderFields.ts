import { h, show } from '../dom.js';
import { textOf, type AddField } from '../formFields.js';
import type { Translate } from '../i18n.js';
import { effectiveSenderPatterns, isPlainAddress, isSenderPattern, matchingPattern, parsePatterns, senderRuleOf } from '../senderPolicy.js';
import type { Tenant, TenantBody } from '../types.js';
import type { MailHostFields } from './mailHostFields.js';
import { sendersGuidance } from './presetGuidance.js';

/** The senders fieldset: the sender policy, the alert address, and a live check whether the host lets that address send. */
export interface SenderFields {
  section: HTMLFieldSetElement;
  /** Shows the sender list only where the host needs one; with `fillDefaults` the preset's fixed sender becomes the alert address. */
  apply(fillDefaults: boolean): void;
  body(): Pick<TenantBody, 'alertSender'> & Pick<TenantBody['mail'], 'allowedSenders'>;
}

export function senderFields(t: Translate, tenant: Tenant | undefined, mailHost: Pick<MailHostFields, 'selected' | 'username'>, add: AddField): SenderFields {
  const sendersField = add(
    'mail.allowedSenders',
    t('form.allowedSenders'),
    h('textarea', { name: 'allowedSenders', rows: 3, spellcheck: 'false' }),
    t('form.allowedSendersHint'),
  );
  sendersField.wrapper.insertBefore(sendersGuidance(t), sendersField.wrapper.querySelector('.field-error'));
  sendersField.control.value = (tenant?.mail.allowedSenders ?? []).join('\n');
  const alertField = add(
    'alertSender.address',
    t('form.alertAddress'),
    h('input', { name: 'alertAddress', type: 'email', autocomplete: 'off', spellcheck: 'false', value: tenant?.alertSender.address }),
  );
  const alertNameField = add('alertSender.name', t('form.alertName'), h('input', { name: 'alertName', maxlength: 200, value: tenant?.alertSender.name }));
  const senderCheck = h('p', { class: 'sender-check', id: 'sender-check', role: 'status', 'aria-live': 'polite' });
  alertField.control.setAttribute('aria-describedby', `${alertField.control.getAttribute('aria-describedby') ?? ''} sender-check`.trim());
  const listed = (): boolean => senderRuleOf(mailHost.selected() ?? { name: 'custom' }) === 'listed';

  function check(): void {
    const preset = mailHost.selected();
    const patterns = parsePatterns(sendersField.control.value);
    const invalid = patterns.filter((pattern) => !isSenderPattern(pattern));
    sendersField.setErrors(invalid.map((pattern) => t('form.patternInvalid', { pattern })));
    const address = alertField.control.value.trim();
    senderCheck.className = 'sender-check';
    if (!address) return show(senderCheck, t('form.check.empty'));
    if (!isPlainAddress(address)) {
      senderCheck.classList.add('bad');
      return show(senderCheck, t('form.check.invalid'));
    }
    const rule = senderRuleOf(preset ?? { name: 'custom' });
    const effective = effectiveSenderPatterns(rule, {
      allowedSenders: patterns.filter(isSenderPattern),
      username: mailHost.username.value.trim(),
      ...(preset?.fixedSender ? { fixedSender: preset.fixedSender } : {}),
    });
    if (rule !== 'listed' && effective.length === 0) {
      senderCheck.classList.add('bad');
      return show(senderCheck, t('form.check.deniedNone'));
    }
    const match = matchingPattern(effective, address);
    if (match === 'any') return show(senderCheck, t('form.check.any'));
    if (match === undefined) {
      senderCheck.classList.add('bad');
      return show(senderCheck, t('form.check.denied', { patterns: effective.join(', ') }));
    }
    senderCheck.classList.add('good');
    show(senderCheck, t('form.check.allowed', { pattern: match }));
  }

  for (const control of [sendersField.control, alertField.control, mailHost.username]) control.addEventListener('input', check);
  const section = h(
    'fieldset',
    {},
    h('legend', {}, t('form.senders')),
    sendersField.wrapper,
    h('div', { class: 'row' }, alertField.wrapper, alertNameField.wrapper),
    senderCheck,
  );

  return {
    section,
    apply(fillDefaults) {
      const preset = mailHost.selected();
      if (fillDefaults && preset?.fixedSender) alertField.control.value = preset.fixedSender;
      sendersField.wrapper.hidden = !listed();
      check();
    },
    body() {
      const address = textOf(alertField.control);
      const name = textOf(alertNameField.control);
      return {
        ...(address ? { alertSender: { address, ...(name ? { name } : {}) } } : {}),
        allowedSenders: listed() ? parsePatterns(sendersField.control.value) : [],
      };
    },
  };
}
