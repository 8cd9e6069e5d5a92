import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TenantRepository } from '../../../src/modules/tenant/domain/TenantRepository';
import type { StoredTenant } from '../../../src/modules/tenant/domain/TenantSettings';
import { TENANT_REPOSITORY } from '../../../src/modules/tenant/tokens';
import { DATABASE_KINDS } from '../../support/databases';
import { createTestApp, type TestApp } from '../../support/testApp';
import { message } from '../../../src/shared/messages/message';

const t0 = new Date('2026-11-27T10:00:00Z');

function tenant(id: string, overrides: Partial<StoredTenant> = {}): StoredTenant {
  return {
    id,
    settings: {
      name: `Tenant ${id}`,
      locale: 'fr',
      alertSender: { address: `kos@${id}.ch`, name: 'KOS' },
      mail: { preset: 'custom', host: `mail.${id}.ch`, port: 465, security: 'tls', username: 'kos', allowedSenders: [`*@${id}.ch`], maxPerMinute: 30 },
    },
    password: { keyId: 'key-1', ciphertext: 'Y2lwaGVy' },
    settingsVersion: 1,
    mailStatus: { state: 'ok' },
    createdAt: t0,
    updatedAt: t0,
    ...overrides,
  };
}

describe.each(DATABASE_KINDS)('KnexTenantRepository on %s', (kind) => {
  let t: TestApp;
  let repository: TenantRepository;
  beforeAll(async () => {
    t = await createTestApp(kind);
    repository = t.container.get(TENANT_REPOSITORY);
  });
  afterAll(async () => t.close());

  it('stores and reads a tenant unchanged, and replaces it in place', async () => {
    await repository.save(tenant('acme'));
    expect(await repository.get('acme')).toEqual(tenant('acme'));
    const minimal = tenant('acme', { settings: { name: 'Acme', locale: 'de', mail: { preset: 'hosted', allowedSenders: [] } }, settingsVersion: 2, updatedAt: new Date(t0.getTime() + 1000) });
    delete minimal.password;
    await repository.save(minimal);
    expect(await repository.get('acme')).toEqual(minimal);
    expect(await repository.get('nobody')).toBeUndefined();
  });

  it('parks only at the current settings version and keeps when the trouble started', async () => {
    await repository.save(tenant('parky', { settingsVersion: 3 }));
    await repository.park('parky', 2, message('login_refused_no_reply'), t0);
    expect((await repository.get('parky'))!.mailStatus).toEqual({ state: 'ok' });
    await repository.park('parky', 3, message('login_refused_no_reply'), t0);
    const again = message('login_refused', { reply: '535 5.7.8 refused again' });
    await repository.park('parky', 3, again, new Date(t0.getTime() + 60_000));
    expect((await repository.get('parky'))!.mailStatus).toEqual({ state: 'parked', since: t0, reason: again.message, reasonCode: 'login_refused', reasonParams: { reply: '535 5.7.8 refused again' } });
  });

  it('lists by id in pages and replaces a password only when it is still the expected one', async () => {
    await repository.save(tenant('zeta'));
    expect((await repository.list(undefined, 2)).map((entry) => entry.id)).toEqual(['acme', 'parky']);
    expect((await repository.list('parky', 2)).map((entry) => entry.id)).toEqual(['zeta']);
    expect((await repository.listSecrets('password')).map((entry) => entry.tenantId)).toEqual(['parky', 'zeta']);
    expect(await repository.replaceSecret('password', 'zeta', { keyId: 'key-0', ciphertext: 'Y2lwaGVy' }, { keyId: 'key-2', ciphertext: 'bmV3' })).toBe(false);
    expect(await repository.replaceSecret('password', 'zeta', { keyId: 'key-1', ciphertext: 'Y2lwaGVy' }, { keyId: 'key-2', ciphertext: 'bmV3' })).toBe(true);
    expect((await repository.get('zeta'))!.password).toEqual({ keyId: 'key-2', ciphertext: 'bmV3' });
    expect(await repository.delete('zeta')).toBe(true);
    expect(await repository.delete('zeta')).toBe(false);
  });
});
