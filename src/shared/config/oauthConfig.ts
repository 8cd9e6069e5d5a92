import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** A Google service account: who signs the assertion, its key, and the client id an admin authorises for delegation. */
export interface ServiceAccount {
  clientEmail: string;
  privateKey: string;
  clientId?: string;
}

/** The identity and Graph endpoints, and the operator's own apps for tenants that bring none. */
export interface OAuthConfig {
  microsoftLoginUrl: string;
  microsoftGraphUrl: string;
  googleTokenUrl: string;
  /** MICROSOFT_CLIENT_ID and MICROSOFT_CLIENT_SECRET: the operator's multi-tenant Entra app. */
  microsoftApp?: { clientId: string; clientSecret: string };
  /** GOOGLE_SERVICE_ACCOUNT_JSON: the operator's service account. */
  googleServiceAccount?: ServiceAccount;
}

type Env = Record<string, string | undefined>;

export const DEFAULT_OAUTH_ENDPOINTS = {
  microsoftLoginUrl: 'https://login.microsoftonline.com',
  microsoftGraphUrl: 'https://graph.microsoft.com',
  googleTokenUrl: 'https://oauth2.googleapis.com/token',
} as const;

/** Reads the OAuth variables; each problem names its variable and what it accepts. */
export function parseOAuthConfig(env: Env, allowPrivate: boolean, problems: string[]): OAuthConfig {
  const endpoint = (name: string, fallback: string, keepPath: boolean): string => {
    const raw = env[name]?.trim();
    if (!raw) return fallback;
    const accepts = `must be an https:// URL${allowPrivate ? ' (http:// only for loopback or private test endpoints)' : ''}`;
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      problems.push(`${name}: ${accepts}`);
      return fallback;
    }
    const plainAllowed = allowPrivate && url.protocol === 'http:';
    if ((url.protocol !== 'https:' && !plainAllowed) || url.username || url.password || url.search || url.hash) {
      problems.push(`${name}: ${accepts}, without credentials, query or fragment`);
      return fallback;
    }
    const text = url.toString();
    return keepPath ? text : text.replace(/\/+$/, '');
  };
  const config: OAuthConfig = {
    microsoftLoginUrl: endpoint('MICROSOFT_LOGIN_URL', DEFAULT_OAUTH_ENDPOINTS.microsoftLoginUrl, false),
    microsoftGraphUrl: endpoint('MICROSOFT_GRAPH_URL', DEFAULT_OAUTH_ENDPOINTS.microsoftGraphUrl, false),
    googleTokenUrl: endpoint('GOOGLE_TOKEN_URL', DEFAULT_OAUTH_ENDPOINTS.googleTokenUrl, true),
  };

  const clientId = env.MICROSOFT_CLIENT_ID?.trim();
  const clientSecret = env.MICROSOFT_CLIENT_SECRET?.trim();
  if (clientId && clientSecret) {
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(clientId))
      problems.push('MICROSOFT_CLIENT_ID: must be the application (client) id, a GUID');
    else config.microsoftApp = { clientId, clientSecret };
  } else if (clientId || clientSecret) {
    problems.push(
      `${clientId ? 'MICROSOFT_CLIENT_SECRET' : 'MICROSOFT_CLIENT_ID'}: must be set together with ${clientId ? 'MICROSOFT_CLIENT_ID' : 'MICROSOFT_CLIENT_SECRET'}`,
    );
  }

  const account = env.GOOGLE_SERVICE_ACCOUNT_JSON?.trim();
  if (account) {
    const parsed = parseServiceAccount(account);
    if (typeof parsed === 'string') problems.push(`GOOGLE_SERVICE_ACCOUNT_JSON: ${parsed}`);
    else config.googleServiceAccount = parsed;
  }
  return config;
}

/** The service account from its JSON key file's contents or path; a string says what is wrong. */
function parseServiceAccount(raw: string): ServiceAccount | string {
  let text = raw;
  if (!raw.startsWith('{')) {
    try {
      text = readFileSync(raw, 'utf8');
    } catch {
      return 'must be the JSON key of a service account, or the path of that file (the file could not be read)';
    }
  }
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return 'must be the JSON key of a service account (the text is not JSON)';
  }
  const { client_email: clientEmail, private_key: privateKey, client_id: clientId } = json;
  if (typeof clientEmail !== 'string' || typeof privateKey !== 'string') return 'the JSON key needs client_email and private_key';
  try {
    createPrivateKey(privateKey);
  } catch {
    return 'private_key is not a PEM private key';
  }
  return { clientEmail, privateKey, ...(typeof clientId === 'string' ? { clientId } : {}) };
}
