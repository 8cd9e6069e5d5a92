import { ApiError, type ApiClient } from './api.js';
import { h, options } from './dom.js';
import type { Language, Translate } from './i18n.js';
import type { Session } from './session.js';
import { formatClock, formatDateTime } from './format.js';
import type { AlertSchedule, FieldError, Tenant } from './types.js';

/** The parsed hash: `#/tenants/acme?x=1` → path ['tenants', 'acme'], params x=1. */
export interface Route {
  path: string[];
  params: URLSearchParams;
}

export function parseRoute(hash: string): Route {
  const [path = '', query = ''] = hash.replace(/^#\/?/, '').split('?');
  return { path: path.split('/').filter(Boolean).map(decodeURIComponent), params: new URLSearchParams(query) };
}

export function routeHash(path: readonly string[], params: Record<string, string | undefined> = {}): string {
  const query = new URLSearchParams(Object.entries(params).filter((entry): entry is [string, string] => Boolean(entry[1]))).toString();
  return `#/${path.map(encodeURIComponent).join('/')}${query ? `?${query}` : ''}`;
}

/** What every view gets: the API, the session, the language, and the route it renders. */
export interface Context {
  api: ApiClient;
  session: Session;
  isAdmin: boolean;
  language: Language;
  t: Translate;
  route: Route;
  navigate(hash: string): void;
  /** The tenants a picker offers: all for the admin, the own one for a tenant key. */
  tenantChoices(): Promise<Array<Pick<Tenant, 'id' | 'name'>>>;
  /** A message shown once at the top of the next view (e.g. "Saved."). */
  flash(message: string): void;
  /** The one global alert time (`GET /alert-schedule`), fetched once per sign-in. */
  schedule(): Promise<AlertSchedule>;
}

export function describeError(t: Translate, error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 0) return t('common.networkError', { message: error.problem.detail });
    if (error.status === 429 && error.retryAfterSeconds) return t('common.retryAfter', { seconds: error.retryAfterSeconds });
    return t('common.error', { message: problemText(t, error.problem) });
  }
  return t('common.error', { message: error instanceof Error ? error.message : String(error) });
}

/** A problem in the console's language: its code's text, else the service's English detail (or title). */
export function problemText(t: Translate, problem: { code?: string; params?: Record<string, unknown>; detail: string; title: string; status: number }): string {
  if (problem.status === 0) return t('common.networkError', { message: problem.detail });
  return t.code(problem.code, problem.params, problem.detail || problem.title);
}

/** One field error in the console's language. */
export function fieldErrorText(t: Translate, error: FieldError): string {
  return t.code(error.code, error.params, error.message);
}

/** "Deadline alerts go out every day at 03:00 (Europe/Zurich)…": the global alert time, for every view that needs it. */
export async function scheduleNote(ctx: Context): Promise<HTMLElement> {
  const { t } = ctx;
  try {
    const schedule = await ctx.schedule();
    const time = schedule.nextRunAt ? formatClock(schedule.nextRunAt, ctx.language, schedule.timezone) : schedule.cron;
    return h(
      'div',
      { class: 'schedule-note panel', 'data-schedule': schedule.cron },
      h('p', {}, h('strong', {}, t('schedule.line', { time, timezone: schedule.timezone, days: schedule.leadDays }))),
      h('p', { class: 'hint' }, t('guide.alertRun')),
      schedule.nextRunAt ? h('p', { class: 'hint' }, t('schedule.next', { at: formatDateTime(schedule.nextRunAt, ctx.language, schedule.timezone) })) : null,
    );
  } catch (error) {
    return errorBox(t, error);
  }
}

export function errorBox(t: Translate, error: unknown): HTMLParagraphElement {
  return h('p', { class: 'alert', role: 'alert' }, describeError(t, error));
}

/** A tenant select (or the one fixed tenant of a tenant key) with a submit button; calls `choose` with the id. */
export async function tenantPicker(
  ctx: Context,
  selected: string | undefined,
  extra: HTMLElement[],
  choose: (tenantId: string) => void,
): Promise<HTMLFormElement> {
  const tenants = await ctx.tenantChoices();
  const select = h('select', { id: 'tenant-picker', name: 'tenant', required: true });
  options(
    select,
    [
      { value: '', label: ctx.t('tenantPicker.choose') },
      ...tenants.map((tenant) => ({ value: tenant.id, label: tenant.name === tenant.id ? tenant.id : `${tenant.name} (${tenant.id})` })),
    ],
    selected ?? (tenants.length === 1 ? tenants[0]!.id : undefined),
  );
  const form = h(
    'form',
    { class: 'toolbar' },
    h('div', { class: 'field' }, h('label', { for: 'tenant-picker' }, ctx.t('common.tenant')), select),
    ...extra,
    h('button', { type: 'submit' }, ctx.t('tenantPicker.show')),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (select.value) choose(select.value);
  });
  return form;
}
