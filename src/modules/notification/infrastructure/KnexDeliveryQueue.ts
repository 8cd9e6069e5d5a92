import { inject, injectable } from 'inversify';
import type { Knex } from 'knex';
import type { Clock } from '../../../shared/time/Clock';
import { CLOCK, DATABASE } from '../../../shared/tokens';
import type { RecipientRefusal } from '../domain/DeliveryError';
import type { DeliveryMetrics } from '../domain/DeliveryMetrics';
import type { ClaimRequest, DeliveryQueue, RecipientRetry } from '../domain/DeliveryQueue';
import type { OutboxMessage } from '../domain/OutboxMessage';
import { DELIVERY_METRICS } from '../tokens';
import { claimCandidates } from './outbox/claimCandidates';
import { insertMessages, OUTBOX_DIALECT, type OutboxDialect } from './outbox/OutboxDialect';
import { NotificationEvents } from './NotificationEvents';
import { IN_DUE_INDEX, MAILS, messageIdFor, retryMessage, TABLE, toMessage, type OutboxRow } from './outbox/outboxRows';
import { errorColumns } from './outbox/storedMessage';
import type { Message } from '../../../shared/messages/message';

/** Rows per batched UPDATE: well inside SQLite's and PostgreSQL's bound-parameter limits. */
const SENT_BATCH = 500;
const SENT_LINGER_MS = 10;

interface PendingSent {
  id: string;
  sentAt: number;
  resolve(updated: boolean): void;
  reject(error: unknown): void;
}

/** The dispatcher's side of the outbox on SQLite and PostgreSQL: leases and outcomes. */
@injectable()
export class KnexDeliveryQueue implements DeliveryQueue {
  private readonly pendingSent: PendingSent[] = [];
  private flushing = false;

  constructor(
    @inject(DATABASE) private readonly db: Knex,
    @inject(CLOCK) private readonly clock: Clock,
    @inject(DELIVERY_METRICS) private readonly metrics: DeliveryMetrics,
    @inject(OUTBOX_DIALECT) private readonly dialect: OutboxDialect,
    @inject(NotificationEvents) private readonly events: NotificationEvents,
  ) {}

  async claim(request: ClaimRequest): Promise<OutboxMessage[]> {
    if (request.limit <= 0) return [];
    const now = this.clock.now().getTime();
    const lease = {
      status: 'sending',
      lease_owner: request.owner,
      lease_until: now + request.leaseMs,
      attempts: this.db.raw('attempts + 1'),
      interruptions: this.firstInterruption(this.db.raw("status = 'sending'")),
    };
    const rows = await this.dialect.claim(this.db, claimCandidates(this.db, request, now), lease, now);
    return rows.map(toMessage);
  }

  /**
   * A lease that ended without an outcome counts once here, whether the message was sending or only
   * waiting its turn; a suspect's later sends are counted before they start (countInterruption).
   */
  private firstInterruption(leaseEnded: Knex.Raw): Knex.Raw {
    return this.db.raw('case when ? and interruptions = 0 then 1 else interruptions end', [leaseEnded]);
  }

  /** The message's row while `owner` holds its lease (in `db`, a transaction if given). */
  private leased(id: string, owner: string, db: Knex | Knex.Transaction = this.db) {
    return db(TABLE).where({ id, lease_owner: owner, status: 'sending' });
  }

  /**
   * A host's 250 is recorded whatever the lease: a stale try (its lease expired and was taken
   * again) may already have written a retry or a failure, and a delivered mail must not stay
   * queued or end failed. Only a `sent` row is left as it is; every other outcome needs the lease.
   */
  private notYetSent(query: Knex.QueryBuilder): Knex.QueryBuilder {
    return query.whereNot('status', 'sent');
  }

  /**
   * Outcomes are group-committed: a `sent` that arrives while a flush is running waits for the
   * next one, so that one UPDATE records many messages. Each caller still resolves only after its
   * own row is committed, and learns whether it was this call that recorded it.
   */
  markSent(id: string, _owner: string, sentAt: Date, rejected: RecipientRefusal[], retry?: RecipientRetry): Promise<boolean> {
    if (rejected.length > 0) return this.markSentWithRefusals(id, sentAt, rejected, retry);
    return new Promise((resolve, reject) => {
      this.pendingSent.push({ id, sentAt: sentAt.getTime(), resolve, reject });
      if (!this.flushing) {
        // A short linger gathers the outcomes of the sends finishing meanwhile into one UPDATE;
        // the send slot is already free, only the record waits.
        this.flushing = true;
        void this.flushSent();
      }
    });
  }

  private async flushSent(): Promise<void> {
    this.flushing = true;
    try {
      while (this.pendingSent.length > 0) {
        if (this.pendingSent.length < SENT_BATCH) await new Promise((resolve) => setTimeout(resolve, SENT_LINGER_MS));
        const batch = this.pendingSent.splice(0, SENT_BATCH);
        try {
          const updated = new Set((await this.markSentBatch(batch)).map((row) => row.id));
          // Two reports of one mail in a batch (two tries of it): the first records it.
          for (const entry of batch) entry.resolve(updated.delete(entry.id));
        } catch (error) {
          for (const entry of batch) entry.reject(error);
        }
      }
    } finally {
      this.flushing = false;
    }
  }

