import { inject, injectable } from 'inversify';
import { NotFoundError } from '../../../shared/errors';
import type { TenantDirectory } from '../../tenant/domain/TenantDirectory';
import { TENANT_DIRECTORY } from '../../tenant/tokens';
import type { Deadline, StoredDeadline } from '../domain/Deadline';
import type { BulkResult, DeadlineQuery, DeadlineRepository } from '../domain/DeadlineRepository';
import { DEADLINE_REPOSITORY } from '../tokens';
import { message } from '../../../shared/messages/message';

/** What KOS does to keep the deadlines in sync; every call names an existing tenant. */
@injectable()
export class ManageDeadlines {
  constructor(
    @inject(DEADLINE_REPOSITORY) private readonly deadlines: DeadlineRepository,
    @inject(TENANT_DIRECTORY) private readonly tenants: TenantDirectory,
  ) {}

  /** True when the deadline was created, false when it replaced one. */
  async put(tenantId: string, deadline: Deadline): Promise<boolean> {
    await this.requireTenant(tenantId);
    return this.deadlines.put(tenantId, deadline);
  }

  async putMany(tenantId: string, deadlines: Deadline[], replace: boolean): Promise<BulkResult> {
    await this.requireTenant(tenantId);
    return this.deadlines.putMany(tenantId, deadlines, { replace });
  }

  async remove(tenantId: string, ticketId: string): Promise<void> {
    await this.requireTenant(tenantId);
    if (!(await this.deadlines.remove(tenantId, ticketId))) throw new NotFoundError(message('deadline_not_found', { ticketId }));
  }

  async list(tenantId: string, query: DeadlineQuery): Promise<StoredDeadline[]> {
    await this.requireTenant(tenantId);
    return this.deadlines.list(tenantId, query);
  }

  private async requireTenant(tenantId: string): Promise<void> {
    if (!(await this.tenants.get(tenantId))) throw new NotFoundError(message('tenant_not_found'));
  }
}
