import { inject, injectable } from 'inversify';
import { z } from 'zod';
import { decodeCursor, encodeCursor, pageQuery, pageSchema } from '../../../shared/http/paging';
import { route, type Route, type RouteSource } from '../../../shared/http/Route';
import { ManageDeadlines } from '../application/ManageDeadlines';
import type { Deadline, StoredDeadline } from '../domain/Deadline';
import { bulkBody, calendarDate, deadlineBody, deadlineParams, deadlineView, tenantParams } from './schemas';

const cursorSchema = z.object({ d: z.string(), t: z.string() });

@injectable()
export class DeadlineRoutes implements RouteSource {
  constructor(@inject(ManageDeadlines) private readonly deadlines: ManageDeadlines) {}

  routes(): Route[] {
    return [
      route({
        method: 'put',
        path: '/tenants/:tenantId/deadlines/:ticketId',
        operationId: 'putDeadline',
        summary: 'Create or replace the deadline of a ticket',
        tag: 'deadlines',
        access: 'tenant',
        params: deadlineParams,
        body: deadlineBody,
        responses: { 201: { description: 'created', schema: deadlineView }, 200: { description: 'replaced', schema: deadlineView } },
        handle: async ({ params, body }) => {
          const deadline: Deadline = { ticketId: params.ticketId, ...body };
          const created = await this.deadlines.put(params.tenantId, deadline);
          return { status: created ? 201 : 200, body: { ...deadline, updatedAt: new Date().toISOString() } };
        },
      }),
      route({
        method: 'delete',
        path: '/tenants/:tenantId/deadlines/:ticketId',
        operationId: 'deleteDeadline',
        summary: 'Remove the deadline of a ticket',
        tag: 'deadlines',
        access: 'tenant',
        params: deadlineParams,
        responses: { 204: { description: 'removed' } },
        handle: async ({ params }) => {
          await this.deadlines.remove(params.tenantId, params.ticketId);
          return { status: 204 };
        },
      }),
      route({
        method: 'put',
        path: '/tenants/:tenantId/deadlines',
        operationId: 'putDeadlines',
        summary: 'Create or replace up to 5000 deadlines in one transaction; replace: true removes the others',
        tag: 'deadlines',
        access: 'tenant',
        params: tenantParams,
        body: bulkBody,
        responses: { 200: { description: 'applied', schema: z.object({ created: z.number(), replaced: z.number(), removed: z.number() }) } },
        handle: async ({ params, body }) => ({ status: 200, body: await this.deadlines.putMany(params.tenantId, body.deadlines, body.replace) }),
      }),
      route({
        method: 'get',
        path: '/tenants/:tenantId/deadlines',
        operationId: 'listDeadlines',
        summary: 'The tenant\'s deadlines by due date, then ticket id',
        tag: 'deadlines',
        access: 'tenant',
        params: tenantParams,
        query: z.object({ dueBefore: calendarDate.optional().describe('only deadlines due strictly before this day'), ...pageQuery }),
        responses: { 200: { description: 'a page of deadlines', schema: pageSchema(deadlineView) } },
        handle: async ({ params, query }) => {
          const after = query.cursor ? decodeCursor(query.cursor, cursorSchema) : undefined;
          const items = await this.deadlines.list(params.tenantId, {
            ...(query.dueBefore ? { dueBefore: query.dueBefore } : {}),
            ...(after ? { after: { dueDate: after.d, ticketId: after.t } } : {}),
            limit: query.limit + 1,
          });
          const page = items.slice(0, query.limit);
          const last = page[page.length - 1];
          return {
            status: 200,
            body: { items: page.map(view), nextCursor: items.length > query.limit && last ? encodeCursor({ d: last.dueDate, t: last.ticketId }) : null },
          };
        },
      }),
    ];
  }
}

function view(deadline: StoredDeadline) {
  return { ...deadline, updatedAt: deadline.updatedAt.toISOString() };
}