  /** The outcome and its notification.sent events in one transaction (rows read back by RETURNING) when webhooks are on. */
  private markSentBatch(entries: PendingSent[]): Promise<Array<{ id: string }>> {
    const times = new Set(entries.map((entry) => entry.sentAt));
    // Each row keeps its own acceptance time; most batches share one millisecond or a few.
    const sentAt =
      times.size === 1
        ? entries[0]!.sentAt
        : this.db.raw(
            `case id ${entries.map(() => 'when ? then cast(? as bigint)').join(' ')} end`,
            entries.flatMap((entry) => [entry.id, entry.sentAt]),
          );
    const update = (db: Knex | Knex.Transaction, columns: string): Promise<OutboxRow[]> =>
      db(TABLE)
        .whereIn(
          'id',
          entries.map((entry) => entry.id),
        )
        .modify((query) => this.notYetSent(query))
        .update({ status: 'sent', sent_at: sentAt, lease_owner: null, lease_until: null, ...errorColumns(null), rejected_recipients_json: null })
        .returning(columns);
    if (!this.events.enabled) return update(this.db, 'id');
    return this.db.transaction(async (trx) => {
      const updated = await update(trx, '*');
      await this.events.recordRows(trx, 'notification.sent', updated);
      return updated;
    });
  }

  /**
   * Sent to some recipients only. With `retry`, the same message (same Message-ID and Date, same
   * headers) is queued again for the recipients refused for now, in the same transaction, and
   * counts its tries on from this one.
   */
  private async markSentWithRefusals(id: string, sentAt: Date, rejected: RecipientRefusal[], retry?: RecipientRetry): Promise<boolean> {
    return this.db.transaction(async (trx) => {
      const updated = await this.notYetSent(trx(TABLE).where({ id })).update({
        status: 'sent',
        sent_at: sentAt.getTime(),
        lease_owner: null,
        lease_until: null,
        ...errorColumns(null),
        rejected_recipients_json: JSON.stringify(rejected),
      });
      if (updated > 0) await this.events.record(trx, 'notification.sent', [id]);
      if (updated === 0 || !retry) return updated > 0;
      const original: OutboxRow = await trx(MAILS).where({ id }).first();
      const again = retryMessage(original, messageIdFor(sentAt.getTime()), retry.at.getTime(), retry.lastError.message, retry.addresses);
      await insertMessages(trx, this.dialect, [again]);
      // The insert view of SQLite carries the text only: the code and params follow (a rare path).
      await trx(TABLE).where({ id: again.row.id }).update(errorColumns(retry.lastError));
      this.metrics.queued.inc({ tenant: original.tenant_id, kind: original.kind });
      return true;
    });
  }

  async countInterruption(id: string, owner: string): Promise<void> {
    await this.leased(id, owner).update({ interruptions: this.db.raw('interruptions + 1') });
  }

  async scheduleRetry(id: string, owner: string, at: Date, lastError: Message): Promise<boolean> {
    const updated = await this.leased(id, owner).update({
      status: 'queued',
      next_attempt_at: at.getTime(),
      lease_owner: null,
      lease_until: null,
      ...errorColumns(lastError),
      interruptions: 0,
    });
    return updated > 0;
  }

  async markFailed(id: string, owner: string, lastError: Message, rejected?: RecipientRefusal[]): Promise<boolean> {
    return this.db.transaction(async (trx) => {
      const updated = await this.leased(id, owner, trx).update({
        status: 'failed',
        lease_owner: null,
        lease_until: null,
        ...errorColumns(lastError),
        rejected_recipients_json: rejected && rejected.length > 0 ? JSON.stringify(rejected) : null,
      });
      if (updated > 0) await this.events.record(trx, 'notification.failed', [id]);
      return updated > 0;
    });
  }

  async park(id: string, owner: string, tenantId: string, reason: Message, countTry: boolean): Promise<void> {
    await this.db.transaction(async (trx) => {
      const own = await this.leased(id, owner, trx).update({
        status: 'parked',
        lease_owner: null,
        lease_until: null,
        ...errorColumns(reason),
        ...(countTry ? {} : { attempts: trx.raw('attempts - 1') }),
      });
      const others: Array<{ id: string }> = await trx(TABLE)
        .where({ tenant_id: tenantId, status: 'queued' })
        .update({ status: 'parked', ...errorColumns(reason) })
        .returning('id');
      await this.events.record(trx, 'notification.parked', [...(own > 0 ? [id] : []), ...others.map((row) => row.id)]);
    });
  }

  async requeueFailed(tenantId: string, id: string, at: Date): Promise<boolean> {
    const updated = await this.db(TABLE)
      .where({ tenant_id: tenantId, id, status: 'failed' })
      .update({ status: 'queued', next_attempt_at: at.getTime(), rejected_recipients_json: null });
    return updated > 0;
  }

  async unpark(tenantId: string, at: Date): Promise<number> {
    return this.db(TABLE).where({ tenant_id: tenantId, status: 'parked' }).update({ status: 'queued', next_attempt_at: at.getTime() });
  }

  async release(id: string, owner: string, at?: Date): Promise<void> {
    await this.leased(id, owner).update({
      status: 'queued',
      lease_owner: null,
      lease_until: null,
      attempts: this.db.raw('attempts - 1'),
      ...(at ? { next_attempt_at: at.getTime() } : {}),
    });
  }

  async releaseMany(ids: string[], owner: string): Promise<void> {
    for (let start = 0; start < ids.length; start += SENT_BATCH) {
      await this.db(TABLE)
        .whereIn('id', ids.slice(start, start + SENT_BATCH))
        .where({ lease_owner: owner, status: 'sending' })
        .update({ status: 'queued', lease_owner: null, lease_until: null, attempts: this.db.raw('attempts - 1') });
    }
  }

  get singleInstance(): boolean {
    return this.dialect.singleInstance;
  }

  async recoverAbandoned(): Promise<number> {
    return this.db(TABLE)
      .where({ status: 'sending' })
      .whereRaw(IN_DUE_INDEX)
      .update({ status: 'queued', lease_owner: null, lease_until: null, interruptions: this.firstInterruption(this.db.raw('true')) });
  }
}
