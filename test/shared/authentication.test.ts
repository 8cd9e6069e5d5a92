import { createHash, randomBytes } from 'node:crypto';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientOf } from '../../src/shared/http/authentication';
import { generateApiKey, hashApiKey } from '../../src/shared/auth/apiKeys';
import { createTestApp, type TestApp } from '../support/testApp';
import { TEST_ADMIN_KEY } from '../support/testConfig';

const LIMIT = 5;

describe('failed authentications', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('sqlite', { config: { rateLimitPerMinute: LIMIT } });
  });
  afterAll(async () => t.close());

  const get = (key?: string) => {
    const call = request(t.app).get('/api/v1/tenants');
    return key === undefined ? call : call.set('Authorization', `Bearer ${key}`);
  };

  it('are counted per client address: past the limit its unknown keys get 429 with Retry-After, a key that authenticated before is still served', async () => {
    expect((await get(TEST_ADMIN_KEY)).status).toBe(200);
    const statuses: number[] = [];
    for (let i = 0; i < LIMIT; i++) statuses.push((await get(randomBytes(16).toString('hex'))).status);
    statuses.push((await get()).status);
    const limited = await get(randomBytes(16).toString('hex'));
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    expect(limited.status).toBe(429);
    expect(limited.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect((await get(TEST_ADMIN_KEY)).status).toBe(200);
  });
});

describe('clientOf', () => {
  it('counts an IPv4 address alone, an IPv4-mapped one as IPv4, and IPv6 by its /64', () => {
    expect(clientOf('203.0.113.7')).toBe('203.0.113.7');
    expect(clientOf('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(clientOf('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(clientOf('2001:0db8:0001:0002:ffff:ffff:ffff:ffff')).toBe('2001:db8:1:2::/64');
    expect(clientOf('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(clientOf('::1')).toBe('0:0:0:0::/64');
    expect(clientOf(undefined)).toBe('unknown');
  });
});

describe('hashApiKey', () => {
  it('is the hex SHA-256 of the key, so that the hashes stored for existing keys still match', () => {
    // The FIPS 180-2 test vector for "abc".
    expect(hashApiKey('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    const key = generateApiKey();
    expect(hashApiKey(key)).toBe(createHash('sha256').update(key).digest('hex'));
  });
});
