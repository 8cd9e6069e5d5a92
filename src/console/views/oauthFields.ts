import type { Translate } from '../i18n.js';
import { field, h, options, type Field } from '../dom.js';
import type { AddField, Control } from '../formFields.js';
import type { OAuth2Body, PresetName, Tenant, TenantBody } from '../types.js';

/** The OAuth 2.0 login of the microsoft365 and google-workspace presets, in place of username and password. */
export interface OAuthFields {
  section: HTMLElement;
  /** Shows the fields of this preset, and hides the password login's elements when it logs in with OAuth 2.0. */
  show(preset: PresetName | undefined, passwordLogin: ReadonlyArray<HTMLElement | null>): void;
  body(preset: PresetName): Pick<TenantBody['mail'], 'transport' | 'oauth2'>;
  /** After a save the secrets leave the page; the hints say what is now stored. */
  saved(tenant: Tenant): void;
}

export function oauthFields(
  t: Translate,
  mail: Tenant['mail'] | undefined,
  add: AddField = (path, label, control, hint) => field(label, control, { path, ...(hint ? { hint } : {}) }),
): OAuthFields {
  const oauth2 = mail?.oauth2;
  const input = (name: string, value?: string) => h('input', { name, autocomplete: 'off', spellcheck: 'false', value });
  const directory = add('mail.oauth2.directoryId', t('oauth.directoryId'), input('directoryId', oauth2?.directoryId), t('oauth.directoryIdHint'));
  const clientId = add('mail.oauth2.clientId', t('oauth.clientId'), input('clientId', oauth2?.clientId), t('oauth.clientIdHint'));
  const secret = add(
    'mail.oauth2.clientSecret',
    t('oauth.clientSecret'),
    h('input', { name: 'clientSecret', type: 'password', autocomplete: 'new-password' }),
    t('oauth.clientSecretNone'),
  );
  const expires = add(
    'mail.oauth2.clientSecretExpiresAt',
    t('oauth.clientSecretExpiresAt'),
    h('input', { name: 'clientSecretExpiresAt', type: 'date', value: oauth2?.clientSecretExpiresAt?.slice(0, 10) }),
    t('oauth.clientSecretExpiresAtHint'),
  );
  const transport = add(
    'mail.transport',
    t('oauth.transport'),
    options(
      h('select', { name: 'transport' }),
      [
        { value: 'smtp', label: t('oauth.transport.smtp') },
        { value: 'graph', label: t('oauth.transport.graph') },
      ],
      mail?.transport ?? 'smtp',
    ),
  );
  const clientEmail = add(
    'mail.oauth2.serviceAccount.clientEmail',
    t('oauth.clientEmail'),
    input('clientEmail', oauth2?.serviceAccount?.clientEmail),
    t('oauth.clientEmailHint'),
  );
  const privateKey = add(
    'mail.oauth2.serviceAccount.privateKey',
    t('oauth.privateKey'),
    h('textarea', { name: 'privateKey', rows: 4, spellcheck: 'false', autocomplete: 'off' }),
    t('oauth.privateKeyNone'),
  );
  const consent = h('div', { class: 'oauth-consent' });
  const delegation = h('div', { class: 'oauth-delegation' });

  function reflect(read: Tenant['mail']['oauth2']): void {
    const hint = (each: Field<Control>, stored: boolean | undefined, yes: string, no: string) => {
      each.wrapper.querySelector('.hint')?.replaceChildren(stored ? yes : no);
      (each.control as HTMLInputElement).placeholder = stored ? '••••••••' : '';
      each.control.value = '';
    };
    hint(secret, read?.hasClientSecret, t('oauth.clientSecretStored'), t('oauth.clientSecretNone'));
    hint(privateKey, read?.hasPrivateKey, t('oauth.privateKeyStored'), t('oauth.privateKeyNone'));
    // The operator's app: the customer's administrator grants it once, by this link or the delegation entry.
    consent.replaceChildren(
      ...(read?.consentUrl
        ? [
            h(
              'p',
              { class: 'guide' },
              t('oauth.consent'),
              ' ',
              h('a', { href: read.consentUrl, target: '_blank', rel: 'noopener noreferrer', class: 'consent-link' }, t('oauth.consentLink')),
            ),
          ]
        : []),
    );
    delegation.replaceChildren(
      ...(read?.delegationClientId
        ? [h('p', { class: 'guide' }, t('oauth.delegation', { clientId: read.delegationClientId, scope: 'https://mail.google.com/' }))]
        : []),
    );
  }
  reflect(oauth2);

  const microsoft = h(
    'div',
    { class: 'oauth-microsoft' },
    h('p', { class: 'guide' }, t('guide.microsoft365')),
    h('div', { class: 'row' }, directory.wrapper, clientId.wrapper),
    h('div', { class: 'row' }, secret.wrapper, expires.wrapper),
    transport.wrapper,
    consent,
  );
  const google = h(
    'div',
    { class: 'oauth-google' },
    h('p', { class: 'guide' }, t('guide.googleWorkspace')),
    clientEmail.wrapper,
    privateKey.wrapper,
    delegation,
  );
  const section = h('div', { class: 'oauth-fields' }, microsoft, google);

  return {
    section,
    show(preset, passwordLogin) {
      microsoft.hidden = preset !== 'microsoft365';
      google.hidden = preset !== 'google-workspace';
      section.hidden = microsoft.hidden && google.hidden;
      for (const element of passwordLogin) if (element) element.hidden = !section.hidden;
    },
    body(preset) {
      const text = (control: Control): string | undefined => control.value.trim() || undefined;
      const pick = (entries: Record<string, string | undefined>) => Object.fromEntries(Object.entries(entries).filter(([, value]) => value !== undefined));
      if (preset === 'microsoft365') {
        const oauth: OAuth2Body = pick({
          directoryId: text(directory.control),
          clientId: text(clientId.control),
          clientSecretExpiresAt: text(expires.control),
        });
        if (secret.control.value) oauth.clientSecret = secret.control.value;
        return { transport: transport.control.value as 'smtp' | 'graph', oauth2: oauth };
      }
      if (preset !== 'google-workspace') return {};
      const email = text(clientEmail.control);
      const key = privateKey.control.value.trim();
      return { oauth2: email ? { serviceAccount: { clientEmail: email, ...(key ? { privateKey: `${key}\n` } : {}) } } : {} };
    },
    saved(tenant) {
      reflect(tenant.mail.oauth2);
    },
  };
}
