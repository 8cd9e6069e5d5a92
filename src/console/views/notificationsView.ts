import { errorBox, routeHash, tenantPicker, type Context } from '../context.js';
import { h, options, show } from '../dom.js';
import { formatAddress, formatDateTime } from '../format.js';
import { showPagedTable } from '../pagedTable.js';
import { NOTIFICATION_STATUSES, type Notification, type NotificationStatus } from '../types.js';

const KINDS = ['comment', 'assignment', 'message'] as const;

/** `#/notifications?tenant=&status=&q=&id=`: newest first, filter by status, search, page on, details with the sender decision. */
export async function notificationsView(ctx: Context, root: HTMLElement): Promise<void> {
  const { t, api, route } = ctx;
  const tenantId = route.params.get('tenant') ?? ctx.session.tenantId ?? undefined;
  const statusParam = route.params.get('status') ?? '';
  const status = (NOTIFICATION_STATUSES as readonly string[]).includes(statusParam) ? (statusParam as NotificationStatus) : '';
  const statusSelect = options(
    h('select', { id: 'status-filter', name: 'status' }),
    [{ value: '', label: t('notifications.allStatuses') }, ...NOTIFICATION_STATUSES.map((value) => ({ value, label: t(`status.${value}` as const) }))],
    status,
  );
  const picker = await tenantPicker(
    ctx,
    tenantId,
    [h('div', { class: 'field' }, h('label', { for: 'status-filter' }, t('notifications.status')), statusSelect)],
    (chosen) => ctx.navigate(routeHash(['notifications'], { tenant: chosen, status: statusSelect.value })),
  );
  // The API has no search: the search filters the rows loaded so far, and says so.
  const search = h('input', { id: 'search', name: 'q', type: 'search', autocomplete: 'off', value: route.params.get('q') ?? undefined });
  const searchNote = h('p', { class: 'hint', id: 'search-hint' }, t('notifications.searchHint'));
  search.setAttribute('aria-describedby', 'search-hint');
  const searchBox = h('div', { class: 'field search' }, h('label', { for: 'search' }, t('notifications.search')), search, searchNote);
  const detail = h('section', { class: 'panel detail', 'aria-live': 'polite', hidden: true });
  const list = h('div', { class: 'list' });
  show(root, h('h1', { tabindex: -1 }, t('notifications.title')), picker, detail, list);
  if (!tenantId) return;
  list.before(searchBox);

  const openDetail = async (id: string): Promise<void> => {
    detail.hidden = false;
    show(detail, t('common.loading'));
    try {
      renderDetail(ctx, await api.notification(tenantId, id), detail);
      detail.querySelector('h2')?.focus();
    } catch (error) {
      show(detail, errorBox(t, error));
    }
  };

  const applySearch = (): void => {
    const needle = search.value.trim().toLowerCase();
    for (const row of list.querySelectorAll<HTMLTableRowElement>('tbody tr')) row.hidden = needle !== '' && !(row.dataset.search ?? '').includes(needle);
  };
  search.addEventListener('input', applySearch);

  await showPagedTable(ctx, list, {
    tableClass: 'notifications',
    head: [
      (['created', 'status', 'to', 'subject', 'from', 'attempts', 'rewritten'] as const).map((column) =>
        h('th', { scope: 'col' }, t(`notifications.col.${column}`)),
      ),
      h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, t('notifications.show'))),
    ],
    fetch: (cursor) => api.notifications(tenantId, { status, limit: 50, ...(cursor ? { cursor } : {}) }),
    row: (item) => notificationRow(ctx, item, openDetail),
    onError: 'append',
  });
  new MutationObserver(applySearch).observe(list, { childList: true, subtree: true });
  applySearch();
  const id = route.params.get('id');
  if (id) await openDetail(id);
}

function recipients(item: Notification): string {
  return [...(item.to ?? []), ...(item.cc ?? [])].map(formatAddress).join(', ');
}

