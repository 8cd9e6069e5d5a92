import { inject, injectable } from 'inversify';
import { NotFoundError } from '../../../shared/errors';
import type { Clock } from '../../../shared/time/Clock';
import { CLOCK } from '../../../shared/tokens';
import { clientSecretWarnings, type HealthWarning } from '../../tenant/domain/oauth/secretExpiry';
import type { TenantDirectory } from '../../tenant/domain/TenantDirectory';
import { TENANT_DIRECTORY } from '../../tenant/tokens';
import type { DeliveryFailureLog, FailureCategory } from '../domain/DeliveryFailureLog';
import type { NotificationLog } from '../domain/NotificationLog';
import type { RefusedSenders } from '../domain/RefusedSenders';
import { REFUSED_SENDER_TTL_MS } from '../domain/senderFallback';
import { DELIVERY_FAILURE_LOG, NOTIFICATION_LOG, REFUSED_SENDERS } from '../tokens';

const DAY_MS = 24 * 3600_000;

export interface MailHealth {
  /** `warning`: see warnings (a client secret about to expire, authors the host refused as sender in the last 24 hours). */
  state: 'ok' | 'warning' | 'parked';
  /** When parked: since when and why. */
  since?: string;
  reason?: string;
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
    @inject(REFUSED_SENDERS) private readonly refusedSenders: RefusedSenders,
    @inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(tenantId: string): Promise<MailHealth> {
    const tenant = await this.tenants.get(tenantId);
    if (!tenant) throw new NotFoundError('no such tenant');
    const now = this.clock.now().getTime();
    const [queue, failures, refused] = await Promise.all([
      this.log.tenantQueue(tenantId),
      this.failures.summary(tenantId, new Date(now - DAY_MS)),
      this.refusedSenders.ofTenant(tenantId, new Date(now - REFUSED_SENDER_TTL_MS)),
    ]);
    const { mailStatus } = tenant;
    const refusedAuthors = refused.length > 0 ? [senderRefusedWarning(refused.map((row) => row.address))] : [];
    const warnings = [...clientSecretWarnings(tenant, new Date(now)), ...refusedAuthors];
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

function senderRefusedWarning(addresses: string[]): HealthWarning {
  return {
    code: 'sender_refused',
    params: { addresses },
    message: `the mail host refused ${addresses.join(', ')} as sender in the last 24 hours although mail.allowedSenders covers them; their mail goes from the alert address with Reply-To. Let the login send as them on the host, or narrow mail.allowedSenders`,
  };
}
