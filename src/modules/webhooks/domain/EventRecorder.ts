import type { DeliveryEvent } from './WebhookEvent';

/**
 * Stores events in the transaction of the change they report, so that an event exists exactly
 * when its change was committed. `Tx` is the writer's transaction (or connection).
 */
export interface EventRecorder<Tx = unknown> {
  /** False when no WEBHOOK_URL is set: writers may skip building the events. */
  readonly enabled: boolean;
  /** Stores the events within `tx`; they are sent once it commits. */
  record(tx: Tx, events: DeliveryEvent[]): Promise<void>;
}
