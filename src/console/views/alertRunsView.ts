import { errorBox, routeHash, scheduleNote, tenantPicker, type Context } from '../context.js';
import { h, liveRegion, show } from '../dom.js';
import { formatAddress, formatDateTime, formatDay, todayIso } from '../format.js';
import type { AlertRun, DigestPreview } from '../types.js';

/** `#/alert-runs?tenant=&date=`: history and trigger (admin), and a preview of one tenant's digests. */
export async function alertRunsView(ctx: Context, root: HTMLElement): Promise<void> {
  const { t, api, route } = ctx;
  const today = todayIso();
  const tenantId = route.params.get('tenant') ?? ctx.session.tenantId ?? undefined;
  const date = route.params.get('date') ?? today;
  show(root, h('h1', { tabindex: -1 }, t('alertRuns.title')), await scheduleNote(ctx));

  if (ctx.isAdmin) {
    const dateInput = h('input', { id: 'run-date', name: 'date', type: 'date', max: today, value: today, required: true });
    const runStatus = liveRegion();
    const runButton = h('button', { type: 'submit' }, t('alertRuns.triggerSubmit'));
    const history = h('div', { class: 'history' });
    const triggerForm = h(
      'form',
      { class: 'toolbar' },
      h('div', { class: 'field' }, h('label', { for: 'run-date' }, t('alertRuns.triggerDate')), dateInput),
      runButton,
    );
    // Starting a run mails every tenant's assignees: the operator confirms it in words first.
    const confirmYes = h('button', { type: 'button', class: 'danger' }, t('alertRuns.confirmYes'));
    const confirmNo = h('button', { type: 'button', class: 'secondary' }, t('alertRuns.confirmNo'));
    const confirmText = h('p', {});
    const confirmBox = h(
      'div',
      { class: 'confirm warning', role: 'alertdialog', 'aria-labelledby': 'confirm-run-text', hidden: true },
      confirmText,
      h('div', { class: 'links' }, confirmYes, confirmNo),
    );
    confirmText.id = 'confirm-run-text';
    triggerForm.addEventListener('submit', (event) => {
      event.preventDefault();
      show(confirmText, t('alertRuns.confirm', { date: formatDay(dateInput.value || today, ctx.language) }));
      confirmBox.hidden = false;
      runButton.disabled = true;
      confirmYes.focus();
    });
    confirmNo.addEventListener('click', () => {
      confirmBox.hidden = true;
      runButton.disabled = false;
      runButton.focus();
    });
    confirmYes.addEventListener('click', async () => {
      confirmBox.hidden = true;
      try {
        const run = await api.triggerAlertRun(dateInput.value || undefined);
        show(runStatus, h('span', { class: 'ok', 'data-run': run.id }, t('alertRuns.triggered', { date: formatDay(run.date, ctx.language) })));
        await loadHistory(ctx, history);
      } catch (error) {
        show(runStatus, errorBox(t, error));
      } finally {
        runButton.disabled = false;
      }
    });
    root.append(
      h(
        'section',
        { class: 'panel', 'aria-labelledby': 'trigger-title' },
        h('h2', { id: 'trigger-title' }, t('alertRuns.trigger')),
        triggerForm,
        confirmBox,
        runStatus,
      ),
      h('section', { 'aria-labelledby': 'history-title' }, h('h2', { id: 'history-title' }, t('alertRuns.history')), history),
    );
    void loadHistory(ctx, history);
  } else root.append(h('p', { class: 'hint admin-only' }, t('alertRuns.adminOnly')));

  const previewDate = h('input', { id: 'preview-date', name: 'date', type: 'date', value: date, required: true });
  const preview = h('div', { class: 'preview' });
  const picker = await tenantPicker(
    ctx,
    tenantId,
    [h('div', { class: 'field' }, h('label', { for: 'preview-date' }, t('common.date')), previewDate)],
    (chosen) => ctx.navigate(routeHash(['alert-runs'], { tenant: chosen, date: previewDate.value })),
  );
  root.append(h('section', { class: 'panel', 'aria-labelledby': 'preview-title' }, h('h2', { id: 'preview-title' }, t('alertRuns.preview')), picker, preview));
  if (tenantId && route.params.has('tenant')) await loadPreview(ctx, tenantId, date, preview);
}

