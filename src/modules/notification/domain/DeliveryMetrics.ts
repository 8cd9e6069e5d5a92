/** A counter by labels (a Prometheus counter fits). */
export interface LabelledCounter<L extends string> {
  inc(labels: Partial<Record<L, string>>, value?: number): void;
}

/** Where the queue gauges read from when scraped. */
export type QueueStats = () => Promise<{ byStatus: Record<string, number>; oldestQueuedAt?: Date }>;

/** What the delivery engine counts and times. */
export interface DeliveryMetrics {
  readonly queued: LabelledCounter<'tenant' | 'kind'>;
  readonly sent: LabelledCounter<'tenant' | 'kind'>;
  readonly failed: LabelledCounter<'tenant' | 'kind' | 'category'>;
  readonly retried: LabelledCounter<'tenant' | 'kind' | 'category'>;
  readonly parked: LabelledCounter<'tenant' | 'kind'>;
  /** Messages set aside as failed after their sends were interrupted too often. */
  readonly setAside: LabelledCounter<'tenant' | 'kind'>;
  /** Time to hand one message to the tenant host, by outcome (`sent` or `failed`). */
  readonly sendSeconds: { observe(labels: { outcome: string }, seconds: number): void };
  /** Where the queue depth is read from when the metrics are collected. */
  observeQueue(stats: QueueStats): void;
}
