import { ApiClient } from './api.js';
import { parseRoute, type Context } from './context.js';
import { h, options, show } from './dom.js';
import { LANGUAGE_NAMES, LANGUAGES, pickLanguage, translator, type Language, type MessageKey } from './i18n.js';
import { loadLanguage, loadSession, saveLanguage, saveSession, type Session } from './session.js';
import type { AlertSchedule, Tenant } from './types.js';
import { alertRunsView } from './views/alertRunsView.js';
import { auditView } from './views/auditView.js';
import { notificationsView } from './views/notificationsView.js';
import { signInView } from './views/signInView.js';
import { tenantFormView } from './views/tenantFormView.js';
import { tenantsView } from './views/tenantsView.js';

performance.mark('console-start');
const app = document.getElementById('app')!;
let language: Language = loadLanguage(localStorage) ?? pickLanguage(navigator.languages?.length ? navigator.languages : [navigator.language]);
let pendingFlash: string | undefined;
let tenantCache: { key: string; at: number; tenants: Promise<Array<Pick<Tenant, 'id' | 'name'>>> } | undefined;
let scheduleCache: { key: string; schedule: Promise<AlertSchedule> } | undefined;

const NAV: Array<{ hash: string; section: string; label: MessageKey; adminOnly?: boolean }> = [
  { hash: '#/tenants', section: 'tenants', label: 'nav.tenants' },
  { hash: '#/notifications', section: 'notifications', label: 'nav.notifications' },
  { hash: '#/alert-runs', section: 'alert-runs', label: 'nav.alertRuns' },
  { hash: '#/audit', section: 'audit', label: 'nav.audit' },
];

function render(navigated = false): void {
  const t = translator(language);
  document.documentElement.lang = language;
  document.title = t('app.title');
  const session = loadSession(sessionStorage);
  const languageSelect = options(
    h('select', { id: 'language', name: 'language' }),
    LANGUAGES.map((value) => ({ value, label: LANGUAGE_NAMES[value] })),
    language,
  );
  languageSelect.addEventListener('change', () => {
    language = languageSelect.value as Language;
    saveLanguage(localStorage, language);
    render();
    document.getElementById('language')?.focus();
  });
  const languageSwitch = h('div', { class: 'language' }, h('label', { for: 'language' }, t('lang.label')), languageSelect);
  const main = h('main', { id: 'content', tabindex: -1 });

  if (!session) {
    show(app, h('header', { class: 'top' }, h('span', { class: 'brand' }, t('app.title')), languageSwitch), main);
    signInView(t, main, (signed: Session) => {
      scheduleCache = undefined;
      saveSession(sessionStorage, signed);
      if (!location.hash || location.hash === '#/') location.hash = '#/tenants';
      render();
    });
    return;
  }

  const api = new ApiClient(session.key, {
    onUnauthorized: () => {
      saveSession(sessionStorage, undefined);
      render();
    },
  });
  const isAdmin = !session.tenantId;
  const route = parseRoute(location.hash || '#/tenants');
  const section = route.path[0] ?? 'tenants';
  const signOut = h('button', { type: 'button', class: 'secondary' }, t('signOut'));
  signOut.addEventListener('click', () => {
    saveSession(sessionStorage, undefined);
    tenantCache = undefined;
    render();
  });
  const nav = h(
    'nav',
    { class: 'main-nav', 'aria-label': t('nav.main') },
    h(
      'ul',
      {},
      NAV.filter((item) => isAdmin || !item.adminOnly).map((item) =>
        h('li', {}, h('a', { href: item.hash, 'aria-current': item.section === section ? 'page' : undefined }, t(item.label))),
      ),
    ),
  );
  const who = h('span', { class: 'who' }, isAdmin ? t('session.admin') : t('session.tenant', { tenant: session.tenantId ?? '' }));
  show(
    app,
    h('a', { class: 'skip', href: '#content' }, t('app.skip')),
    h('header', { class: 'top' }, h('span', { class: 'brand' }, t('app.title')), nav, h('div', { class: 'session' }, who, languageSwitch, signOut)),
    main,
  );
  // The skip link must not change the route.
  app.querySelector('a.skip')?.addEventListener('click', (event) => {
    event.preventDefault();
    main.focus();
  });

  const flash = pendingFlash;
  pendingFlash = undefined;
  const view = h('div', { class: 'view' });
  show(main, flash ? h('p', { class: 'flash ok', role: 'status' }, flash) : null, view);

  const ctx: Context = {
    api,
    session,
    isAdmin,
    language,
    t,
    route,
    navigate: (hash) => {
      if (location.hash === hash) render();
      else location.hash = hash;
    },
    tenantChoices: () => {
      if (!isAdmin) return Promise.resolve([{ id: session.tenantId!, name: session.tenantId! }]);
      if (!tenantCache || tenantCache.key !== session.key || Date.now() - tenantCache.at > 30_000) {
        tenantCache = { key: session.key, at: Date.now(), tenants: api.allTenants().then((tenants) => tenants.map(({ id, name }) => ({ id, name }))) };
        tenantCache.tenants.catch(() => (tenantCache = undefined));
      }
      return tenantCache.tenants;
    },
    flash: (message) => {
      pendingFlash = message;
    },
    schedule: () => {
      if (!scheduleCache || scheduleCache.key !== session.key) {
        scheduleCache = { key: session.key, schedule: api.alertSchedule() };
        scheduleCache.schedule.catch(() => (scheduleCache = undefined));
      }
      return scheduleCache.schedule;
    },
  };

  const shown = (() => {
    switch (section) {
      case 'tenants':
        return route.path[1] === 'new'
          ? tenantFormView(ctx, view, undefined)
          : route.path[1]
            ? tenantFormView(ctx, view, route.path[1])
            : tenantsView(ctx, view);
      case 'notifications':
        return notificationsView(ctx, view);
      case 'alert-runs':
        return alertRunsView(ctx, view);
      case 'audit':
        return auditView(ctx, view);
      default:
        return tenantsView(ctx, view);
    }
  })();
  void shown.then(() => {
    // After a navigation, move focus to the new view's heading so keyboard and screen-reader users land there.
    if (navigated && view.isConnected && !view.contains(document.activeElement)) view.querySelector<HTMLElement>('h1')?.focus();
  });
}

window.addEventListener('hashchange', () => render(true));
render();
