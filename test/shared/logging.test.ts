import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/testApp';
import { captureLog } from '../support/captureLog';
import { TEST_ADMIN_KEY } from '../support/testConfig';

describe('logs', () => {
  it('redact passwords, keys and authorization headers wherever they are nested', () => {
    const log = captureLog();
    log.logger.info({ password: 'canary-pw-1', mail: { password: 'canary-pw-2' }, tenant: { mail: { password: 'canary-pw-3' } }, headers: { authorization: 'Bearer canary-key' }, apiKey: 'canary-key-2', auth: { user: 'u', pass: 'canary-pw-4' } }, 'something happened');
    const text = log.text();
    expect(text).toContain('something happened');
    expect(text).not.toMatch(/canary/);
    expect(text).toContain('[redacted]');
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
      const line = log.lines().map((raw) => JSON.parse(raw)).find((entry) => entry.msg === 'request');
      expect(line).toMatchObject({ method: 'GET', path: '/api/v1/nowhere', status: 404, requestId: 'req-42', level: 'info' });
      expect(log.text()).not.toContain(TEST_ADMIN_KEY);
    });
  });
});
