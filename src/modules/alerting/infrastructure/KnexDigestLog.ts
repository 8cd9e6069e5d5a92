import { inject, injectable } from 'inversify';
import type { Knex } from 'knex';
import type { Clock } from '../../../shared/time/Clock';
import { CLOCK, DATABASE } from '../../../shared/tokens';
import type { OutgoingMail } from '../../notification/domain/OutgoingMail';
import { KnexOutbox } from '../../notification/infrastructure/KnexOutbox';
import type { DigestKey, DigestLog } from '../domain/DigestLog';
import { isUniqueViolation } from './isUniqueViolation';

@injectable()
export class KnexDigestLog implements DigestLog {
  constructor(
    @inject(DATABASE) private readonly db: Knex,
    @inject(CLOCK) private readonly clock: Clock,
    @inject(KnexOutbox) private readonly outbox: KnexOutbox,
  ) {}

  async has(key: DigestKey): Promise<boolean> {
    return (await this.db('alert_digests').where(keyColumns(key)).first('run_id')) !== undefined;
  }

  async previousTickets(key: DigestKey): Promise<string[] | undefined> {
    const row = await this.db('alert_digests')
      .where({ tenant_id: key.tenantId, recipient_lower: key.recipient })
      .where('run_date', '<', key.date)
      .orderBy('run_date', 'desc')
      .first('ticket_ids_json');
    return row ? JSON.parse(row.ticket_ids_json) : undefined;
  }

  async queue(key: DigestKey, runId: string, ticketIds: string[], mail: OutgoingMail): Promise<boolean> {
    const outbox = this.outbox;
    try {
      await this.db.transaction(async (trx) => {
        // The key first: a concurrent run blocks here (PostgreSQL) or fails, before any mail exists.
        await trx('alert_digests').insert({ ...keyColumns(key), run_id: runId, outbox_id: '', message_id: '', ticket_ids_json: JSON.stringify(ticketIds), created_at: this.clock.now().getTime() });
        const queued = await outbox.insertIn(trx, mail);
        await trx('alert_digests').where(keyColumns(key)).update({ outbox_id: queued.id, message_id: queued.messageId });
      });
    } catch (error) {
      if (isUniqueViolation(error)) return false;
      throw error;
    }
    outbox.wake();
    return true;
  }

  async deleteTenant(tenantId: string): Promise<void> {
    await this.db('alert_digests').where({ tenant_id: tenantId }).delete();
  }
}

function keyColumns(key: DigestKey) {
  return { tenant_id: key.tenantId, recipient_lower: key.recipient, run_date: key.date };
}
