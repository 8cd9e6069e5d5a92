import type { Tenant } from './Tenant';

/** Read access to tenants for the other modules. */
export interface TenantDirectory {
  /** The tenant with its effective settings, or undefined. */
  get(tenantId: string): Promise<Tenant | undefined>;
  /** Those of the tenants that exist, by id, in one read. */
  getMany(tenantIds: string[]): Promise<Map<string, Tenant>>;
  /** Every tenant, ordered by id (the alert run leaves none out). */
  list(): Promise<Tenant[]>;
}
