import type { ServiceIdentifier } from 'inversify';
import type { Knex } from 'knex';
import type { EventRecorder } from './domain/EventRecorder';
import type { WebhookMetrics } from './domain/WebhookMetrics';
import type { WebhookPoster } from './domain/WebhookPoster';
import type { WebhookQueue } from './domain/WebhookQueue';

/** Writers on Knex record their events with their own transaction (or connection). */
export const EVENT_RECORDER: ServiceIdentifier<EventRecorder<Knex | Knex.Transaction>> = Symbol.for('webhooks.EventRecorder');
export const WEBHOOK_QUEUE: ServiceIdentifier<WebhookQueue> = Symbol.for('webhooks.WebhookQueue');
export const WEBHOOK_POSTER: ServiceIdentifier<WebhookPoster> = Symbol.for('webhooks.WebhookPoster');
export const WEBHOOK_METRICS: ServiceIdentifier<WebhookMetrics> = Symbol.for('webhooks.WebhookMetrics');
export const WEBHOOK_OPTIONS: ServiceIdentifier<WebhookOptions> = Symbol.for('webhooks.WebhookOptions');

export interface WebhookOptions {
  /** How often the sender looks for due events when nothing woke it. */
  pollIntervalMs: number;
  /** POSTs in flight at once while the receiver answers; one while it fails. */
  concurrency: number;
  /** The longest wait between two tries of a failing receiver (the wait doubles from pollIntervalMs up to this). */
  maxBackoffMs: number;
  /**
   * How long a claimed event is the claimer's: longer than a POST may take (timeoutMs) and its record.
   * On PostgreSQL its expiry is what brings back the events of an instance that died mid-POST.
   */
  leaseMs: number;
  timeoutMs: number;
}

export const DEFAULT_WEBHOOK_OPTIONS: WebhookOptions = { pollIntervalMs: 500, concurrency: 8, maxBackoffMs: 30_000, leaseMs: 20_000, timeoutMs: 10_000 };
