import { inject, injectable } from 'inversify';
import type { TenantDataOwner } from '../../tenant/domain/TenantLifecycle';
import type { DeadlineRepository } from '../domain/DeadlineRepository';
import type { DigestLog } from '../domain/DigestLog';
import { DEADLINE_REPOSITORY, DIGEST_LOG } from '../tokens';

/** Offboarding: a removed tenant's deadlines and digest records go with it. */
@injectable()
export class AlertingTenantData implements TenantDataOwner {
  constructor(
    @inject(DEADLINE_REPOSITORY) private readonly deadlines: DeadlineRepository,
    @inject(DIGEST_LOG) private readonly digests: DigestLog,
  ) {}

  async deleteTenantData(tenantId: string): Promise<void> {
    await this.deadlines.deleteTenant(tenantId);
    await this.digests.deleteTenant(tenantId);
  }
}
