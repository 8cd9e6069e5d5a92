import { inject, injectable } from 'inversify';
import type { Config } from '../../../shared/config/Config';
import { NotFoundError } from '../../../shared/errors';
import { CONFIG } from '../../../shared/tokens';
import type { TenantDirectory } from '../../tenant/domain/TenantDirectory';
import { TENANT_DIRECTORY } from '../../tenant/tokens';
import { addDays, type CalendarDate } from '../domain/CalendarDate';
import type { DeadlineRepository } from '../domain/DeadlineRepository';
import type { DigestLog } from '../domain/DigestLog';
import { composeDigest, type ComposedDigest } from '../domain/composeDigest';
import { groupByRecipient } from '../domain/groupByRecipient';
import { DEADLINE_REPOSITORY, DIGEST_LOG } from '../tokens';

/** The digests a tenant's run of day D would queue, rendered; nothing is stored or sent. */
@injectable()
export class PreviewAlerts {
  constructor(
    @inject(DEADLINE_REPOSITORY) private readonly deadlines: DeadlineRepository,
    @inject(DIGEST_LOG) private readonly digests: DigestLog,
    @inject(CONFIG) private readonly config: Pick<Config, 'alertLeadDays'>,
    @inject(TENANT_DIRECTORY) private readonly tenants: TenantDirectory,
  ) {}

  async execute(tenantId: string, date: CalendarDate): Promise<ComposedDigest[]> {
    const tenant = await this.tenants.get(tenantId);
    if (!tenant) throw new NotFoundError('no such tenant');
    const composed: ComposedDigest[] = [];
    for await (const lines of groupByRecipient(this.deadlines.streamDue(tenantId, addDays(date, this.config.alertLeadDays)))) {
      const key = { tenantId, recipient: lines[0]!.recipient, date };
      composed.push(composeDigest({ tenant, date, lines, previousTickets: await this.digests.previousTickets(key) }));
    }
    return composed;
  }
}
