import { inject, injectable, multiInject, optional } from 'inversify';
import type { ApiKeyStore } from '../../../shared/auth/ApiKeyStore';
import { NotFoundError } from '../../../shared/errors';
import { API_KEY_STORE } from '../../../shared/tokens';
import type { AuditLog } from '../domain/AuditLog';
import type { TenantDataOwner } from '../domain/TenantLifecycle';
import type { TenantRepository } from '../domain/TenantRepository';
import { AUDIT_LOG, TENANT_DATA_OWNERS, TENANT_REPOSITORY } from '../tokens';
import { ExistingTenants } from './ExistingTenants';
import { message } from '../../../shared/messages/message';

/** Offboards a tenant: every module's data, its keys, its audit log, then the tenant itself. */
@injectable()
export class DeleteTenant {
  constructor(
    @inject(TENANT_REPOSITORY) private readonly tenants: TenantRepository,
    @inject(API_KEY_STORE) private readonly keys: ApiKeyStore,
    @inject(AUDIT_LOG) private readonly audit: AuditLog,
    @inject(ExistingTenants) private readonly existing: ExistingTenants,
    @multiInject(TENANT_DATA_OWNERS) @optional() private readonly owners: TenantDataOwner[] = [],
  ) {}

  async execute(tenantId: string): Promise<void> {
    if (!(await this.tenants.get(tenantId))) throw new NotFoundError(message('tenant_not_found'));
    // Keys go first so that the tenant cannot write new data while the rest is removed.
    await this.keys.deleteForTenant(tenantId);
    for (const owner of this.owners ?? []) await owner.deleteTenantData(tenantId);
    await this.audit.deleteForTenant(tenantId);
    await this.tenants.delete(tenantId);
    this.existing.forget(tenantId);
  }
}
