import type { AlertRun, AlertRunCounts, AlertRunError, AlertRunStatus } from './AlertRun';
import type { CalendarDate } from './CalendarDate';

export type NewAlertRun = Pick<AlertRun, 'id' | 'date' | 'trigger' | 'scheduledAt' | 'startedAt'>;

/** The record of every alert run; it also decides which instance runs a scheduled fire. */
export interface AlertRunStore {
  /**
   * Records a running run. A run with `scheduledAt` is refused (false) while another run holds
   * that fire time; with `takeOverFailed`, a holder that failed gives the fire time up to it.
   */
  start(run: NewAlertRun, options?: { takeOverFailed?: boolean }): Promise<boolean>;
  /**
   * Marks failed the runs still running whose heartbeat is older than `before` (their runner
   * died); returns their ids.
   */
  abandonStale(before: Date, now: Date): Promise<string[]>;
  /** Tells other instances that the run is alive. */
  heartbeat(id: string, at: Date): Promise<void>;
  /** Records the outcome of a run still marked running. */
  finish(id: string, outcome: { status: AlertRunStatus; finishedAt: Date; counts: AlertRunCounts; errors: AlertRunError[] }): Promise<void>;
  get(id: string): Promise<AlertRun | undefined>;
  /** Newest first. */
  list(limit: number, before?: { startedAt: number; id: string }): Promise<AlertRun[]>;
  /** Whether any run of the day has completed. */
  hasCompleted(date: CalendarDate): Promise<boolean>;
  /** Over all completed runs, of any instance: the latest run day and the latest finish; undefined before the first. */
  lastSuccess(): Promise<{ date: CalendarDate; finishedAt: Date } | undefined>;
}
