import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redactSecrets } from '../../src/shared/logging/logger';
import { createTestApp, type TestApp } from '../support/testApp';
import { captureLog } from '../support/captureLog';
import { TEST_ADMIN_KEY } from '../support/testConfig';
import { DATABASE } from '../../src/shared/tokens';

describe('logs', () => {
  it('redact passwords, keys and authorization headers wherever they are nested', () => {
    const log = captureLog();
    log.logger.info(
      {
        password: 'canary-pw-1',
        mail: { password: 'canary-pw-2' },
        tenant: { mail: { password: 'canary-pw-3' } },
        headers: { authorization: 'Bearer canary-key' },
        apiKey: 'canary-key-2',
        auth: { user: 'u', pass: 'canary-pw-4' },
      },
      'something happened',
    );
    const text = log.text();
    expect(text).toContain('something happened');
    expect(text).not.toMatch(/canary/);
    expect(text).toContain('[redacted]');
  });

  it('redact at any depth, in arrays and on errors, without touching what the caller passed', () => {
    const settings = { tenant: { mail: { hosts: [{ name: 'a', Password: 'canary-pw-5' }] } }, Authorization: 'Bearer canary-key-3' };
    const error = Object.assign(new Error('login failed'), { password: 'canary-pw-6', code: 'EAUTH' });
    const log = captureLog();
    log.logger.warn({ settings, err: error }, 'deep');
    expect(log.text()).not.toMatch(/canary/);
    expect(JSON.parse(log.lines()[0]!)).toMatchObject({
      settings: { tenant: { mail: { hosts: [{ name: 'a', Password: '[redacted]' }] } } },
      err: { type: 'Error', message: 'login failed', code: 'EAUTH', password: '[redacted]', stack: expect.stringContaining('login failed') },
    });
    expect(settings.tenant.mail.hosts[0]!.Password).toBe('canary-pw-5');
    expect(error.password).toBe('canary-pw-6');
    const clean = { requestId: 'r', method: 'POST', nested: { status: 202 } };
    expect(redactSecrets(clean)).toBe(clean);
  });

  describe('of requests', () => {
    let t: TestApp;
    const log = captureLog();
    beforeAll(async () => {
      t = await createTestApp('sqlite', { logger: log.logger });
    });
    afterAll(async () => t.close());

    it('name method, path, status and request id, and never the key', async () => {
      await request(t.app).get('/api/v1/nowhere').set('Authorization', `Bearer ${TEST_ADMIN_KEY}`).set('X-Request-Id', 'req-42');
      const line = log
        .lines()
        .map((raw) => JSON.parse(raw))
        .find((entry) => entry.msg === 'request');
      expect(line).toMatchObject({ method: 'GET', path: '/api/v1/nowhere', status: 404, requestId: 'req-42', level: 'info' });
      expect(log.text()).not.toContain(TEST_ADMIN_KEY);
    });

    it("give an unexpected error's line the request id of the 500 it answered", async () => {
      const broken = await createTestApp('sqlite', { logger: log.logger });
      try {
        await broken.container.get(DATABASE).destroy();
        const response = await request(broken.app).get('/api/v1/tenants').set('Authorization', `Bearer ${TEST_ADMIN_KEY}`).set('X-Request-Id', 'req-500');
        expect(response.status).toBe(500);
        const line = log
          .lines()
          .map((raw) => JSON.parse(raw))
          .find((entry) => entry.msg === 'unexpected error');
        expect(line).toMatchObject({ requestId: 'req-500', level: 'error', path: '/api/v1/tenants' });
      } finally {
        await broken.close().catch(() => undefined);
      }
    });
  });
});
