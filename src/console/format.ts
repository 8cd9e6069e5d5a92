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

const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();

/** An ISO timestamp in the console's language, in the browser's time zone. */
export function formatDateTime(iso: string | undefined, locale: string): string {
  if (!iso) return '–';
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return iso;
  let format = dateTimeFormats.get(locale);
  if (!format) {
    format = new Intl.DateTimeFormat(locale === 'de' ? 'de-CH' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short' });
    dateTimeFormats.set(locale, format);
  }
  return format.format(time);
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
