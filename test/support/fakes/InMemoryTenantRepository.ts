import type { Message } from '../../../src/shared/messages/message';
import type { SecretKind, TenantRepository } from '../../../src/modules/tenant/domain/TenantRepository';
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

  async park(tenantId: string, settingsVersion: number, reason: Message, at: Date): Promise<void> {
    const tenant = this.tenants.get(tenantId);
    if (!tenant || tenant.settingsVersion !== settingsVersion) return;
    const since = tenant.mailStatus.state === 'parked' && tenant.mailStatus.since ? tenant.mailStatus.since : at;
    tenant.mailStatus = { ...tenant.mailStatus, state: 'parked', since, reason: reason.message, reasonCode: reason.code, reasonParams: reason.params };
  }

  async markVerified(tenantId: string, settingsVersion: number, at: Date): Promise<void> {
    const tenant = this.tenants.get(tenantId);
    if (tenant && tenant.settingsVersion === settingsVersion) tenant.mailStatus = { ...tenant.mailStatus, verifiedAt: at };
  }

  async parkedSummary(): Promise<{ count: number; oldestSince?: Date }> {
    const since = [...this.tenants.values()].flatMap((tenant) => (tenant.mailStatus.state === 'parked' ? [tenant.mailStatus.since?.getTime()] : []));
    const known = since.filter((at): at is number => at !== undefined);
    return known.length > 0 ? { count: since.length, oldestSince: new Date(Math.min(...known)) } : { count: since.length };
  }

  async listSecrets(kind: SecretKind): Promise<Array<{ tenantId: string; secret: EncryptedSecret }>> {
    return [...this.tenants.values()]
      .filter((tenant) => secretOf(tenant, kind))
      .sort((a, b) => (a.id < b.id ? -1 : 1))
      .map((tenant) => ({ tenantId: tenant.id, secret: { ...secretOf(tenant, kind)! } }));
  }

  async replaceSecret(kind: SecretKind, tenantId: string, expected: EncryptedSecret, replacement: EncryptedSecret): Promise<boolean> {
    const tenant = this.tenants.get(tenantId);
    const current = tenant && secretOf(tenant, kind);
    if (current?.keyId !== expected.keyId || current.ciphertext !== expected.ciphertext) return false;
    if (kind === 'password') tenant!.password = { ...replacement };
    else tenant!.oauth2Secret = { ...replacement };
    return true;
  }
}

function secretOf(tenant: StoredTenant, kind: SecretKind): EncryptedSecret | undefined {
  return kind === 'password' ? tenant.password : tenant.oauth2Secret;
}
