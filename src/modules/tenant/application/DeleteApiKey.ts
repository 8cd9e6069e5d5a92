import type { Actor } from '../../../shared/auth/Principal';
import { inject, injectable } from 'inversify';
import type { ApiKeyStore } from '../../../shared/auth/ApiKeyStore';
import { NotFoundError } from '../../../shared/errors';
import { API_KEY_STORE } from '../../../shared/tokens';
import type { AuditLog } from '../domain/AuditLog';
import { AUDIT_LOG } from '../tokens';
import { message } from '../../../shared/messages/message';

@injectable()
export class DeleteApiKey {
  constructor(
    @inject(API_KEY_STORE) private readonly keys: ApiKeyStore,
    @inject(AUDIT_LOG) private readonly audit: AuditLog,
  ) {}

  async execute(tenantId: string, keyId: string, actor: Actor): Promise<void> {
    if (!(await this.keys.delete(tenantId, keyId))) throw new NotFoundError(message('api_key_not_found'));
    await this.audit.record(tenantId, actor, 'api-key.deleted', { keyId });
  }
}
