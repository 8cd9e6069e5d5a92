import { h, options, show } from '../dom.js';
import { numberOf, textOf, type AddField } from '../formFields.js';
import type { Translate } from '../i18n.js';
import { presetTitle } from '../presetText.js';
import type { Preset, PresetName, Security, Tenant, TenantBody } from '../types.js';
import { oauthFields } from './oauthFields.js';
import { presetGuidance } from './presetGuidance.js';

const PRESET_ORDER: PresetName[] = ['custom', 'hosted', 'gmx', 'microsoft365', 'google-workspace', 'mandrill', 'demo'];
const SECURITIES: Security[] = ['starttls', 'tls', 'none'];

/** The mail host fieldset: the preset, the host, its login (password or OAuth 2.0) and the rate limit. */
export interface MailHostFields {
  section: HTMLFieldSetElement;
  preset: HTMLSelectElement;
  username: HTMLInputElement;
  selected(): Preset | undefined;
  /** Shows the preset's guidance and locks what it fixes; with `fillDefaults` its host, port and rate go into the fields. */
  apply(fillDefaults: boolean): void;
  body(preset: PresetName): Omit<TenantBody['mail'], 'preset' | 'allowedSenders'>;
  /** After a save the password leaves the page. */
  saved(tenant: Tenant): void;
}

/** The presets to offer: the tenant's own even when the list lacks it, and custom when the list is empty. */
function offered(presets: Preset[], own: PresetName | undefined): Preset[] {
  let offer = presets;
  if (own && !offer.some((preset) => preset.name === own)) offer = [...offer, { name: own, title: own, description: '' }];
  if (offer.length === 0) offer = [{ name: 'custom', title: 'custom', description: '' }];
  return offer;
}

export function mailHostFields(t: Translate, presetList: Preset[], tenant: Tenant | undefined, editable: boolean, add: AddField): MailHostFields {
  const presets = offered(presetList, tenant?.mail.preset);
  const presetByName = new Map(presets.map((preset) => [preset.name, preset]));
  const sortedPresets = [...presets].sort((a, b) => PRESET_ORDER.indexOf(a.name) - PRESET_ORDER.indexOf(b.name));
  let hasPassword = tenant?.mail.hasPassword;
  const presetField = add(
    'mail.preset',
    t('form.preset'),
    options(
      h('select', { name: 'preset' }),
      sortedPresets.map((preset) => {
        const title = presetTitle(t, preset.name, preset.title);
        return {
          value: preset.name,
          label: preset.available === false ? t('form.presetUnavailable', { title }) : title,
          disabled: preset.available === false && preset.name !== tenant?.mail.preset,
        };
      }),
      tenant?.mail.preset ?? 'custom',
    ),
  );
  const presetInfo = h('div', { class: 'preset-info', 'aria-live': 'polite' });
  const hostField = add('mail.host', t('form.host'), h('input', { name: 'host', autocomplete: 'off', spellcheck: 'false', value: tenant?.mail.host }));
  const portField = add(
    'mail.port',
    t('form.port'),
    h('input', { name: 'port', type: 'number', min: 1, max: 65535, inputmode: 'numeric', value: tenant?.mail.port }),
  );
  const securityField = add(
    'mail.security',
    t('form.security'),
    options(
      h('select', { name: 'security' }),
      SECURITIES.map((security) => ({ value: security, label: t(`form.security.${security}` as const) })),
      tenant?.mail.security ?? 'starttls',
    ),
  );
  const hostFixedNote = h('p', { class: 'hint', hidden: true }, t('form.hostFixed'));
  const usernameField = add(
    'mail.username',
    t('form.username'),
    h('input', { name: 'username', autocomplete: 'off', spellcheck: 'false', value: tenant?.mail.username }),
  );
  const passwordField = add(
    'mail.password',
    t('form.password'),
    h('input', { name: 'password', type: 'password', autocomplete: 'new-password' }),
    hasPassword ? t('form.passwordStored') : t('form.passwordNone'),
  );
  const removePassword = h('input', { type: 'checkbox', id: 'remove-password', name: 'removePassword' });
  const removePasswordRow = hasPassword ? h('div', { class: 'check' }, removePassword, h('label', { for: 'remove-password' }, t('form.passwordRemove'))) : null;
  if (hasPassword) passwordField.control.placeholder = '••••••••';
  const oauth = oauthFields(t, tenant?.mail, add);
  const maxField = add(
    'mail.maxPerMinute',
    t('form.maxPerMinute'),
    h('input', { name: 'maxPerMinute', type: 'number', min: 1, max: 100000, inputmode: 'numeric', value: tenant?.mail.maxPerMinute }),
  );
  const selected = (): Preset | undefined => presetByName.get(presetField.control.value as PresetName);
  const section = h(
    'fieldset',
    {},
    h('legend', {}, t('form.mailHost')),
    presetField.wrapper,
    presetInfo,
    hostFixedNote,
    h('div', { class: 'row' }, hostField.wrapper, portField.wrapper, securityField.wrapper),
    h('div', { class: 'row' }, usernameField.wrapper, passwordField.wrapper),
    removePasswordRow,
    oauth.section,
    maxField.wrapper,
  );

  return {
    section,
    preset: presetField.control,
    username: usernameField.control,
    selected,
    apply(fillDefaults) {
      const preset = selected();
      show(presetInfo, ...presetGuidance(t, preset));
      if (fillDefaults && preset) {
        if (preset.host !== undefined) hostField.control.value = preset.host;
        if (preset.port !== undefined) portField.control.value = String(preset.port);
        if (preset.security !== undefined) securityField.control.value = preset.security;
        maxField.control.value = preset.maxPerMinute !== undefined ? String(preset.maxPerMinute) : '';
      }
      const hostFixed = preset?.hostOverridable === false;
      for (const control of [hostField.control, portField.control, securityField.control, usernameField.control, passwordField.control])
        control.disabled = hostFixed || !editable;
      hostFixedNote.hidden = !hostFixed;
      oauth.show(preset?.name, [usernameField.wrapper, passwordField.wrapper, removePasswordRow]);
    },
    body(preset) {
      const mail: Omit<TenantBody['mail'], 'preset' | 'allowedSenders'> = {};
      // A preset that fixes the host takes none of it from the form.
      if (selected()?.hostOverridable !== false) {
        const host = textOf(hostField.control);
        const port = numberOf(portField.control);
        const username = textOf(usernameField.control);
        const password = passwordField.control.value;
        if (host) mail.host = host;
        if (port !== undefined) mail.port = port;
        mail.security = securityField.control.value as Security;
        if (username && !usernameField.wrapper.hidden) mail.username = username;
        if (password && !passwordField.wrapper.hidden) mail.password = password;
        else if (removePassword.checked || (passwordField.wrapper.hidden && hasPassword)) mail.password = null;
      }
      Object.assign(mail, oauth.body(preset));
      const maxPerMinute = numberOf(maxField.control);
      if (maxPerMinute !== undefined) mail.maxPerMinute = maxPerMinute;
      return mail;
    },
    saved(saved) {
      hasPassword = saved.mail.hasPassword;
      passwordField.control.value = '';
      oauth.saved(saved);
    },
  };
}
