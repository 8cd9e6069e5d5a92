import type { Language } from './i18n.js';

/** "45 s", "12 min", "3 h 5 min", "2 d 4 h": an age an operator reads at a glance. */
export function formatAge(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const minutes = Math.floor(s / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
  const days = Math.floor(hours / 24);
  return hours % 24 === 0 ? `${days} d` : `${days} d ${hours % 24} h`;
}

// One date format per language, everywhere: 02.12.2026 in the Swiss languages, 2 Dec 2026 in English.
const LOCALE: Record<Language, string> = { de: 'de-CH', fr: 'fr-CH', it: 'it-CH', en: 'en-GB' };
const DAY: Intl.DateTimeFormatOptions = { day: '2-digit', month: '2-digit', year: 'numeric' };
const DAY_EN: Intl.DateTimeFormatOptions = { day: 'numeric', month: 'short', year: 'numeric' };
const formats = new Map<string, Intl.DateTimeFormat>();

function formatter(language: Language, kind: 'day' | 'time' | 'clock', timeZone?: string): Intl.DateTimeFormat {
  const cacheKey = `${language}|${kind}|${timeZone ?? ''}`;
  let format = formats.get(cacheKey);
  if (!format) {
    const day = language === 'en' ? DAY_EN : DAY;
    const options: Intl.DateTimeFormatOptions =
      kind === 'day' ? { ...day, timeZone: 'UTC' } : kind === 'clock' ? { hour: '2-digit', minute: '2-digit' } : { ...day, hour: '2-digit', minute: '2-digit' };
    format = new Intl.DateTimeFormat(LOCALE[language], { ...options, ...(timeZone ? { timeZone } : {}) });
    formats.set(cacheKey, format);
  }
  return format;
}

/** An ISO timestamp in the console's language, in the browser's time zone (or the one given). */
export function formatDateTime(iso: string | undefined, language: Language, timeZone?: string): string {
  if (!iso) return '–';
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return iso;
  return formatter(language, 'time', timeZone).format(time);
}

/** A calendar day (YYYY-MM-DD) in the console's language; no time zone shifts it. */
export function formatDay(day: string | undefined, language: Language): string {
  if (!day) return '–';
  const time = Date.parse(`${day.slice(0, 10)}T00:00:00Z`);
  return Number.isNaN(time) ? day : formatter(language, 'day').format(time);
}

/** The time of day of an ISO timestamp in a time zone: "03:00". */
export function formatClock(iso: string, language: Language, timeZone: string): string {
  const time = Date.parse(iso);
  return Number.isNaN(time) ? iso : formatter(language, 'clock', timeZone).format(time);
}

/** Today as YYYY-MM-DD in the browser's time zone. */
export function todayIso(now: Date = new Date()): string {
  const pad = (value: number): string => String(value).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** `"Anna Meier" <anna@kunde.ch>` for display (never for headers). */
export function formatAddress(address: { name?: string; address: string } | undefined): string {
  if (!address) return '–';
  return address.name ? `${address.name} <${address.address}>` : address.address;
}
