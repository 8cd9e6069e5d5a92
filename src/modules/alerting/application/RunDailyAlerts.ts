import { inject, injectable } from 'inversify';
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
import { digestTemplate } from '../domain/digestTemplate';
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
    @inject(TENANT_DIRECTORY) private readonly tenants: TenantDirectory,
  ) {}

  async execute(run: { id: string; date: CalendarDate }, control: RunControl = {}): Promise<RunOutcome> {
    const context: RunContext = {
      run,
      control,
      counts: { tenants: 0, recipients: 0, queued: 0, alreadySent: 0 },
      failed: new Map(),
      writes: new WriteBehind(),
    };
    try {
      for (const tenant of await this.tenants.list()) {
        control.signal?.throwIfAborted();
        context.counts.tenants += 1;
        try {
          await this.runTenant(tenant, context);
        } catch (error) {
          if (control.signal?.aborted) throw error;
          fail(context, tenant.id, error);
        }
      }
    } finally {
      // Nothing may still be writing when the run reports its outcome, also when it was aborted.
      await context.writes.drain();
    }
    return { counts: context.counts, errors: [...context.failed].map(([tenantId, message]) => ({ tenantId, message })) };
  }

  private async runTenant(tenant: Tenant, context: RunContext): Promise<void> {
    const sender = resolveAlertSender(tenant);
    const lastDay = addDays(context.run.date, this.config.alertLeadDays);
    let batch: DueDeadline[][] = [];
    for await (const lines of groupByRecipient(this.deadlines.streamDue(tenant.id, lastDay))) {
      batch.push(lines);
      if (batch.length < DIGEST_BATCH) continue;
      await this.queueBatch(tenant, sender, batch, context);
      batch = [];
      // A tenant whose batch failed stops there, as it would have without the write-behind.
      if (context.failed.has(tenant.id)) return;
    }
    if (batch.length > 0) await this.queueBatch(tenant, sender, batch, context);
  }

  /**
   * One read of the recipients' history, then their digests composed and handed to the
   * write-behind: one transaction for the batch, running while the next batch is read and composed.
   */
  private async queueBatch(tenant: Tenant, sender: SenderDecision, groups: DueDeadline[][], context: RunContext): Promise<void> {
    const { run, counts, control } = context;
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
        text: '',
        snapshot: { template: digestTemplate.name, data: digest.content },
        senderRewritten: false,
        autoSubmitted: true,
      };
      pending.push({ key: { tenantId: tenant.id, recipient, date: run.date }, ticketIds: digest.ticketIds, mail });
    }
    await context.writes.submit(async () => {
      if (control.signal?.aborted || context.failed.has(tenant.id)) return;
      try {
        for (const queued of await this.digests.queueMany(run.id, pending)) {
          if (queued) counts.queued += 1;
          else counts.alreadySent += 1;
        }
        await control.heartbeat?.();
      } catch (error) {
        fail(context, tenant.id, error);
      }
    });
  }
}

interface RunContext {
  run: { id: string; date: CalendarDate };
  control: RunControl;
  counts: AlertRunCounts;
  /** The first error of each failed tenant, in the order they failed. */
  failed: Map<string, string>;
  writes: WriteBehind;
}

function fail(context: RunContext, tenantId: string, error: unknown): void {
  if (!context.failed.has(tenantId)) context.failed.set(tenantId, error instanceof Error ? error.message : String(error));
}

/** At most one write in flight: the next one starts when the previous one has finished. */
class WriteBehind {
  private last: Promise<void> = Promise.resolve();

  /** Waits for the write in flight, then starts `write` without waiting for it. `write` must not reject. */
  async submit(write: () => Promise<void>): Promise<void> {
    await this.last;
    this.last = write();
  }

  drain(): Promise<void> {
    return this.last;
  }
}
