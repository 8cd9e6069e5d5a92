import { ApiError } from '../api.js';
import { errorBox, routeHash, scheduleNote, type Context } from '../context.js';
import { h, show } from '../dom.js';
import { formatAge, formatDateTime } from '../format.js';
import type { MessageKey } from '../i18n.js';
import { presetTitle } from '../presetText.js';
import { defaultDescending, failureCount, healthState, isParked, sortRows, type SortKey, type TenantRow } from '../tenantRows.js';
import { FAILURE_CLASSES, type MailHealth } from '../types.js';

/** Up to this many tenants, every tenant's health is fetched at once; beyond, only rows in sight. */
const EAGER_HEALTH_LIMIT = 200;
const HEALTH_CONCURRENCY = 4;

const COLUMNS: Array<{ key: SortKey; label: MessageKey; numeric?: boolean }> = [
  { key: 'name', label: 'tenants.col.tenant' },
  { key: 'state', label: 'tenants.col.state' },
  { key: 'lastSuccess', label: 'tenants.col.lastSuccess' },
  { key: 'failures', label: 'tenants.col.failures', numeric: true },
  { key: 'queued', label: 'tenants.col.queued', numeric: true },
  { key: 'oldest', label: 'tenants.col.oldest', numeric: true },
];

export async function tenantsView(ctx: Context, root: HTMLElement): Promise<void> {
  const { t, api } = ctx;
  const heading = h('h1', { tabindex: -1 }, t('tenants.title'));
  const status = h('p', { class: 'summary', role: 'status' }, t('common.loading'));
  show(root, h('div', { class: 'view-head' }, heading, ctx.isAdmin ? h('a', { class: 'button', href: '#/tenants/new' }, t('tenants.new')) : null), status);

  let tenants;
  try {
    tenants = ctx.isAdmin ? await api.allTenants() : [await api.tenant(ctx.session.tenantId ?? '')];
  } catch (error) {
    show(status);
    root.appendChild(errorBox(t, error));
    return;
  }
  performance.mark('tenants-fetched');

  const rows: TenantRow[] = tenants.map((tenant) => ({ tenant }));
  const elements = new Map<TenantRow, HTMLTableRowElement>();
  const rowOf = new Map<Element, TenantRow>();
  let sortKey: SortKey = 'problems';
  let descending = true;
  let userSorted = false;

  const tbody = h('tbody');
  const headerCells = COLUMNS.map((column) => {
    const button = h('button', { type: 'button', class: 'sort', 'data-sort': column.key }, t(column.label));
    button.addEventListener('click', () => {
      userSorted = true;
      descending = sortKey === column.key ? !descending : defaultDescending(column.key);
      sortKey = column.key;
      arrange();
    });
    return h('th', { scope: 'col', class: column.numeric ? 'num' : undefined }, button);
  });
  const problemsButton = h('button', { type: 'button', class: 'sort-problems' }, t('tenants.sort.problems'));
  problemsButton.addEventListener('click', () => {
    userSorted = true;
    sortKey = 'problems';
    descending = true;
    arrange();
  });

  const table = h(
    'table',
    { class: 'tenants responsive' },
    h('caption', {}, t('tenants.caption')),
    h('thead', {}, h('tr', {}, headerCells[0], h('th', { scope: 'col' }, t('tenants.col.preset')), headerCells.slice(1))),
    tbody,
  );

  function arrange(): void {
    const ordered = sortRows(rows, sortKey, descending);
    const fragment = document.createDocumentFragment();
    for (const row of ordered) fragment.appendChild(elements.get(row) ?? createRow(row));
    tbody.appendChild(fragment);
    headerCells.forEach((cell, index) => {
      const column = COLUMNS[index]!;
      if (column.key === sortKey) cell.setAttribute('aria-sort', descending ? 'descending' : 'ascending');
      else cell.removeAttribute('aria-sort');
    });
    problemsButton.setAttribute('aria-pressed', String(sortKey === 'problems'));
    summarize();
  }

  function createRow(row: TenantRow): HTMLTableRowElement {
    const { tenant } = row;
    const tr = h(
      'tr',
      { 'data-tenant': tenant.id },
      h(
        'th',
        { scope: 'row', 'data-label': t('tenants.col.tenant') },
        h('a', { href: routeHash(['tenants', tenant.id]) }, tenant.name),
        h('span', { class: 'tenant-id' }, tenant.id),
      ),
      h('td', { 'data-label': t('tenants.col.preset') }, presetTitle(t, tenant.mail.preset)),
      h('td', { 'data-label': t('tenants.col.state'), class: 'state' }),
      h('td', { 'data-label': t('tenants.col.lastSuccess'), class: 'last-success' }),
      h('td', { 'data-label': t('tenants.col.failures'), class: 'num failures' }),
      h('td', { 'data-label': t('tenants.col.queued'), class: 'num queued' }),
      h('td', { 'data-label': t('tenants.col.oldest'), class: 'num oldest' }),
    );
    elements.set(row, tr);
    rowOf.set(tr, row);
    fillHealth(tr, row);
    return tr;
  }

  function fillHealth(tr: HTMLTableRowElement, row: TenantRow, outcome: HealthOutcome | 'pending' = 'pending'): void {
    const cells = tr.cells;
    const parked = isParked(row);
    const mailStatus = row.tenant.mailStatus;
    const state = healthState(row);
    tr.classList.toggle('parked', parked);
    const reasonCode = mailStatus.reasonCode ?? row.health?.reasonCode;
    const reason = t.code(reasonCode, mailStatus.reasonCode ? mailStatus.reasonParams : row.health?.reasonParams, mailStatus.reason ?? row.health?.reason);
    const since = mailStatus.since ?? row.health?.since;
    show(
      cells[2]!,
      state ? h('span', { class: `badge state-${state}` }, t(`health.${state}`)) : t('tenants.healthPending'),
      parked && reason ? h('span', { class: 'reason' }, reason) : null,
      parked && since ? h('span', { class: 'since' }, t('tenants.parkedSince', { since: formatDateTime(since, ctx.language) })) : null,
      (row.health?.warnings ?? []).map((warning) => h('span', { class: 'reason warn' }, t.code(warning.code, warning.params, warning.message))),
    );
    const health = row.health;
    if (!health) {
      const placeholder = outcome === 'failed' ? t('tenants.healthFailed') : outcome === 'unsupported' ? '–' : t('tenants.healthPending');
      for (const index of [3, 4, 5, 6]) show(cells[index]!, index === 3 ? placeholder : '');
      return;
    }
    show(cells[3]!, formatDateTime(health.lastSuccessAt, ctx.language));
    show(cells[4]!, failureText(health));
    cells[4]!.classList.toggle('warn', failureCount(health) > 0);
    show(cells[5]!, String(health.queued));
    show(cells[6]!, health.queued > 0 ? formatAge(health.oldestQueuedSeconds) : '–');
  }

  function failureText(health: MailHealth): string {
    const total = failureCount(health);
    if (total === 0) return t('tenants.noFailures');
    const parts = FAILURE_CLASSES.filter((failureClass) => (health.failures24h[failureClass] ?? 0) > 0).map(
      (failureClass) => `${t(`failure.${failureClass}` as const)} ${health.failures24h[failureClass]}`,
    );
    return `${total} (${parts.join(', ')})`;
  }

  function summarize(): void {
    show(status, t('tenants.summary', { count: rows.length, parked: rows.filter(isParked).length }));
  }

  arrange();
  root.append(await scheduleNote(ctx), h('div', { class: 'toolbar' }, problemsButton), h('div', { class: 'table-wrap' }, table));
  performance.mark('tenants-rendered');
  document.body.dataset.tenantsRendered = String(rows.length);

  const loader = new HealthLoader(ctx, (row, outcome) => {
    const tr = elements.get(row);
    if (tr) fillHealth(tr, row, outcome);
  });
  if (rows.length <= EAGER_HEALTH_LIMIT) {
    await loader.loadAll(rows);
    // Health changes what counts as a problem; sort once more unless the operator chose an order.
    if (!userSorted && tbody.isConnected) arrange();
  } else {
    const observer = new IntersectionObserver(
      (entries) => {
        for (const entry of entries) {
          if (!entry.isIntersecting) continue;
          observer.unobserve(entry.target);
          const row = rowOf.get(entry.target);
          if (row) void loader.loadAll([row]);
        }
      },
      { rootMargin: '300px 0px' },
    );
    for (const tr of elements.values()) observer.observe(tr);
  }
}

