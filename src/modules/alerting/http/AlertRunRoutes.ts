import { inject, injectable } from 'inversify';
import { z } from 'zod';
import { NotFoundError } from '../../../shared/errors';
import type { Config } from '../../../shared/config/Config';
import { pageQuery, pageSchema, paginate } from '../../../shared/http/paging';
import { route, type Route, type RouteSource } from '../../../shared/http/Route';
import type { Clock } from '../../../shared/time/Clock';
import { nextFireAfter } from '../../../shared/time/cronPattern';
import { CLOCK, CONFIG } from '../../../shared/tokens';
import { AlertRunner } from '../application/AlertRunner';
import { PreviewAlerts } from '../application/PreviewAlerts';
import { alertRunView as view } from '../domain/alertRunView';
import type { AlertRunStore } from '../domain/AlertRunStore';
import { ALERT_RUN_STORE } from '../tokens';
import { alertRunView, alertScheduleView, calendarDate, digestPreviewView, startedRunView, tenantParams } from './schemas';
import { message } from '../../../shared/messages/message';

const cursorSchema = z.object({ s: z.number(), i: z.string() });
const NO_LATER_PAGE = null;

@injectable()
export class AlertRunRoutes implements RouteSource {
  constructor(
    @inject(AlertRunner) private readonly runner: AlertRunner,
    @inject(ALERT_RUN_STORE) private readonly runs: AlertRunStore,
    @inject(PreviewAlerts) private readonly preview: PreviewAlerts,
    @inject(CONFIG) private readonly config: Pick<Config, 'alertCron' | 'alertTimezone' | 'alertLeadDays'>,
    @inject(CLOCK) private readonly clock: Clock,
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
        body: z.object({ date: calendarDate.optional() }).meta({ id: 'AlertRunRequest', examples: [{ date: '2026-12-03' }] }),
        responses: { 202: { description: 'started', schema: startedRunView }, 422: { description: 'a future day' } },
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
          if (!run) throw new NotFoundError(message('alert_run_not_found'));
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
        responses: { 200: { description: 'a page of runs', schema: pageSchema(alertRunView, 'AlertRunPage') } },
        handle: async ({ query }) => ({
          status: 200,
          body: await paginate(
            query,
            cursorSchema,
            (before, limit) => this.runs.list(limit, before ? { startedAt: before.s, id: before.i } : undefined),
            (run) => ({ s: run.startedAt.getTime(), i: run.id }),
            view,
          ),
        }),
      }),
      route({
        method: 'get',
        path: '/alert-schedule',
        operationId: 'getAlertSchedule',
        summary: 'The one global alert time, the next run and the last one',
        tag: 'alert runs',
        access: 'any',
        responses: { 200: { description: 'the schedule', schema: alertScheduleView } },
        handle: async () => {
          const [last] = await this.runs.list(1);
          const next = nextFireAfter(this.config.alertCron, this.config.alertTimezone, this.clock.now());
          return {
            status: 200,
            body: {
              cron: this.config.alertCron,
              timezone: this.config.alertTimezone,
              leadDays: this.config.alertLeadDays,
              ...(next ? { nextRunAt: next.toISOString() } : {}),
              lastRun: last
                ? { id: last.id, date: last.date, status: last.status, ...(last.finishedAt ? { finishedAt: last.finishedAt.toISOString() } : {}) }
                : null,
            },
          };
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
        responses: { 200: { description: 'the rendered digests, one per recipient', schema: digestPreviewView } },
        handle: async ({ params, query }) => {
          const date = query.date ?? this.runner.today();
          const digests = await this.preview.execute(params.tenantId, date);
          return {
            status: 200,
            body: {
              tenantId: params.tenantId,
              date,
              items: digests.map((digest) => ({
                from: digest.from,
                recipients: [digest.recipient],
                locale: digest.locale,
                subject: digest.subject,
                text: digest.text,
                html: digest.html,
                reached: digest.reached,
                soon: digest.soon,
              })),
              nextCursor: NO_LATER_PAGE,
            },
          };
        },
      }),
    ];
  }
}
