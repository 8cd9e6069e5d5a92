import { randomBytes } from 'node:crypto';
import { loadConfig, type Config } from '../../src/shared/config/Config';

export const TEST_ADMIN_KEY = 'test-admin-key-0123456789abcdef';

/** A configuration as a test needs it: quiet, private hosts allowed, a fresh credentials key. */
export function testConfig(overrides: Partial<Config> = {}, env: Record<string, string> = {}): Config {
  const config = loadConfig({
    ADMIN_API_KEY: TEST_ADMIN_KEY,
    CREDENTIALS_KEY: randomBytes(32).toString('base64'),
    SMTP_ALLOW_PRIVATE_HOSTS: 'true',
    LOG_LEVEL: 'silent',
    RETRY_SCHEDULE: '50ms,100ms,200ms',
    ...env,
  });
  return { ...config, ...overrides };
}
