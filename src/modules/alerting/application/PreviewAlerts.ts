import { inject, injectable } from 'inversify';
import type { Config } from '../../../shared/config/Config';
import { NotFoundError } from '../../../shared/errors';
import { CONFIG } from '../../../shared/tokens';
import type { TenantDirectory } from '../../tenant/domain/TenantDirectory';
import { TENANT_DIRECTORY } from '../../tenant/tokens';
import { addDays, type CalendarDate } from '../domain/CalendarDate';
import type { DeadlineRepository } from '../domain/DeadlineRepository';
import type { DueDeadline } from '../domain/Deadline';
import type { DigestLog } from '../domain/DigestLog';
import { composeDigest, type ComposedDigest } from '../domain/composeDigest';
import { renderDigest, type RenderedDigest } from '../domain/renderDigest';
import { groupByRecipient } from '../domain/groupByRecipient';
import { DEADLINE_REPOSITORY, DIGEST_LOG } from '../tokens';
import { message } from '../../../shared/messages/message';
import type { MailAddress } from '../../../shared/mail/MailAddress';
import { resolveAlertSender } from '../../tenant/domain/resolveSender';

/** The digests a tenant's run of day D would queue, rendered; nothing is stored or sent. */
@injectable()
export class PreviewAlerts {
  constructor(
    @inject(DEADLINE_REPOSITORY) private readonly deadlines: DeadlineRepository,
    @inject(DIGEST_LOG) private readonly digests: DigestLog,
    @inject(CONFIG) private readonly config: Pick<Config, 'alertLeadDays'>,
    @inject(TENANT_DIRECTORY) private readonly tenants: TenantDirectory,
  ) {}

  async execute(tenantId: string, date: CalendarDate): Promise<Array<ComposedDigest & RenderedDigest & { from: MailAddress }>> {
    const tenant = await this.tenants.get(tenantId);
    if (!tenant) throw new NotFoundError(message('tenant_not_found'));
    const groups: DueDeadline[][] = [];
    for await (const lines of groupByRecipient(this.deadlines.streamDue(tenantId, addDays(date, this.config.alertLeadDays)))) groups.push(lines);
    const history = await this.digests.history(
      tenantId,
      groups.map((lines) => lines[0]!.recipient),
      date,
    );
    // The From the run would send with: the tenant's alert address under its name.
    const { from } = resolveAlertSender(tenant);
    return groups.map((lines) => {
      const digest = composeDigest({ tenant, date, lines, previousTickets: history.previousTickets.get(lines[0]!.recipient) });
      return { ...digest, ...renderDigest(digest.content), from };
    });
  }
}
