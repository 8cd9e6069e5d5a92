import { inject, injectable } from 'inversify';
import { z } from 'zod';
import { InvalidRequestError, NotFoundError } from '../../../shared/errors';
import { decodeCursor, encodeCursor, pageQuery, pageSchema } from '../../../shared/http/paging';
import { route, type RouteSource } from '../../../shared/http/Route';
import { hasLineBreakOrNul, isPlainAddress } from '../../../shared/mail/address';
import { notificationView } from '../application/notificationView';
import { QueueNotification } from '../application/QueueNotification';
import { ReadMailHealth } from '../application/ReadMailHealth';
import { SendTestMail } from '../application/SendTestMail';
import { FAILURE_CATEGORIES } from '../domain/DeliveryFailureLog';
import type { NotificationLog } from '../domain/NotificationLog';
import { MESSAGE_STATUSES } from '../domain/OutboxMessage';
import { NOTIFICATION_LOG } from '../tokens';

const MAX_RECIPIENTS = 50;

const singleLine = (max: number) =>
  z
    .string()
    .max(max)
    .refine((value) => !hasLineBreakOrNul(value), 'must not contain line breaks (CR, LF, U+2028, U+2029) or NUL');
const withoutNul = (max: number) =>
  z
    .string()
    .max(max)
    .refine((value) => !value.includes('\0'), 'must not contain NUL');
const plainAddress = z
  .string()
  .refine(isPlainAddress, 'must be a plain address local@domain: no display name, comment, quoted local part or group');
const person = z.object({ name: singleLine(200).optional(), email: plainAddress });
const mailAddress = z.object({ name: z.string().optional(), address: z.string() });

const tenantParams = z.object({ tenantId: z.string().max(63) });
const messageParams = z.object({ tenantId: z.string().max(63), id: z.string().max(40) });

const notificationBody = z
  .object({
    kind: z.enum(['comment', 'assignment', 'message']).default('message'),
    author: z.object({ name: singleLine(200).min(1), email: plainAddress }),
    to: z.array(person).max(MAX_RECIPIENTS),
    cc: z.array(person).max(MAX_RECIPIENTS).default([]),
    subject: singleLine(200).min(1),
    text: withoutNul(500_000),
    html: withoutNul(900_000).optional(),
    ticket: z
      .object({
        id: singleLine(200).min(1),
        title: singleLine(500).optional(),
        url: z.url({ protocol: /^https?$/ }).max(2000).optional(),
      })
      .optional(),
  })
  .superRefine((body, context) => {
    const count = body.to.length + body.cc.length;
    if (count < 1 || count > MAX_RECIPIENTS) context.addIssue({ code: 'custom', path: ['to'], message: `to and cc together must name 1 to ${MAX_RECIPIENTS} recipients (got ${count})` });
  });

const notificationSchema = z.object({
  id: z.string(),
  kind: z.enum(['comment', 'assignment', 'message', 'digest', 'test']),
  status: z.enum(MESSAGE_STATUSES),
  attempts: z.number().int(),
  from: mailAddress,
  replyTo: mailAddress.nullable(),
  senderRewritten: z.boolean(),
  rewriteReason: z.string().optional(),
  messageId: z.string(),
  lastError: z.string().optional(),
  rejectedRecipients: z.array(z.object({ address: z.string(), code: z.number().optional(), response: z.string() })).optional(),
  subject: z.string(),
  to: z.array(mailAddress),
  cc: z.array(mailAddress),
  ticketId: z.string().optional(),
  createdAt: z.string(),
  nextAttemptAt: z.string().optional(),
  sentAt: z.string().optional(),
});

const mailHealthSchema = z.object({
  state: z.enum(['ok', 'warning', 'parked']).describe("parked: the host refused the login; the tenant's mail waits until its mail settings change. warning: see warnings"),
  since: z.string().optional().describe('when parked: since when'),
  reason: z.string().optional().describe('when parked: why, and which setting to fix'),
  warnings: z.array(z.object({ code: z.string(), params: z.record(z.string(), z.union([z.string(), z.number()])), message: z.string() })).describe('e.g. a client secret expiring within 30 days'),
  lastSuccessAt: z.string().optional().describe('when the host last accepted a mail of this tenant'),
  lastFailureAt: z.string().optional().describe('the latest failed try (failed tries are kept for 48 hours)'),
  failures24h: z.object(Object.fromEntries(FAILURE_CATEGORIES.map((category) => [category, z.number().int()])) as Record<(typeof FAILURE_CATEGORIES)[number], z.ZodNumber>).describe('failed tries of the last 24 hours by class: auth (login refused), sender (sender refused), tls, connection (unreachable, timeout, refused by the network guard), rejected (other 4xx/5xx replies), other'),
  queued: z.number().int().describe('mail not yet delivered: queued, sending or parked'),
  oldestQueuedSeconds: z.number().int().describe('age of the oldest of those; 0 when none waits'),
});

const cursorPosition = z.object({ createdAt: z.number(), id: z.string() });
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;

@injectable()
export class NotificationRoutes implements RouteSource {
  constructor(
    @inject(QueueNotification) private readonly queueNotification: QueueNotification,
    @inject(SendTestMail) private readonly sendTestMail: SendTestMail,
    @inject(NOTIFICATION_LOG) private readonly log: NotificationLog,
    @inject(ReadMailHealth) private readonly readMailHealth: ReadMailHealth,
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
          202: { description: 'queued', schema: z.object({ id: z.string(), status: z.literal('queued') }) },
          404: { description: 'no such tenant' },
          409: { description: 'the Idempotency-Key was used with another body' },
        },
        handle: async ({ params, body, headers }) => {
          const key = headers['idempotency-key'];
          if (key !== undefined && (typeof key !== 'string' || !IDEMPOTENCY_KEY.test(key))) {
            throw new InvalidRequestError('the Idempotency-Key header must be 1 to 200 printable ASCII characters', [{ path: 'header.Idempotency-Key', message: 'invalid' }]);
          }
          return { status: 202, body: await this.queueNotification.execute(params.tenantId, body, key) };
        },
      }),
      route({
        method: 'get',
        path: '/tenants/:tenantId/notifications/:id',
        operationId: 'getNotification',
        summary: 'A notification and its delivery status',
        tag: 'notifications',
        access: 'tenant',
        params: messageParams,
        responses: { 200: { description: 'the notification', schema: notificationSchema }, 404: { description: 'unknown, or of another tenant' } },
        handle: async ({ params }) => {
          const message = await this.log.get(params.tenantId, params.id);
          if (!message) throw new NotFoundError('no such notification');
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
        query: z.object({ status: z.enum(MESSAGE_STATUSES).optional().describe('only messages in this status'), ...pageQuery }),
        responses: { 200: { description: 'a page of notifications', schema: pageSchema(notificationSchema) } },
        handle: async ({ params, query }) => {
          const after = query.cursor ? decodeCursor(query.cursor, cursorPosition) : undefined;
          const page = await this.log.list(params.tenantId, { status: query.status, limit: query.limit, after });
          return { status: 200, body: { items: page.items.map(notificationView), nextCursor: page.next ? encodeCursor(page.next) : null } };
        },
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
        body: z.object({ to: plainAddress }),
        responses: {
          200: { description: 'the outcome so far', schema: z.object({ id: z.string(), status: z.string(), lastError: z.string().optional(), messageId: z.string().optional() }) },
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
