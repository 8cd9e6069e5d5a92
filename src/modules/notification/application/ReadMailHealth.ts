import { inject, injectable, multiInject, optional } from 'inversify';
import { NotFoundError } from '../../../shared/errors';
import type { Clock } from '../../../shared/time/Clock';
import { CLOCK } from '../../../shared/tokens';
import type { TenantDirectory } from '../../tenant/domain/TenantDirectory';
import { TENANT_DIRECTORY } from '../../tenant/tokens';
import { parkedReason } from '../../tenant/domain/Tenant';
import type { DeliveryFailureLog, FailureCategory } from '../domain/DeliveryFailureLog';
import type { NotificationLog } from '../domain/NotificationLog';
import type { MailHealthWarnings } from '../domain/MailHealthWarnings';
import { DELIVERY_FAILURE_LOG, MAIL_HEALTH_WARNINGS, NOTIFICATION_LOG } from '../tokens';
import { message, type Message, type MessageCode, type MessageParams } from '../../../shared/messages/message';

const DAY_MS = 24 * 3600_000;

export type MailHealthState = 'unverified' | 'ok' | 'warning' | 'parked';

export interface MailHealth {
  /** `warning`: see warnings (a client secret about to expire, authors the host refused as sender in the last 24 hours). */
  state: MailHealthState;
  /** When parked: since when and why (the text, and its code and params). */
  since?: string;
  reason?: string;
  reasonCode?: MessageCode;
  reasonParams?: MessageParams;
  warnings: Message[];
  /** When a verify of the current mail settings last passed every step. */
  lastVerifiedAt?: string;
  lastSuccessAt?: string;
  lastFailureAt?: string;
  failures24h: Record<FailureCategory, number>;
  /** Mail not yet delivered: queued, sending or parked. */
  queued: number;
  oldestQueuedSeconds: number;
}

/** What an operator looks at first: is the tenant's mail going out, and if not, why. */
@injectable()
export class ReadMailHealth {
  constructor(
    @inject(TENANT_DIRECTORY) private readonly tenants: TenantDirectory,
    @inject(NOTIFICATION_LOG) private readonly log: NotificationLog,
    @inject(DELIVERY_FAILURE_LOG) private readonly failures: DeliveryFailureLog,
    @inject(CLOCK) private readonly clock: Clock,
    @multiInject(MAIL_HEALTH_WARNINGS) @optional() private readonly warningSources: MailHealthWarnings[] = [],
  ) {}

  async execute(tenantId: string): Promise<MailHealth> {
    const tenant = await this.tenants.get(tenantId);
    if (!tenant) throw new NotFoundError(message('tenant_not_found'));
    const now = this.clock.now();
    const [queue, failures, warnings] = await Promise.all([
      this.log.tenantQueue(tenantId),
      this.failures.summary(tenantId, new Date(now.getTime() - DAY_MS)),
      Promise.all(this.warningSources.map((source) => source.warningsFor(tenant, now))).then((lists) => lists.flat()),
    ]);
    const { mailStatus } = tenant;
    const reason = parkedReason(mailStatus);
    return {
      state: healthState(mailStatus.state === 'parked', warnings.length > 0, mailStatus.verifiedAt !== undefined || queue.lastSentAt !== undefined),
      ...(mailStatus.state === 'parked' && mailStatus.since ? { since: mailStatus.since.toISOString() } : {}),
      ...(reason ? { reason: reason.message, reasonCode: reason.code, reasonParams: reason.params } : {}),
      warnings,
      ...(mailStatus.verifiedAt ? { lastVerifiedAt: mailStatus.verifiedAt.toISOString() } : {}),
      ...(queue.lastSentAt ? { lastSuccessAt: queue.lastSentAt.toISOString() } : {}),
      ...(failures.lastFailureAt ? { lastFailureAt: failures.lastFailureAt.toISOString() } : {}),
      failures24h: failures.counts,
      queued: queue.waiting,
      oldestQueuedSeconds: queue.oldestWaitingAt ? Math.max(0, Math.floor((now.getTime() - queue.oldestWaitingAt.getTime()) / 1000)) : 0,
    };
  }
}

/** Parked outranks a warning, a warning outranks never having been verified or delivered. */
export function healthState(parked: boolean, warned: boolean, provenOnce: boolean): MailHealthState {
  if (parked) return 'parked';
  if (warned) return 'warning';
  return provenOnce ? 'ok' : 'unverified';
}
