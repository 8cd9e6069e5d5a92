import type { EventType } from './WebhookEvent';

/** A counter by event type (a Prometheus counter fits). */
export interface TypeCounter {
  inc(labels: { type: EventType }): void;
}

/** What webhook delivery counts: delivered, tried again, given up. */
export interface WebhookMetrics {
  readonly delivered: TypeCounter;
  readonly retried: TypeCounter;
  readonly failed: TypeCounter;
}
