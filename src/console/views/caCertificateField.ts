import { h, show } from '../dom.js';
import type { AddField } from '../formFields.js';
import type { Translate } from '../i18n.js';

/** The CA fieldset: pins the certificate of a self-signed host, read from a PEM file in the browser. */
export interface CaCertificateField {
  section: HTMLFieldSetElement;
  /** The pinned PEM; undefined when none is (or it was removed). */
  value(): string | undefined;
}

export function caCertificateField(t: Translate, pinned: string | undefined, editable: boolean, add: AddField): CaCertificateField {
  let caCertificate = pinned;
  const caStatus = h('p', { class: 'ca-status', role: 'status' });
  const caInput = h('input', { type: 'file', id: 'ca-file', name: 'caFile', accept: '.pem,.crt,.cer,application/x-pem-file' });
  const caField = add('mail.caCertificate', t('form.caFile'), caInput, t('form.caHint'));
  caInput.classList.add('file-hidden'); // the browser's own file button speaks the browser's language, this one the console's
  caInput.after(h('label', { for: 'ca-file', class: 'button secondary file-button' }, t('form.caChoose')));
  const caRemove = h('button', { type: 'button', class: 'secondary' }, t('form.caRemove'));

  function showCa(): void {
    show(caStatus, caCertificate ? t('form.caPinned', { size: caCertificate.length }) : t('form.caNone'));
    caRemove.hidden = !caCertificate || !editable;
  }

  caInput.addEventListener('change', async () => {
    const text = await caInput.files?.[0]?.text();
    if (text === undefined) return;
    if (!/-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----/.test(text)) {
      caField.setErrors([t('form.caNotPem')]);
      return;
    }
    caField.setErrors([]);
    caCertificate = text.trim() + '\n';
    showCa();
  });
  caRemove.addEventListener('click', () => {
    caCertificate = undefined;
    caInput.value = '';
    showCa();
  });
  showCa();
  return { section: h('fieldset', {}, h('legend', {}, t('form.ca')), caField.wrapper, caStatus, caRemove), value: () => caCertificate };
}
