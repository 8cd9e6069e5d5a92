import { inject, injectable } from 'inversify';
import { ExpiringCache } from '../../../shared/cache/ExpiringCache';
import type { TenantRepository } from '../domain/TenantRepository';
import { TENANT_REPOSITORY } from '../tokens';

/** As long as the other per-request caches keep a tenant (a deletion by another instance shows within it). */
const EXISTING_CACHE_MS = 1_000;

/**
 * Whether a tenant exists, asked before every request below /tenants/{tenantId}: found tenants are
 * kept briefly so that the check costs no query on a busy tenant's requests; absent ones never.
 */
@injectable()
export class ExistingTenants {
  private readonly found = new ExpiringCache<string, true>(EXISTING_CACHE_MS);

  constructor(@inject(TENANT_REPOSITORY) private readonly tenants: TenantRepository) {}

  async has(tenantId: string): Promise<boolean> {
    return (await this.found.get(tenantId, async () => ((await this.tenants.get(tenantId)) ? true : undefined))) === true;
  }

  /** Called once the tenant is deleted, so that this process answers 404 at once. */
  forget(tenantId: string): void {
    this.found.delete(tenantId);
  }
}
