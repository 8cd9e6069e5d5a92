import type { Tenant } from '../../src/modules/tenant/domain/Tenant';
import type { TenantDirectory } from '../../src/modules/tenant/domain/TenantDirectory';

/**
 * The real tenant directory with per-test overrides on top, so that a test can show a tenant
 * whose settings are broken in a way the tenant module would never store.
 */
export class OverlayTenantDirectory implements TenantDirectory {
  private readonly overrides = new Map<string, Tenant>();

  constructor(private readonly inner: TenantDirectory) {}

  add(tenant: Tenant): void {
    this.overrides.set(tenant.id, tenant);
  }

  async get(tenantId: string): Promise<Tenant | undefined> {
    return this.overrides.get(tenantId) ?? this.inner.get(tenantId);
  }

  async getMany(tenantIds: string[]): Promise<Map<string, Tenant>> {
    const tenants = await this.inner.getMany(tenantIds);
    for (const id of tenantIds) {
      const override = this.overrides.get(id);
      if (override) tenants.set(id, override);
    }
    return tenants;
  }

  async list(): Promise<Tenant[]> {
    const tenants = new Map((await this.inner.list()).map((tenant) => [tenant.id, tenant]));
    for (const [id, tenant] of this.overrides) tenants.set(id, tenant);
    return [...tenants.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
  }
}

/** A tenant with the effective settings of a `custom` preset on loopback. */
export function testTenant(id: string, overrides: Partial<Tenant> = {}): Tenant {
  return {
    id,
    name: `Tenant ${id}`,
    locale: 'de',
    alertSender: { address: `kos@${id}.example.ch` },
    mail: { preset: 'custom', host: '127.0.0.1', port: 2525, security: 'none', hasPassword: false, allowedSenders: [`*@${id}.example.ch`] },
    mailStatus: { state: 'ok' },
    settingsVersion: 1,
    createdAt: new Date('2027-01-01T00:00:00Z'),
    updatedAt: new Date('2027-01-01T00:00:00Z'),
    ...overrides,
  };
}
