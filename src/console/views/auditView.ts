import { routeHash, tenantPicker, type Context } from '../context.js';
import { h, show } from '../dom.js';
import { auditAction, auditActor, auditDetails } from '../auditText.js';
import { formatDateTime } from '../format.js';
import { showPagedTable } from '../pagedTable.js';
import type { AuditEntry } from '../types.js';

/** `#/audit?tenant=`: who changed what, newest first; the details as a list of what changed (never secrets). */
export async function auditView(ctx: Context, root: HTMLElement): Promise<void> {
  const { t, api } = ctx;
  const tenantId = ctx.route.params.get('tenant') ?? ctx.session.tenantId ?? undefined;
  const picker = await tenantPicker(ctx, tenantId, [], (chosen) => ctx.navigate(routeHash(['audit'], { tenant: chosen })));
  const list = h('div', { class: 'list' });
  show(root, h('h1', { tabindex: -1 }, t('audit.title')), picker, list);
  if (!tenantId) return;

  await showPagedTable(ctx, list, {
    tableClass: 'audit',
    head: (['at', 'actor', 'action', 'details'] as const).map((column) => h('th', { scope: 'col' }, t(`audit.col.${column}`))),
    fetch: (cursor) => api.audit(tenantId, { limit: 50, ...(cursor ? { cursor } : {}) }),
    row: (entry) => auditRow(ctx, entry),
    onError: 'replace',
  });
}

function auditRow(ctx: Context, entry: AuditEntry): HTMLTableRowElement {
  const { t } = ctx;
  const details = auditDetails(t, entry.details ?? {}, (iso) => formatDateTime(iso, ctx.language));
  return h(
    'tr',
    { 'data-action': entry.action },
    h('td', { 'data-label': t('audit.col.at') }, formatDateTime(entry.at, ctx.language)),
    h('td', { 'data-label': t('audit.col.actor') }, auditActor(t, entry.actor, entry.actorName)),
    h('td', { 'data-label': t('audit.col.action'), class: 'action' }, auditAction(t, entry.action)),
    h(
      'td',
      { 'data-label': t('audit.col.details') },
      details.length > 0
        ? h(
            'ul',
            { class: 'details' },
            details.map(([label, value]) => h('li', {}, h('span', { class: 'detail-label' }, `${label}: `), value)),
          )
        : '',
    ),
  );
}