type HealthOutcome = 'loaded' | 'failed' | 'unsupported';

/** Fetches mail health a few at a time, waiting out a 429 instead of failing. */
class HealthLoader {
  private running = 0;
  /** Set when the service has no health endpoint (404 for a tenant it just listed): stop asking. */
  private unsupported = false;
  private readonly waiting: Array<() => void> = [];

  constructor(
    private readonly ctx: Context,
    private readonly loaded: (row: TenantRow, outcome: HealthOutcome) => void,
  ) {}

  async loadAll(rows: TenantRow[]): Promise<void> {
    await Promise.all(rows.map((row) => this.load(row)));
  }

  private async load(row: TenantRow): Promise<void> {
    if (this.running >= HEALTH_CONCURRENCY) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.running += 1;
    try {
      if (this.unsupported) return this.loaded(row, 'unsupported');
      for (let attempt = 0; attempt < 3; attempt++) {
        try {
          row.health = await this.ctx.api.mailHealth(row.tenant.id);
          this.loaded(row, 'loaded');
          return;
        } catch (error) {
          if (error instanceof ApiError && error.status === 404) {
            this.unsupported = true;
            return this.loaded(row, 'unsupported');
          }
          if (!(error instanceof ApiError && error.status === 429)) break;
          await new Promise((resolve) => setTimeout(resolve, (error.retryAfterSeconds ?? 5) * 1000));
        }
      }
      this.loaded(row, 'failed');
    } finally {
      this.running -= 1;
      this.waiting.shift()?.();
    }
  }
}
