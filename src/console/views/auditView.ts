import { errorBox, routeHash, tenantPicker, type Context } from '../context.js';
import { h, show } from '../dom.js';
import { formatDateTime } from '../format.js';
import type { AuditEntry } from '../types.js';

/** `#/audit?tenant=`: who changed what, newest first; details as the API gives them (never secrets). */
export async function auditView(ctx: Context, root: HTMLElement): Promise<void> {
  const { t, api } = ctx;
  const tenantId = ctx.route.params.get('tenant') ?? ctx.session.tenantId ?? undefined;
  const picker = await tenantPicker(ctx, tenantId, [], (chosen) => ctx.navigate(routeHash(['audit'], { tenant: chosen })));
  const list = h('div', { class: 'list' });
  show(root, h('h1', { tabindex: -1 }, t('audit.title')), picker, list);
  if (!tenantId) return;

  const tbody = h('tbody');
  const more = h('button', { type: 'button', class: 'secondary', hidden: true }, t('common.loadMore'));
  let cursor: string | undefined;
  const loadPage = async (): Promise<void> => {
    more.disabled = true;
    try {
      const page = await api.audit(tenantId, { limit: 50, ...(cursor ? { cursor } : {}) });
      for (const entry of page.items) tbody.appendChild(auditRow(ctx, entry));
      cursor = page.nextCursor ?? undefined;
      more.hidden = !cursor;
      if (tbody.rows.length === 0) show(list, h('p', {}, t('common.none')));
    } catch (error) {
      show(list, errorBox(t, error));
    } finally {
      more.disabled = false;
    }
  };
  more.addEventListener('click', () => void loadPage());
  show(
    list,
    h(
      'div',
      { class: 'table-wrap' },
      h('table', { class: 'responsive audit' }, h('thead', {}, h('tr', {}, (['at', 'actor', 'action', 'details'] as const).map((column) => h('th', { scope: 'col' }, t(`audit.col.${column}`))))), tbody),
    ),
    more,
  );
  await loadPage();
}

function auditRow(ctx: Context, entry: AuditEntry): HTMLTableRowElement {
  const { t } = ctx;
  return h(
    'tr',
    {},
    h('td', { 'data-label': t('audit.col.at') }, formatDateTime(entry.at, ctx.language)),
    h('td', { 'data-label': t('audit.col.actor') }, entry.actor),
    h('td', { 'data-label': t('audit.col.action') }, entry.action),
    h('td', { 'data-label': t('audit.col.details') }, h('code', { class: 'details' }, Object.keys(entry.details ?? {}).length > 0 ? JSON.stringify(entry.details) : '')),
  );
}
