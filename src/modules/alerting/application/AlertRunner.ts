import { randomUUID } from 'node:crypto';
import { inject, injectable } from 'inversify';
import type { Config } from '../../../shared/config/Config';
import { describeError } from '../../../shared/database/databaseErrors';
import { NotAllowedError } from '../../../shared/errors';
import type { Logger } from '../../../shared/logging/logger';
import type { Clock } from '../../../shared/time/Clock';
import { CLOCK, CONFIG, LOGGER } from '../../../shared/tokens';
import type { AlertMetrics } from '../domain/AlertMetrics';
import type { AlertRun, AlertTrigger } from '../domain/AlertRun';
import type { AlertRunStore } from '../domain/AlertRunStore';
import { calendarDateIn, type CalendarDate } from '../domain/CalendarDate';
import { ALERT_METRICS, ALERT_RUN_STORE } from '../tokens';
import { RunDailyAlerts } from './RunDailyAlerts';
import { message } from '../../../shared/messages/message';

/** A run whose heartbeat is older than this is considered abandoned and may be taken over. */
export const HEARTBEAT_TTL_MS = 120_000;
const HEARTBEAT_EVERY_MS = 10_000;

/**
 * Starts alert runs (manual, scheduled, catch-up), records each, and runs it in the background.
 * Which instance runs a scheduled fire is decided by the run store.
 */
@injectable()
export class AlertRunner {
  private readonly inFlight = new Set<Promise<void>>();
  private abort = new AbortController();

  constructor(
    @inject(RunDailyAlerts) private readonly runDailyAlerts: RunDailyAlerts,
    @inject(ALERT_RUN_STORE) private readonly runs: AlertRunStore,
    @inject(CLOCK) private readonly clock: Clock,
    @inject(CONFIG) private readonly config: Pick<Config, 'alertCron' | 'alertTimezone'>,
    @inject(LOGGER) private readonly log: Logger,
    @inject(ALERT_METRICS) private readonly metrics: AlertMetrics,
  ) {}

  today(): CalendarDate {
    return calendarDateIn(this.clock.now(), this.config.alertTimezone);
  }

  /** A run for `date` (default today) now; a future day is refused. */
  async startManual(date: CalendarDate = this.today()): Promise<AlertRun> {
    if (date > this.today()) throw new NotAllowedError(message('alert_run_date_in_future', { date, timezone: this.config.alertTimezone }));
    const run = this.newRun(date, 'manual');
    await this.runs.start(run);
    return this.launch(run.id, date, 'manual');
  }

  /** The run of a scheduled fire time; only the first instance to record it runs it. */
  fire(scheduledAt: Date): Promise<void> {
    return this.track(this.fireAt(scheduledAt));
  }

  private async fireAt(scheduledAt: Date): Promise<void> {
    const date = calendarDateIn(scheduledAt, this.config.alertTimezone);
    const run = { ...this.newRun(date, 'schedule'), scheduledAt };
    if (!(await this.runs.start(run))) {
      this.log.info({ date, scheduledAt }, 'alert run of this fire time is already recorded by another run');
      return;
    }
    await this.launch(run.id, date, 'schedule');
  }

  /**
   * At start-up: if the latest scheduled fire time has no completed run for its day, runs that
   * day once (trigger catch-up), taking over from a failed or abandoned run of that fire time.
   * Older days are not replayed.
   */
  catchUp(): Promise<AlertRun | undefined> {
    return this.track(this.abandonStale().then(() => this.catchUpLatest()));
  }

  /**
   * While running (every instance, periodically): when another runner died in mid-run, its run
   * is marked failed and the latest scheduled day is caught up here.
   */
  takeOverAbandoned(): Promise<AlertRun | undefined> {
    return this.track(this.abandonStale().then((abandoned) => (abandoned.length > 0 ? this.catchUpLatest() : undefined)));
  }

  private async abandonStale(): Promise<string[]> {
    const now = this.clock.now();
    const abandoned = await this.runs.abandonStale(new Date(now.getTime() - HEARTBEAT_TTL_MS), now);
    if (abandoned.length > 0) this.log.warn({ runIds: abandoned }, 'alert runs left by a stopped runner were marked failed');
    return abandoned;
  }

  private async catchUpLatest(): Promise<AlertRun | undefined> {
    const scheduledAt = this.clock.latestScheduledTime(this.config.alertCron, this.config.alertTimezone);
    if (!scheduledAt) return undefined;
    const date = calendarDateIn(scheduledAt, this.config.alertTimezone);
    if (await this.runs.hasCompleted(date)) return undefined;
    const run = { ...this.newRun(date, 'catch-up'), scheduledAt };
    if (!(await this.runs.start(run, { takeOverFailed: true }))) return undefined;
    this.log.info({ date, scheduledAt }, 'catching up the alert run of the latest scheduled day');
    return this.launch(run.id, date, 'catch-up');
  }

  /** Resolves when every run this process started has finished. */
  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  /** Interrupts the runs in progress between two digests and waits for them to record it. */
  async stop(): Promise<void> {
    this.abort.abort(new Error('the service is shutting down'));
    await this.settled();
    this.abort = new AbortController();
  }

  private newRun(date: CalendarDate, trigger: AlertTrigger) {
    return { id: `run_${randomUUID().replace(/-/g, '')}`, date, trigger, startedAt: this.clock.now() };
  }

  private async launch(id: string, date: CalendarDate, trigger: AlertTrigger): Promise<AlertRun> {
    void this.track(this.work(id, date, trigger));
    return (await this.runs.get(id))!;
  }

  private track<T>(work: Promise<T>): Promise<T> {
    const settled = work.then(
      () => undefined,
      () => undefined,
    );
    this.inFlight.add(settled);
    void settled.then(() => this.inFlight.delete(settled));
    return work;
  }

  private async work(id: string, date: CalendarDate, trigger: AlertTrigger): Promise<void> {
    const started = process.hrtime.bigint();
    let lastBeat = this.clock.now().getTime();
    const heartbeat = async (): Promise<void> => {
      const now = this.clock.now().getTime();
      if (now - lastBeat < HEARTBEAT_EVERY_MS) return;
      lastBeat = now;
      await this.runs.heartbeat(id, new Date(now));
    };
    let status: 'completed' | 'failed' = 'failed';
    try {
      const { counts, errors } = await this.runDailyAlerts.execute({ id, date }, { heartbeat, signal: this.abort.signal });
      status = 'completed';
      await this.runs.finish(id, { status, finishedAt: this.clock.now(), counts, errors });
      this.metrics.digestsQueued.inc(counts.queued);
      this.log.info({ runId: id, date, trigger, ...counts, errors: errors.length }, 'alert run completed');
    } catch (error) {
      this.log.error({ err: error, runId: id, date, trigger }, 'alert run failed');
      const message = describeError(error);
      await this.runs
        .finish(id, { status, finishedAt: this.clock.now(), counts: { tenants: 0, recipients: 0, queued: 0, alreadySent: 0 }, errors: [{ message }] })
        .catch((finishError: unknown) => this.log.error({ err: finishError, runId: id }, 'could not record the failed alert run'));
    } finally {
      this.metrics.runs.inc({ trigger, status });
      this.metrics.runDuration.observe({ trigger }, Number(process.hrtime.bigint() - started) / 1e9);
    }
  }
}
