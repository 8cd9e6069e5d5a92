/** A schedule set up through the clock; stopping it cancels every later fire. */
export interface ScheduledJob {
  stop(): void;
}

/** The time as the service sees it; tests replace it with a clock they move by hand. */
export interface Clock {
  /** The current instant. */
  now(): Date;
  /**
   * Calls `onFire(scheduledAt)` each time the croner `pattern` (5 fields, or 6 with seconds
   * first) matches in `timezone`, with the scheduled instant rather than the moment the timer ran.
   */
  schedule(pattern: string, timezone: string, onFire: (scheduledAt: Date) => void): ScheduledJob;
  /** The latest instant at or before now at which `pattern` matched in `timezone`, if any. */
  latestScheduledTime(pattern: string, timezone: string): Date | undefined;
}
