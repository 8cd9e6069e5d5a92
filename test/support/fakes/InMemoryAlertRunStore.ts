import type { AlertRun, AlertRunCounts, AlertRunError, AlertRunStatus } from '../../../src/modules/alerting/domain/AlertRun';
import type { AlertRunStore, NewAlertRun } from '../../../src/modules/alerting/domain/AlertRunStore';
import type { CalendarDate } from '../../../src/modules/alerting/domain/CalendarDate';

/** The alert run record in a map; a fire time is held by one run, as the table's unique key does. */
export class InMemoryAlertRunStore implements AlertRunStore {
  private readonly runs = new Map<string, AlertRun>();
  /** Fire time (ms) → the run that holds it. */
  private readonly fireHolders = new Map<number, string>();

  async start(run: NewAlertRun, options: { takeOverFailed?: boolean } = {}): Promise<boolean> {
    if (this.runs.has(run.id)) throw new Error(`unique violation: alert run ${run.id}`);
    const fireAt = run.scheduledAt?.getTime();
    if (fireAt !== undefined) {
      const holder = this.fireHolders.get(fireAt);
      if (holder !== undefined && !(options.takeOverFailed && this.runs.get(holder)!.status === 'failed')) return false;
      this.fireHolders.set(fireAt, run.id);
    }
    this.runs.set(run.id, {
      ...structuredClone(run),
      status: 'running',
      heartbeatAt: run.startedAt,
      tenants: 0,
      recipients: 0,
      queued: 0,
      alreadySent: 0,
      errors: [],
    });
    return true;
  }

  async abandonStale(before: Date, now: Date): Promise<string[]> {
    const stale = [...this.runs.values()].filter((run) => run.status === 'running' && run.heartbeatAt < before);
    for (const run of stale) {
      Object.assign(run, {
        status: 'failed',
        finishedAt: now,
        errors: [...run.errors, { message: 'the runner stopped reporting (heartbeat expired); the run was abandoned' }],
      });
    }
    return stale.map((run) => run.id);
  }

  async heartbeat(id: string, at: Date): Promise<void> {
    const run = this.runs.get(id);
    if (run?.status === 'running') run.heartbeatAt = at;
  }

  async finish(id: string, outcome: { status: AlertRunStatus; finishedAt: Date; counts: AlertRunCounts; errors: AlertRunError[] }): Promise<void> {
    const run = this.runs.get(id);
    if (!run) return;
    Object.assign(run, { ...outcome.counts, finishedAt: outcome.finishedAt });
    if (run.status === 'running') Object.assign(run, { status: outcome.status, heartbeatAt: outcome.finishedAt, errors: structuredClone(outcome.errors) });
    // Taken over while it worked: the verdict stays failed, with what it did.
    else run.errors = [...run.errors, ...structuredClone(outcome.errors)];
  }

  async get(id: string): Promise<AlertRun | undefined> {
    const run = this.runs.get(id);
    return run && structuredClone(run);
  }

  async list(limit: number, before?: { startedAt: number; id: string }): Promise<AlertRun[]> {
    return [...this.runs.values()]
      .filter((run) => !before || run.startedAt.getTime() < before.startedAt || (run.startedAt.getTime() === before.startedAt && run.id < before.id))
      .sort((a, b) => b.startedAt.getTime() - a.startedAt.getTime() || (a.id < b.id ? 1 : -1))
      .slice(0, limit)
      .map((run) => structuredClone(run));
  }

  async hasCompleted(date: CalendarDate): Promise<boolean> {
    return [...this.runs.values()].some((run) => run.date === date && run.status === 'completed');
  }

  async lastSuccess(): Promise<{ date: CalendarDate; finishedAt: Date } | undefined> {
    const completed = [...this.runs.values()].filter((run) => run.status === 'completed' && run.finishedAt);
    if (completed.length === 0) return undefined;
    // The latest day and the latest finish, each over all completed runs (not one run's pair).
    const date = completed.map((run) => run.date).reduce((a, b) => (a > b ? a : b));
    return { date, finishedAt: new Date(Math.max(...completed.map((run) => run.finishedAt!.getTime()))) };
  }
}
