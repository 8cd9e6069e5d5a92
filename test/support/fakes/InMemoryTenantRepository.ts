import type { TenantRepository } from '../../../src/modules/tenant/domain/TenantRepository';
import type { EncryptedSecret, StoredTenant } from '../../../src/modules/tenant/domain/TenantSettings';

/** The tenant store in a map. */
export class InMemoryTenantRepository implements TenantRepository {
  private readonly tenants = new Map<string, StoredTenant>();

  async get(tenantId: string): Promise<StoredTenant | undefined> {
    const tenant = this.tenants.get(tenantId);
    return tenant && structuredClone(tenant);
  }

  async getMany(tenantIds: string[]): Promise<StoredTenant[]> {
    return [...new Set(tenantIds)].flatMap((id) => (this.tenants.has(id) ? [structuredClone(this.tenants.get(id)!)] : []));
  }

  async list(afterId: string | undefined, limit: number): Promise<StoredTenant[]> {
    return [...this.tenants.values()]
      .filter((tenant) => afterId === undefined || tenant.id > afterId)
      .sort((a, b) => (a.id < b.id ? -1 : 1))
      .slice(0, limit)
      .map((tenant) => structuredClone(tenant));
  }

  async save(tenant: StoredTenant): Promise<void> {
    // A replace keeps the creation time, as the Knex upsert does.
    const createdAt = this.tenants.get(tenant.id)?.createdAt ?? tenant.createdAt;
    this.tenants.set(tenant.id, { ...structuredClone(tenant), createdAt });
  }

  async delete(tenantId: string): Promise<boolean> {
    return this.tenants.delete(tenantId);
  }

  async park(tenantId: string, settingsVersion: number, reason: string, at: Date): Promise<void> {
    const tenant = this.tenants.get(tenantId);
    if (!tenant || tenant.settingsVersion !== settingsVersion) return;
    const since = tenant.mailStatus.state === 'parked' && tenant.mailStatus.since ? tenant.mailStatus.since : at;
    tenant.mailStatus = { state: 'parked', since, reason };
  }

  async parkedSummary(): Promise<{ count: number; oldestSince?: Date }> {
    const since = [...this.tenants.values()].flatMap((tenant) => (tenant.mailStatus.state === 'parked' ? [tenant.mailStatus.since?.getTime()] : []));
    const known = since.filter((at): at is number => at !== undefined);
    return known.length > 0 ? { count: since.length, oldestSince: new Date(Math.min(...known)) } : { count: since.length };
  }

  async listPasswords(): Promise<Array<{ tenantId: string; password: EncryptedSecret }>> {
    return [...this.tenants.values()]
      .filter((tenant) => tenant.password)
      .sort((a, b) => (a.id < b.id ? -1 : 1))
      .map((tenant) => ({ tenantId: tenant.id, password: { ...tenant.password! } }));
  }

  async replacePassword(tenantId: string, expected: EncryptedSecret, replacement: EncryptedSecret): Promise<boolean> {
    const tenant = this.tenants.get(tenantId);
    if (tenant?.password?.keyId !== expected.keyId || tenant.password.ciphertext !== expected.ciphertext) return false;
    tenant.password = { ...replacement };
    return true;
  }
}
