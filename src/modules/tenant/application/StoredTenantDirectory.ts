import { inject, injectable } from 'inversify';
import type { Config } from '../../../shared/config/Config';
import { CONFIG } from '../../../shared/tokens';
import { effectiveTenant } from '../domain/effectiveTenant';
import type { Tenant } from '../domain/Tenant';
import type { TenantDirectory } from '../domain/TenantDirectory';
import type { TenantRepository } from '../domain/TenantRepository';
import { TENANT_REPOSITORY } from '../tokens';

const LIST_CHUNK = 500;

/** Tenants with their effective settings, read from the stored ones. */
@injectable()
export class StoredTenantDirectory implements TenantDirectory {
  constructor(
    @inject(TENANT_REPOSITORY) private readonly tenants: TenantRepository,
    @inject(CONFIG) private readonly config: Config,
  ) {}

  async get(tenantId: string): Promise<Tenant | undefined> {
    const stored = await this.tenants.get(tenantId);
    return stored ? effectiveTenant(stored, this.config.hosted, this.config.oauth) : undefined;
  }

  async getMany(tenantIds: string[]): Promise<Map<string, Tenant>> {
    return new Map((await this.tenants.getMany(tenantIds)).map((stored) => [stored.id, effectiveTenant(stored, this.config.hosted, this.config.oauth)]));
  }

  async list(): Promise<Tenant[]> {
    const all: Tenant[] = [];
    let afterId: string | undefined;
    for (;;) {
      const chunk = await this.tenants.list(afterId, LIST_CHUNK);
      all.push(...chunk.map((stored) => effectiveTenant(stored, this.config.hosted, this.config.oauth)));
      if (chunk.length < LIST_CHUNK) return all;
      afterId = chunk[chunk.length - 1]!.id;
    }
  }
}