const RUN_STATUSES = ['running', 'completed', 'failed'] as const;

async function loadHistory(ctx: Context, target: HTMLElement): Promise<void> {
  const { t } = ctx;
  try {
    const page = await ctx.api.alertRuns({ limit: 50 });
    if (page.items.length === 0) return show(target, h('p', {}, t('common.none')));
    const columns = ['date', 'trigger', 'status', 'started', 'finished', 'tenants', 'recipients', 'queued', 'alreadySent', 'errors'] as const;
    const cell = (run: AlertRun, column: (typeof columns)[number]): string => {
      switch (column) {
        case 'date':
          return formatDay(run.date, ctx.language);
        case 'trigger':
          return run.trigger ? t(`trigger.${run.trigger}`) : '';
        case 'status':
          return (RUN_STATUSES as readonly string[]).includes(run.status) ? t(`runStatus.${run.status as (typeof RUN_STATUSES)[number]}`) : run.status;
        case 'started':
          return formatDateTime(run.startedAt, ctx.language);
        case 'finished':
          return formatDateTime(run.finishedAt, ctx.language);
        case 'errors':
          return String(run.errors?.length ?? 0);
        default:
          return String(run[column] ?? '');
      }
    };
    show(
      target,
      h(
        'div',
        { class: 'table-wrap' },
        h(
          'table',
          { class: 'responsive runs' },
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              columns.map((column) => h('th', { scope: 'col' }, t(`alertRuns.col.${column}`))),
            ),
          ),
          h(
            'tbody',
            {},
            page.items.map((run) =>
              h(
                'tr',
                { 'data-run': run.id },
                columns.map((column) => h('td', { 'data-label': t(`alertRuns.col.${column}`) }, cell(run, column))),
              ),
            ),
          ),
        ),
      ),
    );
  } catch (error) {
    show(target, errorBox(t, error));
  }
}

async function loadPreview(ctx: Context, tenantId: string, date: string, target: HTMLElement): Promise<void> {
  const { t } = ctx;
  show(target, h('p', { role: 'status' }, t('common.loading')));
  try {
    const { items: digests } = await ctx.api.alertPreview(tenantId, date);
    if (digests.length === 0) return show(target, h('p', { role: 'status' }, t('alertRuns.previewNone')));
    show(
      target,
      h('p', { role: 'status' }, t('alertRuns.previewCount', { count: digests.length })),
      digests.map((digest) => digestCard(ctx, digest)),
    );
  } catch (error) {
    show(target, errorBox(t, error));
  }
}

function recipientsOf(digest: DigestPreview): string {
  return (digest.recipients ?? []).map(formatAddress).join(', ');
}

function digestCard(ctx: Context, digest: DigestPreview): HTMLElement {
  const { t } = ctx;
  const to = recipientsOf(digest);
  const from = (digest as { from?: { name?: string; address: string } }).from;
  const card = h(
    'article',
    { class: 'digest' },
    h('h3', {}, digest.subject),
    h('p', { class: 'hint' }, t('alertRuns.previewTo', { to })),
    from ? h('p', { class: 'hint' }, t('alertRuns.previewFrom', { from: formatAddress(from) })) : null,
  );
  if (digest.html) {
    // The one place HTML from the service is shown: a frame with no scripts, forms, plugins or
    // same-origin access (sandbox=""), which also inherits the console's CSP.
    const frame = h('iframe', {
      class: 'digest-frame',
      sandbox: '',
      title: t('alertRuns.previewFrame', { to }),
      referrerpolicy: 'no-referrer',
      loading: 'lazy',
    });
    frame.srcdoc = digest.html;
    card.appendChild(frame);
  }
  if (digest.text) card.appendChild(h('details', {}, h('summary', {}, t('alertRuns.previewText')), h('pre', { class: 'digest-text' }, digest.text)));
  return card;
}
