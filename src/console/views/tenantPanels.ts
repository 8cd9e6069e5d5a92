import { errorBox, type Context } from '../context.js';
import { h, liveRegion, show } from '../dom.js';
import { formatAge, formatDateTime } from '../format.js';
import { healthState } from '../tenantRows.js';
import type { ApiKey, Tenant } from '../types.js';

/** The tenant's mail health at the top of its page: the state, why, and whether its queue is stopped. */
export function tenantHealthPanel(ctx: Context, tenant: Tenant): HTMLElement {
  const { t } = ctx;
  const panel = h(
    'section',
    { class: 'panel health', 'aria-labelledby': 'health-title' },
    h('h2', { id: 'health-title' }, t('health.title')),
    h('p', { role: 'status' }, t('common.loading')),
  );
  const render = (state: ReturnType<typeof healthState>, extra: HTMLElement[]): void =>
    show(
      panel,
      h('h2', { id: 'health-title' }, t('health.title')),
      h('p', {}, state ? h('span', { class: `badge state-${state}` }, t(`health.${state}`)) : null, ' ', state ? t(`health.explain.${state}`) : ''),
      extra,
    );
  void ctx.api.mailHealth(tenant.id).then(
    (health) => {
      const row = { tenant, health };
      const state = healthState(row);
      const mailStatus = tenant.mailStatus;
      const reason = t.code(
        mailStatus.reasonCode ?? health.reasonCode,
        mailStatus.reasonCode ? mailStatus.reasonParams : health.reasonParams,
        mailStatus.reason ?? health.reason,
      );
      render(
        state,
        [
          state === 'parked' ? h('p', { class: 'alert queue-stopped' }, t('health.queueStopped', { count: health.queued })) : null,
          state === 'parked' && reason ? h('p', { class: 'reason' }, reason) : null,
          ...(health.warnings ?? []).map((warning) => h('p', { class: 'warning' }, t.code(warning.code, warning.params, warning.message))),
          h(
            'p',
            { class: 'hint' },
            t('health.figures', {
              queued: health.queued,
              oldest: health.queued > 0 ? formatAge(health.oldestQueuedSeconds) : '–',
              last: formatDateTime(health.lastSuccessAt, ctx.language),
            }),
          ),
        ].filter((element): element is HTMLParagraphElement => element !== null),
      );
    },
    (error) => render(tenant.mailStatus.state === 'parked' ? 'parked' : undefined, [errorBox(t, error)]),
  );
  return panel;
}

/** Key management and offboarding: the admin's alone. */
export function tenantAdminPanels(ctx: Context, tenant: Tenant): HTMLElement[] {
  if (!ctx.isAdmin) return [h('p', { class: 'hint admin-only' }, ctx.t('keys.adminOnly'))];
  return [keysPanel(ctx, tenant), deletePanel(ctx, tenant)];
}

