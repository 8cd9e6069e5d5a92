import { beforeEach, describe, expect, it } from 'vitest';
import type { ApiKeyStore, StoredApiKey } from '../../src/shared/auth/ApiKeyStore';
import { hashApiKey } from '../../src/shared/auth/apiKeys';
import { STORE_KINDS, useStores } from '../support/contractStores';

const t0 = Date.parse('2027-03-10T08:00:00Z');

function key(id: string, tenantId: string | null, createdOffsetMs = 0, extra: Partial<StoredApiKey> = {}): StoredApiKey {
  return { id, tenantId, keyHash: hashApiKey(`secret of ${id}`), name: `name ${id}`, createdAt: new Date(t0 + createdOffsetMs), createdBy: 'admin', ...extra };
}

describe.each(STORE_KINDS)('ApiKeyStore contract: %s', (_name, make) => {
  const context = useStores(make);
  let keys: ApiKeyStore;
  beforeEach(() => {
    keys = context.stores.apiKeys;
  });

  it('finds a stored key by its hash, admin keys too', async () => {
    expect(await keys.insert(key('key_a', 'acme', 0, { name: null }))).toBe(true);
    expect(await keys.insert(key('key_admin', null))).toBe(true);
    expect(await keys.findByHash(hashApiKey('secret of key_a'))).toEqual(key('key_a', 'acme', 0, { name: null }));
    expect(await keys.findByHash(hashApiKey('secret of key_admin'))).toEqual(key('key_admin', null));
    expect(await keys.findByHash(hashApiKey('unknown'))).toBeUndefined();
  });

  it('insert refuses a second key under an existing id and keeps the first', async () => {
    await keys.insert(key('key_a', 'acme'));
    expect(await keys.insert(key('key_a', 'globex', 5, { keyHash: hashApiKey('another secret') }))).toBe(false);
    expect((await keys.findByHash(hashApiKey('secret of key_a')))?.tenantId).toBe('acme');
    expect(await keys.findByHash(hashApiKey('another secret'))).toBeUndefined();
  });

  it('lists one tenant’s keys ordered by id, none of another tenant and no admin key', async () => {
    await keys.insert(key('key_2', 'acme', 1_000));
    await keys.insert(key('key_1', 'acme', 2_000));
    await keys.insert(key('key_g', 'globex'));
    await keys.insert(key('key_admin', null));
    expect((await keys.listForTenant('acme')).map((stored) => stored.id)).toEqual(['key_1', 'key_2']);
    expect(await keys.listForTenant('nobody')).toEqual([]);
  });

  it('pages a tenant’s keys: up to `limit` after the key `afterId`, every key once', async () => {
    for (const id of ['key_e', 'key_a', 'key_d', 'key_b', 'key_c']) await keys.insert(key(id, 'acme'));
    await keys.insert(key('key_bb', 'globex'));
    const first = await keys.listForTenant('acme', { limit: 2 });
    const second = await keys.listForTenant('acme', { afterId: first.at(-1)!.id, limit: 2 });
    const third = await keys.listForTenant('acme', { afterId: second.at(-1)!.id, limit: 2 });
    expect([first, second, third].map((page) => page.map((stored) => stored.id))).toEqual([['key_a', 'key_b'], ['key_c', 'key_d'], ['key_e']]);
    expect(await keys.listForTenant('acme', { afterId: 'key_e', limit: 2 })).toEqual([]);
    expect((await keys.listForTenant('acme', { afterId: 'key_b' })).map((stored) => stored.id)).toEqual(['key_c', 'key_d', 'key_e']);
  });

  it('keeps the expiry as given, and no expiry or last use unless there is one', async () => {
    const expiresAt = new Date(t0 + 90 * 86_400_000);
    await keys.insert(key('key_exp', 'acme', 0, { expiresAt }));
    await keys.insert(key('key_forever', 'acme'));
    const [expiring, forever] = await keys.listForTenant('acme');
    expect(expiring).toEqual(key('key_exp', 'acme', 0, { expiresAt }));
    expect(forever).toStrictEqual(key('key_forever', 'acme'));
    expect(await keys.findByHash(hashApiKey('secret of key_exp'))).toEqual(key('key_exp', 'acme', 0, { expiresAt }));
  });

  it('markUsed records when the key was used, on that key only', async () => {
    await keys.insert(key('key_a', 'acme'));
    await keys.insert(key('key_b', 'acme'));
    const usedAt = new Date(t0 + 3_600_000);
    await keys.markUsed('key_a', usedAt);
    await keys.markUsed('key_unknown', usedAt);
    const [used, unused] = await keys.listForTenant('acme');
    expect(used).toEqual(key('key_a', 'acme', 0, { lastUsedAt: usedAt }));
    expect(unused?.lastUsedAt).toBeUndefined();
    // A use a while later moves it on.
    const later = new Date(usedAt.getTime() + 2 * 3_600_000);
    await keys.markUsed('key_a', later);
    expect((await keys.listForTenant('acme'))[0]?.lastUsedAt).toEqual(later);
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
