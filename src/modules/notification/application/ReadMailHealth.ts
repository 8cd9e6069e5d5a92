import { inject, injectable } from 'inversify';
import { NotFoundError } from '../../../shared/errors';
import type { Clock } from '../../../shared/time/Clock';
import { CLOCK } from '../../../shared/tokens';
import { clientSecretWarnings, type HealthWarning } from '../../tenant/domain/oauth/secretExpiry';
import type { TenantDirectory } from '../../tenant/domain/TenantDirectory';
import { TENANT_DIRECTORY } from '../../tenant/tokens';
import type { DeliveryFailureLog, FailureCategory } from '../domain/DeliveryFailureLog';
import type { NotificationLog } from '../domain/NotificationLog';
import { DELIVERY_FAILURE_LOG, NOTIFICATION_LOG } from '../tokens';

const DAY_MS = 24 * 3600_000;

export interface MailHealth {
  state: 'ok' | 'warning' | 'parked';
  /** When parked: since when and why. */
  since?: string;
  reason?: string;
  /** What needs attention before it stops the mail, e.g. a client secret about to expire. */
  warnings: HealthWarning[];
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
    if (!tenant) throw new NotFoundError('no such tenant');
    const now = this.clock.now().getTime();
    const [queue, failures] = await Promise.all([this.log.tenantQueue(tenantId), this.failures.summary(tenantId, new Date(now - DAY_MS))]);
    const { mailStatus } = tenant;
    const warnings = clientSecretWarnings(tenant, new Date(now));
    return {
      state: mailStatus.state === 'parked' ? 'parked' : warnings.length > 0 ? 'warning' : 'ok',
      ...(mailStatus.state === 'parked' && mailStatus.since ? { since: mailStatus.since.toISOString() } : {}),
      ...(mailStatus.state === 'parked' && mailStatus.reason ? { reason: mailStatus.reason } : {}),
      warnings,
      ...(queue.lastSentAt ? { lastSuccessAt: queue.lastSentAt.toISOString() } : {}),
      ...(failures.lastFailureAt ? { lastFailureAt: failures.lastFailureAt.toISOString() } : {}),
      failures24h: failures.counts,
      queued: queue.waiting,
      oldestQueuedSeconds: queue.oldestWaitingAt ? Math.max(0, Math.floor((now - queue.oldestWaitingAt.getTime()) / 1000)) : 0,
    };
  }
}
