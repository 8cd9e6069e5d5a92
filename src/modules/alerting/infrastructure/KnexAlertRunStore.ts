import { inject, injectable } from 'inversify';
import type { Knex } from 'knex';
import { DATABASE } from '../../../shared/tokens';
import type { EventRecorder } from '../../webhooks/domain/EventRecorder';
import { EVENT_RECORDER } from '../../webhooks/tokens';
import { alertRunView } from '../domain/alertRunView';
import type { AlertRun, AlertRunCounts, AlertRunError, AlertRunStatus, AlertTrigger } from '../domain/AlertRun';
import type { AlertRunStore, NewAlertRun } from '../domain/AlertRunStore';
import type { CalendarDate } from '../domain/CalendarDate';
import { isUniqueViolation } from './isUniqueViolation';

interface AlertRunRow {
  id: string;
  run_date: string;
  trigger: string;
  status: string;
  fire_at: number | null;
  scheduled_at: number | null;
  started_at: number;
  finished_at: number | null;
  heartbeat_at: number;
  tenants: number;
  recipients: number;
  queued: number;
  already_sent: number;
  errors_json: string;
}

@injectable()
export class KnexAlertRunStore implements AlertRunStore {
  constructor(
    @inject(DATABASE) private readonly db: Knex,
    @inject(EVENT_RECORDER) private readonly events: EventRecorder<Knex | Knex.Transaction>,
  ) {}

  async start(run: NewAlertRun, options: { takeOverFailed?: boolean } = {}): Promise<boolean> {
    const fireAt = run.scheduledAt?.getTime() ?? null;
    const row = {
      id: run.id,
      run_date: run.date,
      trigger: run.trigger,
      status: 'running',
      fire_at: fireAt,
      scheduled_at: fireAt,
      started_at: run.startedAt.getTime(),
      heartbeat_at: run.startedAt.getTime(),
      errors_json: '[]',
    };
    for (let attempt = 0; attempt < 2; attempt += 1) {
      try {
        await this.db('alert_runs').insert(row);
        return true;
      } catch (error) {
        if (fireAt === null || !isUniqueViolation(error)) throw error;
      }
      if (!options.takeOverFailed) return false;
      // Frees the fire time held by a failed run; of several instances at once one succeeds.
      const released = await this.db('alert_runs').where({ fire_at: fireAt, status: 'failed' }).update({ fire_at: null });
      if (released === 0) return false;
    }
    return false;
  }

  async abandonStale(before: Date, now: Date): Promise<string[]> {
    const stale = await this.db<AlertRunRow>('alert_runs').where('status', 'running').where('heartbeat_at', '<', before.getTime());
    const abandoned: string[] = [];
    for (const row of stale) {
      const errors: AlertRunError[] = [...JSON.parse(row.errors_json), { message: 'the runner stopped reporting (heartbeat expired); the run was abandoned' }];
      // Conditional on the heartbeat read, so a runner that just reported keeps its run.
      const updated = await this.db.transaction(async (trx) => {
        const changed = await trx('alert_runs')
          .where({ id: row.id, status: 'running', heartbeat_at: row.heartbeat_at })
          .update({ status: 'failed', finished_at: now.getTime(), errors_json: JSON.stringify(errors) });
        if (changed === 1) await this.recordOutcome(trx, row.id);
        return changed;
      });
      if (updated === 1) abandoned.push(row.id);
    }
    return abandoned;
  }

  async heartbeat(id: string, at: Date): Promise<void> {
    await this.db('alert_runs').where({ id, status: 'running' }).update({ heartbeat_at: at.getTime() });
  }

  async finish(id: string, outcome: { status: AlertRunStatus; finishedAt: Date; counts: AlertRunCounts; errors: AlertRunError[] }): Promise<void> {
    const update = {
      finished_at: outcome.finishedAt.getTime(),
      tenants: outcome.counts.tenants,
      recipients: outcome.counts.recipients,
      queued: outcome.counts.queued,
      already_sent: outcome.counts.alreadySent,
    };
    const finished = await this.db.transaction(async (trx) => {
      const changed = await trx('alert_runs')
        .where({ id, status: 'running' })
        .update({ ...update, status: outcome.status, heartbeat_at: outcome.finishedAt.getTime(), errors_json: JSON.stringify(outcome.errors) });
      if (changed === 1) await this.recordOutcome(trx, id);
      return changed;
    });
    if (finished === 0) {
      // Taken over while it worked: keep the verdict "failed" but record what it did.
      const row = await this.db<AlertRunRow>('alert_runs').where({ id }).first();
      if (row)
        await this.db('alert_runs')
          .where({ id })
          .update({ ...update, errors_json: JSON.stringify([...JSON.parse(row.errors_json), ...outcome.errors]) });
    }
  }

  /** alert_run.completed or .failed, in the transaction that ended the run. */
  private async recordOutcome(trx: Knex.Transaction, id: string): Promise<void> {
    if (!this.events.enabled) return;
    const row = await trx<AlertRunRow>('alert_runs').where({ id }).first();
    if (!row || (row.status !== 'completed' && row.status !== 'failed')) return;
    await this.events.record(trx, [{ type: row.status === 'completed' ? 'alert_run.completed' : 'alert_run.failed', data: alertRunView(toAlertRun(row)) }]);
  }

  async get(id: string): Promise<AlertRun | undefined> {
    const row = await this.db<AlertRunRow>('alert_runs').where({ id }).first();
    return row ? toAlertRun(row) : undefined;
  }

  async list(limit: number, before?: { startedAt: number; id: string }): Promise<AlertRun[]> {
    const select = this.db<AlertRunRow>('alert_runs');
    if (before) select.whereRaw('(started_at, id) < (?, ?)', [before.startedAt, before.id]);
    const rows = await select
      .orderBy([
        { column: 'started_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(limit);
    return rows.map(toAlertRun);
  }

  async hasCompleted(date: CalendarDate): Promise<boolean> {
    return (await this.db('alert_runs').where({ run_date: date, status: 'completed' }).first('id')) !== undefined;
  }

  async lastSuccess(): Promise<{ date: CalendarDate; finishedAt: Date } | undefined> {
    const row: { date?: string | null; finished?: number | string | null } | undefined = await this.db('alert_runs')
      .where({ status: 'completed' })
      .max({ date: 'run_date' })
      .max({ finished: 'finished_at' })
      .first();
    return row?.date && row.finished != null ? { date: row.date, finishedAt: new Date(Number(row.finished)) } : undefined;
  }
}

function toAlertRun(row: AlertRunRow): AlertRun {
  return {
    id: row.id,
    date: row.run_date,
    trigger: row.trigger as AlertTrigger,
    status: row.status as AlertRunStatus,
    ...(row.scheduled_at !== null ? { scheduledAt: new Date(Number(row.scheduled_at)) } : {}),
    startedAt: new Date(Number(row.started_at)),
    ...(row.finished_at !== null ? { finishedAt: new Date(Number(row.finished_at)) } : {}),
    heartbeatAt: new Date(Number(row.heartbeat_at)),
    tenants: row.tenants,
    recipients: row.recipients,
    queued: row.queued,
    alreadySent: row.already_sent,
    errors: JSON.parse(row.errors_json),
  };
}
