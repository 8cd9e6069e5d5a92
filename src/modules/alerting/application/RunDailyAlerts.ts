import { inject, injectable, optional } from 'inversify';
import type { Config } from '../../../shared/config/Config';
import { CONFIG } from '../../../shared/tokens';
import type { OutgoingMail } from '../../notification/domain/OutgoingMail';
import { resolveAlertSender, type SenderDecision } from '../../tenant/domain/resolveSender';
import type { Tenant } from '../../tenant/domain/Tenant';
import type { TenantDirectory } from '../../tenant/domain/TenantDirectory';
import { TENANT_DIRECTORY } from '../../tenant/tokens';
import type { AlertRunCounts, AlertRunError } from '../domain/AlertRun';
import { addDays, type CalendarDate } from '../domain/CalendarDate';
import type { DeadlineRepository } from '../domain/DeadlineRepository';
import type { DueDeadline } from '../domain/Deadline';
import type { DigestLog, PendingDigest } from '../domain/DigestLog';
import { composeDigest } from '../domain/composeDigest';
import { groupByRecipient } from '../domain/groupByRecipient';
import { DEADLINE_REPOSITORY, DIGEST_LOG } from '../tokens';

/**
 * Recipients per transaction: one read of their history, one multi-row insert of their keys and
 * one of their mails. A crash loses at most the batch in progress, which a re-run queues.
 */
export const DIGEST_BATCH = 400;

export interface RunControl {
  /** Called between batches of digests so the run can show it is alive. */
  heartbeat?(): Promise<void>;
  /** Aborts between batches of digests (shutdown); what is queued stays queued. */
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
    // Optional only so that the service starts without the tenant module; the run then fails
    // with that reason.
    @inject(TENANT_DIRECTORY) @optional() private readonly tenants: TenantDirectory | undefined,
  ) {}

  async execute(run: { id: string; date: CalendarDate }, control: RunControl = {}): Promise<RunOutcome> {
    if (!this.tenants) throw new Error('no tenant directory: the tenant module is not loaded');
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
    let batch: DueDeadline[][] = [];
    for await (const lines of groupByRecipient(this.deadlines.streamDue(tenant.id, lastDay))) {
      batch.push(lines);
      if (batch.length < DIGEST_BATCH) continue;
      await this.queueBatch(tenant, sender, run, batch, counts, control);
      batch = [];
    }
    if (batch.length > 0) await this.queueBatch(tenant, sender, run, batch, counts, control);
  }

  /** One read of the recipients' history, one transaction for their digests. */
  private async queueBatch(
    tenant: Tenant,
    sender: SenderDecision,
    run: { id: string; date: CalendarDate },
    groups: DueDeadline[][],
    counts: AlertRunCounts,
    control: RunControl,
  ): Promise<void> {
    control.signal?.throwIfAborted();
    const history = await this.digests.history(
      tenant.id,
      groups.map((lines) => lines[0]!.recipient),
      run.date,
    );
    const pending: PendingDigest[] = [];
    for (const lines of groups) {
      counts.recipients += 1;
      const recipient = lines[0]!.recipient;
      if (history.sent.has(recipient)) {
        counts.alreadySent += 1;
        continue;
      }
      const digest = composeDigest({ tenant, date: run.date, lines, previousTickets: history.previousTickets.get(recipient) });
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
      pending.push({ key: { tenantId: tenant.id, recipient, date: run.date }, ticketIds: digest.ticketIds, mail });
    }
    for (const queued of await this.digests.queueMany(run.id, pending)) {
      if (queued) counts.queued += 1;
      else counts.alreadySent += 1;
    }
    await control.heartbeat?.();
  }
}
