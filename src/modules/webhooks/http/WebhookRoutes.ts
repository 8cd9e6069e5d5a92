import { inject, injectable } from 'inversify';
import { z } from 'zod';
import { pageQuery, pageSchema, paginate } from '../../../shared/http/paging';
import { route, type Route, type RouteSource } from '../../../shared/http/Route';
import { DELIVERY_STATUSES, EVENT_TYPES, type WebhookDelivery } from '../domain/WebhookEvent';
import type { WebhookQueue } from '../domain/WebhookQueue';
import { WEBHOOK_QUEUE } from '../tokens';

const cursorSchema = z.object({ c: z.number(), i: z.string() });

const deliveryView = z
  .object({
    id: z.string().describe('the webhook-id header, the same on every try'),
    type: z.enum(EVENT_TYPES),
    tenantId: z.string().optional(),
    status: z.enum(DELIVERY_STATUSES),
    attempts: z.number().int().min(0).max(1_000).describe('POSTs tried, the successful one included'),
    nextAttemptAt: z.string().optional().describe('when pending: the next try'),
    lastError: z.string().optional(),
    createdAt: z.string(),
    deliveredAt: z.string().optional(),
  })
  .meta({ id: 'WebhookDelivery' });

@injectable()
export class WebhookRoutes implements RouteSource {
  constructor(@inject(WEBHOOK_QUEUE) private readonly queue: WebhookQueue) {}

  routes(): Route[] {
    return [
      route({
        method: 'get',
        path: '/webhook-deliveries',
        operationId: 'listWebhookDeliveries',
        summary: 'Delivery events for KOS and how their delivery went, newest first',
        description: 'failed: given up after the retry schedule.',
        tag: 'webhooks',
        access: 'admin',
        query: z.object({ status: z.enum(DELIVERY_STATUSES).optional(), ...pageQuery }),
        responses: { 200: { description: 'a page of deliveries', schema: pageSchema(deliveryView, 'WebhookDeliveryPage') } },
        handle: async ({ query }) => ({
          status: 200,
          body: await paginate(
            query,
            cursorSchema,
            (after, limit) => this.queue.list({ status: query.status, limit, after: after ? { createdAt: after.c, id: after.i } : undefined }),
            (delivery) => ({ c: delivery.createdAt.getTime(), i: delivery.id }),
            view,
          ),
        }),
      }),
    ];
  }
}

function view(delivery: WebhookDelivery): z.infer<typeof deliveryView> {
  return {
    id: delivery.id,
    type: delivery.type,
    ...(delivery.tenantId ? { tenantId: delivery.tenantId } : {}),
    status: delivery.status,
    attempts: delivery.attempts,
    ...(delivery.status === 'pending' ? { nextAttemptAt: delivery.nextAttemptAt.toISOString() } : {}),
    ...(delivery.lastError ? { lastError: delivery.lastError } : {}),
    createdAt: delivery.createdAt.toISOString(),
    ...(delivery.deliveredAt ? { deliveredAt: delivery.deliveredAt.toISOString() } : {}),
  };
}
