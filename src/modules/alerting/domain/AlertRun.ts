import type { CalendarDate } from './CalendarDate';

export type AlertTrigger = 'schedule' | 'manual' | 'catch-up';
export type AlertRunStatus = 'running' | 'completed' | 'failed';

/** A tenant the run could not serve (or the run itself, without tenantId), and why. */
export interface AlertRunError {
  tenantId?: string;
  message: string;
}

export interface AlertRunCounts {
  tenants: number;
  recipients: number;
  queued: number;
  /** Digests of this day that an earlier run had already queued. */
  alreadySent: number;
}

/** One trigger of the daily alert run for a day. */
export interface AlertRun extends AlertRunCounts {
  id: string;
  date: CalendarDate;
  trigger: AlertTrigger;
  status: AlertRunStatus;
  /** The scheduled fire time this run serves (schedule and catch-up); one run per fire time. */
  scheduledAt?: Date;
  startedAt: Date;
  finishedAt?: Date;
  /** Refreshed while the run works; a running run whose heartbeat stopped is taken over. */
  heartbeatAt: Date;
  errors: AlertRunError[];
}
