import { inject, injectable } from 'inversify';
import { z } from 'zod';
import { InvalidRequestError, NotFoundError, fieldError } from '../../../shared/errors';
import { pageQuery, pageSchema, paginate } from '../../../shared/http/paging';
import { route, type RouteSource } from '../../../shared/http/Route';
import { notificationView } from '../application/notificationView';
import { QueueNotification } from '../application/QueueNotification';
import { ReadMailHealth } from '../application/ReadMailHealth';
import { RetryNotification } from '../application/RetryNotification';
import { SendTestMail } from '../application/SendTestMail';
import type { NotificationLog } from '../domain/NotificationLog';
import { NOTIFICATION_LOG } from '../tokens';
import {
  mailHealthSchema,
  notificationBody,
  notificationParams,
  notificationSchema,
  notificationStatus,
  queuedSchema,
  tenantParams,
  testMailBody,
  testMailSchema,
} from './notificationSchemas';
import { message as text } from '../../../shared/messages/message';

const cursorPosition = z.object({ createdAt: z.number(), id: z.string() });
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;

@injectable()
export class NotificationRoutes implements RouteSource {
  constructor(
    @inject(QueueNotification) private readonly queueNotification: QueueNotification,
    @inject(SendTestMail) private readonly sendTestMail: SendTestMail,
    @inject(NOTIFICATION_LOG) private readonly log: NotificationLog,
    @inject(ReadMailHealth) private readonly readMailHealth: ReadMailHealth,
    @inject(RetryNotification) private readonly retryNotification: RetryNotification,
  ) {}

  routes() {
    return [
      route({
        method: 'post',
        path: '/tenants/:tenantId/notifications',
        operationId: 'queueNotification',
        summary: 'Queue a personal notification',
        description:
          'Stores the mail and answers 202 once it is committed. From is the author when the tenant host may send as them, otherwise "<name> via KOS" <alert address> with Reply-To the author. An Idempotency-Key repeated with the same body answers the same 202 and queues nothing; with another body, 409.',
        tag: 'notifications',
        access: 'tenant',
        params: tenantParams,
        body: notificationBody,
        headers: [{ name: 'Idempotency-Key', description: 'up to 200 printable ASCII characters; makes retries of this request safe' }],
        responses: {
          202: { description: 'queued', schema: queuedSchema },
          404: { description: 'no such tenant' },
          409: { description: 'the Idempotency-Key was used with another body' },
        },
        handle: async ({ params, body, headers }) => {
          const key = headers['idempotency-key'];
          if (key !== undefined && (typeof key !== 'string' || !IDEMPOTENCY_KEY.test(key))) {
            throw new InvalidRequestError(text('idempotency_key_invalid'), [fieldError('header.Idempotency-Key', 'invalid')]);
          }
          return { status: 202, body: await this.queueNotification.execute(params.tenantId, body, key) };
        },
      }),
      route({
        method: 'get',
        path: '/tenants/:tenantId/notifications/:notificationId',
        operationId: 'getNotification',
        summary: 'A notification and its delivery status',
        tag: 'notifications',
        access: 'tenant',
        params: notificationParams,
        responses: { 200: { description: 'the notification', schema: notificationSchema }, 404: { description: 'unknown, or of another tenant' } },
        handle: async ({ params }) => {
          const message = await this.log.get(params.tenantId, params.notificationId);
          if (!message) throw new NotFoundError(text('notification_not_found'));
          return { status: 200, body: notificationView(message) };
        },
      }),
      route({
        method: 'get',
        path: '/tenants/:tenantId/notifications',
        operationId: 'listNotifications',
        summary: "The tenant's notifications, newest first",
        tag: 'notifications',
        access: 'tenant',
        params: tenantParams,
        query: z.object({ status: notificationStatus.optional().describe('only messages in this status'), ...pageQuery }),
        responses: { 200: { description: 'a page of notifications', schema: pageSchema(notificationSchema, 'NotificationPage') } },
        handle: async ({ params, query }) => ({
          status: 200,
          body: await paginate(
            query,
            cursorPosition,
            async (after, limit) => (await this.log.list(params.tenantId, { status: query.status, limit, ...(after ? { after } : {}) })).items,
            (message) => ({ createdAt: message.createdAt.getTime(), id: message.id }),
            notificationView,
          ),
        }),
      }),
      route({
        method: 'post',
        path: '/tenants/:tenantId/notifications/:notificationId/retry',
        operationId: 'retryNotification',
        summary: 'Queue a failed notification again, once its cause is fixed',
        description: 'Same id and Message-ID; the tenant audit log records it (action notification.retried). Any status but failed is a 409.',
        tag: 'notifications',
        access: 'tenant',
        params: notificationParams,
        responses: {
          202: { description: 'queued again', schema: queuedSchema },
          404: { description: 'unknown, or of another tenant' },
          409: { description: 'the notification is not failed' },
        },
        handle: async ({ params, principal }) => ({
          status: 202,
          body: await this.retryNotification.execute(params.tenantId, params.notificationId, principal.actor),
        }),
      }),
      route({
        method: 'post',
        path: '/tenants/:tenantId/mail/test',
        operationId: 'sendTestMail',
        summary: 'Send one real test mail through the tenant host',
        description:
          'Queues a test mail from the alert address and sends it the way every mail goes (outbox, dispatcher, the tenant host). Waits up to 15 s for the outcome and answers 200 with the status: sent (with messageId), failed or parked (with lastError), or still queued/sending when the host is slow; the mail then keeps going and GET /notifications/{id} follows it. The tenant audit log records it (action mail.test-sent, with the recipient and the outcome).',
        tag: 'tenants',
        access: 'tenant',
        params: tenantParams,
        body: testMailBody,
        responses: {
          200: { description: 'the outcome so far', schema: testMailSchema },
          404: { description: 'no such tenant' },
        },
        handle: async ({ params, body, principal }) => ({ status: 200, body: await this.sendTestMail.execute(params.tenantId, body.to, principal.actor) }),
      }),
      route({
        method: 'get',
        path: '/tenants/:tenantId/mail/health',
        operationId: 'getMailHealth',
        summary: "The tenant's mail health: parked or not, last success and failure, failures of the last 24 hours by class, queue",
        description: 'What an operator looks at first. Every failed delivery try is counted with its class; a try that is retried counts once per try.',
        tag: 'tenants',
        access: 'tenant',
        params: tenantParams,
        responses: { 200: { description: 'the health', schema: mailHealthSchema }, 404: { description: 'no such tenant' } },
        handle: async ({ params }) => ({ status: 200, body: await this.readMailHealth.execute(params.tenantId) }),
      }),
    ];
  }
}
