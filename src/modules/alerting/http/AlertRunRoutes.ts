import { inject, injectable } from 'inversify';
import { z } from 'zod';
import { NotFoundError } from '../../../shared/errors';
import { decodeCursor, encodeCursor, pageQuery, pageSchema } from '../../../shared/http/paging';
import { route, type Route, type RouteSource } from '../../../shared/http/Route';
import { AlertRunner } from '../application/AlertRunner';
import { PreviewAlerts } from '../application/PreviewAlerts';
import type { AlertRun } from '../domain/AlertRun';
import type { AlertRunStore } from '../domain/AlertRunStore';
import { ALERT_RUN_STORE } from '../tokens';
import { alertRunView, calendarDate, tenantParams } from './schemas';

const cursorSchema = z.object({ s: z.number(), i: z.string() });

@injectable()
export class AlertRunRoutes implements RouteSource {
  constructor(
    @inject(AlertRunner) private readonly runner: AlertRunner,
    @inject(ALERT_RUN_STORE) private readonly runs: AlertRunStore,
    @inject(PreviewAlerts) private readonly preview: PreviewAlerts,
  ) {}

  routes(): Route[] {
    return [
      route({
        method: 'post',
        path: '/alert-runs',
        operationId: 'startAlertRun',
        summary: 'Run the alerts now for a day (default today); sends only the digests still missing',
        description: 'A future day is refused with 422.',
        tag: 'alert runs',
        access: 'admin',
        body: z.object({ date: calendarDate.optional() }),
        responses: { 202: { description: 'started', schema: z.object({ id: z.string(), date: z.string(), status: z.string() }) } },
        handle: async ({ body }) => {
          const run = await this.runner.startManual(body.date);
          return { status: 202, body: { id: run.id, date: run.date, status: run.status } };
        },
      }),
      route({
        method: 'get',
        path: '/alert-runs/:runId',
        operationId: 'getAlertRun',
        summary: 'One alert run with its counts and errors',
        tag: 'alert runs',
        access: 'admin',
        params: z.object({ runId: z.string().max(40) }),
        responses: { 200: { description: 'the run', schema: alertRunView } },
        handle: async ({ params }) => {
          const run = await this.runs.get(params.runId);
          if (!run) throw new NotFoundError('no such alert run');
          return { status: 200, body: view(run) };
        },
      }),
      route({
        method: 'get',
        path: '/alert-runs',
        operationId: 'listAlertRuns',
        summary: 'Alert runs, newest first',
        tag: 'alert runs',
        access: 'admin',
        query: z.object(pageQuery),
        responses: { 200: { description: 'a page of runs', schema: pageSchema(alertRunView) } },
        handle: async ({ query }) => {
          const before = query.cursor ? decodeCursor(query.cursor, cursorSchema) : undefined;
          const runs = await this.runs.list(query.limit + 1, before ? { startedAt: before.s, id: before.i } : undefined);
          const page = runs.slice(0, query.limit);
          const last = page[page.length - 1];
          return { status: 200, body: { items: page.map(view), nextCursor: runs.length > query.limit && last ? encodeCursor({ s: last.startedAt.getTime(), i: last.id }) : null } };
        },
      }),
      route({
        method: 'get',
        path: '/tenants/:tenantId/alerts/preview',
        operationId: 'previewAlerts',
        summary: 'The digests the tenant would get on a day (default today), rendered; nothing is sent',
        tag: 'alert runs',
        access: 'tenant',
        params: tenantParams,
        query: z.object({ date: calendarDate.optional() }),
        responses: {
          200: {
            description: 'the rendered digests',
            schema: z.object({
              tenantId: z.string(),
              date: z.string(),
              digests: z.array(
                z.object({
                  recipients: z.array(z.object({ name: z.string().optional(), address: z.string() })),
                  locale: z.string(),
                  subject: z.string(),
                  text: z.string(),
                  html: z.string(),
                  reached: z.number(),
                  soon: z.number(),
                }),
              ),
            }),
          },
        },
        handle: async ({ params, query }) => {
          const date = query.date ?? this.runner.today();
          const digests = await this.preview.execute(params.tenantId, date);
          return {
            status: 200,
            body: {
              tenantId: params.tenantId,
              date,
              digests: digests.map((digest) => ({ recipients: [digest.recipient], locale: digest.locale, subject: digest.subject, text: digest.text, html: digest.html, reached: digest.reached, soon: digest.soon })),
            },
          };
        },
      }),
    ];
  }
}

function view(run: AlertRun) {
  return {
    id: run.id,
    date: run.date,
    trigger: run.trigger,
    status: run.status,
    scheduledAt: run.scheduledAt?.toISOString() ?? null,
    startedAt: run.startedAt.toISOString(),
    finishedAt: run.finishedAt?.toISOString() ?? null,
    tenants: run.tenants,
    recipients: run.recipients,
    queued: run.queued,
    alreadySent: run.alreadySent,
    errors: run.errors,
  };
}
