import { inject, injectable } from 'inversify';
import { z } from 'zod';
import { pageQuery, pageSchema, paginate } from '../../../shared/http/paging';
import { route, type Route, type RouteSource } from '../../../shared/http/Route';
import { ManageDeadlines } from '../application/ManageDeadlines';
import type { Deadline, StoredDeadline } from '../domain/Deadline';
import { bulkBody, bulkResult, calendarDate, deadlineBody, deadlineParams, deadlineView, tenantParams } from './schemas';

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
          return { status: created ? 201 : 200, body: view({ ...deadline, updatedAt: new Date() }) };
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
        responses: { 200: { description: 'applied', schema: bulkResult } },
        handle: async ({ params, body }) => ({ status: 200, body: await this.deadlines.putMany(params.tenantId, body.deadlines, body.replace) }),
      }),
      route({
        method: 'get',
        path: '/tenants/:tenantId/deadlines',
        operationId: 'listDeadlines',
        summary: "The tenant's deadlines by due date, then ticket id",
        tag: 'deadlines',
        access: 'tenant',
        params: tenantParams,
        query: z.object({ dueBefore: calendarDate.optional().describe('only deadlines due strictly before this day'), ...pageQuery }),
        responses: { 200: { description: 'a page of deadlines', schema: pageSchema(deadlineView, 'DeadlinePage') } },
        handle: async ({ params, query }) => ({
          status: 200,
          body: await paginate(
            query,
            cursorSchema,
            (after, limit) =>
              this.deadlines.list(params.tenantId, {
                ...(query.dueBefore ? { dueBefore: query.dueBefore } : {}),
                ...(after ? { after: { dueDate: after.d, ticketId: after.t } } : {}),
                limit,
              }),
            (deadline) => ({ d: deadline.dueDate, t: deadline.ticketId }),
            view,
          ),
        }),
      }),
    ];
  }
}

/** Addresses in answers are `{name?, address}`; KOS writes assignees with `email`. */
function view(deadline: StoredDeadline) {
  const assignees = deadline.assignees.map(({ email, ...rest }) => ({ ...rest, address: email }));
  return { ...deadline, assignees, updatedAt: deadline.updatedAt.toISOString() };
}
