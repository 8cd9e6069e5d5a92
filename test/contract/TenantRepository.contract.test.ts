import { beforeEach, describe, expect, it } from 'vitest';
import type { TenantRepository } from '../../src/modules/tenant/domain/TenantRepository';
import type { StoredTenant } from '../../src/modules/tenant/domain/TenantSettings';
import { STORE_KINDS, useStores } from '../support/contractStores';
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
      mail: {
        preset: 'custom',
        host: `mail.${id}.ch`,
        port: 465,
        security: 'tls',
        username: 'kos',
        allowedSenders: [`*@${id}.ch`],
        caCertificate: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----',
        maxPerMinute: 30,
      },
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
  const stored = tenant(id, {
    settings: { name: 'Acme', locale: 'de', mail: { preset: 'hosted', allowedSenders: [] } },
    settingsVersion: 2,
    updatedAt: later(1_000),
  });
  delete stored.password;
  return stored;
}

/** A microsoft365 tenant with its own app (and client secret) and a google-workspace tenant with its own service account (and key). */
function oauthTenant(id: string, preset: 'microsoft365' | 'google-workspace', overrides: Partial<StoredTenant> = {}): StoredTenant {
  const oauth2 =
    preset === 'microsoft365'
      ? { directoryId: `${id}.onmicrosoft.com`, clientId: '6f1b2c3d-0000-4000-8000-000000000001', clientSecretExpiresAt: '2027-12-31' }
      : { serviceAccount: { clientEmail: `kos@${id}.iam.gserviceaccount.com` } };
  const { password: _none, ...stored } = tenant(id, {
    settings: {
      name: `Tenant ${id}`,
      locale: 'de',
      mail: { preset, username: `kos@${id}.ch`, allowedSenders: [`*@${id}.ch`], transport: preset === 'microsoft365' ? 'graph' : 'smtp', oauth2 },
    },
    oauth2Secret: { keyId: 'key-1', ciphertext: `b2F1dGg=${id}` },
  });
  return { ...stored, ...overrides };
}

describe.each(STORE_KINDS)('TenantRepository contract: %s', (_name, make) => {
  const context = useStores(make);
  let repository: TenantRepository;
  beforeEach(() => {
    repository = context.stores.tenants;
  });

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
    expect((await repository.get('parky'))!.mailStatus).toEqual({
      state: 'parked',
      since: t0,
      reason: 'refused again',
      reasonCode: 'delivery_failed',
      reasonParams: { error: 'refused again' },
    });
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

  it('stores and reads an OAuth tenant unchanged: its mail.oauth2 settings, its transport and its encrypted secret', async () => {
    await repository.save(oauthTenant('contoso', 'microsoft365'));
    await repository.save(oauthTenant('initech', 'google-workspace'));
    await repository.save(oauthTenant('pending', 'microsoft365', { oauth2Secret: undefined }));
    expect(await repository.get('contoso')).toEqual(oauthTenant('contoso', 'microsoft365'));
    expect(await repository.get('initech')).toEqual(oauthTenant('initech', 'google-workspace'));
    expect(await repository.get('pending')).toEqual(oauthTenant('pending', 'microsoft365', { oauth2Secret: undefined }));
    // Back to a password login: the OAuth settings and secret are gone with the save.
    await repository.save(tenant('contoso', { settingsVersion: 2, updatedAt: later(1_000) }));
    expect(await repository.get('contoso')).toEqual(tenant('contoso', { settingsVersion: 2, updatedAt: later(1_000) }));
  });

  it('lists and replaces the OAuth secrets apart from the passwords', async () => {
    await repository.save(oauthTenant('contoso', 'microsoft365'));
    await repository.save(oauthTenant('initech', 'google-workspace', { password: { keyId: 'key-1', ciphertext: 'cGFzcw==' } }));
    await repository.save(tenant('acme'));
    expect(await repository.listSecrets('oauth2')).toEqual([
      { tenantId: 'contoso', secret: { keyId: 'key-1', ciphertext: 'b2F1dGg=contoso' } },
      { tenantId: 'initech', secret: { keyId: 'key-1', ciphertext: 'b2F1dGg=initech' } },
    ]);
    expect((await repository.listSecrets('password')).map((entry) => entry.tenantId)).toEqual(['acme', 'initech']);
    // The password's ciphertext is not the expected OAuth secret, nor the other way round.
    expect(await repository.replaceSecret('oauth2', 'initech', { keyId: 'key-1', ciphertext: 'cGFzcw==' }, { keyId: 'key-2', ciphertext: 'bmV3' })).toBe(false);
    expect(
      await repository.replaceSecret('password', 'contoso', { keyId: 'key-1', ciphertext: 'b2F1dGg=contoso' }, { keyId: 'key-2', ciphertext: 'bmV3' }),
    ).toBe(false);
    expect(await repository.replaceSecret('oauth2', 'initech', { keyId: 'key-1', ciphertext: 'b2F1dGg=initech' }, { keyId: 'key-2', ciphertext: 'bmV3' })).toBe(
      true,
    );
    const initech = await repository.get('initech');
    expect([initech!.oauth2Secret, initech!.password]).toEqual([
      { keyId: 'key-2', ciphertext: 'bmV3' },
      { keyId: 'key-1', ciphertext: 'cGFzcw==' },
    ]);
    expect(await repository.get('contoso')).toEqual(oauthTenant('contoso', 'microsoft365'));
    expect(await repository.replaceSecret('oauth2', 'acme', { keyId: 'key-1', ciphertext: 'Y2lwaGVy' }, { keyId: 'key-2', ciphertext: 'bmV3' })).toBe(false);
  });
});
