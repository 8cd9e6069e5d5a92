import { inject, injectable } from 'inversify';
import type { Config } from '../../../shared/config/Config';
import { CONFIG } from '../../../shared/tokens';
import type { OutgoingMail } from '../../notification/domain/OutgoingMail';
import { resolveAlertSender } from '../../tenant/domain/resolveSender';
import type { Tenant } from '../../tenant/domain/Tenant';
import type { TenantDirectory } from '../../tenant/domain/TenantDirectory';
import { TENANT_DIRECTORY } from '../../tenant/tokens';
import type { AlertRunCounts, AlertRunError } from '../domain/AlertRun';
import { addDays, type CalendarDate } from '../domain/CalendarDate';
import type { DeadlineRepository } from '../domain/DeadlineRepository';
import type { DigestLog } from '../domain/DigestLog';
import { composeDigest } from '../domain/composeDigest';
import { groupByRecipient } from '../domain/groupByRecipient';
import { DEADLINE_REPOSITORY, DIGEST_LOG } from '../tokens';

export interface RunControl {
  /** Called between digests so the run can show it is alive. */
  heartbeat?(): Promise<void>;
  /** Aborts between digests (shutdown); what is queued stays queued. */
  signal?: AbortSignal;
}

export interface RunOutcome {
  counts: AlertRunCounts;
  errors: AlertRunError[];
}

/**
 * The daily alert run for day D: every tenant, every open deadline due by D + lead days, one
 * digest per (tenant, recipient), each queued at most once per day however often the day runs.
 */
@injectable()
export class RunDailyAlerts {
  constructor(
    @inject(DEADLINE_REPOSITORY) private readonly deadlines: DeadlineRepository,
    @inject(DIGEST_LOG) private readonly digests: DigestLog,
    @inject(CONFIG) private readonly config: Pick<Config, 'alertLeadDays'>,
    @inject(TENANT_DIRECTORY) private readonly tenants: TenantDirectory,
  ) {}

  async execute(run: { id: string; date: CalendarDate }, control: RunControl = {}): Promise<RunOutcome> {
    const counts: AlertRunCounts = { tenants: 0, recipients: 0, queued: 0, alreadySent: 0 };
    const errors: AlertRunError[] = [];
    for (const tenant of await this.tenants.list()) {
      control.signal?.throwIfAborted();
      counts.tenants += 1;
      try {
        await this.runTenant(tenant, run, counts, control);
      } catch (error) {
        if (control.signal?.aborted) throw error;
        errors.push({ tenantId: tenant.id, message: error instanceof Error ? error.message : String(error) });
      }
    }
    return { counts, errors };
  }

  private async runTenant(tenant: Tenant, run: { id: string; date: CalendarDate }, counts: AlertRunCounts, control: RunControl): Promise<void> {
    const sender = resolveAlertSender(tenant);
    const lastDay = addDays(run.date, this.config.alertLeadDays);
    for await (const lines of groupByRecipient(this.deadlines.streamDue(tenant.id, lastDay))) {
      control.signal?.throwIfAborted();
      counts.recipients += 1;
      const key = { tenantId: tenant.id, recipient: lines[0]!.recipient, date: run.date };
      if (await this.digests.has(key)) {
        counts.alreadySent += 1;
        continue;
      }
      const digest = composeDigest({ tenant, date: run.date, lines, previousTickets: await this.digests.previousTickets(key) });
      const mail: OutgoingMail = {
        tenantId: tenant.id,
        kind: 'digest',
        from: sender.from,
        envelopeFrom: sender.envelopeFrom,
        to: [digest.recipient],
        cc: [],
        subject: digest.subject,
        text: digest.text,
        html: digest.html,
        senderRewritten: false,
        autoSubmitted: true,
      };
      if (await this.digests.queue(key, run.id, digest.ticketIds, mail)) counts.queued += 1;
      else counts.alreadySent += 1;
      await control.heartbeat?.();
    }
  }
}
