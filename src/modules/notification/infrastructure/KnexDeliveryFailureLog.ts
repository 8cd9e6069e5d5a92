import { inject, injectable } from 'inversify';
import type { Knex } from 'knex';
import { DATABASE } from '../../../shared/tokens';
import type { TenantDataOwner } from '../../tenant/domain/TenantLifecycle';
import { FAILURE_CATEGORIES, type DeliveryFailureLog, type FailureCategory, type FailureSummary } from '../domain/DeliveryFailureLog';

const TABLE = 'delivery_failures';
/** Twice the health window, so that the last 24 hours are always complete. */
export const FAILURE_RETENTION_MS = 48 * 3600_000;
const PRUNE_EVERY_MS = 10 * 60_000;

@injectable()
export class KnexDeliveryFailureLog implements DeliveryFailureLog, TenantDataOwner {
  private prunedAt = Number.NEGATIVE_INFINITY;

  constructor(@inject(DATABASE) private readonly db: Knex) {}

  async record(tenantId: string, category: FailureCategory, at: Date): Promise<void> {
    await this.db(TABLE).insert({ tenant_id: tenantId, category, at: at.getTime() });
    // At most every ten minutes per process: the table stays small without a job of its own.
    if (Math.abs(at.getTime() - this.prunedAt) >= PRUNE_EVERY_MS) {
      this.prunedAt = at.getTime();
      await this.prune(new Date(at.getTime() - FAILURE_RETENTION_MS));
    }
  }

  /** Drops the records older than `before`; resolves to how many. */
  prune(before: Date): Promise<number> {
    return this.db(TABLE).where('at', '<', before.getTime()).delete();
  }

  async summary(tenantId: string, since: Date): Promise<FailureSummary> {
    const rows: Array<{ category: string; n: number | string }> = await this.db(TABLE)
      .where({ tenant_id: tenantId })
      .where('at', '>=', since.getTime())
      .select('category')
      .count({ n: '*' })
      .groupBy('category');
    const latest = await this.db(TABLE).where({ tenant_id: tenantId }).max({ at: 'at' }).first();
    const counts = Object.fromEntries(FAILURE_CATEGORIES.map((category) => [category, 0])) as Record<FailureCategory, number>;
    for (const row of rows) if (row.category in counts) counts[row.category as FailureCategory] = Number(row.n);
    return { counts, ...(latest?.at == null ? {} : { lastFailureAt: new Date(Number(latest.at)) }) };
  }

  async deleteTenantData(tenantId: string): Promise<void> {
    await this.db(TABLE).where({ tenant_id: tenantId }).delete();
  }
}
