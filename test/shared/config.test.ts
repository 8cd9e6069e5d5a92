import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/shared/config/Config';

const KEY = Buffer.alloc(32, 7).toString('base64');

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('loadConfig', () => {
  it('switches the demo preset off in production unless DEMO_PRESET says otherwise', () => {
    const production = { NODE_ENV: 'production', ADMIN_API_KEY: 'a'.repeat(32), CREDENTIALS_KEY: KEY };
    expect(loadConfig(production).demoPreset).toBe(false);
    expect(loadConfig({ ...production, DEMO_PRESET: 'true' }).demoPreset).toBe(true);
    expect(loadConfig({ DEMO_PRESET: 'false' }).demoPreset).toBe(false);
  });

  it('applies the documented defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 3000,
      database: { client: 'sqlite', filename: './data/kos-notify.sqlite' },
      alertCron: '0 3 * * *',
      alertTimezone: 'Europe/Zurich',
      alertLeadDays: 7,
      smtpAllowPrivateHosts: false,
      rateLimitPerMinute: 600,
      hostedMaxPerMinute: 60,
      logLevel: 'info',
      production: false,
      demoPreset: true,
    });
    expect(config.retrySchedule).toEqual([1, 5, 15, 60, 180, 360, 720, 1440].map((minutes) => minutes * 60_000));
    expect(config.hosted).toBeUndefined();
  });

  it('reads every variable', () => {
    const config = loadConfig({
      PORT: '8080',
      DATABASE_URL: 'postgres://kos:secret@db:5432/kos',
      ADMIN_API_KEY: 'a'.repeat(32),
      CREDENTIALS_KEY: KEY,
      ALERT_CRON: '0 30 6 * * 1-5',
      ALERT_TIMEZONE: 'America/New_York',
      ALERT_LEAD_DAYS: '0',
      RETRY_SCHEDULE: '30s,2m,1h,1d',
      SMTP_ALLOW_PRIVATE_HOSTS: 'true',
      HOSTED_SMTP_URL: 'smtps://kos%40gmx.ch:p%40ss@mail.gmx.net',
      HOSTED_SENDER: 'kos@gmx.ch',
      RATE_LIMIT_PER_MINUTE: '100',
      HOSTED_MAX_PER_MINUTE: '30',
      LOG_LEVEL: 'debug',
    });
    expect(config).toMatchObject({
      port: 8080,
      database: { client: 'pg', connectionString: 'postgres://kos:secret@db:5432/kos' },
      alertCron: '0 30 6 * * 1-5',
      alertTimezone: 'America/New_York',
      alertLeadDays: 0,
      retrySchedule: [30_000, 120_000, 3_600_000, 86_400_000],
      smtpAllowPrivateHosts: true,
      hosted: { host: 'mail.gmx.net', port: 465, security: 'tls', username: 'kos@gmx.ch', password: 'p@ss', sender: 'kos@gmx.ch' },
      rateLimitPerMinute: 100,
      hostedMaxPerMinute: 30,
      logLevel: 'debug',
    });
    expect(config.credentialsKey?.equals(Buffer.alloc(32, 7))).toBe(true);
  });

  it.each([
    [{ PORT: 'http' }, 'PORT: must be an integer from 0 to 65535'],
    [{ PORT: '70000' }, 'PORT: must be an integer from 0 to 65535'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL: must be sqlite:<path>'],
    [{ ADMIN_API_KEY: 'short' }, 'ADMIN_API_KEY: must be at least 24 characters long'],
    [{ CREDENTIALS_KEY: 'dG9vIHNob3J0' }, 'CREDENTIALS_KEY: must be 32 random bytes in base64'],
    [{ ALERT_CRON: '0 3 * *' }, 'ALERT_CRON: must be a croner pattern'],
    [{ ALERT_CRON: '99 3 * * *' }, 'ALERT_CRON: must be a croner pattern'],
    [{ ALERT_TIMEZONE: 'Mars/Olympus' }, 'ALERT_TIMEZONE: must be an IANA time zone'],
    [{ ALERT_LEAD_DAYS: '-1' }, 'ALERT_LEAD_DAYS: must be an integer from 0 to 365'],
    [{ RETRY_SCHEDULE: '1m,soon' }, 'RETRY_SCHEDULE: must be a comma-separated list of durations'],
    [{ SMTP_ALLOW_PRIVATE_HOSTS: 'yes' }, 'SMTP_ALLOW_PRIVATE_HOSTS: must be true or false'],
    [{ RATE_LIMIT_PER_MINUTE: '0' }, 'RATE_LIMIT_PER_MINUTE: must be an integer from 1 to 1000000'],
    [{ HOSTED_MAX_PER_MINUTE: '0' }, 'HOSTED_MAX_PER_MINUTE: must be an integer from 1 to 100000'],
    [{ HOSTED_MAX_PER_MINUTE: '2.5' }, 'HOSTED_MAX_PER_MINUTE: must be an integer from 1 to 100000'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent'],
    [{ METRICS_TOKEN: 'short' }, 'METRICS_TOKEN: must be 16 to 200 printable characters without spaces'],
    [{ METRICS_TOKEN: 'has a space in it, sixteen+' }, 'METRICS_TOKEN: must be 16 to 200 printable characters without spaces'],
    [{ HOSTED_SMTP_URL: 'smtp://u:p@mail.example.ch:587' }, 'HOSTED_SENDER: must be set together with HOSTED_SMTP_URL'],
    [{ HOSTED_SMTP_URL: 'http://mail.example.ch', HOSTED_SENDER: 'kos@gmx.ch' }, 'HOSTED_SMTP_URL: must be smtps://'],
    [
      { HOSTED_SMTP_URL: 'smtp://127.0.0.1:2525?security=none', HOSTED_SENDER: 'kos@gmx.ch' },
      'HOSTED_SMTP_URL: ?security=none is accepted only with SMTP_ALLOW_PRIVATE_HOSTS=true',
    ],
    [{ HOSTED_SMTP_URL: 'smtp://u:p@mail.example.ch', HOSTED_SENDER: '"kos"@gmx.ch' }, 'HOSTED_SENDER: must be a plain address'],
    [{ NODE_ENV: 'production', CREDENTIALS_KEY: KEY }, 'ADMIN_API_KEY: is required when NODE_ENV=production'],
    [{ DEMO_PRESET: 'yes' }, 'DEMO_PRESET: must be true or false'],
    [{ NODE_ENV: 'production', ADMIN_API_KEY: 'a'.repeat(32) }, 'CREDENTIALS_KEY: is required when NODE_ENV=production'],
  ])('refuses %o with a message naming the variable', (env, message) => {
    expect(problemsOf(env).join('\n')).toContain(message);
  });

  it('reads METRICS_TOKEN, unset by default, and never repeats a refused one in the message', () => {
    expect(loadConfig({}).metricsToken).toBeUndefined();
    expect(loadConfig({ METRICS_TOKEN: 'f'.repeat(64) }).metricsToken).toBe('f'.repeat(64));
    expect(problemsOf({ METRICS_TOKEN: 'secret token 1234567' }).join('\n')).not.toContain('secret token');
  });

  it('reports every bad variable at once', () => {
    expect(problemsOf({ PORT: 'x', LOG_LEVEL: 'loud', ALERT_LEAD_DAYS: 'many' })).toHaveLength(3);
  });

  it('accepts ?security=none for the hosted host only where private hosts are allowed', () => {
    const config = loadConfig({ HOSTED_SMTP_URL: 'smtp://127.0.0.1:2525?security=none', HOSTED_SENDER: 'kos@gmx.ch', SMTP_ALLOW_PRIVATE_HOSTS: 'true' });
    expect(config.hosted).toMatchObject({ host: '127.0.0.1', port: 2525, security: 'none', sender: 'kos@gmx.ch' });
  });

  it('reads WEBHOOK_URL and WEBHOOK_SECRET, and requires the secret with the URL in production', () => {
    const key = Buffer.alloc(32, 9);
    const config = loadConfig({ WEBHOOK_URL: 'https://kos.example.ch/hooks/notify', WEBHOOK_SECRET: `whsec_${key.toString('base64')}` });
    expect(config.webhookUrl).toBe('https://kos.example.ch/hooks/notify');
    expect(config.webhookSecret).toEqual(key);
    expect(loadConfig({}).webhookUrl).toBeUndefined();
    expect(problemsOf({ WEBHOOK_URL: 'ftp://kos.example.ch' }).join('\n')).toContain('WEBHOOK_URL: must be an http:// or https:// URL');
    expect(problemsOf({ WEBHOOK_SECRET: key.toString('base64') }).join('\n')).toContain('WEBHOOK_SECRET: must be whsec_');
    const production = { NODE_ENV: 'production', ADMIN_API_KEY: 'a'.repeat(32), CREDENTIALS_KEY: KEY };
    expect(problemsOf({ ...production, WEBHOOK_URL: 'https://kos.example.ch/hooks' })).toEqual([
      expect.stringContaining('WEBHOOK_SECRET: is required with WEBHOOK_URL'),
    ]);
    expect(problemsOf(production)).toEqual([]);
  });
});
