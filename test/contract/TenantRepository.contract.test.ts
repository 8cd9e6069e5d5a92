import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { TenantRepository } from '../../src/modules/tenant/domain/TenantRepository';
import type { StoredTenant } from '../../src/modules/tenant/domain/TenantSettings';
import { STORE_KINDS, type StoreSubject } from '../support/contractStores';
import { message, type Message } from '../../src/shared/messages/message';

/** A stored text as the stores take it: with a code and params. */
const said = (text: string): Message => message('delivery_failed', { error: text });

const t0 = new Date('2026-11-27T10:00:00Z');
const later = (ms: number) => new Date(t0.getTime() + ms);

function tenant(id: string, overrides: Partial<StoredTenant> = {}): StoredTenant {
  return {
    id,
    settings: {
      name: `Tenant ${id}`,
      locale: 'fr',
      alertSender: { address: `kos@${id}.ch`, name: 'KOS' },
      mail: { preset: 'custom', host: `mail.${id}.ch`, port: 465, security: 'tls', username: 'kos', allowedSenders: [`*@${id}.ch`], caCertificate: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----', maxPerMinute: 30 },
    },
    password: { keyId: 'key-1', ciphertext: 'Y2lwaGVy' },
    settingsVersion: 1,
    mailStatus: { state: 'ok' },
    createdAt: t0,
    updatedAt: t0,
    ...overrides,
  };
}

function minimal(id: string): StoredTenant {
  const stored = tenant(id, { settings: { name: 'Acme', locale: 'de', mail: { preset: 'hosted', allowedSenders: [] } }, settingsVersion: 2, updatedAt: later(1_000) });
  delete stored.password;
  return stored;
}

describe.each(STORE_KINDS)('TenantRepository contract: %s', (_name, make) => {
  let subject: StoreSubject;
  let repository: TenantRepository;
  beforeEach(async () => {
    subject ??= await make();
    repository = (await subject.fresh()).stores.tenants;
  });
  afterAll(async () => subject?.close());

  it('stores and reads a tenant unchanged, every optional field set or left out', async () => {
    await repository.save(tenant('acme'));
    await repository.save(minimal('bare'));
    expect(await repository.get('acme')).toEqual(tenant('acme'));
    expect(await repository.get('bare')).toEqual(minimal('bare'));
    expect(await repository.get('nobody')).toBeUndefined();
  });

  it('save replaces a stored tenant in place', async () => {
    await repository.save(tenant('acme'));
    await repository.save(minimal('acme'));
    expect(await repository.get('acme')).toEqual(minimal('acme'));
    expect(await repository.list(undefined, 10)).toHaveLength(1);
  });

  it('getMany answers the stored ones of the ids asked for', async () => {
    for (const id of ['a', 'b', 'c']) await repository.save(tenant(id));
    expect((await repository.getMany(['c', 'x', 'a'])).map((stored) => stored.id).sort()).toEqual(['a', 'c']);
    expect(await repository.getMany([])).toEqual([]);
  });

  it('lists by id in pages after an id', async () => {
    for (const id of ['zeta', 'acme', 'parky', 'beta']) await repository.save(tenant(id));
    expect((await repository.list(undefined, 2)).map((entry) => entry.id)).toEqual(['acme', 'beta']);
    expect((await repository.list('beta', 2)).map((entry) => entry.id)).toEqual(['parky', 'zeta']);
    expect(await repository.list('zeta', 2)).toEqual([]);
  });

  it('delete removes the tenant and says whether it existed', async () => {
    await repository.save(tenant('acme'));
    await repository.save(tenant('globex'));
    expect(await repository.delete('acme')).toBe(true);
    expect(await repository.delete('acme')).toBe(false);
    expect(await repository.get('acme')).toBeUndefined();
    expect(await repository.get('globex')).toBeDefined();
  });

  it('parks only at the current settings version and keeps when the trouble started', async () => {
    await repository.save(tenant('parky', { settingsVersion: 3 }));
    await repository.park('parky', 2, said('stale'), t0);
    expect((await repository.get('parky'))!.mailStatus).toEqual({ state: 'ok' });
    await repository.park('parky', 3, said('the host refused the login'), t0);
    await repository.park('parky', 3, said('refused again'), later(60_000));
    expect((await repository.get('parky'))!.mailStatus).toEqual({ state: 'parked', since: t0, reason: 'refused again', reasonCode: 'delivery_failed', reasonParams: { error: 'refused again' } });
    await repository.park('nobody', 1, said('x'), t0);
    expect(await repository.get('nobody')).toBeUndefined();
  });

  it('parkedSummary counts the parked tenants and names since when the longest-parked one is', async () => {
    expect(await repository.parkedSummary()).toEqual({ count: 0 });
    for (const id of ['a', 'b', 'c']) await repository.save(tenant(id));
    await repository.park('b', 1, said('refused'), later(60_000));
    await repository.park('c', 1, said('refused'), later(1_000));
    expect(await repository.parkedSummary()).toEqual({ count: 2, oldestSince: later(1_000) });
    await repository.save(tenant('c', { settingsVersion: 2, updatedAt: later(5_000) }));
    expect(await repository.parkedSummary()).toEqual({ count: 1, oldestSince: later(60_000) });
  });

  it('a save with new settings lifts the park', async () => {
    await repository.save(tenant('parky'));
    await repository.park('parky', 1, said('refused'), t0);
    await repository.save(tenant('parky', { settingsVersion: 2, updatedAt: later(5_000) }));
    expect((await repository.get('parky'))!.mailStatus).toEqual({ state: 'ok' });
  });

  it('lists the stored passwords by tenant, and replaces one only while it is still the expected one', async () => {
    await repository.save(tenant('zeta'));
    await repository.save(minimal('bare'));
    await repository.save(tenant('acme', { password: { keyId: 'key-0', ciphertext: 'b2xk' } }));
    expect(await repository.listSecrets('password')).toEqual([
      { tenantId: 'acme', secret: { keyId: 'key-0', ciphertext: 'b2xk' } },
      { tenantId: 'zeta', secret: { keyId: 'key-1', ciphertext: 'Y2lwaGVy' } },
    ]);
    expect(await repository.listSecrets('oauth2')).toEqual([]);
    expect(await repository.replaceSecret('password', 'zeta', { keyId: 'key-0', ciphertext: 'Y2lwaGVy' }, { keyId: 'key-2', ciphertext: 'bmV3' })).toBe(false);
    expect(await repository.replaceSecret('password', 'zeta', { keyId: 'key-1', ciphertext: 'b2xk' }, { keyId: 'key-2', ciphertext: 'bmV3' })).toBe(false);
    expect(await repository.replaceSecret('password', 'bare', { keyId: 'key-1', ciphertext: 'Y2lwaGVy' }, { keyId: 'key-2', ciphertext: 'bmV3' })).toBe(false);
    expect(await repository.replaceSecret('password', 'zeta', { keyId: 'key-1', ciphertext: 'Y2lwaGVy' }, { keyId: 'key-2', ciphertext: 'bmV3' })).toBe(true);
    expect((await repository.get('zeta'))!.password).toEqual({ keyId: 'key-2', ciphertext: 'bmV3' });
    expect((await repository.get('acme'))!.password).toEqual({ keyId: 'key-0', ciphertext: 'b2xk' });
  });
});
