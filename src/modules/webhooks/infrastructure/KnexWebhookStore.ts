import { randomUUID } from 'node:crypto';
import { inject, injectable } from 'inversify';
import type { Knex } from 'knex';
import type { Config } from '../../../shared/config/Config';
import { isPostgres } from '../../../shared/database/database';
import type { Clock } from '../../../shared/time/Clock';
import { CLOCK, CONFIG, DATABASE } from '../../../shared/tokens';
import type { EventRecorder } from '../domain/EventRecorder';
import type { TenantDataOwner } from '../../tenant/domain/TenantLifecycle';
import type { DeliveryEvent, EventType, WebhookDelivery, WebhookDeliveryStatus } from '../domain/WebhookEvent';
import type { WebhookQueue } from '../domain/WebhookQueue';

const TABLE = 'webhook_events';
/** Rows per INSERT: far inside SQLite's limits (about 8 columns each). */
const INSERT_BATCH = 200;

interface Row {
  id: string;
  type: string;
  tenant_id: string | null;
  body: string;
  status: string;
  attempts: number;
  next_attempt_at: number | string;
  lease_owner: string | null;
  lease_until: number | string | null;
  last_error: string | null;
  created_at: number | string;
  delivered_at: number | string | null;
}

/** The stored events on SQLite and PostgreSQL: written in the writers' transactions, read by the sender. */
@injectable()
export class KnexWebhookStore implements EventRecorder<Knex | Knex.Transaction>, WebhookQueue, TenantDataOwner {
  readonly enabled: boolean;

  constructor(
    @inject(DATABASE) private readonly db: Knex,
    @inject(CLOCK) private readonly clock: Clock,
    @inject(CONFIG) config: Pick<Config, 'webhookUrl'>,
  ) {
    this.enabled = config.webhookUrl !== undefined;
  }

  async record(tx: Knex | Knex.Transaction, events: DeliveryEvent[]): Promise<void> {
    if (!this.enabled || events.length === 0) return;
    const now = this.clock.now();
    const rows = events.map((event) => ({
      id: eventId(now.getTime()),
      type: event.type,
      tenant_id: event.data.tenantId ?? null,
      body: JSON.stringify({ type: event.type, timestamp: now.toISOString(), data: event.data }),
      status: 'pending',
      attempts: 0,
      next_attempt_at: now.getTime(),
      created_at: now.getTime(),
    }));
    for (let start = 0; start < rows.length; start += INSERT_BATCH) await tx(TABLE).insert(rows.slice(start, start + INSERT_BATCH));
  }

  /** A deleted tenant's events go with it, sent or not: their bodies hold its mail's addresses and subjects. */
  async deleteTenantData(tenantId: string): Promise<void> {
    await this.db(TABLE).where({ tenant_id: tenantId }).delete();
  }

  async claim(owner: string, limit: number, leaseMs: number, now: Date): Promise<WebhookDelivery[]> {
    const at = now.getTime();
    // Two walks instead of one OR: pending rows come off the (status, next_attempt_at) index in order
    // and stop at the limit. One OR made SQLite sort every due row on each claim, on the connection
    // the dispatcher uses too (docs/performance.md, "Webhook events").
    const pending = this.db(TABLE)
      .select('id', 'next_attempt_at')
      .where({ status: 'pending' })
      .where('next_attempt_at', '<=', at)
      .orderBy('next_attempt_at')
      .limit(limit);
    const expired = this.db(TABLE).select('id', 'next_attempt_at').where({ status: 'sending' }).where('lease_until', '<', at).limit(limit);
    const walks = this.db.unionAll([this.db.select('*').from(pending.as('pending')), this.db.select('*').from(expired.as('expired'))]).as('due');
    const candidates: Array<{ id: string }> = await this.db.select('id').from(walks).orderBy('next_attempt_at').limit(limit);
    if (candidates.length === 0) return [];
    const ids = candidates.map((row) => row.id);
    // Still due, checked again under the row lock: another instance's claim of the same row wins once.
    // A CASE, not an OR, so that the rows are found by id rather than by walking every due row again.
    const stillDue = this.db.raw("case when status = 'pending' then next_attempt_at <= ? when status = 'sending' then lease_until < ? else false end", [
      at,
      at,
    ]);
    await this.db(TABLE)
      .whereIn('id', ids)
      .where(stillDue)
      .update({ status: 'sending', lease_owner: owner, lease_until: at + leaseMs, attempts: this.db.raw('attempts + 1') });
    const rows: Row[] = await this.db(TABLE).whereIn('id', ids).where({ lease_owner: owner, status: 'sending' });
    return rows.map(toDelivery);
  }

  async markDelivered(id: string, owner: string, at: Date): Promise<void> {
    await this.db(TABLE)
      .where({ id, lease_owner: owner, status: 'sending' })
      .update({ status: 'delivered', delivered_at: at.getTime(), lease_owner: null, lease_until: null, last_error: null });
  }

  async markUndelivered(id: string, owner: string, lastError: string, at: Date | undefined): Promise<void> {
    await this.db(TABLE)
      .where({ id, lease_owner: owner, status: 'sending' })
      .update({
        status: at ? 'pending' : 'failed',
        ...(at ? { next_attempt_at: at.getTime() } : {}),
        lease_owner: null,
        lease_until: null,
        last_error: lastError,
      });
  }

  async list(options: { status?: WebhookDeliveryStatus; limit: number; after?: { createdAt: number; id: string } }): Promise<WebhookDelivery[]> {
    const rows: Row[] = await this.db(TABLE)
      .modify((query) => {
        if (options.status) query.where({ status: options.status });
        const after = options.after;
        if (after)
          query.where((older) =>
            older.where('created_at', '<', after.createdAt).orWhere((same) => same.where('created_at', after.createdAt).where('id', '<', after.id)),
          );
      })
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(options.limit);
    return rows.map(toDelivery);
  }

  async recoverAbandoned(now: Date): Promise<number> {
    // On PostgreSQL other instances may hold leases: their expiry brings an event back instead.
    if (isPostgres(this.db)) return 0;
    return this.db(TABLE).where({ status: 'sending' }).update({ status: 'pending', next_attempt_at: now.getTime(), lease_owner: null, lease_until: null });
  }

  async pendingCount(): Promise<number> {
    const row = await this.db(TABLE).whereIn('status', ['pending', 'sending']).count({ n: '*' }).first();
    return Number(row?.n ?? 0);
  }
}

/** `evt_` + the time in ms (12 hex digits) + random: unique, and growing with time like the outbox ids. */
function eventId(now: number): string {
  return `evt_${now.toString(16).padStart(12, '0')}${randomUUID().replace(/-/g, '').slice(0, 20)}`;
}

function toDelivery(row: Row): WebhookDelivery {
  return {
    id: row.id,
    type: row.type as EventType,
    ...(row.tenant_id ? { tenantId: row.tenant_id } : {}),
    body: row.body,
    status: row.status as WebhookDeliveryStatus,
    attempts: row.attempts,
    nextAttemptAt: new Date(Number(row.next_attempt_at)),
    ...(row.last_error ? { lastError: row.last_error } : {}),
    createdAt: new Date(Number(row.created_at)),
    ...(row.delivered_at != null ? { deliveredAt: new Date(Number(row.delivered_at)) } : {}),
  };
}
