import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { ApiKeyStore, StoredApiKey } from '../../src/shared/auth/ApiKeyStore';
import { hashApiKey } from '../../src/shared/auth/apiKeys';
import { STORE_KINDS, type StoreSubject } from '../support/contractStores';

const t0 = Date.parse('2027-03-10T08:00:00Z');

function key(id: string, tenantId: string | null, createdOffsetMs = 0, extra: Partial<StoredApiKey> = {}): StoredApiKey {
  return { id, tenantId, keyHash: hashApiKey(`secret of ${id}`), label: `label ${id}`, createdAt: new Date(t0 + createdOffsetMs), createdBy: 'admin', ...extra };
}

describe.each(STORE_KINDS)('ApiKeyStore contract: %s', (_name, make) => {
  let subject: StoreSubject;
  let keys: ApiKeyStore;
  beforeEach(async () => {
    subject ??= await make();
    keys = (await subject.fresh()).stores.apiKeys;
  });
  afterAll(async () => subject?.close());

  it('finds a stored key by its hash, admin keys too', async () => {
    expect(await keys.insert(key('key_a', 'acme', 0, { label: null }))).toBe(true);
    expect(await keys.insert(key('key_admin', null))).toBe(true);
    expect(await keys.findByHash(hashApiKey('secret of key_a'))).toEqual(key('key_a', 'acme', 0, { label: null }));
    expect(await keys.findByHash(hashApiKey('secret of key_admin'))).toEqual(key('key_admin', null));
    expect(await keys.findByHash(hashApiKey('unknown'))).toBeUndefined();
  });

  it('insert refuses a second key under an existing id and keeps the first', async () => {
    await keys.insert(key('key_a', 'acme'));
    expect(await keys.insert(key('key_a', 'globex', 5, { keyHash: hashApiKey('another secret') }))).toBe(false);
    expect((await keys.findByHash(hashApiKey('secret of key_a')))?.tenantId).toBe('acme');
    expect(await keys.findByHash(hashApiKey('another secret'))).toBeUndefined();
  });

  it('lists one tenant’s keys, oldest first', async () => {
    await keys.insert(key('key_2', 'acme', 2_000));
    await keys.insert(key('key_1', 'acme', 1_000));
    await keys.insert(key('key_g', 'globex'));
    await keys.insert(key('key_admin', null));
    expect((await keys.listForTenant('acme')).map((stored) => stored.id)).toEqual(['key_1', 'key_2']);
    expect(await keys.listForTenant('nobody')).toEqual([]);
  });

  it('delete removes a tenant’s key at once, and not another tenant’s', async () => {
    await keys.insert(key('key_a', 'acme'));
    await keys.insert(key('key_g', 'globex'));
    expect(await keys.findByHash(hashApiKey('secret of key_a'))).toBeDefined();
    expect(await keys.delete('globex', 'key_a')).toBe(false);
    expect(await keys.delete('acme', 'key_a')).toBe(true);
    expect(await keys.delete('acme', 'key_a')).toBe(false);
    expect(await keys.findByHash(hashApiKey('secret of key_a'))).toBeUndefined();
    expect(await keys.findByHash(hashApiKey('secret of key_g'))).toBeDefined();
  });

  it('deleteForTenant removes every key of the tenant at once, no admin key and no other tenant’s', async () => {
    await keys.insert(key('key_a1', 'acme'));
    await keys.insert(key('key_a2', 'acme'));
    await keys.insert(key('key_g', 'globex'));
    await keys.insert(key('key_admin', null));
    expect(await keys.findByHash(hashApiKey('secret of key_a1'))).toBeDefined();
    await keys.deleteForTenant('acme');
    expect(await keys.listForTenant('acme')).toEqual([]);
    expect(await keys.findByHash(hashApiKey('secret of key_a1'))).toBeUndefined();
    expect(await keys.findByHash(hashApiKey('secret of key_g'))).toBeDefined();
    expect(await keys.findByHash(hashApiKey('secret of key_admin'))).toBeDefined();
  });
});
