import { de } from './messages/de.js';
import { en, type MessageKey } from './messages/en.js';

export type { MessageKey };
export type Language = 'de' | 'en';
export const LANGUAGES: readonly Language[] = ['de', 'en'];

const CATALOGS: Record<Language, Record<MessageKey, string>> = { de, en };

/** The first of the browser's languages the console speaks (`de-CH` → de); English otherwise. */
export function pickLanguage(preferred: readonly string[]): Language {
  for (const tag of preferred) {
    const base = tag.toLowerCase().split('-')[0];
    if (base === 'de' || base === 'en') return base;
  }
  return 'en';
}

export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

/** A translator for one language; `{name}` placeholders are filled from params as plain text. */
export function translator(language: Language): Translate {
  const catalog = CATALOGS[language];
  return (key, params = {}) => catalog[key].replace(/\{(\w+)\}/g, (placeholder, name: string) => (name in params ? String(params[name]) : placeholder));
}

/** Every key of every catalog, for the test that the languages stay complete. */
export function catalogKeys(language: Language): string[] {
  return Object.keys(CATALOGS[language]);
}
