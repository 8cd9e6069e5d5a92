import { inject, injectable } from 'inversify';
import type { Knex } from 'knex';
import type { Clock } from '../../../shared/time/Clock';
import { CLOCK, INTAKE_DATABASE } from '../../../shared/tokens';
import type { DeliveryMetrics } from '../domain/DeliveryMetrics';
import type { DispatchSignal } from '../domain/DispatchSignal';
import type { IntakeLoad } from '../domain/IntakeLoad';
import type { Outbox } from '../domain/Outbox';
import type { OutgoingMail } from '../domain/OutgoingMail';
import type { QueuedMessage, TransactionalOutbox } from '../domain/TransactionalOutbox';
import { DELIVERY_METRICS, DISPATCH_SIGNAL } from '../tokens';
import { insertMessages, OUTBOX_DIALECT, type OutboxDialect } from './outbox/OutboxDialect';
import { INSERT_BATCH, newMessage, type NewMessage } from './outbox/outboxRows';

interface PendingInsert extends NewMessage {
  resolve(id: string): void;
  reject(error: unknown): void;
}

/**
 * The outbox's writer on SQLite and PostgreSQL: the API's group commit through the intake
 * database, and mail added inside another store's transaction (the alert run's digests).
 */
@injectable()
export class KnexOutbox implements Outbox, IntakeLoad, TransactionalOutbox<Knex.Transaction> {
  private readonly pendingInserts: PendingInsert[] = [];
  private inserting = false;
  /** Rows of the INSERT being committed. */
  private committing = 0;

  constructor(
    @inject(INTAKE_DATABASE) private readonly intake: Knex,
    @inject(CLOCK) private readonly clock: Clock,
    @inject(DISPATCH_SIGNAL) private readonly signal: DispatchSignal,
    @inject(DELIVERY_METRICS) private readonly metrics: DeliveryMetrics,
    @inject(OUTBOX_DIALECT) private readonly dialect: OutboxDialect,
  ) {}

  /**
   * Group commit: requests that arrive while an INSERT is running are stored together by the
   * next one, a single statement and so a single transaction. Each caller resolves only after the
   * statement holding its row has committed; nothing is answered before.
   */
  enqueue(mail: OutgoingMail, idempotency?: { key: string; requestHash: string }): Promise<string> {
    const message = newMessage(mail, this.clock.now().getTime(), idempotency);
    return new Promise((resolve, reject) => {
      this.pendingInserts.push({ ...message, resolve, reject });
      if (!this.inserting) void this.flushInserts();
    });
  }

  private async flushInserts(): Promise<void> {
    this.inserting = true;
    try {
      while (this.pendingInserts.length > 0) {
        const batch = this.pendingInserts.splice(0, INSERT_BATCH);
        this.committing = batch.length;
        try {
          await insertMessages(this.intake, this.dialect, batch);
          for (const entry of batch) this.inserted(entry);
        } catch (error) {
          if (batch.length === 1) {
            batch[0]!.reject(error);
            continue;
          }
          // One row broke a constraint (two requests raced for one idempotency key): store each
          // on its own, so that only that one fails.
          for (const entry of batch) {
            try {
              await insertMessages(this.intake, this.dialect, [entry]);
              this.inserted(entry);
            } catch (rowError) {
              entry.reject(rowError);
            }
          }
        }
        this.signal.notify(new Set(batch.map((entry) => entry.row.tenant_id)));
      }
    } finally {
      this.inserting = false;
      this.committing = 0;
    }
  }

  get storing(): number {
    return this.pendingInserts.length + this.committing;
  }

  private inserted(entry: PendingInsert): void {
    this.metrics.queued.inc({ tenant: entry.row.tenant_id, kind: entry.row.kind });
    entry.resolve(entry.row.id);
  }

  /** The mails in multi-row INSERTs inside the caller's transaction; the ids come back in the order of `mails`. */
  async addIn(trx: Knex.Transaction, mails: OutgoingMail[]): Promise<QueuedMessage[]> {
    const now = this.clock.now().getTime();
    const messages = mails.map((mail) => newMessage(mail, now));
    await insertMessages(trx, this.dialect, messages);
    const perLabel = new Map<string, { tenant: string; kind: string; n: number }>();
    for (const mail of mails) {
      const label = `${mail.tenantId}\u0000${mail.kind}`;
      const entry = perLabel.get(label) ?? { tenant: mail.tenantId, kind: mail.kind, n: 0 };
      entry.n += 1;
      perLabel.set(label, entry);
    }
    for (const { tenant, kind, n } of perLabel.values()) this.metrics.queued.inc({ tenant, kind }, n);
    return messages.map(({ row }) => ({ id: row.id, messageId: row.message_id }));
  }

  committed(): void {
    this.signal.notify();
  }
}
