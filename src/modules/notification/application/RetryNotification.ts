import { inject, injectable } from 'inversify';
import type { Actor } from '../../../shared/auth/Principal';
import { ConflictError, NotFoundError } from '../../../shared/errors';
import type { Clock } from '../../../shared/time/Clock';
import { CLOCK } from '../../../shared/tokens';
import type { AuditLog } from '../../tenant/domain/AuditLog';
import { AUDIT_LOG } from '../../tenant/tokens';
import type { DeliveryQueue } from '../domain/DeliveryQueue';
import type { DispatchSignal } from '../domain/DispatchSignal';
import type { NotificationLog } from '../domain/NotificationLog';
import { DELIVERY_QUEUE, DISPATCH_SIGNAL, NOTIFICATION_LOG } from '../tokens';

/** Queues a failed notification again, once its cause is fixed: the same id and Message-ID, so the recipient sees one mail. */
@injectable()
export class RetryNotification {
  constructor(
    @inject(NOTIFICATION_LOG) private readonly log: NotificationLog,
    @inject(DELIVERY_QUEUE) private readonly queue: DeliveryQueue,
    @inject(DISPATCH_SIGNAL) private readonly signal: DispatchSignal,
    @inject(AUDIT_LOG) private readonly audit: AuditLog,
    @inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(tenantId: string, notificationId: string, actor: Actor): Promise<{ id: string; status: 'queued' }> {
    const message = await this.log.get(tenantId, notificationId);
    if (!message) throw new NotFoundError('no such notification');
    const notFailed = () => new ConflictError(`the notification is ${message.status}; only a failed notification can be retried`, [{ path: 'status', message: `is ${message.status}, not failed` }]);
    if (message.status !== 'failed') throw notFailed();
    // A second retry racing this one finds it queued already.
    if (!(await this.queue.requeueFailed(tenantId, notificationId, this.clock.now()))) throw new ConflictError('the notification was retried meanwhile', [{ path: 'status', message: 'is no longer failed' }]);
    this.signal.notify([tenantId]);
    await this.audit.record(tenantId, actor, 'notification.retried', { notificationId, ...(message.lastError ? { lastError: message.lastError } : {}) });
    return { id: notificationId, status: 'queued' };
  }
}
