import { Cron } from 'croner';
import { isPlainAddress } from '../mail/address';
import { parseOAuthConfig, type OAuthConfig } from './oauthConfig';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export type DatabaseConfig = { client: 'sqlite'; filename: string } | { client: 'pg'; connectionString: string };

export type SmtpSecurity = 'starttls' | 'tls' | 'none';

/** The operator's mail host for the `hosted` preset, from HOSTED_SMTP_URL and HOSTED_SENDER. */
export interface HostedMailConfig {
  host: string;
  port: number;
  security: SmtpSecurity;
  username?: string;
  password?: string;
  sender: string;
}

export interface Config {
  production: boolean;
  port: number;
  database: DatabaseConfig;
  dataDir: string;
  adminApiKey?: string;
  /** 32 raw bytes; when absent, start-up generates or reads `<dataDir>/credentials.key`. */
  credentialsKey?: Buffer;
  /** Earlier keys still accepted for decryption while rows are re-encrypted (key rotation). */
  previousCredentialsKeys: Buffer[];
  alertCron: string;
  alertTimezone: string;
  alertLeadDays: number;
  /** Delays between delivery attempts, in milliseconds. */
  retrySchedule: number[];
  smtpAllowPrivateHosts: boolean;
  hosted?: HostedMailConfig;
  /** Identity and Graph endpoints, and the operator's apps for microsoft365 and google-workspace tenants. */
  oauth: OAuthConfig;
  /** Sends per minute through the hosted mailbox, over all its tenants and instances. */
  hostedMaxPerMinute: number;
  rateLimitPerMinute: number;
  logLevel: LogLevel;
  /** Where delivery events go; unset: no events are stored or sent. */
  webhookUrl?: string;
  /** The key of WEBHOOK_SECRET (the bytes after `whsec_`); when absent with a URL, start-up generates `<dataDir>/webhook.secret`. */
  webhookSecret?: Buffer;
  /** Whether tenants may choose the `demo` preset (the shared demo mailbox); off by default in production. */
  demoPreset: boolean;
  /** When set, GET /metrics needs it as a Bearer token. */
  metricsToken?: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

class Invalid {
  constructor(readonly accepts: string) {}
}
const invalid = (accepts: string): Invalid => new Invalid(accepts);

const LOG_LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
const DURATION_UNITS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Reads and validates the environment once; every problem names its variable and what it accepts. */
export function loadConfig(env: Env = process.env): Config {
  const problems: string[] = [];
  const read = <T>(name: string, fallback: T, parse: (raw: string) => T | Invalid): T => {
    const raw = env[name]?.trim();
    if (raw === undefined || raw === '') return fallback;
    const parsed = parse(raw);
    if (parsed instanceof Invalid) {
      problems.push(`${name}: ${parsed.accepts}`);
      return fallback;
    }
    return parsed;
  };
  const fail = (name: string, message: string): void => void problems.push(`${name}: ${message}`);

  const production = env.NODE_ENV === 'production';
  const port = read('PORT', 3000, (raw) => integerIn(raw, 0, 65535) ?? invalid('must be an integer from 0 to 65535'));
  const dataDir = env.DATA_DIR?.trim() || './data';

  let database: DatabaseConfig = { client: 'sqlite', filename: `${dataDir}/kos-notify.sqlite` };
  const databaseUrl = env.DATABASE_URL?.trim();
  if (databaseUrl) {
    const parsed = parseDatabaseUrl(databaseUrl);
    if (parsed) database = parsed;
    else fail('DATABASE_URL', 'must be sqlite:<path> (e.g. sqlite:./data/kos-notify.sqlite) or postgres://user:password@host:port/database');
  }

  const adminApiKey = env.ADMIN_API_KEY?.trim() || undefined;
  if (adminApiKey !== undefined && adminApiKey.length < 24) fail('ADMIN_API_KEY', 'must be at least 24 characters long');
  if (production && !adminApiKey) fail('ADMIN_API_KEY', 'is required when NODE_ENV=production');

  const credentialsKey = parseKeyVariable(env, 'CREDENTIALS_KEY', problems);
  if (production && !credentialsKey) fail('CREDENTIALS_KEY', 'is required when NODE_ENV=production (32 random bytes, base64: openssl rand -base64 32)');
  const previousCredentialsKeys = (env.CREDENTIALS_KEY_PREVIOUS ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => decodeKey(part))
    .filter((key, index): key is Buffer => {
      if (key) return true;
      fail('CREDENTIALS_KEY_PREVIOUS', `entry ${index + 1} must be a base64-encoded 32-byte key`);
      return false;
    });

  const alertCron = env.ALERT_CRON?.trim() || '0 3 * * *';
  const alertTimezone = env.ALERT_TIMEZONE?.trim() || 'Europe/Zurich';
  if (!isTimeZone(alertTimezone)) fail('ALERT_TIMEZONE', 'must be an IANA time zone such as Europe/Zurich');
  else if (!isCronPattern(alertCron, alertTimezone))
    fail('ALERT_CRON', 'must be a croner pattern of 5 fields (minute hour day month weekday) or 6 with seconds first, e.g. "0 3 * * *"');

  const alertLeadDays = read('ALERT_LEAD_DAYS', 7, (raw) => integerIn(raw, 0, 365) ?? invalid('must be an integer from 0 to 365'));
  const retrySchedule = read(
    'RETRY_SCHEDULE',
    parseDurations('1m,5m,15m,1h,3h,6h,12h,24h')!,
    (raw) => parseDurations(raw) ?? invalid('must be a comma-separated list of durations such as 1m,5m,1h (units ms, s, m, h, d)'),
  );
  const smtpAllowPrivateHosts = read('SMTP_ALLOW_PRIVATE_HOSTS', false, (raw) =>
    raw === 'true' ? true : raw === 'false' ? false : invalid('must be true or false'),
  );
  const rateLimitPerMinute = read('RATE_LIMIT_PER_MINUTE', 600, (raw) => integerIn(raw, 1, 1_000_000) ?? invalid('must be an integer from 1 to 1000000'));
  const logLevel = read('LOG_LEVEL', 'info' as LogLevel, (raw) =>
    (LOG_LEVELS as string[]).includes(raw) ? (raw as LogLevel) : invalid(`must be one of ${LOG_LEVELS.join(', ')}`),
  );

  const metricsToken = read<string | undefined>('METRICS_TOKEN', undefined, (raw) =>
    /^[\x21-\x7e]{16,200}$/.test(raw) ? raw : invalid('must be 16 to 200 printable characters without spaces (e.g. openssl rand -hex 32)'),
  );

  const hosted = parseHosted(env, smtpAllowPrivateHosts, problems);
  const oauth = parseOAuthConfig(env, smtpAllowPrivateHosts, problems);
  const hostedMaxPerMinute = read('HOSTED_MAX_PER_MINUTE', 60, (raw) => integerIn(raw, 1, 100_000) ?? invalid('must be an integer from 1 to 100000'));
  const webhookUrl = read('WEBHOOK_URL', undefined as string | undefined, (raw) => (isHttpUrl(raw) ? raw : invalid('must be an http:// or https:// URL')));
  const webhookSecret = read(
    'WEBHOOK_SECRET',
    undefined as Buffer | undefined,
    (raw) => decodeWebhookSecret(raw) ?? invalid('must be whsec_ followed by a base64 key of 16 to 64 bytes'),
  );
  if (production && webhookUrl && !webhookSecret && !problems.some((problem) => problem.startsWith('WEBHOOK_SECRET'))) {
    fail('WEBHOOK_SECRET', 'is required with WEBHOOK_URL when NODE_ENV=production (whsec_ + 32 random bytes in base64: echo whsec_$(openssl rand -base64 32))');
  }
  const demoPreset = read('DEMO_PRESET', !production, (raw) => (raw === 'true' ? true : raw === 'false' ? false : invalid('must be true or false')));

  if (problems.length > 0) throw new ConfigError(problems);
  return {
    production,
    port,
    database,
    dataDir,
    adminApiKey,
    credentialsKey,
    previousCredentialsKeys,
    alertCron,
    alertTimezone,
    alertLeadDays,
    retrySchedule,
    smtpAllowPrivateHosts,
    hosted,
    oauth,
    hostedMaxPerMinute,
    rateLimitPerMinute,
    logLevel,
    ...(webhookUrl ? { webhookUrl } : {}),
    ...(webhookSecret ? { webhookSecret } : {}),
    demoPreset,
    metricsToken,
  };
}

function isHttpUrl(raw: string): boolean {
  try {
    const url = new URL(raw);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/** `whsec_<base64>` as Standard Webhooks writes it; the key is the decoded part. */
export function decodeWebhookSecret(raw: string): Buffer | undefined {
  const match = /^whsec_([A-Za-z0-9+/]+={0,2})$/.exec(raw);
  if (!match) return undefined;
  const key = Buffer.from(match[1]!, 'base64');
  return key.length >= 16 && key.length <= 64 ? key : undefined;
}

function integerIn(raw: string, min: number, max: number): number | undefined {
  if (!/^\d+$/.test(raw)) return undefined;
  const value = Number(raw);
  return value >= min && value <= max ? value : undefined;
}

function parseDatabaseUrl(url: string): DatabaseConfig | undefined {
  if (url.startsWith('sqlite:')) {
    const filename = url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    return filename ? { client: 'sqlite', filename } : undefined;
  }
  if (/^postgres(ql)?:\/\/.+/.test(url)) return { client: 'pg', connectionString: url };
  return undefined;
}

function decodeKey(raw: string): Buffer | undefined {
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(raw)) return undefined;
  const key = Buffer.from(raw, 'base64');
  return key.length === 32 ? key : undefined;
}

function parseKeyVariable(env: Env, name: string, problems: string[]): Buffer | undefined {
  const raw = env[name]?.trim();
  if (!raw) return undefined;
  const key = decodeKey(raw);
  if (!key) problems.push(`${name}: must be 32 random bytes in base64 (openssl rand -base64 32)`);
  return key;
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

function isCronPattern(pattern: string, timezone: string): boolean {
  const fields = pattern.split(/\s+/).length;
  if (fields !== 5 && fields !== 6) return false;
  try {
    new Cron(pattern, { timezone, paused: true }).stop();
    return true;
  } catch {
    return false;
  }
}

export function parseDurations(raw: string): number[] | undefined {
  const parts = raw.split(',').map((part) => part.trim());
  const durations: number[] = [];
  for (const part of parts) {
    const match = /^(\d+)(ms|s|m|h|d)$/.exec(part);
    if (!match) return undefined;
    const unit = match[2] === 'ms' ? 1 : DURATION_UNITS[match[2]!]!;
    durations.push(Number(match[1]) * unit);
  }
  return durations.length > 0 ? durations : undefined;
}

function parseHosted(env: Env, allowPrivate: boolean, problems: string[]): HostedMailConfig | undefined {
  const rawUrl = env.HOSTED_SMTP_URL?.trim();
  const sender = env.HOSTED_SENDER?.trim();
  if (!rawUrl && !sender) return undefined;
  if (!rawUrl || !sender) {
    problems.push(`${rawUrl ? 'HOSTED_SENDER' : 'HOSTED_SMTP_URL'}: must be set together with ${rawUrl ? 'HOSTED_SMTP_URL' : 'HOSTED_SENDER'}`);
    return undefined;
  }
  if (!isPlainAddress(sender)) problems.push('HOSTED_SENDER: must be a plain address local@domain');
  const accepts = 'must be smtps://user:pass@host:465 (implicit TLS) or smtp://user:pass@host:587 (STARTTLS)';
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    problems.push(`HOSTED_SMTP_URL: ${accepts}`);
    return undefined;
  }
  if ((url.protocol !== 'smtp:' && url.protocol !== 'smtps:') || !url.hostname) {
    problems.push(`HOSTED_SMTP_URL: ${accepts}`);
    return undefined;
  }
  let security: SmtpSecurity = url.protocol === 'smtps:' ? 'tls' : 'starttls';
  const requested = url.searchParams.get('security');
  if (requested === 'none') {
    if (!allowPrivate) problems.push('HOSTED_SMTP_URL: ?security=none is accepted only with SMTP_ALLOW_PRIVATE_HOSTS=true');
    security = 'none';
  } else if (requested !== null) {
    problems.push('HOSTED_SMTP_URL: the only accepted query parameter is ?security=none');
  }
  return {
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port ? Number(url.port) : security === 'tls' ? 465 : 587,
    security,
    username: url.username ? decodeURIComponent(url.username) : undefined,
    password: url.password ? decodeURIComponent(url.password) : undefined,
    sender: sender.toLowerCase(),
  };
}
