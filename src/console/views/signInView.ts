import { ApiClient, ApiError } from '../api.js';
import { describeError } from '../context.js';
import { field, h, show } from '../dom.js';
import type { Translate } from '../i18n.js';
import type { Session } from '../session.js';

/** Asks for a key alone and learns from `GET /me` what it may see: the admin every tenant, a tenant key its own. */
export function signInView(t: Translate, root: HTMLElement, signedIn: (session: Session) => void): void {
  const keyField = field(t('signIn.key'), h('input', { name: 'key', type: 'password', required: true, autocomplete: 'off', spellcheck: 'false' }));
  const message = h('p', { class: 'alert', role: 'alert', hidden: true });
  const submit = h('button', { type: 'submit' }, t('signIn.submit'));
  const form = h(
    'form',
    { class: 'sign-in', 'aria-labelledby': 'sign-in-title' },
    h('h1', { id: 'sign-in-title' }, t('signIn.title')),
    h('p', { class: 'hint' }, t('signIn.intro')),
    keyField.wrapper,
    message,
    submit,
  );
  const fail = (text: string): void => {
    show(message, text);
    message.hidden = false;
    keyField.control.focus();
  };
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const key = keyField.control.value.trim();
    if (!key) return fail(t('signIn.unknownKey'));
    submit.disabled = true;
    try {
      const me = await new ApiClient(key).me();
      if (me.role === 'tenant' && me.tenantId) signedIn({ key, tenantId: me.tenantId, ...(me.keyId ? { keyId: me.keyId } : {}) });
      else signedIn({ key, ...(me.keyId ? { keyId: me.keyId } : {}) });
    } catch (error) {
      fail(error instanceof ApiError && error.status === 401 ? t('signIn.unknownKey') : describeError(t, error));
    } finally {
      submit.disabled = false;
    }
  });
  show(root, form);
  keyField.control.focus();
}
