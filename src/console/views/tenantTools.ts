import { errorBox, routeHash, type Context } from '../context.js';
import { h, liveRegion, show } from '../dom.js';
import { todayIso } from '../format.js';
import { isPlainAddress } from '../senderPolicy.js';
import { NOTIFICATION_STATUSES, type NotificationStatus, type Tenant, type VerifyReport } from '../types.js';

/** Verify, test mail and links for a saved tenant. */
export function toolsFor(ctx: Context, tenant: Tenant): HTMLElement[] {
  const { t, api } = ctx;
  const sections: HTMLElement[] = [];
  {
    const probeInput = h('input', { id: 'probe-senders', name: 'probeSenders', autocomplete: 'off', spellcheck: 'false' });
    const verifyStatus = liveRegion();
    const steps = h('ol', { class: 'steps' });
    const verifyButton = h('button', { type: 'submit' }, t('form.verify'));
    const verifyForm = h(
      'form',
      { class: 'verify' },
      h('div', { class: 'field' }, h('label', { for: 'probe-senders' }, t('form.probeSenders')), probeInput),
      verifyButton,
    );
    verifyForm.addEventListener('submit', async (event) => {
      event.preventDefault();
      verifyButton.disabled = true;
      show(steps);
      show(verifyStatus, t('form.verifyRunning'));
      try {
        const report = await api.verifyMail(tenant.id, probeInput.value.split(/[\s,;]+/).filter(Boolean));
        renderSteps(ctx, report, steps);
        show(verifyStatus, h('strong', { class: report.ok ? 'ok' : 'bad' }, t(report.ok ? 'form.verifyOk' : 'form.verifyFailed')));
      } catch (error) {
        show(verifyStatus, errorBox(t, error));
      } finally {
        verifyButton.disabled = false;
      }
    });
    sections.push(
      h(
        'section',
        { class: 'panel', 'aria-labelledby': 'verify-title' },
        h('h2', { id: 'verify-title' }, t('form.verify')),
        h('p', { class: 'hint' }, t('form.verifyIntro')),
        verifyForm,
        verifyStatus,
        steps,
      ),
    );

    const toInput = h('input', { id: 'test-to', name: 'to', type: 'email', required: true, autocomplete: 'email', spellcheck: 'false' });
    const testStatus = liveRegion();
    const testButton = h('button', { type: 'submit' }, t('form.testSend'));
    const testForm = h('form', { class: 'test-mail' }, h('div', { class: 'field' }, h('label', { for: 'test-to' }, t('form.testTo')), toInput), testButton);
    testForm.addEventListener('submit', async (event) => {
      event.preventDefault();
      const to = toInput.value.trim();
      if (!isPlainAddress(to)) {
        show(testStatus, h('span', { class: 'bad' }, t('form.check.invalid')));
        toInput.focus();
        return;
      }
      testButton.disabled = true;
      show(testStatus, t('common.loading'));
      try {
        const result = await api.sendTestMail(tenant.id, to);
        const follow = h('a', { href: routeHash(['notifications'], { tenant: tenant.id, id: result.id }) }, t('form.testFollow'));
        if (result.status === 'sent') show(testStatus, h('span', { class: 'ok' }, t('form.testSent', { to, messageId: result.messageId ?? '' })), ' ', follow);
        else if (result.status === 'failed' || result.status === 'parked')
          show(
            testStatus,
            h(
              'span',
              { class: 'bad' },
              t('form.testFailed', {
                status: statusText(t, result.status),
                error: t.code(result.lastErrorCode, result.lastErrorParams, result.lastError ?? ''),
              }),
            ),
            ' ',
            follow,
          );
        else show(testStatus, t('form.testPending', { to, status: statusText(t, result.status) }), ' ', follow);
      } catch (error) {
        show(testStatus, errorBox(t, error));
      } finally {
        testButton.disabled = false;
      }
    });
    sections.push(h('section', { class: 'panel', 'aria-labelledby': 'test-title' }, h('h2', { id: 'test-title' }, t('form.testMail')), testForm, testStatus));
  }
  sections.push(
    h(
      'nav',
      { class: 'panel links', 'aria-label': t('form.more') },
      h('a', { href: routeHash(['notifications'], { tenant: tenant.id }) }, t('nav.notifications')),
      h('a', { href: routeHash(['alert-runs'], { tenant: tenant.id, date: todayIso() }) }, t('alertRuns.preview')),
      h('a', { href: routeHash(['audit'], { tenant: tenant.id }) }, t('nav.audit')),
    ),
  );
  return sections;
}

function renderSteps(ctx: Context, report: VerifyReport, list: HTMLOListElement): void {
  const { t } = ctx;
  show(
    list,
    report.steps.map((step) => {
      // A step skipped because an earlier one failed was not run; one that does not apply was not needed.
      const outcome = step.skipped ? (step.ok ? 'skipped' : 'notRun') : step.ok ? 'ok' : 'failed';
      const label =
        step.step === 'sender' ? (step.address ? t('step.sender', { address: step.address }) : t('step.senderAny')) : t(`step.${step.step}` as const);
      return h(
        'li',
        { class: `step ${outcome}`, 'data-step': step.step },
        h('span', { class: 'mark', 'aria-hidden': 'true' }, step.skipped ? '–' : step.ok ? '✓' : '✗'),
        h('span', { class: 'step-name' }, label),
        ': ',
        h('span', { class: 'outcome' }, t(`step.${outcome}` as const)),
        step.detail || step.code ? h('span', { class: 'detail' }, ` — ${t.code(step.code, step.params, step.detail)}`) : null,
      );
    }),
  );
}

function statusText(t: Context['t'], status: string): string {
  return (NOTIFICATION_STATUSES as readonly string[]).includes(status) ? t(`status.${status as NotificationStatus}`) : status;
}
