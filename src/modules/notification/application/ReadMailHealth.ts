import { inject, injectable } from 'inversify';
import { NotFoundError } from '../../../shared/errors';
import type { Clock } from '../../../shared/time/Clock';
import { CLOCK } from '../../../shared/tokens';
import type { TenantDirectory } from '../../tenant/domain/TenantDirectory';
import { TENANT_DIRECTORY } from '../../tenant/tokens';
import type { DeliveryFailureLog, FailureCategory } from '../domain/DeliveryFailureLog';
import type { NotificationLog } from '../domain/NotificationLog';
import { DELIVERY_FAILURE_LOG, NOTIFICATION_LOG } from '../tokens';
import { message } from '../../../shared/messages/message';

const DAY_MS = 24 * 3600_000;

export interface MailHealth {
  state: 'ok' | 'parked';
  /** When parked: since when and why. */
  since?: string;
  reason?: string;
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
  ) {}

  async execute(tenantId: string): Promise<MailHealth> {
    const tenant = await this.tenants.get(tenantId);
    if (!tenant) throw new NotFoundError(message('tenant_not_found'));
    const now = this.clock.now().getTime();
    const [queue, failures] = await Promise.all([this.log.tenantQueue(tenantId), this.failures.summary(tenantId, new Date(now - DAY_MS))]);
    const { mailStatus } = tenant;
    return {
      state: mailStatus.state,
      ...(mailStatus.state === 'parked' && mailStatus.since ? { since: mailStatus.since.toISOString() } : {}),
      ...(mailStatus.state === 'parked' && mailStatus.reason ? { reason: mailStatus.reason } : {}),
      ...(queue.lastSentAt ? { lastSuccessAt: queue.lastSentAt.toISOString() } : {}),
      ...(failures.lastFailureAt ? { lastFailureAt: failures.lastFailureAt.toISOString() } : {}),
      failures24h: failures.counts,
      queued: queue.waiting,
      oldestQueuedSeconds: queue.oldestWaitingAt ? Math.max(0, Math.floor((now - queue.oldestWaitingAt.getTime()) / 1000)) : 0,
    };
  }
}
