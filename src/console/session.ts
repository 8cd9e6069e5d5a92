import { isLanguage, type Language } from './i18n.js';

/** Who is signed in: the key stays in this tab's session storage and goes to the API as bearer token. */
export interface Session {
  key: string;
  /** Set for a tenant key (from `GET /me`): the one tenant it may see. */
  tenantId?: string;
  /** The key's id, when the service names it. */
  keyId?: string;
}

const SESSION_KEY = 'kos-console.session';
const LANGUAGE_KEY = 'kos-console.language';

export function loadSession(storage: Storage): Session | undefined {
  try {
    const value = JSON.parse(storage.getItem(SESSION_KEY) ?? 'null') as Session | null;
    return value && typeof value.key === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

export function saveSession(storage: Storage, session: Session | undefined): void {
  if (session) storage.setItem(SESSION_KEY, JSON.stringify(session));
  else storage.removeItem(SESSION_KEY);
}

export function loadLanguage(storage: Storage): Language | undefined {
  const value = storage.getItem(LANGUAGE_KEY);
  return isLanguage(value) ? value : undefined;
}

export function saveLanguage(storage: Storage, language: Language): void {
  storage.setItem(LANGUAGE_KEY, language);
}
