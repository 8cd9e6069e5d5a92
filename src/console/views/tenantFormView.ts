import { ApiError } from '../api.js';
import { errorBox, fieldErrorText, problemText, routeHash, scheduleNote, type Context } from '../context.js';
import { h, options, show } from '../dom.js';
import { assignFieldErrors } from '../fieldErrors.js';
import { fieldRegistry } from '../formFields.js';
import { LANGUAGE_NAMES, LANGUAGES } from '../i18n.js';
import { TENANT_PRESETS } from '../presetDefaults.js';
import type { Locale, Preset, Tenant, TenantBody } from '../types.js';
import { caCertificateField } from './caCertificateField.js';
import { mailHostFields } from './mailHostFields.js';
import { senderFields } from './senderFields.js';
import { tenantAdminPanels, tenantHealthPanel } from './tenantPanels.js';
import { toolsFor } from './tenantTools.js';

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
  // A tenant key edits its own tenant; only the id is fixed.
  const editable = ctx.isAdmin || (tenant !== undefined && tenant.id === ctx.session.tenantId);
  // ----- fields, in the order of the form
  const { fields, add } = fieldRegistry();
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
  const mailHost = mailHostFields(t, presets, tenant, editable, add);
  const senders = senderFields(t, tenant, mailHost, add);
  const ca = caCertificateField(t, tenant?.mail.caCertificate, editable, add);

  // Errors the API names by another path land on the field that stands for it.
  const aliases: Record<string, string> = { 'params.tenantId': 'id', alertSender: 'alertSender.address' };
  const summary = h('div', { class: 'form-summary', role: 'alert' });
  const saveButton = h('button', { type: 'submit' }, t('form.save'));
  // ----- behaviour
  function applyPreset(fillDefaults: boolean): void {
    mailHost.apply(fillDefaults);
    senders.apply(fillDefaults);
  }
  mailHost.preset.addEventListener('change', () => applyPreset(true));

  function body(): TenantBody {
    const preset = mailHost.selected()?.name ?? 'custom';
    const { alertSender, allowedSenders } = senders.body();
    const caCertificate = ca.value();
    return {
      name: nameField.control.value.trim(),
      locale: localeField.control.value as Locale,
      ...(alertSender ? { alertSender } : {}),
      mail: { preset, allowedSenders, ...mailHost.body(preset), ...(caCertificate ? { caCertificate } : {}) },
    };
  }

  function clearErrors(): void {
    // The sender patterns' errors come from the live check, not from the last answer.
    for (const [path, each] of fields) if (path !== 'mail.allowedSenders') each.setErrors([]);
    show(summary);
  }

  const form = h(
    'form',
    { class: 'tenant-form', novalidate: true, 'aria-labelledby': 'form-title' },
    h('fieldset', {}, h('legend', {}, t('form.general')), idField.wrapper, nameField.wrapper, localeField.wrapper),
    mailHost.section,
    senders.section,
    ca.section,
    summary,
    editable ? h('div', { class: 'actions' }, saveButton) : null,
  );
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
        mailHost.saved(saved);
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
  if (!tenant) return void root.append(h('p', { class: 'hint' }, t('form.saveFirst')));
  root.insertBefore(tenantHealthPanel(ctx, tenant), form);
  root.append(...toolsFor(ctx, tenant), await scheduleNote(ctx), ...tenantAdminPanels(ctx, tenant));
}
