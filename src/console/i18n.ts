import { formatDateTime, formatDay } from './format.js';
import { de } from './messages/de.js';
import { deCodes } from './messages/deCodes.js';
import { deTerms } from './messages/deTerms.js';
import { en, type ViewKey } from './messages/en.js';
import { enCodes } from './messages/enCodes.js';
import { enTerms, type TermKey } from './messages/enTerms.js';
import { fr } from './messages/fr.js';
import { frCodes } from './messages/frCodes.js';
import { frTerms } from './messages/frTerms.js';
import { it } from './messages/it.js';
import { itCodes } from './messages/itCodes.js';
import { itTerms } from './messages/itTerms.js';

export type MessageKey = ViewKey | TermKey;
export type Language = 'de' | 'fr' | 'it' | 'en';
export const LANGUAGES: readonly Language[] = ['de', 'fr', 'it', 'en'];
/** Each language named in itself, for the switch. */
export const LANGUAGE_NAMES: Record<Language, string> = { de: 'Deutsch', fr: 'Français', it: 'Italiano', en: 'English' };

const CATALOGS: Record<Language, Record<MessageKey, string>> = {
  de: { ...de, ...deTerms },
  fr: { ...fr, ...frTerms },
  it: { ...it, ...itTerms },
  en: { ...en, ...enTerms },
};
/** The texts of the service's stable codes (problems, field errors, verify steps, mail errors, health). */
const CODE_CATALOGS: Record<Language, Readonly<Record<string, string>>> = { de: deCodes, fr: frCodes, it: itCodes, en: enCodes };

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/** The first of the browser's languages the console speaks (`fr-CH` → fr); English otherwise. */
export function pickLanguage(preferred: readonly string[]): Language {
  for (const tag of preferred) {
    const base = tag.toLowerCase().split('-')[0];
    if (isLanguage(base)) return base;
  }
  return 'en';
}

export type Params = Record<string, unknown>;

export interface Translate {
  (key: MessageKey, params?: Params): string;
  /** The text of a service code in this language; the service's English `fallback` only for a code the console does not know. */
  code(code: string | undefined, params?: Params, fallback?: string): string;
  readonly language: Language;
}

/** A parameter as text: lists joined, everything else as plain text (never HTML). */
function paramText(value: unknown): string {
  if (Array.isArray(value)) return value.map(paramText).join(', ');
  if (value === null || value === undefined) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

export function fill(text: string, params: Params = {}): string {
  return text.replace(/\{(\w+)\}/g, (placeholder, name: string) => (name in params ? paramText(params[name]) : placeholder));
}

// Params that name one of the console's terms (a step, a preset, a status) are shown in the language too.
const TERM_PARAMS: Record<string, string> = { failedStep: 'step', preset: 'preset', status: 'status' };

function localParams(language: Language, params: Params = {}): Params {
  const catalog: Record<string, string> = CATALOGS[language];
  const local: Params = { ...params };
  // A message wrapping another names it by `causeCode`, filled from the same params.
  if (typeof params.causeCode === 'string')
    local.cause = fill(CODE_CATALOGS[language][params.causeCode] ?? params.causeCode, localParams(language, { ...params, causeCode: undefined }));
  if (typeof params.expiresAt === 'string') local.expiresAt = formatDay(params.expiresAt, language);
  if (typeof params.refusedAt === 'string') local.refusedAt = formatDateTime(params.refusedAt, language);
  for (const [name, prefix] of Object.entries(TERM_PARAMS)) {
    const value = params[name];
    if (typeof value !== 'string') continue;
    const term = catalog[`${prefix}.${value}`] ?? catalog[`${prefix}.${value}.title`];
    if (term !== undefined) local[name] = term;
  }
  return local;
}

/** A translator for one language; `{name}` placeholders are filled from params as plain text. */
export function translator(language: Language): Translate {
  const catalog = CATALOGS[language];
  const codes = CODE_CATALOGS[language];
  // A key a newer service makes the console look up (e.g. a new verify step) shows as itself rather than failing the view.
  const t = ((key: MessageKey, params?: Params) => fill(catalog[key] ?? key, params)) as Translate;
  t.code = (code, params, fallback) => {
    const text = code ? codes[code] : undefined;
    if (text !== undefined) return fill(text, localParams(language, params));
    return fallback ?? code ?? '';
  };
  Object.defineProperty(t, 'language', { value: language });
  return t;
}

/** Every key of every catalog, for the test that the languages stay complete. */
export function catalogKeys(language: Language): string[] {
  return Object.keys(CATALOGS[language]);
}

/** The codes a language has texts for, for the test that every code of the service is translated. */
export function codeKeys(language: Language): string[] {
  return Object.keys(CODE_CATALOGS[language]);
}