function kindText(ctx: Context, kind: string | undefined): string | undefined {
  if (!kind) return undefined;
  return (KINDS as readonly string[]).includes(kind) ? ctx.t(`kind.${kind as (typeof KINDS)[number]}`) : kind;
}

function notificationRow(ctx: Context, item: Notification, open: (id: string) => Promise<void>): HTMLTableRowElement {
  const { t } = ctx;
  const button = h('button', { type: 'button', class: 'link' }, t('notifications.show'));
  button.addEventListener('click', () => void open(item.id));
  const to = recipients(item);
  return h(
    'tr',
    { 'data-notification': item.id, class: `status-${item.status}`, 'data-search': `${to} ${item.subject ?? ''}`.toLowerCase() },
    h('td', { 'data-label': t('notifications.col.created') }, formatDateTime(item.createdAt, ctx.language)),
    h('td', { 'data-label': t('notifications.col.status') }, h('span', { class: `badge status-${item.status}` }, t(`status.${item.status}` as const))),
    h('td', { 'data-label': t('notifications.col.to'), class: 'recipients' }, to || '–'),
    h('td', { 'data-label': t('notifications.col.subject'), class: 'subject' }, item.subject ?? kindText(ctx, item.kind) ?? ''),
    h('td', { 'data-label': t('notifications.col.from') }, formatAddress(item.from)),
    h('td', { 'data-label': t('notifications.col.attempts'), class: 'num' }, String(item.attempts)),
    h('td', { 'data-label': t('notifications.col.rewritten') }, t(item.senderRewritten ? 'common.yes' : 'common.no')),
    h('td', {}, button),
  );
}

function renderDetail(ctx: Context, item: Notification, target: HTMLElement): void {
  const { t } = ctx;
  const reason = t.code(item.rewriteReasonCode, item.rewriteReasonParams, item.rewriteReason ?? '');
  const rows: Array<[string, string | undefined]> = [
    [t('notifications.field.id'), item.id],
    [t('notifications.field.kind'), kindText(ctx, item.kind)],
    [t('notifications.field.status'), t(`status.${item.status}` as const)],
    [t('notifications.field.attempts'), String(item.attempts)],
    [t('notifications.field.subject'), item.subject],
    [t('notifications.field.to'), recipients(item)],
    [t('notifications.field.ticket'), item.ticketId],
    [t('notifications.field.from'), formatAddress(item.from)],
    [t('notifications.field.replyTo'), item.replyTo ? formatAddress(item.replyTo) : undefined],
    [t('notifications.field.senderDecision'), item.senderRewritten ? t('notifications.rewritten', { reason }) : t('notifications.asAuthor')],
    [t('notifications.field.messageId'), item.messageId],
    [t('notifications.field.lastError'), item.lastError || item.lastErrorCode ? t.code(item.lastErrorCode, item.lastErrorParams, item.lastError) : undefined],
    [
      t('notifications.field.rejected'),
      item.rejectedRecipients?.map((rejected) => `${rejected.address}${rejected.response ? ` (${rejected.response})` : ''}`).join(', '),
    ],
    [t('notifications.field.nextAttempt'), item.nextAttemptAt ? formatDateTime(item.nextAttemptAt, ctx.language) : undefined],
    [t('notifications.field.createdAt'), formatDateTime(item.createdAt, ctx.language)],
    [t('notifications.field.sentAt'), item.sentAt ? formatDateTime(item.sentAt, ctx.language) : undefined],
  ];
  const close = h('button', { type: 'button', class: 'secondary' }, t('common.close'));
  close.addEventListener('click', () => {
    target.hidden = true;
  });
  show(
    target,
    h('h2', { tabindex: -1, class: 'detail-title' }, t('notifications.detail'), ' ', h('code', {}, item.id)),
    h(
      'dl',
      {},
      rows.filter((row) => row[1] !== undefined && row[1] !== '').map(([term, value]) => [h('dt', {}, term), h('dd', {}, value ?? '')]),
    ),
    close,
  );
}
