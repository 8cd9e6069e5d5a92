import { inject, injectable, optional } from 'inversify';
import type { Knex } from 'knex';
import type { Clock } from '../../../shared/time/Clock';
import { CLOCK, DATABASE, READ_DATABASE } from '../../../shared/tokens';
import type { TransactionalOutbox } from '../../notification/domain/TransactionalOutbox';
import { TRANSACTIONAL_OUTBOX } from '../../notification/tokens';
import type { CalendarDate } from '../domain/CalendarDate';
import type { DigestHistory, DigestKey, DigestLog, PendingDigest } from '../domain/DigestLog';

// Rows per statement: SQLite takes at most 500 rows in one INSERT.
const ROWS = 400;
const KEY_COLUMNS = ['tenant_id', 'recipient_lower', 'run_date'];

interface KeyRow {
  tenant_id: string;
  recipient_lower: string;
  run_date: string;
}

@injectable()
export class KnexDigestLog implements DigestLog {
  constructor(
    @inject(DATABASE) private readonly db: Knex,
    @inject(CLOCK) private readonly clock: Clock,
    @inject(TRANSACTIONAL_OUTBOX) private readonly outbox: TransactionalOutbox<Knex.Transaction>,
    /** History reads go here, beside the run's writes (see createReadDatabase); the key INSERT still decides. */
    @inject(READ_DATABASE) @optional() private readonly reader: Knex = db,
  ) {}

  async history(tenantId: string, recipients: string[], date: CalendarDate): Promise<DigestHistory> {
    const history: DigestHistory = { sent: new Set(), previousTickets: new Map() };
    for (let start = 0; start < recipients.length; start += ROWS) {
      // Each recipient's latest digest up to D: D's own means sent, an earlier one is the previous.
      const latest = this.reader('alert_digests as p')
        .max('p.run_date')
        .where('p.tenant_id', tenantId)
        .whereRaw('p.recipient_lower = d.recipient_lower')
        .where('p.run_date', '<=', date);
      const rows: Array<{ recipient_lower: string; run_date: string; ticket_ids_json: string }> = await this.reader('alert_digests as d')
        .select('d.recipient_lower', 'd.run_date', 'd.ticket_ids_json')
        .where('d.tenant_id', tenantId)
        .whereIn('d.recipient_lower', recipients.slice(start, start + ROWS))
        .where('d.run_date', latest);
      for (const row of rows) {
        if (row.run_date === date) history.sent.add(row.recipient_lower);
        else history.previousTickets.set(row.recipient_lower, JSON.parse(row.ticket_ids_json));
      }
    }
    return history;
  }

  async queueMany(runId: string, digests: PendingDigest[]): Promise<boolean[]> {
    const outbox = this.outbox;
    const results = digests.map(() => false);
    const firstOfKey = new Map<string, number>();
    digests.forEach((digest, index) => {
      const key = keyString(keyColumns(digest.key));
      if (!firstOfKey.has(key)) firstOfKey.set(key, index);
    });
    if (firstOfKey.size === 0) return results;
    const createdAt = this.clock.now().getTime();
    // Keys in one order for every run: two overlapping runs then wait for each other's keys
    // instead of each holding one the other needs (a deadlock on PostgreSQL).
    const candidates = [...firstOfKey.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, index]) => index);
    // The mails' ids are made first, so that each key is written with its mail's ids at once.
    const prepared = outbox.prepare(candidates.map((index) => digests[index]!.mail));
    await this.db.transaction(async (trx) => {
      // The keys first: a concurrent run's keys block here (PostgreSQL) until it commits, then
      // count as conflicts; only the keys won here get a mail, in the same transaction.
      const won: number[] = [];
      for (let start = 0; start < candidates.length; start += ROWS) {
        const rows = candidates.slice(start, start + ROWS).map((index, offset) => ({
          ...keyColumns(digests[index]!.key),
          run_id: runId,
          outbox_id: prepared[start + offset]!.id,
          message_id: prepared[start + offset]!.messageId,
          ticket_ids_json: JSON.stringify(digests[index]!.ticketIds),
          created_at: createdAt,
        }));
        const inserted: KeyRow[] = await trx('alert_digests').insert(rows).onConflict(KEY_COLUMNS).ignore().returning(KEY_COLUMNS);
        for (const row of inserted) won.push(firstOfKey.get(keyString(row))!);
      }
      if (won.length === 0) return;
      won.sort((a, b) => a - b);
      const preparedOf = new Map(candidates.map((index, position) => [index, prepared[position]!]));
      await outbox.addPreparedIn(
        trx,
        won.map((index) => preparedOf.get(index)!),
      );
      for (const index of won) results[index] = true;
    });
    if (results.some(Boolean)) outbox.committed();
    return results;
  }

  async deleteTenant(tenantId: string): Promise<void> {
    await this.db('alert_digests').where({ tenant_id: tenantId }).delete();
  }
}

function keyColumns(key: DigestKey): KeyRow {
  return { tenant_id: key.tenantId, recipient_lower: key.recipient, run_date: key.date };
}

function keyString(key: KeyRow): string {
  return `${key.tenant_id}\u0000${key.recipient_lower}\u0000${key.run_date}`;
}
