import { inject, injectable } from 'inversify';
import type { Knex } from 'knex';
import type { EventRecorder } from '../../webhooks/domain/EventRecorder';
import type { EventType } from '../../webhooks/domain/WebhookEvent';
import { EVENT_RECORDER } from '../../webhooks/tokens';
import { notificationView } from '../application/notificationView';
import type { OutboxMessage } from '../domain/OutboxMessage';

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
  async record<Row extends { tenant_id: string }>(trx: Knex.Transaction, type: OutcomeType, ids: string[], toMessage: (row: Row) => OutboxMessage): Promise<void> {
    if (!this.recorder.enabled || ids.length === 0) return;
    for (let start = 0; start < ids.length; start += READ_BATCH) {
      const rows = (await trx({ m: 'outbox_messages' })
        .whereIn('m.id', ids.slice(start, start + READ_BATCH))
        .select('m.*', trx.raw("'' as text_body"), trx.raw('null as html_body'))) as Row[];
      await this.recordRows(trx, type, rows, toMessage);
    }
  }

  /** As record(), for state rows the caller has in hand (an UPDATE … RETURNING *); bodies are not needed. */
  async recordRows<Row extends { tenant_id: string }>(trx: Knex.Transaction, type: OutcomeType, rows: Row[], toMessage: (row: Row) => OutboxMessage): Promise<void> {
    if (!this.recorder.enabled || rows.length === 0) return;
    await this.recorder.record(
      trx,
      rows.map((row) => ({ type, data: { tenantId: row.tenant_id, ...notificationView(toMessage(row)) } })),
    );
  }
}