function keysPanel(ctx: Context, tenant: Tenant): HTMLElement {
  const { t, api } = ctx;
  const list = h('div', { class: 'keys-list' });
  const created = h('div', { class: 'created-key', 'aria-live': 'polite' });
  const nameInput = h('input', { id: 'key-name', name: 'keyName', required: true, maxlength: 100, autocomplete: 'off' });
  const expiryInput = h('input', { id: 'key-expiry', name: 'keyExpiry', type: 'date' });
  const createButton = h('button', { type: 'submit' }, t('keys.create'));
  const form = h(
    'form',
    { class: 'toolbar key-form' },
    h('div', { class: 'field' }, h('label', { for: 'key-name' }, t('keys.name')), nameInput),
    h('div', { class: 'field' }, h('label', { for: 'key-expiry' }, t('keys.expiry')), expiryInput, h('p', { class: 'hint' }, t('keys.expiryHint'))),
    createButton,
  );
  const load = async (): Promise<void> => {
    try {
      const page = await api.apiKeys(tenant.id);
      if (page.items.length === 0) return show(list, h('p', {}, t('keys.none')));
      show(
        list,
        h(
          'div',
          { class: 'table-wrap' },
          h(
            'table',
            { class: 'responsive keys' },
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                (['name', 'created', 'lastUsed', 'expires'] as const).map((column) => h('th', { scope: 'col' }, t(`keys.col.${column}`))),
                h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, t('keys.delete'))),
              ),
            ),
            h(
              'tbody',
              {},
              page.items.map((key) => keyRow(key)),
            ),
          ),
        ),
      );
    } catch (error) {
      show(list, errorBox(t, error));
    }
  };
  const keyRow = (key: ApiKey): HTMLTableRowElement => {
    const remove = h('button', { type: 'button', class: 'secondary danger' }, t('keys.delete'));
    remove.addEventListener('click', async () => {
      if (!window.confirm(t('keys.confirmDelete', { name: key.name ?? key.id }))) return;
      try {
        await api.deleteApiKey(tenant.id, key.id);
        await load();
      } catch (error) {
        list.prepend(errorBox(t, error));
      }
    });
    return h(
      'tr',
      { 'data-key': key.id },
      h('td', { 'data-label': t('keys.col.name') }, key.name ?? key.id),
      h('td', { 'data-label': t('keys.col.created') }, formatDateTime(key.createdAt, ctx.language)),
      h('td', { 'data-label': t('keys.col.lastUsed') }, key.lastUsedAt ? formatDateTime(key.lastUsedAt, ctx.language) : t('keys.never')),
      h('td', { 'data-label': t('keys.col.expires') }, key.expiresAt ? formatDateTime(key.expiresAt, ctx.language) : t('keys.noExpiry')),
      h('td', {}, remove),
    );
  };
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const name = nameInput.value.trim();
    if (!name) return nameInput.focus();
    createButton.disabled = true;
    try {
      // The key lasts to the end of the chosen day in the browser's time zone.
      const expiresAt = expiryInput.value ? new Date(`${expiryInput.value}T23:59:59`).toISOString() : undefined;
      const made = await api.createApiKey(tenant.id, { name, ...(expiresAt ? { expiresAt } : {}) });
      show(created, h('p', { class: 'warning' }, t('keys.shownOnce')), h('pre', { class: 'new-key' }, made.key));
      nameInput.value = '';
      expiryInput.value = '';
      await load();
    } catch (error) {
      show(created, errorBox(t, error));
    } finally {
      createButton.disabled = false;
    }
  });
  void load();
  return h(
    'section',
    { class: 'panel', 'aria-labelledby': 'keys-title' },
    h('h2', { id: 'keys-title' }, t('keys.title')),
    h('p', { class: 'hint' }, t('keys.intro')),
    form,
    created,
    list,
  );
}

function deletePanel(ctx: Context, tenant: Tenant): HTMLElement {
  const { t, api } = ctx;
  const confirmInput = h('input', { id: 'delete-confirm', name: 'deleteConfirm', autocomplete: 'off', spellcheck: 'false' });
  const button = h('button', { type: 'submit', class: 'danger', disabled: true }, t('delete.submit'));
  const status = liveRegion();
  confirmInput.addEventListener('input', () => {
    button.disabled = confirmInput.value.trim() !== tenant.id;
  });
  const form = h(
    'form',
    { class: 'toolbar delete-form' },
    h('div', { class: 'field' }, h('label', { for: 'delete-confirm' }, t('delete.confirm', { id: tenant.id })), confirmInput),
    button,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (confirmInput.value.trim() !== tenant.id) return;
    button.disabled = true;
    try {
      await api.deleteTenant(tenant.id);
      ctx.flash(t('delete.done', { id: tenant.id }));
      ctx.navigate('#/tenants');
    } catch (error) {
      show(status, errorBox(t, error));
      button.disabled = false;
    }
  });
  return h(
    'section',
    { class: 'panel danger-zone', 'aria-labelledby': 'delete-title' },
    h('h2', { id: 'delete-title' }, t('delete.title')),
    h('p', { class: 'hint' }, t('delete.intro')),
    form,
    status,
  );
}
