import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_KEY_STORE } from '../../../src/shared/tokens';
import { DATABASE_KINDS } from '../../support/databases';
import { createLiveApp, type LiveApp } from '../../support/liveApp';

const tenant = {
  name: 'Kunde AG',
  alertSender: { address: 'kos@kunde.ch' },
  mail: { preset: 'custom', host: '127.0.0.1', port: 2525, security: 'none', allowedSenders: ['*@kunde.ch'] },
};

describe.each(DATABASE_KINDS)('API keys on %s', (kind) => {
  let live: LiveApp;

  beforeAll(async () => {
    live = await createLiveApp(kind, { dispatcher: false });
    expect((await live.call('PUT', '/tenants/kunde', { body: tenant })).status).toBe(201);
  });
  afterAll(async () => live?.close());

  it('creates a named key with an expiry, shows it once, and lists keys without the key', async () => {
    const created = await live.call('POST', '/tenants/kunde/api-keys', { body: { name: 'KOS production', expiresAt: '2099-01-01T00:00:00+01:00' } });
    expect(created.status).toBe(201);
    expect(created.json).toEqual({
      id: expect.stringMatching(/^key_/),
      name: 'KOS production',
      key: expect.stringMatching(/^kn_/),
      createdAt: expect.any(String),
      expiresAt: '2098-12-31T23:00:00.000Z',
    });
    const unnamed = await live.call('POST', '/tenants/kunde/api-keys', { body: {} });
    expect(unnamed.json).toEqual({ id: expect.any(String), key: expect.any(String), createdAt: expect.any(String) });

    const list = await live.call('GET', '/tenants/kunde/api-keys');
    expect(list.status).toBe(200);
    expect(list.json.nextCursor).toBeNull();
    expect(list.json.items).toHaveLength(2);
    expect(list.json.items).toContainEqual({
      id: created.json.id,
      name: 'KOS production',
      createdAt: created.json.createdAt,
      expiresAt: '2098-12-31T23:00:00.000Z',
    });
    expect(list.text).not.toContain(created.json.key);
    expect(list.text).not.toContain('keyHash');

    const firstPage = await live.call('GET', '/tenants/kunde/api-keys?limit=1');
    const secondPage = await live.call('GET', `/tenants/kunde/api-keys?limit=1&cursor=${firstPage.json.nextCursor}`);
    expect([...firstPage.json.items, ...secondPage.json.items].map((key: { id: string }) => key.id).sort()).toEqual([created.json.id, unnamed.json.id].sort());
    expect(secondPage.json.nextCursor).toBeNull();
  });

  it('refuses a malformed expiry with a 400 naming expiresAt, and unknown fields', async () => {
    const response = await live.call('POST', '/tenants/kunde/api-keys', { body: { name: 'x', expiresAt: 'tomorrow', label: 'old' } });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(response.json.errors).toHaveLength(2);
    expect(response.json.errors).toEqual(
      expect.arrayContaining([
        { path: 'body', message: expect.stringContaining('"label"'), code: 'unrecognized_keys', params: { keys: 'label' } },
        { path: 'expiresAt', message: expect.any(String), code: 'invalid_format', params: { format: 'datetime' } },
      ]),
    );
  });

  it('answers 401 for an expired key', async () => {
    const soon = new Date(Date.now() + 1_500).toISOString();
    const created = await live.call('POST', '/tenants/kunde/api-keys', { body: { name: 'short-lived', expiresAt: soon } });
    expect((await live.call('GET', '/tenants/kunde', { key: created.json.key })).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1_600));
    const expired = await live.call('GET', '/tenants/kunde', { key: created.json.key });
    expect(expired.status).toBe(401);
    expect(expired.json).toMatchObject({ status: 401, detail: 'the API key has expired' });
  });

  it('records lastUsedAt at most once a minute per key', async () => {
    const created = await live.call('POST', '/tenants/kunde/api-keys', { body: { name: 'busy' } });
    const listed = async () =>
      ((await live.call('GET', '/tenants/kunde/api-keys?limit=500')).json.items as Array<{ id: string; lastUsedAt?: string }>).find(
        (key) => key.id === created.json.id,
      )!;
    expect((await listed()).lastUsedAt).toBeUndefined();
    const before = Date.now();
    expect((await live.call('GET', '/tenants/kunde', { key: created.json.key })).status).toBe(200);
    const first = (await listed()).lastUsedAt!;
    expect(new Date(first).getTime()).toBeGreaterThanOrEqual(before - 5);
    // Further requests within the minute write nothing.
    await new Promise((resolve) => setTimeout(resolve, 20));
    for (let i = 0; i < 5; i++) expect((await live.call('GET', '/tenants/kunde', { key: created.json.key })).status).toBe(200);
    expect((await listed()).lastUsedAt).toBe(first);
    // A minute later (as the store sees it), the next use is written again.
    await live.container.get(API_KEY_STORE).markUsed(created.json.id, new Date(new Date(first).getTime() + 60_000));
    expect((await listed()).lastUsedAt).toBe(new Date(new Date(first).getTime() + 60_000).toISOString());
  });

  it('names the acting key in the audit log, and keeps the name after the key is deleted', async () => {
    const created = await live.call('POST', '/tenants/kunde/api-keys', { body: { name: 'KOS staging' } });
    expect((await live.call('PUT', '/tenants/kunde', { key: created.json.key, body: { ...tenant, name: 'Kunde AG (neu)' } })).status).toBe(200);
    expect((await live.call('DELETE', `/tenants/kunde/api-keys/${created.json.id}`)).status).toBe(204);
    const audit = (await live.call('GET', '/tenants/kunde/audit')).json.items as Array<Record<string, unknown>>;
    expect(audit[0]).toMatchObject({ actor: 'admin', action: 'api-key.deleted', details: { keyId: created.json.id } });
    expect(audit[1]).toMatchObject({ actor: `key:${created.json.id}`, actorName: 'KOS staging', action: 'tenant.updated', details: { changed: ['name'] } });
    expect(audit[1]).not.toHaveProperty('actorName', undefined);
    expect(audit[2]).toMatchObject({ actor: 'admin', action: 'api-key.created', details: { keyId: created.json.id, name: 'KOS staging' } });
  });
});
