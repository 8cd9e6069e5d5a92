import { h, type Child } from '../dom.js';
import type { Translate } from '../i18n.js';
import { presetDescription, presetDiscouraged } from '../presetText.js';
import type { Preset } from '../types.js';

/** What the form says under the preset picked: what it is, why it is discouraged, and the guides of demo and gmx. */
export function presetGuidance(t: Translate, preset: Preset | undefined): Child[] {
  const discouraged = preset ? presetDiscouraged(t, preset) : undefined;
  const description = preset ? presetDescription(t, preset) : '';
  return [
    description ? h('p', { class: 'hint' }, description) : null,
    discouraged ? h('p', { class: 'warning' }, h('strong', {}, `${t('form.discouraged')}: `), discouraged) : null,
    preset?.name === 'demo' ? h('p', { class: 'warning guide-demo' }, t('guide.demo')) : null,
    preset?.name === 'gmx' ? h('p', { class: 'guide guide-gmx' }, t('guide.gmx')) : null,
  ];
}

/** What happens to a KOS user the host does not let send: the admin must know it where the policy is set. */
export function sendersGuidance(t: Translate): HTMLParagraphElement {
  return h('p', { class: 'guide' }, t('guide.senders'));
}
