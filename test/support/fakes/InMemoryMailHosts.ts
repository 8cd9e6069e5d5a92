import type { Message } from '../../../src/shared/messages/message';
import type { MailHostDirectory, SmtpEndpoint } from '../../../src/modules/tenant/domain/MailHostDirectory';
import type { Tenant } from '../../../src/modules/tenant/domain/Tenant';
import type { TenantDirectory } from '../../../src/modules/tenant/domain/TenantDirectory';

/** The tenant module as the delivery engine sees it, over tenants held in a map: their settings, their hosts, parking. */
export class InMemoryMailHosts implements TenantDirectory, MailHostDirectory {
  private readonly tenants = new Map<string, Tenant>();

  add(tenant: Tenant): void {
    this.tenants.set(tenant.id, structuredClone(tenant));
  }

  async get(tenantId: string): Promise<Tenant | undefined> {
    const tenant = this.tenants.get(tenantId);
    return tenant && structuredClone(tenant);
  }

  async getMany(tenantIds: string[]): Promise<Map<string, Tenant>> {
    return new Map(tenantIds.flatMap((id) => (this.tenants.has(id) ? [[id, structuredClone(this.tenants.get(id)!)] as const] : [])));
  }

  async list(): Promise<Tenant[]> {
    return [...this.tenants.values()].sort((a, b) => (a.id < b.id ? -1 : 1)).map((tenant) => structuredClone(tenant));
  }

  async endpointFor(tenantId: string): Promise<SmtpEndpoint | undefined> {
    const tenant = this.tenants.get(tenantId);
    return tenant && endpointOf(tenant);
  }

  async endpointsFor(tenantIds: string[]): Promise<Map<string, SmtpEndpoint>> {
    return new Map(tenantIds.flatMap((id) => (this.tenants.has(id) ? [[id, endpointOf(this.tenants.get(id)!)] as const] : [])));
  }

  async park(tenantId: string, settingsVersion: number, reason: Message): Promise<void> {
    const tenant = this.tenants.get(tenantId);
    if (tenant?.settingsVersion === settingsVersion)
      tenant.mailStatus = { state: 'parked', reason: reason.message, reasonCode: reason.code, reasonParams: reason.params };
  }

  async markVerified(tenantId: string, settingsVersion: number): Promise<void> {
    const tenant = this.tenants.get(tenantId);
    if (tenant?.settingsVersion === settingsVersion) tenant.mailStatus = { ...tenant.mailStatus, verifiedAt: new Date() };
  }
}

function endpointOf(tenant: Tenant): SmtpEndpoint {
  const { host, port, security } = tenant.mail;
  return { tenantId: tenant.id, host, port, security, settingsVersion: tenant.settingsVersion };
}
