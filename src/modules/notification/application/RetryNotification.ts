import { inject, injectable } from 'inversify';
import type { Actor } from '../../../shared/auth/Principal';
import { ConflictError, NotFoundError, fieldError } from '../../../shared/errors';
import type { Clock } from '../../../shared/time/Clock';
import { CLOCK } from '../../../shared/tokens';
import type { AuditLog } from '../../tenant/domain/AuditLog';
import { AUDIT_LOG } from '../../tenant/tokens';
import type { DeliveryQueue } from '../domain/DeliveryQueue';
import type { DispatchSignal } from '../domain/DispatchSignal';
import type { NotificationLog } from '../domain/NotificationLog';
import { DELIVERY_QUEUE, DISPATCH_SIGNAL, NOTIFICATION_LOG } from '../tokens';
import { message as text } from '../../../shared/messages/message';

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
    if (!message) throw new NotFoundError(text('notification_not_found'));
    const notFailed = () =>
      new ConflictError(text('notification_not_failed', { status: message.status }), [fieldError('status', 'status_not_failed', { status: message.status })]);
    if (message.status !== 'failed') throw notFailed();
    // A second retry racing this one finds it queued already.
    if (!(await this.queue.requeueFailed(tenantId, notificationId, this.clock.now())))
      throw new ConflictError(text('notification_retried_meanwhile'), [fieldError('status', 'status_no_longer_failed')]);
    this.signal.notify([tenantId]);
    await this.audit.record(tenantId, actor, 'notification.retried', {
      notificationId,
      ...(message.lastError ? { lastError: message.lastError.message, lastErrorCode: message.lastError.code, lastErrorParams: message.lastError.params } : {}),
    });
    return { id: notificationId, status: 'queued' };
  }
}
