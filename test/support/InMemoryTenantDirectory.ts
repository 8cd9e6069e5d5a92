import type { Tenant } from '../../src/modules/tenant/domain/Tenant';
import type { TenantDirectory } from '../../src/modules/tenant/domain/TenantDirectory';

/** Stands in for the tenant module in tests until it is merged. */
export class InMemoryTenantDirectory implements TenantDirectory {
  private readonly tenants = new Map<string, Tenant>();

  constructor(tenants: Tenant[] = []) {
    for (const tenant of tenants) this.add(tenant);
  }

  add(tenant: Tenant): void {
    this.tenants.set(tenant.id, tenant);
  }

  async get(tenantId: string): Promise<Tenant | undefined> {
    return this.tenants.get(tenantId);
  }

  async list(): Promise<Tenant[]> {
    return [...this.tenants.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
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
