import { inject, injectable } from 'inversify';
import type { Knex } from 'knex';
import { DATABASE } from '../../../shared/tokens';
import type { TenantDataOwner } from '../../tenant/domain/TenantLifecycle';
import type { DeliveryMetrics } from '../domain/DeliveryMetrics';
import type { NotificationLog, NotificationPage } from '../domain/NotificationLog';
import type { MessageStatus, OutboxMessage } from '../domain/OutboxMessage';
import { DELIVERY_METRICS } from '../tokens';
import { BODIES, BODY_COLUMNS, IN_DUE_INDEX, TABLE, toMessage, type OutboxRow } from './outbox/outboxRows';

/** A tenant's messages as the API reads them, the queue depth for the metrics, and offboarding. */
@injectable()
export class KnexNotificationLog implements NotificationLog, TenantDataOwner {
  constructor(
    @inject(DATABASE) private readonly db: Knex,
    @inject(DELIVERY_METRICS) metrics: DeliveryMetrics,
  ) {
    metrics.observeQueue(() => this.stats());
  }

  /** Messages with their bodies: `m` is the state row, `b` the bodies. */
  private withBodies(): Knex.QueryBuilder {
    return this.db({ m: TABLE })
      .join({ b: BODIES }, 'b.id', 'm.id')
      .select('m.*', ...BODY_COLUMNS.map((column) => `b.${column}`));
  }

  async get(tenantId: string, id: string): Promise<OutboxMessage | undefined> {
    const row: OutboxRow | undefined = await this.withBodies().where({ 'm.tenant_id': tenantId, 'm.id': id }).first();
    return row ? toMessage(row) : undefined;
  }

  async findByIdempotencyKey(tenantId: string, key: string): Promise<{ message: OutboxMessage; requestHash: string } | undefined> {
    const row: OutboxRow | undefined = await this.withBodies().where({ 'm.tenant_id': tenantId, 'm.idempotency_key': key }).first();
    return row ? { message: toMessage(row), requestHash: row.request_hash ?? '' } : undefined;
  }

  async list(tenantId: string, options: { status?: MessageStatus; limit: number; after?: { createdAt: number; id: string } }): Promise<NotificationPage> {
    const rows: OutboxRow[] = await this.withBodies()
      .where({ 'm.tenant_id': tenantId })
      .modify((query) => {
        if (options.status) query.where('m.status', options.status);
        const after = options.after;
        if (after)
          query.where((older) =>
            older.where('m.created_at', '<', after.createdAt).orWhere((same) => same.where('m.created_at', after.createdAt).where('m.id', '<', after.id)),
          );
      })
      .orderBy([
        { column: 'm.created_at', order: 'desc' },
        { column: 'm.id', order: 'desc' },
      ])
      .limit(options.limit + 1);
    const items = rows.slice(0, options.limit).map(toMessage);
    const last = rows.length > options.limit ? items[items.length - 1] : undefined;
    return { items, next: last ? { createdAt: last.createdAt.getTime(), id: last.id } : undefined };
  }

  async stats(): Promise<{ byStatus: Record<string, number>; oldestQueuedAt?: Date }> {
    // Queued, sending and parked: the statuses of the due index, which the counts walk.
    const counts: Array<{ status: string; n: number | string }> = await this.db(TABLE)
      .whereRaw(IN_DUE_INDEX)
      .select('status')
      .count({ n: '*' })
      .groupBy('status');
    const oldest = await this.db(TABLE).where({ status: 'queued' }).whereRaw(IN_DUE_INDEX).min({ at: 'created_at' }).first();
    return {
      byStatus: Object.fromEntries(counts.map((row) => [row.status, Number(row.n)])),
      oldestQueuedAt: oldest?.at == null ? undefined : new Date(Number(oldest.at)),
    };
  }

  async tenantQueue(tenantId: string): Promise<{ waiting: number; oldestWaitingAt?: Date; lastSentAt?: Date }> {
    const waiting = await this.db(TABLE)
      .where({ tenant_id: tenantId })
      .whereIn('status', ['queued', 'sending', 'parked'])
      .count({ n: '*' })
      .min({ oldest: 'created_at' })
      .first();
    const sent = await this.db(TABLE).where({ tenant_id: tenantId }).whereNotNull('sent_at').max({ at: 'sent_at' }).first();
    return {
      waiting: Number(waiting?.n ?? 0),
      ...(waiting?.oldest == null ? {} : { oldestWaitingAt: new Date(Number(waiting.oldest)) }),
      ...(sent?.at == null ? {} : { lastSentAt: new Date(Number(sent.at)) }),
    };
  }

  /** Offboarding: the tenant's messages go with it, whatever their status. */
  async deleteTenantData(tenantId: string): Promise<void> {
    await this.db.transaction(async (trx) => {
      await trx(BODIES)
        .whereIn('id', trx(TABLE).select('id').where({ tenant_id: tenantId }))
        .delete();
      await trx(TABLE).where({ tenant_id: tenantId }).delete();
    });
  }
}
