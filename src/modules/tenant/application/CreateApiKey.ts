import { inject, injectable } from 'inversify';
import type { ApiKeyStore } from '../../../shared/auth/ApiKeyStore';
import { generateApiKey, hashApiKey, newKeyId } from '../../../shared/auth/apiKeys';
import { NotFoundError } from '../../../shared/errors';
import type { Clock } from '../../../shared/time/Clock';
import { API_KEY_STORE, CLOCK } from '../../../shared/tokens';
import type { AuditLog } from '../domain/AuditLog';
import type { TenantRepository } from '../domain/TenantRepository';
import { AUDIT_LOG, TENANT_REPOSITORY } from '../tokens';

/** Creates a key for one tenant; the key itself is returned once and only its hash is stored. */
@injectable()
export class CreateApiKey {
  constructor(
    @inject(TENANT_REPOSITORY) private readonly tenants: TenantRepository,
    @inject(API_KEY_STORE) private readonly keys: ApiKeyStore,
    @inject(AUDIT_LOG) private readonly audit: AuditLog,
    @inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(tenantId: string, label: string | undefined, actor: string): Promise<{ id: string; key: string }> {
    if (!(await this.tenants.get(tenantId))) throw new NotFoundError(`no tenant ${tenantId}`);
    const id = newKeyId();
    const key = generateApiKey();
    await this.keys.insert({ id, tenantId, keyHash: hashApiKey(key), label: label ?? null, createdAt: this.clock.now(), createdBy: actor });
    await this.audit.record(tenantId, actor, 'api-key.created', { keyId: id, ...(label ? { label } : {}) });
    return { id, key };
  }
}
