import { inject, injectable } from 'inversify';
import type { Knex } from 'knex';
import type { EventRecorder } from '../../webhooks/domain/EventRecorder';
import type { EventType } from '../../webhooks/domain/WebhookEvent';
import { EVENT_RECORDER } from '../../webhooks/tokens';
import { notificationView } from '../application/notificationView';
import { TABLE, toMessage, type OutboxRow } from './outbox/outboxRows';

type OutcomeType = Extract<EventType, 'notification.sent' | 'notification.failed' | 'notification.parked'>;
/** Messages read per statement, inside the bound-parameter limits of both databases. */
const READ_BATCH = 500;

/** Records the outcome events of messages in the transaction that wrote those outcomes. */
@injectable()
export class NotificationEvents {
  constructor(@inject(EVENT_RECORDER) private readonly recorder: EventRecorder<Knex | Knex.Transaction>) {}

  get enabled(): boolean {
    return this.recorder.enabled;
  }

  /** Each message as GET …/notifications/{id} answers it, with its tenantId, as it stands in `trx` now. */
  async record(trx: Knex.Transaction, type: OutcomeType, ids: string[]): Promise<void> {
    if (!this.recorder.enabled || ids.length === 0) return;
    for (let start = 0; start < ids.length; start += READ_BATCH) {
      // The view shows no bodies: the state rows are enough.
      const rows: OutboxRow[] = await trx(TABLE).whereIn('id', ids.slice(start, start + READ_BATCH));
      await this.recordRows(trx, type, rows);
    }
  }

  /** As record(), for state rows the caller has in hand (an UPDATE … RETURNING *). */
  async recordRows(trx: Knex.Transaction, type: OutcomeType, rows: OutboxRow[]): Promise<void> {
    if (!this.recorder.enabled || rows.length === 0) return;
    await this.recorder.record(
      trx,
      rows.map((row) => ({ type, data: { tenantId: row.tenant_id, ...notificationView(toMessage(row)) } })),
    );
  }
}
