import { ApiClient, ApiError } from '../api.js';
import { describeError } from '../context.js';
import { field, h, show } from '../dom.js';
import type { Translate } from '../i18n.js';
import type { Session } from '../session.js';

/** Asks for a key and finds out what it may see: the admin key lists tenants, a tenant key reads its own tenant. */
export function signInView(t: Translate, root: HTMLElement, signedIn: (session: Session) => void): void {
  const keyField = field(t('signIn.key'), h('input', { name: 'key', type: 'password', required: true, autocomplete: 'off', spellcheck: 'false' }));
  const tenantField = field(t('signIn.tenant'), h('input', { name: 'tenant', autocomplete: 'off', spellcheck: 'false' }));
  const message = h('p', { class: 'alert', role: 'alert', hidden: true });
  const submit = h('button', { type: 'submit' }, t('signIn.submit'));
  const form = h('form', { class: 'sign-in', 'aria-labelledby': 'sign-in-title' }, h('h1', { id: 'sign-in-title' }, t('signIn.title')), h('p', { class: 'hint' }, t('signIn.intro')), keyField.wrapper, tenantField.wrapper, message, submit);
  const fail = (text: string, focus: HTMLElement): void => {
    show(message, text);
    message.hidden = false;
    focus.focus();
  };
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const key = keyField.control.value.trim();
    const tenantId = tenantField.control.value.trim();
    if (!key) return fail(t('signIn.unknownKey'), keyField.control);
    submit.disabled = true;
    const api = new ApiClient(key);
    try {
      await api.tenants({ limit: 1 });
      signedIn({ key });
    } catch (error) {
      if (!(error instanceof ApiError)) return fail(describeError(t, error), keyField.control);
      if (error.status === 401) return fail(t('signIn.unknownKey'), keyField.control);
      if (error.status !== 403) return fail(describeError(t, error), keyField.control);
      if (!tenantId) return fail(t('signIn.needTenant'), tenantField.control);
      try {
        await api.tenant(tenantId);
        signedIn({ key, tenantId });
      } catch (tenantError) {
        fail(tenantError instanceof ApiError && tenantError.status === 404 ? t('signIn.wrongTenant', { tenant: tenantId }) : describeError(t, tenantError), tenantField.control);
      }
    } finally {
      submit.disabled = false;
    }
  });
  show(root, form);
  keyField.control.focus();
}
