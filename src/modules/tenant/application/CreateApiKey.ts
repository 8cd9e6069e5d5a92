import { inject, injectable } from 'inversify';
import type { ApiKeyStore, StoredApiKey } from '../../../shared/auth/ApiKeyStore';
import { generateApiKey, hashApiKey, newKeyId } from '../../../shared/auth/apiKeys';
import type { Actor } from '../../../shared/auth/Principal';
import { NotFoundError } from '../../../shared/errors';
import type { Clock } from '../../../shared/time/Clock';
import { API_KEY_STORE, CLOCK } from '../../../shared/tokens';
import type { AuditLog } from '../domain/AuditLog';
import type { TenantRepository } from '../domain/TenantRepository';
import { AUDIT_LOG, TENANT_REPOSITORY } from '../tokens';
import { message } from '../../../shared/messages/message';

/** Creates a key for one tenant; the key itself is returned once and only its hash is stored. */
@injectable()
export class CreateApiKey {
  constructor(
    @inject(TENANT_REPOSITORY) private readonly tenants: TenantRepository,
    @inject(API_KEY_STORE) private readonly keys: ApiKeyStore,
    @inject(AUDIT_LOG) private readonly audit: AuditLog,
    @inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(tenantId: string, request: { name?: string; expiresAt?: Date }, actor: Actor): Promise<{ stored: StoredApiKey; key: string }> {
    if (!(await this.tenants.get(tenantId))) throw new NotFoundError(message('tenant_not_found'));
    const key = generateApiKey();
    const stored: StoredApiKey = {
      id: newKeyId(),
      tenantId,
      keyHash: hashApiKey(key),
      name: request.name ?? null,
      createdAt: this.clock.now(),
      createdBy: actor.id,
      ...(request.expiresAt ? { expiresAt: request.expiresAt } : {}),
    };
    await this.keys.insert(stored);
    await this.audit.record(tenantId, actor, 'api-key.created', {
      keyId: stored.id,
      ...(request.name ? { name: request.name } : {}),
      ...(request.expiresAt ? { expiresAt: request.expiresAt.toISOString() } : {}),
    });
    return { stored, key };
  }
}
