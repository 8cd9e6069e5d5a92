import type { MessageKey, Translate } from './i18n.js';
import type { Preset } from './types.js';

// The presets the console has words for; a preset it does not know yet (one added to the service
// later) shows the service's English title and description until its texts are added here.
const KNOWN = ['custom', 'hosted', 'gmx', 'mandrill', 'demo', 'microsoft365', 'google-workspace'] as const;
type KnownPreset = (typeof KNOWN)[number];
const isKnown = (name: string): name is KnownPreset => (KNOWN as readonly string[]).includes(name);

export function presetTitle(t: Translate, name: string, fallback?: string): string {
  return isKnown(name) ? t(`preset.${name}.title` as MessageKey) : (fallback ?? name);
}

export function presetDescription(t: Translate, preset: Pick<Preset, 'name' | 'description'>): string {
  return isKnown(preset.name) ? t(`preset.${preset.name}.description` as MessageKey) : preset.description;
}

export function presetDiscouraged(t: Translate, preset: Pick<Preset, 'name' | 'discouraged'>): string | undefined {
  if (!preset.discouraged) return undefined;
  return preset.name === 'mandrill' ? t('preset.mandrill.discouraged') : preset.discouraged;
}
