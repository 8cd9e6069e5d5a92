/** What alert runs count and time. */
export interface AlertMetrics {
  /** Seconds a run took, by trigger. */
  readonly runDuration: { observe(labels: { trigger: string }, seconds: number): void };
  /** Runs by trigger and outcome. */
  readonly runs: { inc(labels: { trigger: string; status: string }): void };
  /** Digests queued in the outbox. */
  readonly digestsQueued: { inc(value?: number): void };
}
