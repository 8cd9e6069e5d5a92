import { ApiError } from '../api.js';
import { errorBox, fieldErrorText, problemText, routeHash, scheduleNote, type Context } from '../context.js';
import { field, h, options, show, type Field } from '../dom.js';
import { assignFieldErrors } from '../fieldErrors.js';
import { LANGUAGE_NAMES, LANGUAGES } from '../i18n.js';
import { TENANT_PRESETS } from '../presetDefaults.js';
import { presetDescription, presetDiscouraged, presetTitle } from '../presetText.js';
import { effectiveSenderPatterns, isPlainAddress, isSenderPattern, matchingPattern, parsePatterns, senderRuleOf } from '../senderPolicy.js';
import type { Locale, Preset, PresetName, Security, Tenant, TenantBody } from '../types.js';
import { tenantAdminPanels, tenantHealthPanel } from './tenantPanels.js';
import { oauthFields } from './oauthFields.js';
import { toolsFor } from './tenantTools.js';

const PRESET_ORDER: PresetName[] = ['custom', 'hosted', 'gmx', 'microsoft365', 'google-workspace', 'mandrill', 'demo'];
const SECURITIES: Security[] = ['starttls', 'tls', 'none'];
const LOCALES = LANGUAGES.map((value) => ({ value, label: LANGUAGE_NAMES[value] }));

/** The tenant mask: create (`#/tenants/new`) or edit (`#/tenants/{id}`), then verify and test the host. */
export async function tenantFormView(ctx: Context, root: HTMLElement, tenantId: string | undefined): Promise<void> {
  const { t, api } = ctx;
  show(root, h('p', { role: 'status' }, t('common.loading')));
  let tenant: Tenant | undefined;
  let presets: Preset[];
  try {
    const [presetList, existing] = await Promise.all([
      // Presets are an admin endpoint; a tenant key's form works from the built-in defaults.
      ctx.isAdmin ? api.presets() : Promise.resolve({ items: TENANT_PRESETS }),
      tenantId ? api.tenant(tenantId) : Promise.resolve(undefined),
    ]);
    presets = presetList.items;
    tenant = existing;
  } catch (error) {
    show(root, errorBox(t, error));
    return;
  }
  const own = tenant?.mail.preset;
  if (own && !presets.some((preset) => preset.name === own)) presets = [...presets, { name: own, title: own, description: '' }];
  if (presets.length === 0) presets = [{ name: 'custom', title: 'custom', description: '' }];
  const presetByName = new Map(presets.map((preset) => [preset.name, preset]));
  const sortedPresets = [...presets].sort((a, b) => PRESET_ORDER.indexOf(a.name) - PRESET_ORDER.indexOf(b.name));
  // ----- fields
  const fields = new Map<string, Field<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>>();
  const add = <E extends HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>(path: string, label: string, control: E, hint?: string): Field<E> => {
    const made = field(label, control, { path, ...(hint ? { hint } : {}) });
    fields.set(path, made);
    return made;
  };
  const idField = add(
    'id',
    t('form.id'),
    h('input', {
      name: 'id',
      required: true,
      pattern: '[a-z0-9][a-z0-9\\-]{0,62}',
      autocomplete: 'off',
      spellcheck: 'false',
      value: tenant?.id,
      readonly: Boolean(tenant),
    }),
    tenant ? t('form.idFixed') : t('form.idHint'),
  );
  const nameField = add('name', t('form.name'), h('input', { name: 'name', required: true, maxlength: 200, value: tenant?.name }));
  const localeField = add('locale', t('form.locale'), options(h('select', { name: 'locale' }), LOCALES, tenant?.locale ?? 'de'));
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
    tenant?.mail.hasPassword ? t('form.passwordStored') : t('form.passwordNone'),
  );
  const removePassword = h('input', { type: 'checkbox', id: 'remove-password', name: 'removePassword' });
  const removePasswordRow = tenant?.mail.hasPassword
    ? h('div', { class: 'check' }, removePassword, h('label', { for: 'remove-password' }, t('form.passwordRemove')))
    : null;
  if (tenant?.mail.hasPassword) passwordField.control.placeholder = '••••••••';
  const oauth = oauthFields(t, tenant?.mail, add);
  const maxField = add(
    'mail.maxPerMinute',
    t('form.maxPerMinute'),
    h('input', { name: 'maxPerMinute', type: 'number', min: 1, max: 100000, inputmode: 'numeric', value: tenant?.mail.maxPerMinute }),
  );
  const sendersField = add(
    'mail.allowedSenders',
    t('form.allowedSenders'),
    h('textarea', { name: 'allowedSenders', rows: 3, spellcheck: 'false' }),
    t('form.allowedSendersHint'),
  );
  // What happens to a KOS user the host does not let send: the admin must know it where the policy is set.
  sendersField.wrapper.insertBefore(h('p', { class: 'guide' }, t('guide.senders')), sendersField.wrapper.querySelector('.field-error'));
  sendersField.control.value = (tenant?.mail.allowedSenders ?? []).join('\n');
  const alertField = add(
    'alertSender.address',
    t('form.alertAddress'),
    h('input', { name: 'alertAddress', type: 'email', autocomplete: 'off', spellcheck: 'false', value: tenant?.alertSender.address }),
  );
  const alertNameField = add('alertSender.name', t('form.alertName'), h('input', { name: 'alertName', maxlength: 200, value: tenant?.alertSender.name }));
  const senderCheck = h('p', { class: 'sender-check', id: 'sender-check', role: 'status', 'aria-live': 'polite' });

  let caCertificate: string | undefined = tenant?.mail.caCertificate;
  const caStatus = h('p', { class: 'ca-status', role: 'status' });
  const caInput = h('input', { type: 'file', id: 'ca-file', name: 'caFile', accept: '.pem,.crt,.cer,application/x-pem-file' });
  const caField = field(t('form.caFile'), caInput, { path: 'mail.caCertificate', hint: t('form.caHint') });
  caInput.classList.add('file-hidden'); // the browser's own file button speaks the browser's language, this one the console's
  caInput.after(h('label', { for: 'ca-file', class: 'button secondary file-button' }, t('form.caChoose')));
  const caRemove = h('button', { type: 'button', class: 'secondary' }, t('form.caRemove'));
  fields.set('mail.caCertificate', caField);

  // Errors the API names by another path land on the field that stands for it.
  const aliases: Record<string, string> = { 'params.tenantId': 'id', alertSender: 'alertSender.address' };
  const summary = h('div', { class: 'form-summary', role: 'alert' });
  const saveButton = h('button', { type: 'submit' }, t('form.save'));
  // A tenant key edits its own tenant; only the id is fixed.
  const editable = ctx.isAdmin || (tenant !== undefined && tenant.id === ctx.session.tenantId);
  // ----- behaviour
  const selectedPreset = (): Preset | undefined => presetByName.get(presetField.control.value as PresetName);

  function applyPreset(fillDefaults: boolean): void {
    const preset = selectedPreset();
    const discouraged = preset ? presetDiscouraged(t, preset) : undefined;
    const description = preset ? presetDescription(t, preset) : '';
    show(
      presetInfo,
      description ? h('p', { class: 'hint' }, description) : null,
      discouraged ? h('p', { class: 'warning' }, h('strong', {}, `${t('form.discouraged')}: `), discouraged) : null,
      preset?.name === 'demo' ? h('p', { class: 'warning guide-demo' }, t('guide.demo')) : null,
      preset?.name === 'gmx' ? h('p', { class: 'guide guide-gmx' }, t('guide.gmx')) : null,
    );
    if (fillDefaults && preset) {
      if (preset.host !== undefined) hostField.control.value = preset.host;
      if (preset.port !== undefined) portField.control.value = String(preset.port);
      if (preset.security !== undefined) securityField.control.value = preset.security;
      maxField.control.value = preset.maxPerMinute !== undefined ? String(preset.maxPerMinute) : '';
      if (preset.fixedSender) alertField.control.value = preset.fixedSender;
    }
    const hostFixed = preset?.hostOverridable === false;
    for (const control of [hostField.control, portField.control, securityField.control, usernameField.control, passwordField.control])
      control.disabled = hostFixed || !editable;
    hostFixedNote.hidden = !hostFixed;
    oauth.show(preset?.name, [usernameField.wrapper, passwordField.wrapper, removePasswordRow]);
    sendersField.wrapper.hidden = senderRuleOf(preset ?? { name: 'custom' }) !== 'listed';
    checkSender();
  }

  function checkSender(): void {
    const preset = selectedPreset();
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
      username: usernameField.control.value.trim(),
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

  function showCa(): void {
    show(caStatus, caCertificate ? t('form.caPinned', { size: caCertificate.length }) : t('form.caNone'));
    caRemove.hidden = !caCertificate || !editable;
  }

  presetField.control.addEventListener('change', () => applyPreset(true));
  for (const control of [sendersField.control, alertField.control, usernameField.control]) control.addEventListener('input', checkSender);
  caInput.addEventListener('change', async () => {
    const text = await caInput.files?.[0]?.text();
    if (text === undefined) return;
    if (!/-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----/.test(text)) {
      caField.setErrors([t('form.caNotPem')]);
      return;
    }
    caField.setErrors([]);
    caCertificate = text.trim() + '\n';
    showCa();
  });
  caRemove.addEventListener('click', () => {
    caCertificate = undefined;
    caInput.value = '';
    showCa();
  });

  function body(): TenantBody {
    const preset = selectedPreset()?.name ?? 'custom';
    const hostFixed = selectedPreset()?.hostOverridable === false;
    const text = (control: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement): string | undefined => control.value.trim() || undefined;
    const number = (control: HTMLInputElement): number | undefined => (control.value.trim() === '' ? undefined : Number(control.value));
    const alertAddress = text(alertField.control);
    const alertName = text(alertNameField.control);
    const password = passwordField.control.value;
    const listed = senderRuleOf(selectedPreset() ?? { name: preset }) === 'listed';
    const mail: TenantBody['mail'] = { preset, allowedSenders: listed ? parsePatterns(sendersField.control.value) : [] };
    if (!hostFixed) {
      const host = text(hostField.control);
      const port = number(portField.control);
      const username = text(usernameField.control);
      if (host) mail.host = host;
      if (port !== undefined) mail.port = port;
      mail.security = securityField.control.value as Security;
      if (username && !usernameField.wrapper.hidden) mail.username = username;
      if (password && !passwordField.wrapper.hidden) mail.password = password;
      else if (removePassword.checked || (passwordField.wrapper.hidden && tenant?.mail.hasPassword)) mail.password = null;
    }
    Object.assign(mail, oauth.body(preset));
    if (caCertificate) mail.caCertificate = caCertificate;
    const maxPerMinute = number(maxField.control);
    if (maxPerMinute !== undefined) mail.maxPerMinute = maxPerMinute;
    return {
      name: nameField.control.value.trim(),
      locale: localeField.control.value as Locale,
      ...(alertAddress ? { alertSender: { address: alertAddress, ...(alertName ? { name: alertName } : {}) } } : {}),
      mail,
    };
  }

  function clearErrors(): void {
    for (const each of fields.values()) if (each !== sendersField) each.setErrors([]);
    show(summary);
  }

  const form = h(
    'form',
    { class: 'tenant-form', novalidate: true, 'aria-labelledby': 'form-title' },
    h('fieldset', {}, h('legend', {}, t('form.general')), idField.wrapper, nameField.wrapper, localeField.wrapper),
    h(
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
    ),
    h(
      'fieldset',
      {},
      h('legend', {}, t('form.senders')),
      sendersField.wrapper,
      h('div', { class: 'row' }, alertField.wrapper, alertNameField.wrapper),
      senderCheck,
    ),
    h('fieldset', {}, h('legend', {}, t('form.ca')), caField.wrapper, caStatus, caRemove),
    summary,
    editable ? h('div', { class: 'actions' }, saveButton) : null,
  );
  alertField.control.setAttribute('aria-describedby', `${alertField.control.getAttribute('aria-describedby') ?? ''} sender-check`.trim());
  if (!editable) for (const element of form.querySelectorAll('input, select, textarea')) (element as HTMLInputElement).disabled = true;
  const readOnlyNote = editable ? null : h('p', { class: 'warning read-only' }, t('form.readOnly'));

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors();
    const id = idField.control.value.trim();
    if (!id || !/^[a-z0-9][a-z0-9-]{0,62}$/.test(id)) {
      idField.setErrors([t('form.idHint')]);
      idField.control.focus();
      return;
    }
    saveButton.disabled = true;
    try {
      const saved = await api.saveTenant(id, body());
      if (tenant) {
        tenant = saved;
        show(summary, h('p', { class: 'ok' }, t('form.saved')));
        summary.setAttribute('role', 'status');
        passwordField.control.value = '';
        oauth.saved(saved);
      } else {
        ctx.flash(t('form.saved'));
        ctx.navigate(routeHash(['tenants', saved.id]));
      }
    } catch (error) {
      summary.setAttribute('role', 'alert');
      if (!(error instanceof ApiError)) return show(summary, errorBox(t, error));
      const paths = [...fields.keys(), ...Object.keys(aliases)];
      const translated = (error.problem.errors ?? []).map((each) => ({ ...each, message: fieldErrorText(t, each) }));
      const assigned = assignFieldErrors(translated, paths);
      for (const [path, messages] of assigned.byField) fields.get(aliases[path] ?? path)?.setErrors(messages);
      show(
        summary,
        h('p', { class: 'alert' }, t('form.saveFailed', { detail: problemText(t, error.problem) })),
        assigned.unmatched.length > 0
          ? h(
              'ul',
              {},
              assigned.unmatched.map((unmatched) => h('li', {}, `${unmatched.path}: ${unmatched.message}`)),
            )
          : null,
      );
      const firstInvalid = form.querySelector<HTMLElement>('[aria-invalid="true"]');
      (firstInvalid ?? summary).focus();
    } finally {
      saveButton.disabled = false;
    }
  });

  const title = h('h1', { id: 'form-title', tabindex: -1 }, tenant ? t('form.titleEdit', { name: tenant.name }) : t('form.titleNew'));
  show(root, title, readOnlyNote, form);
  applyPreset(!tenant);
  showCa();
  if (!tenant) return void root.append(h('p', { class: 'hint' }, t('form.saveFirst')));
  root.insertBefore(tenantHealthPanel(ctx, tenant), form);
  root.append(...toolsFor(ctx, tenant), await scheduleNote(ctx), ...tenantAdminPanels(ctx, tenant));
}
